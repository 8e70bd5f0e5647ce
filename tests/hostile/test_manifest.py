"""Bad data manifests (SPEC §5): invalid TOML, YAML and JSON, unknown keys, wrong types,
duplicate events, missing and unreadable sources. Each stops the run with exit 2 and one line
naming the file, the line and, where there is one, the key. The manifest format has no
includes, so there is no circular reference to test."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import check, project_with

SDKS = '[telemetry]\nsdks = ["segment"]\n\n'  # lines 1-3 of every native case
GLEAN = "$schema: moz://mozilla.org/schemas/glean/metrics/2-0-0\n"
EVENT = '[[event]]\nname = "Signed Up"\nsdk = "segment"\n'

NATIVE = {
    "unterminated-string": (SDKS + '[[event]]\nname = "x\n', "5:10: invalid TOML:"),
    "unknown-top-level-key": ("events = 1\n" + SDKS, "1: events: unknown key (did you mean"),
    "unknown-telemetry-key": ("[telemetry]\nsdk = []\n", "2: telemetry.sdk: unknown key"),
    "telemetry-not-a-table": ("telemetry = 1\n", "1: telemetry: expected a table"),
    "unknown-sdk-id": (
        '[telemetry]\nsdks = ["segment", "segmnet"]\n',
        "2: telemetry.sdks: unknown SDK id 'segmnet' (did you mean 'segment'?); the ids are",
    ),
    "unknown-event-sdk": (
        SDKS + '[[event]]\nname = "a"\nsdk = "posthg"\n',
        "6: event[0].sdk: unknown SDK id 'posthg' (did you mean 'posthog'?)",
    ),
    "sdks-string": ('[telemetry]\nsdks = "segment"\n', "2: telemetry.sdks: expected a list"),
    "unknown-event-key": (
        SDKS + EVENT + 'purpse = "x"\n',
        "7: event[0].purpse: unknown key (did you mean 'purpose'?)",
    ),
    "properties-numbers": (
        SDKS + EVENT + "properties = [1]\n",
        "7: event[0].properties: expected a list of strings, got [1]",
    ),
    "name-number": (SDKS + "[[event]]\nname = 1\n", "5: event[0].name: expected a string"),
    "expires-number": (SDKS + EVENT + "expires = 2027\n", "7: event[0].expires: expected a"),
    "expires-time": (SDKS + EVENT + "expires = 12:00:00\n", "7: event[0].expires: expected"),
    "event-table-not-array": (SDKS + '[event]\nname = "a"\n', "4: event: expected [[event]]"),
    "event-without-name": (SDKS + '[[event]]\nsdk = "segment"\n', "4: event[0]: 'name' is"),
    "unknown-kind": (
        SDKS + EVENT + 'kind = "trak"\n',
        "7: event[0].kind: expected one of track, identify, group, page, profile, metric, "
        "span, context, got 'trak' (did you mean 'track'?)",
    ),
    "duplicate-event": (
        SDKS + EVENT + "\n" + EVENT,
        "8: event 'Signed Up' is declared twice (first at line 4): merge the two entries",
    ),
    "duplicate-field": (
        '[[field]]\nname = "email"\n\n[[field]]\nname = "email"\n',
        "4: field 'email' is declared twice (first at line 1)",
    ),
    "second-field-unknown-key": (
        '[[field]]\nname = "a"\n\n[[field]]\nname = "b"\nretain = "x"\n',
        "6: field[1].retain: unknown key",
    ),
    "duplicate-key": (SDKS + EVENT + 'name = "again"\n', "7:"),
    "nul-byte": ("a = 1\x00\n", "1:6: invalid TOML:"),
}
GLEAN_CASES = {
    "unclosed-flow": (GLEAN + "a: [\n", "3:1: invalid YAML:"),
    "tab-indent": (GLEAN + "a:\n\tb: 1\n", "3:1: invalid YAML:"),
    "unknown-parameter": (
        GLEAN + "cat:\n  m:\n    type: event\n    bogus: 1\n",
        "5: cat.m.bogus: unknown metric parameter",
    ),
    "type-number": (GLEAN + "cat:\n  m:\n    type: 3\n", "4: cat.m.type: expected a string"),
    "duplicate-metric": (
        GLEAN + "cat:\n  m:\n    type: event\n  m:\n    type: event\n",
        "5: cat.m: duplicate key",
    ),
    "extra-keys-list": (
        GLEAN + "cat:\n  m:\n    type: event\n    extra_keys: [1]\n",
        "5: cat.m.extra_keys: expected a mapping",
    ),
    "python-tag": (
        GLEAN + "cat: !!python/object/apply:os.system ['echo pwned']\n",
        "2: cat: a category maps metric names to metrics",
    ),
    "recursive-alias": (GLEAN + "cat: &x\n  m: *x\n", "3: cat.m.m: unknown metric parameter"),
    "not-glean": ("a: 1\n", "not a Glean metrics.yaml"),
}
SEGMENT = {
    "unclosed": ('{"rules": {"events": [}\n', "1:23: invalid JSON: Expecting value"),
    "name-number": (
        '{"rules": {"events": [\n  {"name": 3}\n]}}',
        "2: rules.events[0].name: expected the event name, got 3",
    ),
    "schema-list": (
        '{"rules": [{"type": "TRACK", "key": "a", "jsonSchema": []}]}',
        "1: rules[0].jsonSchema: expected an object, got a list",
    ),
    "unknown-type": ('{"rules": [{"type": "BOGUS"}]}', "1: rules[0].type: expected one of"),
    "nan": ('{"rules": {"events": [{"name": NaN}]}}', "1: rules.events[0].name: expected"),
    "nested-100000-deep": ("[" * 100_000 + "]" * 100_000, "nested too deeply to load"),
    "not-a-plan": ("[1, 2]", "1: [0]: expected an object, got 1"),
}


def _cases() -> list[tuple[str, str, str]]:
    return [
        *(("data-manifest.toml", text, where) for text, where in NATIVE.values()),
        *(("metrics.yaml", text, where) for text, where in GLEAN_CASES.values()),
        *(("plan.json", text, where) for text, where in SEGMENT.values()),
    ]


@pytest.mark.parametrize(("name", "text", "where"), _cases(), ids=[*NATIVE, *GLEAN_CASES, *SEGMENT])
def test_bad_manifest_is_one_line_naming_file_line_and_key(
    tmp_path: Path, name: str, text: str, where: str
) -> None:
    config = f'manifest = ["{name}"]\n'
    root = project_with(tmp_path, {"integrity-lint.toml": config, name: text})
    message = check(root).error_line()
    assert message.startswith(f"{name}:"), message
    assert where in message, message


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"[telemetry]\n\xff = 1\n", "data-manifest.toml:2:1: not UTF-8 text: byte 0xff"),
        (b"\x89PNG\r\n\x1a\n", "data-manifest.toml:1:1: not UTF-8 text: byte 0x89"),
    ],
    ids=["latin-1", "binary"],
)
def test_a_manifest_that_is_not_text_is_an_error(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    config = 'manifest = ["data-manifest.toml"]\n'
    root = project_with(tmp_path, {"integrity-lint.toml": config, "data-manifest.toml": content})
    assert check(root).error_line() == f"{problem} cannot be decoded"


def test_a_missing_or_unreadable_source_is_an_error(tmp_path: Path) -> None:
    config = 'manifest = ["gone.toml", "folder.toml", "dangling.toml"]\n'
    root = project_with(tmp_path, {"integrity-lint.toml": config, "folder.toml/x": ""})
    assert check(root).error_line() == "gone.toml: manifest file not found"
    (root / "integrity-lint.toml").write_text('manifest = ["folder.toml"]\n')
    assert check(root).error_line() == "folder.toml: cannot read manifest: Is a directory"
    (root / "dangling.toml").symlink_to(root / "nowhere.toml")
    (root / "integrity-lint.toml").write_text('manifest = ["dangling.toml"]\n')
    assert check(root).error_line() == "dangling.toml: manifest file not found"


def test_an_unsupported_format_is_an_error_listing_the_formats(tmp_path: Path) -> None:
    config = 'manifest = ["events.csv"]\n'
    root = project_with(tmp_path, {"integrity-lint.toml": config, "events.csv": "a,b\n"})
    message = check(root).error_line()
    assert message.startswith("events.csv: no manifest format is read from .csv; supported")


def test_a_manifest_outside_the_project_is_read_and_its_findings_point_there(
    tmp_path: Path,
) -> None:
    """Allowed: a monorepo's projects can share one manifest above them. Its findings are
    reported at their path relative to the project root."""
    (tmp_path / "shared.toml").write_text(SDKS + EVENT)
    code = b'import analytics\n\nanalytics.track("u1", "Signed Up", {})\n'
    config = 'manifest = ["../shared.toml"]\nselect = ["PRV"]\n'
    root = project_with(tmp_path, {"integrity-lint.toml": config, "app.py": code})
    run = check(root)
    assert run.code == 1
    assert {(f["path"], f["code"]) for f in run.report["findings"]} == {
        ("../shared.toml", "PRV602")
    }
