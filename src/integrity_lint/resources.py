"""Where the shipped data lives: the ``rules/`` catalog and its data files.

In a wheel the catalog is packaged as ``integrity_lint/rules``; in an editable install or a
source checkout it is the repository's top-level ``rules/`` folder.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


@cache
def rules_dir() -> Path:
    """The folder that holds the rule catalog."""
    package_dir = Path(__file__).resolve().parent
    for candidate in (package_dir / "rules", package_dir.parent.parent / "rules"):
        if (candidate / "pillars.toml").is_file():
            return candidate
    raise FileNotFoundError(f"the integrity-lint rule catalog is missing (looked in {package_dir})")


@cache
def load_data(name: str) -> dict[str, Any]:
    """A TOML data file of the catalog, such as ``inclusive-language.toml``."""
    with (rules_dir() / name).open("rb") as handle:
        return tomllib.load(handle)


_AT_RE = re.compile(r" \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$")


def toml_syntax_error(error: tomllib.TOMLDecodeError, text: str) -> str:
    """``line:column: invalid TOML: problem`` from tomllib's ``problem (at line 3, ...)``."""
    message = str(error)
    at = _AT_RE.search(message)
    if at is None:
        return f"invalid TOML: {message}"
    where = f"{at['line']}:{at['column']}" if at["line"] else str(text.count("\n") + 1)
    return f"{where}: invalid TOML: {message[: at.start()]}"


def utf8_error(error: UnicodeDecodeError) -> str:
    """``line:column: not UTF-8 text: byte 0xff cannot be decoded``."""
    data = bytes(error.object)
    line = data.count(b"\n", 0, error.start) + 1
    column = error.start - data.rfind(b"\n", 0, error.start)
    return f"{line}:{column}: not UTF-8 text: byte 0x{data[error.start]:02x} cannot be decoded"
