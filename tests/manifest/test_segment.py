from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from integrity_lint.manifest import EventDecl, Location, Manifest, ManifestError, load_manifest
from integrity_lint.manifest.segment import load_segment_plan, value_lines

# Config API v1 / Typewriter plan.json, the shape of reference/toolkit.md §5.2 (1).
CONFIG_PLAN = """\
{ "name": "workspaces/acme/tracking-plans/rs_1", "display_name": "Acme",
  "rules": {
    "events": [ { "name": "Sign In Failed", "description": "A sign-in was refused.", "version": 1,
                  "rules": { "$schema": "http://json-schema.org/draft-07/schema#",
                             "type": "object", "labels": {"flow": "signin"},
                             "properties": {
                               "context": {}, "traits": {},
                               "properties": { "type": "object",
                                 "properties": { "numAttempts": {"type": "integer"},
                                                 "reason": {"type": "string"} },
                                 "required": ["numAttempts"] } },
                             "required": ["properties"] } },
                { "name": "Signed Out",
                  "rules": { "properties": { "properties": { "type": "object" } } } } ],
    "identify": { "properties": { "traits": { "type": "object",
                  "properties": { "plan": {}, "company": {} } } } },
    "group": { "properties": { "traits": { "properties": { "seats": {} } } } },
    "identify_traits": [], "group_traits": [] },
  "create_time": "2024-01-01T00:00:00Z", "update_time": "2024-01-02T00:00:00Z" }
"""

# Public API rules, the shape of reference/toolkit.md §5.2 (2).
PUBLIC_RULES = """\
{
  "rules": [
    {
      "type": "COMMON",
      "key": null,
      "version": 1,
      "jsonSchema": {"properties": {"context": {"required": ["ip"]}}}
    },
    {
      "type": "TRACK",
      "key": "Add to Cart",
      "version": 1,
      "jsonSchema": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "description": "An item was added.",
        "properties": {
          "context": {},
          "traits": {},
          "properties": {"type": "object", "properties": {"item_id": {}, "price": {}}}
        }
      }
    },
    {
      "type": "IDENTIFY",
      "key": null,
      "version": 1,
      "jsonSchema": {"properties": {"traits": {"properties": {"email": {}, "plan": {}}}}}
    },
    {"type": "GROUP", "version": 1, "jsonSchema": {"properties": {"traits": {}}}},
    {
      "type": "PAGE",
      "key": "Pricing",
      "jsonSchema": {"properties": {"properties": {"properties": {"path": {}}}}}
    },
    {"type": "SCREEN", "key": "Settings", "version": 2, "jsonSchema": null}
  ]
}
"""


def load(tmp_path: Path, text: str, name: str = "plan.json") -> Manifest:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return load_manifest((name,), tmp_path)


def error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ManifestError) as raised:
        load(tmp_path, text)
    return str(raised.value)


def segment(
    name: str, kind: str, line: int, *properties: str, purpose: str | None = None
) -> EventDecl:
    return EventDecl(
        name=name,
        location=Location("plan.json", line),
        sdk="segment",
        kind=kind,
        properties=properties,
        purpose=purpose,
        source="segment",
    )


def test_config_api_plan(tmp_path: Path) -> None:
    manifest = load(tmp_path, CONFIG_PLAN)
    assert manifest.sources == ["plan.json"]
    assert manifest.sdks == {"segment": Location("plan.json", 1)}
    assert manifest.events == [
        segment(
            "Sign In Failed", "track", 3, "numAttempts", "reason", purpose="A sign-in was refused."
        ),
        segment("Signed Out", "track", 13),
        segment("identify", "identify", 15, "plan", "company"),
        segment("group", "group", 17, "seats"),
    ]


def test_typewriter_local_plan_has_events_at_the_top(tmp_path: Path) -> None:
    plan = {
        "events": [
            {
                "name": "Order Completed",
                "rules": {"properties": {"properties": {"properties": {"order_id": {}}}}},
            }
        ],
        "group_traits": None,
        "identify_traits": [],
    }
    manifest = load(tmp_path, json.dumps(plan, indent=2))
    assert manifest.events == [segment("Order Completed", "track", 4, "order_id")]


