"""Segment Protocols tracking plans, in both JSON shapes in circulation.

1. Config API v1 / Typewriter ``plan.json``: ``{"rules": {"events": [{"name", "description",
   "rules": <JSON Schema>}], "identify": <JSON Schema>, "group": <JSON Schema>}}`` (Typewriter's
   local plans put ``events`` at the top level).
2. Public API: ``{"rules": [{"type": "TRACK", "key": "<event>", "jsonSchema": <JSON Schema>}]}``,
   also as a bare list of rules or inside the API's ``{"data": ...}`` envelope.

Listing one declares the SDK ``segment``. An event's properties are the keys of its schema's
``properties.properties.properties``; identify and group traits those of
``properties.traits.properties``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from types import UnionType
from typing import Any

from integrity_lint.manifest.formats import unsupported
from integrity_lint.manifest.model import EventDecl, Location, Manifest, ManifestError

JsonPath = tuple[str | int, ...]

# Public API rule type -> (event kind, the schema section its keys are under)
_RULE_TYPES = {
    "TRACK": ("track", "properties"),
    "PAGE": ("page", "properties"),
    "SCREEN": ("page", "properties"),
    "IDENTIFY": ("identify", "traits"),
    "GROUP": ("group", "traits"),
    "COMMON": None,  # the common schema constrains every call's context: no event of its own
}
_NAMED = ("track", "page")  # kinds whose rules are named by their key


def load_segment_plan(text: str, path: str) -> Manifest:
    """Load a tracking plan; ``path`` is how messages and locations name the file."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ManifestError(
            f"{path}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}"
        ) from None
    return _Plan(path, value_lines(text)).manifest(data)


class _Plan:
    def __init__(self, path: str, lines: dict[JsonPath, int]) -> None:
        self.path = path
        self.lines = lines
        self.result = Manifest(sources=[path])

    def manifest(self, data: Any) -> Manifest:
        at: JsonPath = ()
        if isinstance(data, dict) and isinstance(data.get("data"), dict):
            data, at = data["data"], ("data",)  # the Public API's response envelope
        if isinstance(data, dict) and "trackingPlan" in data:
            at = (*at, "trackingPlan")
            data = self.expect(data["trackingPlan"], dict, at)
            if "rules" not in data:
                raise self.error(
                    at, "the tracking plan's details hold no rules: save its rules instead "
                    "(the Public API's listRulesFromTrackingPlan response)",
                )  # fmt: skip
        if isinstance(data, list):
            self.public_rules(data, at)
        elif isinstance(data, dict) and isinstance(data.get("rules"), list):
            self.public_rules(data["rules"], (*at, "rules"))
        elif isinstance(data, dict) and isinstance(data.get("rules"), dict):
            self.config_rules(data["rules"], (*at, "rules"))
        elif isinstance(data, dict) and "events" in data:
            self.config_rules(data, at)
        elif isinstance(data, dict) and "rules" in data:
            raise self.error((*at, "rules"), "expected a list of rules or a rules object")
        else:
            raise unsupported(
                self.path, "not a Segment tracking plan (no 'rules' list or object, no 'events')"
            )
        self.result.sdks["segment"] = Location(self.path, 1)
        return self.result

    def public_rules(self, rules: list[Any], at: JsonPath) -> None:
        for index, rule in enumerate(rules):
            here = (*at, index)
            self.expect(rule, dict, here)
            rule_type = rule.get("type")
            if not isinstance(rule_type, str) or rule_type not in _RULE_TYPES:
                raise self.error(
                    (*here, "type"),
                    f"expected one of {', '.join(_RULE_TYPES)}, got {rule_type!r}",
                )
            if _RULE_TYPES[rule_type] is None:
                continue
            kind, section = _RULE_TYPES[rule_type]
            schema = self.expect(rule.get("jsonSchema"), dict | None, (*here, "jsonSchema"))
            description = (schema or {}).get("description")
            if kind in _NAMED:
                name = self.name(rule.get("key"), (*here, "key"))
                line = self.line((*here, "key"))
            else:
                name, line = kind, self.line((*here, "type"))
            self.add(
                name, kind, line, self.keys(schema, (*here, "jsonSchema"), section), description
            )

    def config_rules(self, rules: dict[str, Any], at: JsonPath) -> None:
        events = self.expect(rules.get("events"), list | None, (*at, "events")) or []
        for index, event in enumerate(events):
            here = (*at, "events", index)
            self.expect(event, dict, here)
            name = self.name(event.get("name"), (*here, "name"))
            keys = self.keys(event.get("rules"), (*here, "rules"), "properties")
            description = self.expect(event.get("description"), str | None, (*here, "description"))
            self.add(name, "track", self.line((*here, "name")), keys, description)
        for kind in ("identify", "group"):
            schema = self.expect(rules.get(kind), dict | None, (*at, kind))
            if schema is not None:
                keys = self.keys(schema, (*at, kind), "traits")
                self.add(kind, kind, self.line((*at, kind)), keys, schema.get("description"))

    def keys(self, schema: Any, at: JsonPath, section: str) -> tuple[str, ...]:
        """The keys a call's schema declares in ``properties.<section>.properties``."""
        for step in ("properties", section, "properties"):
            schema = self.expect(schema, dict | None, at)
            if schema is None:
                return ()
            at = (*at, step)
            schema = schema.get(step)
        return tuple(self.expect(schema, dict | None, at) or ())

    def add(
        self, name: str, kind: str, line: int, properties: tuple[str, ...], purpose: Any
    ) -> None:
        self.result.events.append(
            EventDecl(
                name=name,
                location=Location(self.path, line),
                sdk="segment",
                kind=kind,
                properties=properties,
                purpose=purpose if isinstance(purpose, str) and purpose else None,
                source="segment",
            )
        )

    def name(self, value: Any, at: JsonPath) -> str:
        if not isinstance(value, str) or not value:
            raise self.error(at, f"expected the event name, got {value!r}")
        return value

    def expect(self, value: Any, kind: type | UnionType, at: JsonPath) -> Any:
        if not isinstance(value, kind):
            expected = {dict: "an object", list: "a list", str: "a string"}
            what = " or ".join(
                expected[t] for t in getattr(kind, "__args__", (kind,)) if t in expected
            )
            raise self.error(at, f"expected {what}, got {_describe(value)}")
        return value

    def line(self, at: JsonPath) -> int:
        """The line of ``at``, or of the nearest enclosing value that is in the file."""
        while at not in self.lines:
            at = at[:-1]
        return self.lines[at]

    def error(self, at: JsonPath, problem: str) -> ManifestError:
        return ManifestError(f"{self.path}:{self.line(at)}: {_dotted(at)}: {problem}")


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return json.dumps(value)


