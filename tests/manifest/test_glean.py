from __future__ import annotations

from pathlib import Path

import pytest

from integrity_lint.manifest import EventDecl, Location, Manifest, ManifestError, load_manifest
from integrity_lint.manifest.glean import load_glean

HEADER = "$schema: moz://mozilla.org/schemas/glean/metrics/2-0-0\n"

# The example of reference/toolkit.md §5.1, as written there.
TOOLKIT_EXAMPLE = """\
$schema: moz://mozilla.org/schemas/glean/metrics/2-0-0
account:
  signup_completed:
    type: event
    description: Sent when a signup finishes.
    bugs: [https://example.org/issue/1]
    data_reviews: [https://example.org/review/1]
    notification_emails: [team@example.org]
    expires: 2026-06-30
    data_sensitivity: [interaction]
    extra_keys:
      plan: {description: Chosen plan, type: string}
"""


def load(tmp_path: Path, text: str, name: str = "metrics.yaml") -> Manifest:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return load_manifest((name,), tmp_path)


def error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ManifestError) as raised:
        load(tmp_path, text)
    return str(raised.value)


def test_toolkit_example(tmp_path: Path) -> None:
    manifest = load(tmp_path, TOOLKIT_EXAMPLE)
    assert manifest.sources == ["metrics.yaml"]
    assert manifest.sdks == {"glean": Location("metrics.yaml", 1)}
    assert manifest.events == [
        EventDecl(
            name="account.signup_completed",
            location=Location("metrics.yaml", 3),
            sdk="glean",
            kind="metric",
            properties=("plan",),
            purpose="Sent when a signup finishes.",
            owner=("team@example.org",),
            review=("https://example.org/review/1",),
            sensitivity=("interaction",),
            expires="2026-06-30",  # text, not a YAML date
            source="glean",
        )
    ]
    assert manifest.fields == []


def test_every_metric_is_an_event_named_as_code_reaches_it(tmp_path: Path) -> None:
    manifest = load(
        tmp_path,
        HEADER
        + """\
$tags: [Frontend]
no_lint: [COMMON_PREFIX]

browser.ui:  # a dotted category stays as it is
  tab_count:
    type: counter
    description: |
      Open tabs.
    lifetime: application
    send_in_pings: [metrics]
    bugs: [https://example.org/1]
    data_reviews: []
    notification_emails: [a@example.org, b@example.org]
    disabled: false
    version: 2
    unit: tabs
    metadata: {tags: [Frontend]}
    no_lint: [UNIT_IN_NAME]
    expires: 130
    data_sensitivity: [technical, web_activity]

search:
  engine:
    type: labeled_string
    description: Engine by source.
    labels: [urlbar, contextmenu]
    time_unit: day
    in_session: true
    expires: never
  used:
    type: event
    description: A search was made.
    expires: expired
    extra_keys:
      engine: {description: Which, type: string}
      position: {description: Where, type: quantity}
""",
    )
    assert [(e.name, e.location.line) for e in manifest.events] == [
        ("browser.ui.tab_count", 6),
        ("search.engine", 24),
        ("search.used", 31),
    ]
    tab_count, engine, used = manifest.events
    assert tab_count.purpose == "Open tabs.\n"
    assert tab_count.owner == ("a@example.org", "b@example.org")
    assert tab_count.review == ()
    assert tab_count.expires == "130"  # a major version, kept as text
    assert tab_count.sensitivity == ("technical", "stored_content")  # the former name, mapped
    assert tab_count.properties == ()
    assert (engine.expires, engine.properties, engine.owner) == ("never", (), ())
    assert (used.expires, used.properties) == ("expired", ("engine", "position"))
    assert {e.sdk for e in manifest.events} == {"glean"}
    assert {e.kind for e in manifest.events} == {"metric"}


def test_anchors_and_merge_keys(tmp_path: Path) -> None:
    manifest = load(
        tmp_path,
        HEADER
        + """\
ui:
  opened: &defaults
    type: event
    notification_emails: [team@example.org]
    expires: never
    description: Opened.
  closed:
    <<: *defaults
    expires: 2027-01-01
""",
    )
    opened, closed = manifest.events
    assert (opened.name, opened.location.line, opened.expires) == ("ui.opened", 3, "never")
    assert (closed.name, closed.location.line) == ("ui.closed", 8)
    assert closed.owner == ("team@example.org",) and closed.purpose == "Opened."
    assert closed.expires == "2027-01-01"  # its own key wins over the merged one


def test_path_names_the_file_in_locations(tmp_path: Path) -> None:
    manifest = load_glean(TOOLKIT_EXAMPLE, "telemetry/metrics.yaml")
    assert manifest.sdks["glean"] == Location("telemetry/metrics.yaml", 1)
    assert manifest.events[0].location == Location("telemetry/metrics.yaml", 3)


