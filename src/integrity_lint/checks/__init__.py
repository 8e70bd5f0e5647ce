"""The checks. Each module holds the checks of one theme; this registry lists them all."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from integrity_lint.checks.base import Check

CHECK_MODULES = (
    "consent",
    "cookies",
    "cors",
    "csrf",
    "debug",
    "demographics",
    "deserialization",
    "escaping",
    "inclusive_language",
    "jwt_verification",
    "moderation",
    "names",
    "password_hash",
    "personal_data",
    "polling",
    "randomness",
    "retries",
    "sdk_settings",
    "secrets",
    "shell",
    "sql",
    "ssrf",
    "timeouts",
    "tls",
    "transport",
)


@cache
def all_checks() -> tuple[type[Check], ...]:
    """Every check class, in a stable order."""
    found: list[type[Check]] = []
    for name in CHECK_MODULES:
        module = import_module(f"integrity_lint.checks.{name}")
        found.extend(
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Check)
            and value is not Check
            and value.__module__ == module.__name__
        )
    return tuple(found)