def test_public_api_rules(tmp_path: Path) -> None:
    manifest = load(tmp_path, PUBLIC_RULES)
    assert manifest.sdks == {"segment": Location("plan.json", 1)}
    assert manifest.events == [  # the COMMON rule declares no event
        segment("Add to Cart", "track", 11, "item_id", "price", purpose="An item was added."),
        segment("identify", "identify", 25, "email", "plan"),
        segment("group", "group", 30),
        segment("Pricing", "page", 33, "path"),
        segment("Settings", "page", 36),
    ]


@pytest.mark.parametrize(
    ("wrap", "prefix"),
    [
        (lambda rules: rules, ""),  # a bare list of rules
        (lambda rules: {"data": {"rules": rules, "pagination": {}}}, "data.rules"),
        (lambda rules: {"trackingPlan": {"id": "tp_1", "rules": rules}}, "trackingPlan.rules"),
        (lambda rules: {"data": {"trackingPlan": {"rules": rules}}}, "data.trackingPlan.rules"),
    ],
)
def test_public_api_wrappers(
    tmp_path: Path, wrap: Callable[[list[dict[str, str | dict[str, str]]]], object], prefix: str
) -> None:
    rules = [{"type": "TRACK", "key": "Signed Up", "jsonSchema": {}}, {"type": "TRACK"}]
    with pytest.raises(ManifestError) as raised:
        load(tmp_path, json.dumps(wrap(rules)))
    assert str(raised.value) == (f"plan.json:1: {prefix}[1].key: expected the event name, got None")
    manifest = load(tmp_path, json.dumps(wrap(rules[:1]), indent=1))
    assert [(e.name, e.kind, e.properties) for e in manifest.events] == [("Signed Up", "track", ())]


def test_tracking_plan_details_without_rules_are_refused(tmp_path: Path) -> None:
    details = {"data": {"trackingPlan": {"id": "tp_1", "name": "Acme", "type": "LIVE"}}}
    assert error(tmp_path, json.dumps(details, indent=2)) == (
        "plan.json:3: data.trackingPlan: the tracking plan's details hold no rules: save its "
        "rules instead (the Public API's listRulesFromTrackingPlan response)"
    )


def test_lines_follow_repeated_and_escaped_names(tmp_path: Path) -> None:
    text = """\
{"rules": {"events": [
  {"rules": {"labels": {"name": "Second"}},
   "name": "First"},
  {"name":
     "Second"},
  {"name": "Say \\"Hi\\""},
  {"name": "caf\\u00e9"},
  {"description": "again", "name": "Second"}
]}}
"""
    manifest = load(tmp_path, text)
    assert [(e.name, e.location.line) for e in manifest.events] == [
        ("First", 3),
        ("Second", 4),
        ('Say "Hi"', 6),
        ("café", 7),
        ("Second", 8),
    ]
    assert manifest.events[-1].purpose == "again"


def test_repeated_public_rule_keys_keep_their_own_lines(tmp_path: Path) -> None:
    rules = [
        {"type": "TRACK", "key": "Signed Up", "version": 1},
        {"type": "TRACK", "key": "Signed Up", "version": 2},
    ]
    manifest = load(tmp_path, json.dumps({"rules": rules}, indent=2))
    assert [e.location.line for e in manifest.events] == [5, 10]


def test_value_lines_paths() -> None:
    text = (
        '{\n "a": [1,\n  {"b": "x{[,:\\"]}"},\n  [], {}],\n'
        ' "c\\"d":\n  null, "e": {"f": [\n\n true]}}'
    )
    assert value_lines(text) == {
        (): 1,
        ("a",): 2,
        ("a", 0): 2,
        ("a", 1): 3,
        ("a", 1, "b"): 3,
        ("a", 2): 4,
        ("a", 3): 4,
        ('c"d',): 5,
        ("e",): 6,
        ("e", "f"): 6,
        ("e", "f", 0): 8,
    }