def test_only_safe_yaml_is_loaded(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    message = error(
        tmp_path,
        f"{HEADER}a:\n  b:\n    type: event\n"
        f"    description: !!python/object/apply:os.mkdir ['{target}']\n",
    )
    assert message.startswith("metrics.yaml:5:")
    assert "invalid YAML" in message and "python/object/apply" in message
    assert not target.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEADER + "a:\n  b:\n    type: [event\n",
            "metrics.yaml:5:1: invalid YAML: while parsing a flow sequence (line 4), expected ','",
        ),
        (
            HEADER + "a:\n  b: 1\n c: 2\n",
            "metrics.yaml:4:2: invalid YAML: while parsing a block mapping (line 1), expected",
        ),
        (
            HEADER + "a: 1\n---\nb: 2\n",
            "metrics.yaml:3:1: invalid YAML: expected a single document in the stream",
        ),
        (
            HEADER + "a:\n  b: \0\n",
            "metrics.yaml:3: invalid YAML: character #x0000: special characters are not allowed",
        ),
    ],
)
def test_invalid_yaml_names_its_line(tmp_path: Path, text: str, expected: str) -> None:
    assert error(tmp_path, text).startswith(expected)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("account: 3\n", "metrics.yaml:2: account: a category maps metric names to metrics, got 3"),
        ("account: [a, b]\n", "metrics.yaml:2: account: a category maps metric names"),
        (
            "account:\n  signup: event\n",
            "metrics.yaml:3: account.signup: a metric maps its parameters to values, got 'event'",
        ),
        (
            "account:\n  signup:\n    description: x\n",
            "metrics.yaml:3: account.signup: 'type' is required",
        ),
        (
            "account:\n  signup:\n    type: evnt\n",
            "metrics.yaml:4: account.signup.type: unknown metric type (did you mean 'event'?)",
        ),
        (
            "account:\n  signup:\n    type: 3\n",
            "metrics.yaml:4: account.signup.type: expected a string, got 3",
        ),
        (
            "account:\n  signup:\n    type: event\n    notification_email: [a@example.org]\n",
            "metrics.yaml:5: account.signup.notification_email: unknown metric parameter "
            "(did you mean 'notification_emails'?)",
        ),
        (
            "account:\n  signup:\n    type: event\n    owner: [a@example.org]\n",
            "metrics.yaml:5: account.signup.owner: unknown metric parameter",
        ),
        (
            "account:\n  signup:\n    type: event\n    bugs: https://example.org/1\n",
            "metrics.yaml:5: account.signup.bugs: expected a list of strings, "
            "got 'https://example.org/1'",
        ),
        (
            "account:\n  signup:\n    type: event\n    bugs: [1234]\n",
            "metrics.yaml:5: account.signup.bugs: expected a list of strings, got [1234]",
        ),
        (
            "account:\n  signup:\n    type: event\n    data_sensitivity: interaction\n",
            "metrics.yaml:5: account.signup.data_sensitivity: expected a list of strings",
        ),
        (
            "account:\n  signup:\n    type: event\n    notification_emails: {a: b}\n",
            "metrics.yaml:5: account.signup.notification_emails: expected a list of strings",
        ),
        (
            "account:\n  signup:\n    type: labeled_counter\n    labels: urlbar\n",
            "metrics.yaml:5: account.signup.labels: expected a list of strings, got 'urlbar'",
        ),
        (
            "account:\n  signup:\n    type: event\n    description: [a]\n",
            "metrics.yaml:5: account.signup.description: expected a string, got a list",
        ),
        (
            "account:\n  signup:\n    type: event\n    expires: true\n",
            "metrics.yaml:5: account.signup.expires: expected a date, 'never', 'expired' or a "
            "version, got True",
        ),
        (
            "account:\n  signup:\n    type: event\n    extra_keys: [plan]\n",
            "metrics.yaml:5: account.signup.extra_keys: expected a mapping, got a list",
        ),
        (
            "account:\n  signup:\n    type: event\n    metadata: Frontend\n",
            "metrics.yaml:5: account.signup.metadata: expected a mapping, got 'Frontend'",
        ),
        (
            "account:\n  signup:\n    type: event\n  signup:\n    type: counter\n",
            "metrics.yaml:5: account.signup: duplicate key",
        ),
        (
            "account:\n  a:\n    type: event\naccount:\n  b:\n    type: event\n",
            "metrics.yaml:5: account: duplicate key",
        ),
        (
            "account:\n  signup:\n    type: event\n    type: counter\n",
            "metrics.yaml:5: account.signup.type: duplicate key",
        ),
        (
            "account:\n  ? [a, b]\n  : {type: event}\n",
            "metrics.yaml:3: account: keys must be names",
        ),
    ],
)
def test_load_errors_name_file_line_and_key(tmp_path: Path, body: str, expected: str) -> None:
    assert error(tmp_path, HEADER + body).startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "not a Glean metrics.yaml (an empty document, not a mapping)"),
        ("- a\n- b\n", "not a Glean metrics.yaml (a list, not a mapping)"),
        ("just text\n", "not a Glean metrics.yaml ('just text', not a mapping)"),
        (
            "version: rudder/v1\nkind: tracking-plan\n",
            "not a Glean metrics.yaml (it has no '$schema: "
            "moz://mozilla.org/schemas/glean/metrics/2-0-0')",
        ),
        (
            "$schema: moz://mozilla.org/schemas/glean/pings/2-0-0\n"
            "search:\n  description: x\n  include_client_id: false\n",
            "this is a Glean pings.yaml, not a metrics.yaml",
        ),
        (
            "$schema: moz://mozilla.org/schemas/glean/tags/1-0-0\n",
            "this is a Glean tags.yaml, not a metrics.yaml",
        ),
        (
            "$schema: http://json-schema.org/draft-07/schema#\n",
            "$schema 'http://json-schema.org/draft-07/schema#' is not a Glean metrics schema",
        ),
    ],
)
def test_other_yaml_is_refused_with_the_supported_formats(
    tmp_path: Path, text: str, expected: str
) -> None:
    message = error(tmp_path, text)
    assert message.startswith(f"metrics.yaml: {expected}; supported formats: ")
    assert "*.toml" in message and "metrics.yaml" in message and "*.json" in message


def test_schema_version_and_type_are_checked(tmp_path: Path) -> None:
    old = "$schema: moz://mozilla.org/schemas/glean/metrics/1-0-0\n"
    assert error(tmp_path, old) == (
        "metrics.yaml:1: $schema: Glean metrics schema '1-0-0' is not 2-0-0"
    )
    assert error(tmp_path, "$schema: [a]\n") == (
        "metrics.yaml:1: $schema: expected a schema URL, got a list"
    )