def _dotted(at: JsonPath) -> str:
    """``rules.events[3].name``: how messages name a place in the document."""
    text = ""
    for step in at:
        text += f"[{step}]" if isinstance(step, int) else f".{step}" if text else step
    return text or "(top level)"


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


class _Container:
    """An object or list being read by :func:`value_lines`."""

    def __init__(self, at: JsonPath, is_object: bool) -> None:
        self.at = at
        self.is_object = is_object
        self.wants_key = is_object  # in an object, the next string is a key
        self.key = ""
        self.index = 0


def value_lines(text: str) -> dict[JsonPath, int]:
    """The 1-based line of every value in a valid JSON document, by its path.

    A member is placed at the line of its key, a list item at its first character, so that
    ``("rules", "events", 3, "name")`` is where ``"name": "..."`` of the fourth event is written,
    however names repeat or are escaped. Duplicate keys resolve as ``json.loads`` does: the last.
    """
    starts = [0, *(match.end() for match in re.finditer("\n", text))]
    lines: dict[JsonPath, int] = {}
    open_: list[_Container] = []
    for match in _TOKEN.finditer(text):
        token, line = match.group(), bisect_right(starts, match.start())
        if token in (",", ":"):
            continue
        if token in ("}", "]"):
            open_.pop()
            continue
        parent = open_[-1] if open_ else None
        if parent is None:
            at: JsonPath = ()
            lines[at] = line
        elif parent.wants_key:
            parent.key, parent.wants_key = json.loads(token), False
            lines[(*parent.at, parent.key)] = line
            continue
        elif parent.is_object:  # the member's value: the member is at the line of its key
            at, parent.wants_key = (*parent.at, parent.key), True
        else:
            at, parent.index = (*parent.at, parent.index), parent.index + 1
            lines[at] = line
        if token in ("{", "["):
            open_.append(_Container(at, token == "{"))
    return lines
