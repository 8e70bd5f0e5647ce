"""`integrity-lint init`: a starter configuration and an empty data manifest."""

from __future__ import annotations

from pathlib import Path

from integrity_lint.config import ConfigError
from integrity_lint.resources import toml_syntax_error, tomllib, utf8_error

MANIFEST_NAME = "data-manifest.toml"

CONFIG = f"""\
[tool.integrity-lint]
manifest = ["{MANIFEST_NAME}"]
fail-on = "warning"
exclude = ["migrations/"]
"""

MANIFEST = """\
# The data manifest: every telemetry SDK, event and personal-data field the product uses,
# with why, who owns it, its review, its sensitivity and when it expires.
# `integrity-lint inventory --format toml` drafts entries for what the code sends today.
# Sensitivity is one of Mozilla's categories: technical | interaction | stored_content |
# highly_sensitive (https://wiki.mozilla.org/Firefox/Data_Collection).

[telemetry]
sdks = []

# [[event]]
# name = "Signup Completed"
# sdk = "segment"
# kind = "track"
# properties = ["plan"]
# purpose = "Measure the signup funnel"
# owner = ["growth@example.org"]
# review = ["https://example.org/data-review/42"]
# sensitivity = "interaction"
# expires = "2027-06-30"

# [[field]]
# name = "email"
# model = "accounts.models.User"
# category = "contact.email"
# sensitivity = "highly_sensitive"
# purpose = "Account login and receipts"
# owner = ["accounts@example.org"]
# review = ["https://example.org/data-review/7"]
# retention = "account lifetime + 30 days"
"""


def write_starter(folder: Path) -> list[str]:
    """Write what is missing and say what was done, one line per file.

    A ``pyproject.toml`` that is not valid TOML is a :class:`ConfigError` (nothing is
    written): adding a table to it would only bury the problem.
    """
    said: list[str] = []
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            text = pyproject.read_bytes().decode("utf-8")
            data = tomllib.loads(text)
        except UnicodeDecodeError as error:
            raise ConfigError(f"pyproject.toml:{utf8_error(error)}") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"pyproject.toml:{toml_syntax_error(error, text)}") from None
        if "integrity-lint" in data.get("tool", {}):
            said.append("pyproject.toml already has [tool.integrity-lint]: left as it is")
        else:
            separator = (
                "" if text.endswith("\n\n") or not text else "\n" if text.endswith("\n") else "\n\n"
            )
            pyproject.write_text(text + separator + CONFIG, encoding="utf-8")
            said.append("added [tool.integrity-lint] to pyproject.toml")
    else:
        config = folder / "integrity-lint.toml"
        if config.exists():
            said.append("integrity-lint.toml exists: left as it is")
        else:
            config.write_text(CONFIG.replace("[tool.integrity-lint]\n", ""), encoding="utf-8")
            said.append("wrote integrity-lint.toml")
    manifest = folder / MANIFEST_NAME
    if manifest.exists():
        said.append(f"{MANIFEST_NAME} exists: left as it is")
    else:
        manifest.write_text(MANIFEST, encoding="utf-8")
        said.append(f"wrote {MANIFEST_NAME}")
    said.append("next: integrity-lint inventory --format toml  (drafts the entries to declare)")
    return said