def test_path_names_the_file_in_locations() -> None:
    manifest = load_segment_plan(PUBLIC_RULES, "analytics/plan.json")
    assert manifest.sdks["segment"] == Location("analytics/plan.json", 1)
    assert manifest.events[0].location == Location("analytics/plan.json", 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"rules": {"events": [}', "plan.json:1:23: invalid JSON: Expecting value"),
        ('{\n  "rules": [\n    {"type": "TRACK",}\n  ]\n}', "plan.json:3:22: invalid JSON: "),
        ("", "plan.json:1:1: invalid JSON: Expecting value"),
    ],
)
def test_invalid_json_names_line_and_column(tmp_path: Path, text: str, expected: str) -> None:
    assert error(tmp_path, text).startswith(expected)


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        ({"rules": "none"}, "plan.json:2: rules: expected a list of rules or a rules object"),
        ({"rules": {"events": {}}}, "plan.json:3: rules.events: expected a list, got an object"),
        (
            {"rules": {"events": [{"name": "A"}, "B"]}},
            'plan.json:7: rules.events[1]: expected an object, got "B"',
        ),
        (
            {"rules": {"events": [{"name": "A"}, {"description": "no name"}]}},
            "plan.json:7: rules.events[1].name: expected the event name, got None",
        ),
        (
            {"rules": {"events": [{"name": ["A"]}]}},
            "plan.json:5: rules.events[0].name: expected the event name, got ['A']",
        ),
        (
            {"rules": {"events": [{"name": ""}]}},
            "plan.json:5: rules.events[0].name: expected the event name, got ''",
        ),
        (
            {"rules": {"events": [{"name": "A", "description": 3}]}},
            "plan.json:6: rules.events[0].description: expected a string, got 3",
        ),
        (
            {"rules": {"events": [{"name": "A", "rules": []}]}},
            "plan.json:6: rules.events[0].rules: expected an object, got a list",
        ),
        (
            {"rules": {"events": [{"name": "A", "rules": {"properties": {"properties": 1}}}]}},
            "plan.json:8: rules.events[0].rules.properties.properties: expected an object, got 1",
        ),
        (
            {
                "rules": {
                    "events": [
                        {"name": "A", "rules": {"properties": {"properties": {"properties": [1]}}}}
                    ]
                }
            },
            "plan.json:9: rules.events[0].rules.properties.properties.properties: "
            "expected an object, got a list",
        ),
        (
            {"rules": {"identify": []}},
            "plan.json:3: rules.identify: expected an object, got a list",
        ),
        (
            {"rules": {"group": {"properties": {"traits": {"properties": "seats"}}}}},
            "plan.json:6: rules.group.properties.traits.properties: expected an object, got "
            '"seats"',
        ),
        ({"rules": [3]}, "plan.json:3: rules[0]: expected an object, got 3"),
        (
            {"rules": [{"type": "ALIAS", "key": "x"}]},
            "plan.json:4: rules[0].type: expected one of TRACK, PAGE, SCREEN, IDENTIFY, GROUP, "
            "COMMON, got 'ALIAS'",
        ),
        (
            {"rules": [{"type": ["TRACK"]}]},
            "plan.json:4: rules[0].type: expected one of TRACK, PAGE, SCREEN, IDENTIFY, GROUP, "
            "COMMON, got ['TRACK']",
        ),
        ({"rules": [{"key": "x"}]}, "plan.json:3: rules[0].type: expected one of TRACK,"),
        (
            {"rules": [{"type": "PAGE", "key": None}]},
            "plan.json:5: rules[0].key: expected the event name, got None",
        ),
        (
            {"rules": [{"type": "TRACK", "key": "A", "jsonSchema": "{}"}]},
            'plan.json:6: rules[0].jsonSchema: expected an object, got "{}"',
        ),
        ({"trackingPlan": []}, "plan.json:2: trackingPlan: expected an object, got a list"),
    ],
)
def test_structure_errors_name_the_json_path(tmp_path: Path, plan: object, expected: str) -> None:
    assert error(tmp_path, json.dumps(plan, indent=1)).startswith(expected)


@pytest.mark.parametrize(
    "plan",
    [{}, {"tracking_plans": []}, {"name": "x"}, 3, "rules", None],
)
def test_other_json_is_refused_with_the_supported_formats(tmp_path: Path, plan: object) -> None:
    assert error(tmp_path, json.dumps(plan)) == (
        "plan.json: not a Segment tracking plan (no 'rules' list or object, no 'events'); "
        "supported formats: the native TOML manifest (*.toml), a Glean metrics.yaml "
        "(*.yaml, *.yml), a Segment Protocols tracking plan (*.json)"
    )
