from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from integrity_lint.manifest import Location, ManifestError, load_manifest, load_source

from .test_glean import TOOLKIT_EXAMPLE
from .test_segment import PUBLIC_RULES

NATIVE = """\
[telemetry]
sdks = ["segment", "sentry"]

[[event]]
name = "Signup Completed"
sdk = "segment"
"""

SUPPORTED = (
    "supported formats: the native TOML manifest (*.toml), a Glean metrics.yaml (*.yaml, *.yml), "
    "a Segment Protocols tracking plan (*.json)"
)


def write(root: Path, name: str, text: str) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "text", "sdk", "event"),
    [
        ("data-manifest.toml", NATIVE, "segment", "Signup Completed"),
        ("metrics.yaml", TOOLKIT_EXAMPLE, "glean", "account.signup_completed"),
        ("telemetry/metrics.yml", TOOLKIT_EXAMPLE, "glean", "account.signup_completed"),
        ("METRICS.YAML", TOOLKIT_EXAMPLE, "glean", "account.signup_completed"),
        ("tracking-plan.json", PUBLIC_RULES, "segment", "Add to Cart"),
    ],
)
def test_the_file_name_selects_the_importer(
    tmp_path: Path, name: str, text: str, sdk: str, event: str
) -> None:
    write(tmp_path, name, text)
    manifest = load_manifest((name,), tmp_path)
    assert sdk in manifest.sdks
    assert manifest.events[0].name == event
    assert manifest.events[0].location.path == name


@pytest.mark.parametrize(
    ("name", "suffix"),
    [("plan.txt", ".txt"), ("manifest", "files without a suffix"), ("metrics.yaml.bak", ".bak")],
)
def test_other_files_are_refused_with_the_supported_formats(
    tmp_path: Path, name: str, suffix: str
) -> None:
    write(tmp_path, name, NATIVE)
    with pytest.raises(ManifestError) as raised:
        load_manifest((name,), tmp_path)
    assert str(raised.value) == f"{name}: no manifest format is read from {suffix}; {SUPPORTED}"


@pytest.mark.parametrize(
    ("name", "text", "why"),
    [
        (
            "pings.yaml",
            "$schema: moz://mozilla.org/schemas/glean/pings/2-0-0\n"
            "search:\n  description: x\n  include_client_id: false\n",
            "this is a Glean pings.yaml, not a metrics.yaml",
        ),
        ("list.yml", "- a\n", "not a Glean metrics.yaml (a list, not a mapping)"),
        ("package.json", '{"name": "x"}', "not a Segment tracking plan"),
    ],
)
def test_content_that_is_not_the_format_is_refused(
    tmp_path: Path, name: str, text: str, why: str
) -> None:
    with pytest.raises(ManifestError) as raised:
        load_source(text, name)
    message = str(raised.value)
    assert message.startswith(f"{name}: {why}")
    assert message.endswith(SUPPORTED)


def test_sources_are_merged_in_order(tmp_path: Path) -> None:
    write(tmp_path, "data-manifest.toml", NATIVE)
    write(tmp_path, "telemetry/metrics.yaml", TOOLKIT_EXAMPLE)
    write(tmp_path, "plan.json", PUBLIC_RULES)
    manifest = load_manifest(
        ("data-manifest.toml", "telemetry/metrics.yaml", "plan.json"), tmp_path
    )
    assert manifest.sources == ["data-manifest.toml", "telemetry/metrics.yaml", "plan.json"]
    assert manifest.sdks == {
        "segment": Location("data-manifest.toml", 2),  # the first source to declare it
        "sentry": Location("data-manifest.toml", 2),
        "glean": Location("telemetry/metrics.yaml", 1),
    }
    assert [(e.location.path, e.name) for e in manifest.events] == [
        ("data-manifest.toml", "Signup Completed"),
        ("telemetry/metrics.yaml", "account.signup_completed"),
        ("plan.json", "Add to Cart"),
        ("plan.json", "identify"),
        ("plan.json", "group"),
        ("plan.json", "Pricing"),
        ("plan.json", "Settings"),
    ]


@pytest.mark.parametrize("again", ["plan.json", "./plan.json", "sub/../plan.json"])
def test_a_source_listed_twice_is_an_error(tmp_path: Path, again: str) -> None:
    write(tmp_path, "plan.json", PUBLIC_RULES)
    (tmp_path / "sub").mkdir()
    with pytest.raises(ManifestError) as raised:
        load_manifest(("plan.json", again), tmp_path)
    assert str(raised.value) == f"{again}: listed twice in 'manifest'"


def test_a_missing_source_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "data-manifest.toml", NATIVE)
    with pytest.raises(ManifestError) as raised:
        load_manifest(("data-manifest.toml", "telemetry/metrics.yaml"), tmp_path)
    assert str(raised.value) == "telemetry/metrics.yaml: manifest file not found"


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("data-manifest.toml", NATIVE, 4),
        ("metrics.yaml", TOOLKIT_EXAMPLE, 3),
        ("plan.json", PUBLIC_RULES, 11),
    ],
)
def test_a_byte_order_mark_is_not_content(tmp_path: Path, name: str, text: str, line: int) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8-sig")
    assert load_manifest((name,), tmp_path).events[0].location == Location(name, line)


def test_an_unreadable_source_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_bytes(b'{"rules": [\xff]}')
    with pytest.raises(ManifestError) as raised:
        load_manifest(("plan.json",), tmp_path)
    assert str(raised.value) == "plan.json:1:12: not UTF-8 text: byte 0xff cannot be decoded"


@pytest.fixture
def usual_recursion_limit() -> Iterator[None]:
    """The engine raises the (process-wide) limit for its deep-stack thread: use the default."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


@pytest.mark.usefixtures("usual_recursion_limit")
@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("plan.json", '{"rules": ' + "[" * 50_000 + "]" * 50_000 + "}"),
        ("metrics.yaml", "a: " + "[" * 50_000 + "]" * 50_000),
        ("data-manifest.toml", "a = " + "[" * 50_000 + "]" * 50_000),
    ],
)
def test_deep_nesting_is_a_manifest_error(name: str, text: str) -> None:
    with pytest.raises(ManifestError) as raised:
        load_source(text, name)
    assert str(raised.value) == f"{name}: nested too deeply to load"
