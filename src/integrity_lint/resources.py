"""Where the shipped data lives: the ``rules/`` catalog and its data files.

In a wheel the catalog is packaged as ``integrity_lint/rules``; in an editable install or a
source checkout it is the repository's top-level ``rules/`` folder.
"""

from __future__ import annotations

import hashlib
import marshal
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from integrity_lint.signing import read_signed, user_cache_dir, write_signed

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
    """A TOML data file of the catalog, such as ``inclusive-language.toml``.

    What a file's bytes parse to is kept in the user's cache folder, signed with the user's
    key (:mod:`integrity_lint.signing`): tomllib took 15 ms of a run that checks one file,
    for the data its checks and the project pass read (measured)."""
    raw = (rules_dir() / name).read_bytes()
    key = hashlib.sha256(raw).digest()
    kept = _kept_data()
    found = kept.get(key)
    if found is None:
        found = kept[key] = tomllib.loads(raw.decode("utf-8"))
        _keep_data(kept)
    return found


_DATA_HEADER = b"integrity-lint-data/1\n"


def _data_path() -> Path:
    return user_cache_dir() / "data" / f"{sys.implementation.cache_tag}.bin"  # marshal's


@cache
def _kept_data() -> dict[bytes, Any]:
    body = read_signed(_data_path(), _DATA_HEADER)
    try:
        kept = marshal.loads(body) if body is not None else {}
    except (ValueError, EOFError, TypeError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _keep_data(kept: dict[bytes, Any]) -> None:
    """Write the parsed data of the data files as they are now (older versions go)."""
    current = {hashlib.sha256(file.read_bytes()).digest() for file in rules_dir().glob("*.toml")}
    try:
        body = marshal.dumps({key: value for key, value in kept.items() if key in current})
    except ValueError:  # a value marshal cannot hold, such as a date: parsed every time
        return
    write_signed(_data_path(), _DATA_HEADER, body)


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
