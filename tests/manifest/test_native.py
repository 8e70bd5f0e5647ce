from __future__ import annotations

from pathlib import Path

import pytest

from integrity_lint.manifest import (
    EventDecl,
    FieldDecl,
    Location,
    Manifest,
    ManifestError,
    load_manifest,
)

MANIFEST = """\
# The product's declared data.
[telemetry]
sdks = ["segment", "sentry"]

[[event]]
name = "Signup Completed"
sdk = "segment"
kind = "track"
properties = ["plan", "referrer"]
purpose = "Measure the signup funnel"
owner = ["growth@example.org"]
review = ["https://example.org/data-review/42"]
sensitivity = "interaction"
expires = 2027-06-30

# a comment, and a blank line, between entries

  [[event]]
name = "identify"
kind = "identify"
properties = "plan"
expires = "never"

[[field]]
name = "email"
model = "accounts.models.User"
category = "contact.email"
sensitivity = "highly_sensitive"
purpose = "Account login and receipts"
owner = ["accounts@example.org"]
review = ["https://example.org/data-review/7"]
retention = "account lifetime + 30 days"
"""


def load(tmp_path: Path, text: str, name: str = "data-manifest.toml") -> Manifest:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return load_manifest((name,), tmp_path)


def error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ManifestError) as raised:
        load(tmp_path, text)
    return str(raised.value)


def test_events_fields_and_sdks(tmp_path: Path) -> None:
    manifest = load(tmp_path, MANIFEST)
    where = "data-manifest.toml"
    assert manifest.sources == [where]
    assert manifest.sdks == {"segment": Location(where, 3), "sentry": Location(where, 3)}
    assert manifest.events == [
        EventDecl(
            name="Signup Completed",
            location=Location(where, 5),
            sdk="segment",
            kind="track",
            properties=("plan", "referrer"),
            purpose="Measure the signup funnel",
            owner=("growth@example.org",),
            review=("https://example.org/data-review/42",),
            sensitivity=("interaction",),  # a string is a one-item list
            expires="2027-06-30",  # a TOML date, as ISO text
        ),
        EventDecl(
            name="identify",
            location=Location(where, 18),
            kind="identify",
            properties=("plan",),
            expires="never",
        ),
    ]
    assert manifest.fields == [
        FieldDecl(
            name="email",
            location=Location(where, 24),
            model="accounts.models.User",
            category="contact.email",
            sensitivity=("highly_sensitive",),
            purpose="Account login and receipts",
            owner=("accounts@example.org",),
            review=("https://example.org/data-review/7",),
            retention="account lifetime + 30 days",
        )
    ]


def test_an_empty_manifest_declares_nothing(tmp_path: Path) -> None:
    manifest = load(tmp_path, "# nothing yet\n")
    assert (manifest.sdks, manifest.events, manifest.fields) == ({}, [], [])


def test_a_toml_datetime_expiry_is_kept_as_iso_text(tmp_path: Path) -> None:
    manifest = load(tmp_path, '[[event]]\nname = "a"\nexpires = 2027-06-30T12:00:00\n')
    assert manifest.events[0].expires == "2027-06-30T12:00:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("evnt = 1\n", "data-manifest.toml:1: evnt: unknown key (did you mean 'event'?)"),
        ("\n[[evnt]]\nname = 'a'\n", "data-manifest.toml:2: evnt: unknown key (did you mean"),
        ("\n\n[zzz]\n", "data-manifest.toml:3: zzz: unknown key"),
        (
            "[telemetry]\nsdks = []\nsdk = ['segment']\n",
            "data-manifest.toml:3: telemetry.sdk: unknown key (did you mean 'sdks'?)",
        ),
        (
            "\ntelemetry.sdkz = ['segment']\n",
            "data-manifest.toml:2: telemetry.sdkz: unknown key (did you mean 'sdks'?)",
        ),
        (
            '[[event]]\nname = "a"\n\n[[event]]\nname = "b"\npropertes = ["x"]\n',
            "data-manifest.toml:6: event[1].propertes: unknown key (did you mean 'properties'?)",
        ),
        (
            '[[field]]\nname = "email"\nretension = "1 year"\n',
            "data-manifest.toml:3: field[0].retension: unknown key (did you mean 'retention'?)",
        ),
    ],
)
def test_unknown_keys(tmp_path: Path, text: str, expected: str) -> None:
    assert error(tmp_path, text).startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[telemetry]\n\nsdks = 'segment'\n",
            "data-manifest.toml:3: telemetry.sdks: expected a list of SDK ids",
        ),
        ("[telemetry]\nsdks = [1]\n", "data-manifest.toml:2: telemetry.sdks: expected a list"),
        ("\n\ntelemetry = 1\n", "data-manifest.toml:3: telemetry: expected a table"),
        ("\n[event]\nname = 'a'\n", "data-manifest.toml:2: event: expected [[event]] tables"),
        ("[[event]]\nname = 1\n", "data-manifest.toml:2: event[0].name: expected a string, got 1"),
        (
            '\n[[event]]\nname = "a"\nproperties = 3\n',
            "data-manifest.toml:4: event[0].properties: expected a list of strings, got 3",
        ),
        (
            '[[event]]\nname = "a"\nowner = ["a@example.org", 2]\n',
            "data-manifest.toml:3: event[0].owner: expected a list of strings, "
            "got ['a@example.org', 2]",
        ),
        (
            '[[event]]\nname = "a"\nexpires = 07:30:00\n',
            "data-manifest.toml:3: event[0].expires: expected a string, got datetime.time(7, 30)",
        ),
        (
            '[[field]]\nname = "email"\nretention = 30\n',
            "data-manifest.toml:3: field[0].retention: expected a string, got 30",
        ),
        ('[[event]]\nsdk = "segment"\n', "data-manifest.toml:1: event[0]: 'name' is required"),
        ("[[field]]\n", "data-manifest.toml:1: field[0]: 'name' is required"),
    ],
)
def test_wrong_types(tmp_path: Path, text: str, expected: str) -> None:
    assert error(tmp_path, text).startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\n\nname = \n", "data-manifest.toml:3:8: invalid TOML: Invalid value"),
        ("a = 1\na = 2\n", "data-manifest.toml:2:6: invalid TOML: Cannot overwrite a value"),
        ('a = 1\nb = "open\n', "data-manifest.toml:2:10: invalid TOML: "),
        ('a = 1\nb = """open', "data-manifest.toml:2: invalid TOML: Unterminated string"),
    ],
)
def test_invalid_toml_names_line_and_column(tmp_path: Path, text: str, expected: str) -> None:
    assert error(tmp_path, text).startswith(expected)
