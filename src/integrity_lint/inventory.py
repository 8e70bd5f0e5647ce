"""The data inventory: every telemetry site found, grouped by SDK and event (SPEC §8).

It reads the checked sites of a report; ``--format toml`` drafts manifest entries for the
undeclared ones, with placeholders that PRV602 flags until a person fills them in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from integrity_lint.analysis.facts import CheckedField, CheckedSite
from integrity_lint.manifest import Manifest
from integrity_lint.report.characters import replace_surrogates, visible

STATUS_ORDER = ("undeclared", "unverifiable", "declared")


@dataclass
class Entry:
    sdk: str
    kind: str
    event: str  # the event name; for nameless kinds the kind; "(dynamic)" when unknown
    status: str
    sensitivity: tuple[str, ...] = ()
    properties: set[str] = field(default_factory=set)
    open_properties: bool = False
    locations: list[tuple[str, int]] = field(default_factory=list)
    via: set[str] = field(default_factory=set)


def build(sites: list[CheckedSite]) -> list[Entry]:
    """Group sites by SDK, kind and event; forwarding calls inside wrappers are left out."""
    entries: dict[tuple[str, str, str, str], Entry] = {}
    for checked in sites:
        if checked.status == "forwarding":
            continue
        site = checked.site
        event = checked.event or "(dynamic)"
        key = (site.sdk, site.kind, event, checked.status)
        entry = entries.setdefault(
            key,
            Entry(
                sdk=site.sdk,
                kind=site.kind,
                event=event,
                status=checked.status,
                sensitivity=checked.declaration.sensitivity if checked.declaration else (),
            ),
        )
        entry.locations.append((checked.path, site.where.line))
        if site.via:
            entry.via.add(site.via)
        properties = site.properties
        if properties is not None and properties.kind == "keys":
            entry.properties.update(properties.keys)
            entry.open_properties |= properties.open
        elif properties is not None and properties.kind not in ("none", "param"):
            entry.open_properties = True
    for entry in entries.values():
        entry.locations.sort()
    return sorted(
        entries.values(), key=lambda e: (e.sdk, STATUS_ORDER.index(e.status), e.kind, e.event)
    )


@dataclass
class FieldEntry:
    """A personal-data field: of a schema class (``model``), or a request key (no model)."""

    name: str
    model: str | None
    category: str
    sensitivity: str
    status: str
    locations: list[tuple[str, int]] = field(default_factory=list)


def build_fields(fields: list[CheckedField]) -> list[FieldEntry]:
    """Group fields by class and name (request keys by name), undeclared first."""
    entries: dict[tuple[str, str], FieldEntry] = {}
    for checked in fields:
        found = checked.field
        key = (found.model or "", found.name)
        entry = entries.setdefault(
            key,
            FieldEntry(found.name, found.model, found.category, found.sensitivity, checked.status),
        )
        entry.locations.append((checked.path, found.where.line))
    for entry in entries.values():
        entry.locations.sort()
    return sorted(entries.values(), key=lambda e: (e.status != "undeclared", e.model or "", e.name))


def _places(entry: Entry | FieldEntry, limit: int) -> str:
    shown = ", ".join(f"{path}:{line}" for path, line in entry.locations[:limit])
    return shown + (" …" if len(entry.locations) > limit else "")


def render_json(entries: list[Entry], fields: Sequence[FieldEntry] = ()) -> str:
    document = {
        "events": [
            {
                "sdk": e.sdk,
                "kind": e.kind,
                "event": e.event,
                "status": e.status,
                "sensitivity": list(e.sensitivity),
                "properties": sorted(e.properties),
                "unverifiable_properties": e.open_properties,
                "locations": [{"path": path, "line": line} for path, line in e.locations],
                "wrappers": sorted(e.via),
            }
            for e in entries
        ],
        "fields": [
            {
                "name": f.name,
                "model": f.model,
                "category": f.category,
                "sensitivity": f.sensitivity,
                "status": f.status,
                "locations": [{"path": path, "line": line} for path, line in f.locations],
            }
            for f in fields
        ],
    }
    return json.dumps(document, indent=2) + "\n"


_LINE_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _cell(text: str) -> str:
    """Text for a code span in a table cell: on one line, with no backtick to end the span
    and no ``|`` to end the cell (GFM splits cells at ``|`` even inside code spans)."""
    text = _LINE_BREAKS.sub(" ", replace_surrogates(text))
    return text.replace("|", "\\|").replace("`", "'")


def render_markdown(entries: list[Entry], fields: Sequence[FieldEntry] = ()) -> str:
    lines = ["# Data inventory", ""]
    if not entries:
        lines.append("No telemetry calls found.")
    else:
        counts = {s: sum(1 for e in entries if e.status == s) for s in STATUS_ORDER}
        lines.append(", ".join(f"{n} {s}" for s, n in counts.items() if n) + ".")
    for sdk in sorted({e.sdk for e in entries}):
        lines += [
            "",
            f"## {sdk}",
            "",
            "| event | kind | status | sensitivity | properties | where |",
        ]
        lines.append("|---|---|---|---|---|---|")
        for e in (x for x in entries if x.sdk == sdk):
            properties = ", ".join(f"`{_cell(p)}`" for p in sorted(e.properties))
            if e.open_properties:
                properties += " (and unverifiable ones)" if properties else "(unverifiable)"
            where = _places(e, 5)
            lines.append(
                f"| `{_cell(e.event)}` | {e.kind} | {e.status} | "
                f"{', '.join(e.sensitivity) or '-'} | {properties or '-'} | `{_cell(where)}` |"
            )
    if fields:
        lines += [
            "",
            "## Personal data fields",
            "",
            "| field | of | category | sensitivity | status | where |",
            "|---|---|---|---|---|---|",
        ]
        for f in fields:
            owner = f"`{_cell(f.model)}`" if f.model else "request data"
            lines.append(
                f"| `{_cell(f.name)}` | {owner} | {f.category} | {f.sensitivity} | {f.status} | "
                f"`{_cell(_places(f, 3))}` |"
            )
    return "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    """A TOML basic string. JSON's escapes are TOML's, but TOML also forbids a raw DEL and
    has no escape for a lone surrogate (an undecodable byte of a file name): U+FFFD."""
    return json.dumps(replace_surrogates(text), ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_comment(text: str) -> str:
    """Text for a TOML comment: a line break would end it (and start TOML of its own)."""
    return visible(text)


def render_toml(
    entries: list[Entry],
    manifest: Manifest | None,
    fields: Sequence[FieldEntry] = (),
) -> str:
    """Manifest entries for what is undeclared, ready to append to the manifest."""
    undeclared = [e for e in entries if e.status == "undeclared"]
    sdks = sorted({e.sdk for e in entries} - set(manifest.sdks if manifest else ()) - {"*"})
    lines = [
        "# Drafted by `integrity-lint inventory --format toml`. Every TODO must be filled in",
        "# by a person (PRV602 reports it until then).",
    ]
    if manifest is None:
        lines += ["", "[telemetry]", f"sdks = [{', '.join(_toml_string(s) for s in sdks)}]"]
    elif sdks:
        lines.append(f"# Add to [telemetry] sdks: {', '.join(sdks)}")
    for e in undeclared:
        name = e.event if e.kind in ("track", "page", "metric", "span") else e.kind
        lines += ["", "[[event]]", f"name = {_toml_string(name)}"]
        if e.sdk != "*":
            lines.append(f"sdk = {_toml_string(e.sdk)}")
        lines.append(f"kind = {_toml_string(e.kind)}")
        keys = ", ".join(_toml_string(p) for p in sorted(e.properties))
        lines.append(f"properties = [{keys}]")
        lines += [
            'purpose = "TODO: why the product needs this data"',
            'owner = ["TODO: a person or team address"]',
            'review = ["TODO: link to the data review"]',
            'sensitivity = "TODO: technical | interaction | stored_content | highly_sensitive"',
            'expires = "TODO: YYYY-MM-DD"',
            f"# sent from {_toml_comment(_places(e, 3))}",
        ]
    if not undeclared:
        lines += ["", "# Every telemetry call found is declared."]
    for f in (f for f in fields if f.status == "undeclared"):
        lines += ["", "[[field]]", f"name = {_toml_string(f.name)}"]
        if f.model:
            lines.append(f"model = {_toml_string(f.model)}")
        lines += [
            f"category = {_toml_string(f.category)}",
            f"sensitivity = {_toml_string(f.sensitivity)}",
            'purpose = "TODO: why the product needs this data"',
            'owner = ["TODO: a person or team address"]',
            'review = ["TODO: link to the data review"]',
            'retention = "TODO: how long it is kept"',
            f"# found at {_toml_comment(_places(f, 3))}",
        ]
    return "\n".join(lines) + "\n"
