"""The native TOML manifest (``data-manifest.toml``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from integrity_lint.manifest.model import (
    KINDS,
    EventDecl,
    FieldDecl,
    Location,
    Manifest,
    ManifestError,
)
from integrity_lint.resources import toml_syntax_error, tomllib

_TOP_KEYS = ("telemetry", "event", "field")
_EVENT_KEYS = (
    "name", "sdk", "kind", "properties", "purpose", "owner", "review", "sensitivity", "expires",
)  # fmt: skip
_FIELD_KEYS = (
    "name", "model", "category", "sensitivity", "purpose", "owner", "review", "retention",
)  # fmt: skip
_LIST_KEYS = {"properties", "owner", "review", "sensitivity"}  # a string is a one-item list


def load_native(text: str, path: str) -> Manifest:
    """Load a native manifest; ``path`` is how messages and locations name the file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(error, text, path) from None
    lines = _table_lines(text)
    manifest = Manifest(sources=[path])
    for key in data:
        if key not in _TOP_KEYS:
            raise ManifestError(
                f"{path}:{_key_line(text, key)}: {key}: unknown key{_hint(key, _TOP_KEYS)}"
            )
    telemetry = data.get("telemetry", {})
    if not isinstance(telemetry, dict):
        raise ManifestError(f"{path}:{_key_line(text, 'telemetry')}: telemetry: expected a table")
    for key, value in telemetry.items():
        line = _key_line(text, key)
        if key != "sdks":
            raise ManifestError(
                f"{path}:{line}: telemetry.{key}: unknown key{_hint(key, ['sdks'])}"
            )
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ManifestError(f"{path}:{line}: telemetry.sdks: expected a list of SDK ids")
        for sdk in value:
            problem = _sdk_problem(sdk)
            if problem:
                raise ManifestError(f"{path}:{line}: telemetry.sdks: {problem}")
            manifest.sdks.setdefault(sdk, Location(path, line))
    for table, keys, build in (("event", _EVENT_KEYS, _event), ("field", _FIELD_KEYS, _field)):
        entries = data.get(table, [])
        if not isinstance(entries, list):
            raise ManifestError(
                f"{path}:{_key_line(text, table)}: {table}: expected [[{table}]] tables"
            )
        for index, entry in enumerate(entries):
            line = lines[table][index] if index < len(lines[table]) else 1
            where = _EntryPlace(text, path, line, f"{table}[{index}]")
            values = _validate(entry, keys, where)
            getattr(manifest, f"{table}s").append(build(values, Location(path, line)))
    _refuse_duplicates(manifest)
    return manifest


def _refuse_duplicates(manifest: Manifest) -> None:
    """Two entries for one event (name, SDK and kind) or one field (name and model): which
    purpose, owner and expiry hold would be anybody's guess. (A Segment plan may repeat an
    event in its versions; a Glean file cannot, its metrics are YAML keys.)"""
    first: dict[tuple[str, ...], int] = {}
    entries: list[tuple[str, tuple[str, ...], Location]] = [
        (f"event {e.name!r}", ("event", e.name, e.sdk or "", e.kind or ""), e.location)
        for e in manifest.events
    ]
    entries += [
        (f"field {f.name!r}", ("field", f.name, f.model or ""), f.location) for f in manifest.fields
    ]
    for shown, key, location in entries:
        if key in first:
            raise ManifestError(
                f"{location.path}:{location.line}: {shown} is declared twice "
                f"(first at line {first[key]}): merge the two entries"
            )
        first[key] = location.line


class _EntryPlace:
    """How errors name an ``[[event]]`` or ``[[field]]`` entry, or one of its keys: at the
    key's own line when the entry sets it on a line of its own."""

    def __init__(self, text: str, path: str, line: int, entry: str) -> None:
        self.text, self.path, self.line, self.entry = text, path, line, entry

    def __call__(self, key: str | None = None) -> str:
        if key is None:
            return f"{self.path}:{self.line}: {self.entry}"
        line = self.line
        setting = re.compile(rf"[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=")
        for number, text in enumerate(self.text.splitlines()[self.line :], start=self.line + 1):
            if _HEADER_ANY_RE.match(text):
                break
            if setting.match(text):
                line = number
                break
        return f"{self.path}:{line}: {self.entry}.{key}"


_HEADER_ANY_RE = re.compile(r"[ \t]*\[")


def _validate(entry: Any, keys: tuple[str, ...], where: _EntryPlace) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise ManifestError(f"{where()}: expected a table")
    values: dict[str, Any] = {}
    for key, value in entry.items():
        if key not in keys:
            raise ManifestError(f"{where(key)}: unknown key{_hint(key, keys)}")
        if isinstance(value, dt.date):
            value = value.isoformat()
        if key in _LIST_KEYS:
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ManifestError(f"{where(key)}: expected a list of strings, got {value!r}")
            values[key] = tuple(value)
        elif not isinstance(value, str):
            raise ManifestError(f"{where(key)}: expected a string, got {value!r}")
        elif key == "sdk" and _sdk_problem(value):
            raise ManifestError(f"{where('sdk')}: {_sdk_problem(value)}")
        elif key == "kind" and value not in KINDS:
            raise ManifestError(
                f"{where('kind')}: expected one of {', '.join(KINDS)}, got {value!r}"
                f"{_hint(value, KINDS)}"
            )
        else:
            values[key] = value
    if "name" not in values:
        raise ManifestError(f"{where()}: 'name' is required")
    return values


def _event(values: dict[str, Any], location: Location) -> EventDecl:
    return EventDecl(location=location, **values)


def _field(values: dict[str, Any], location: Location) -> FieldDecl:
    return FieldDecl(location=location, **values)


_HEADER_RE = re.compile(r"^[ \t]*\[\[[ \t]*(event|field)[ \t]*\]\]", re.MULTILINE)


def _table_lines(text: str) -> dict[str, list[int]]:
    """The line of each ``[[event]]`` and ``[[field]]`` header, in order."""
    lines: dict[str, list[int]] = {"event": [], "field": []}
    for match in _HEADER_RE.finditer(text):
        lines[match.group(1)].append(text.count("\n", 0, match.start()) + 1)
    return lines


def _syntax_error(error: tomllib.TOMLDecodeError, text: str, path: str) -> ManifestError:
    return ManifestError(f"{path}:{toml_syntax_error(error, text)}")


def _key_line(text: str, key: str) -> int:
    """The first line that sets ``key`` (``key =``, ``a.key =``) or opens it as a table; else 1."""
    name = rf"[\"']?{re.escape(key)}[\"']?"
    dotted = r"(?:[\w\"'-]+[ \t]*\.[ \t]*)*"
    pattern = re.compile(rf"^[ \t]*(?:\[\[?[ \t]*)?{dotted}{name}[ \t]*[=\].]", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _sdk_problem(sdk: str) -> str | None:
    """Why ``sdk`` is no SDK id of the catalog (``rules/telemetry-sdks.toml``), or ``None``: a
    misspelt id would declare an SDK no call ever matches."""
    from integrity_lint.analysis.sdks import load_sdk_catalog  # it imports the manifest model

    known = sorted(load_sdk_catalog().sdks)
    if sdk in known:
        return None
    return f"unknown SDK id {sdk!r}{_hint(sdk, known)}; the ids are {', '.join(known)}"


def _hint(key: str, choices: tuple[str, ...] | list[str]) -> str:
    import difflib  # only for a manifest with a misspelt key

    close = difflib.get_close_matches(key, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
