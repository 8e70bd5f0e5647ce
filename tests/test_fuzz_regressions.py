"""Inputs the fuzz tests found that broke the run, kept as explicit cases."""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import libcst as cst
import pytest

from integrity_lint import inventory
from integrity_lint.engine import check_sources, lint_source
from integrity_lint.report.formats import FORMATS
from integrity_lint.resources import tomllib

from .conftest import run_cli
from .fuzzing import every_rule, example_sources, full_manifest
from .report.test_sarif import validate


@pytest.fixture
def undecodable(tmp_path: Path) -> Path:
    """A project whose one file's name is not valid UTF-8 (byte 0xFF)."""
    if sys.platform == "darwin":
        pytest.skip("macOS file systems refuse names that are not UTF-8")
    (tmp_path / "integrity-lint.toml").write_text("")
    name = os.fsdecode(b"bad\xffname.py")
    (tmp_path / name).write_text("import pickle\npickle.loads(data)\n")
    return tmp_path


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_undecodable_file_name_is_reported_in_every_format(undecodable: Path, fmt: str):
    # It crashed while hashing the fingerprint, then while printing or writing the report.
    # The name's byte is shown as \xff (discovery writes it so); each report is still valid.
    result = run_cli("check", "--no-cache", "--format", fmt, "--output", "out", cwd=undecodable)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    data = (undecodable / "out").read_bytes()
    text = data.decode("utf-8")  # the report is valid UTF-8
    shown = "bad\\xffname.py"
    if fmt in ("json", "sarif", "gitlab"):
        document = json.loads(text)
        if fmt == "json":
            assert document["findings"][0]["path"] == shown
        elif fmt == "gitlab":
            assert document[0]["location"]["path"] == shown
        else:
            validate(document)
            location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
            assert location["artifactLocation"]["uri"] == "bad%5Cxffname.py"
    elif fmt == "junit":
        assert ET.fromstring(data).find("testsuite/testcase").get("file") == shown
    elif fmt == "text":
        # Without the terminal's colours in a file.
        assert text.startswith(f"{shown}:2:1: SEC306 [error]")
    else:
        assert shown in text


def test_an_undecodable_file_name_prints_to_stdout(undecodable: Path):
    result = run_cli("check", "--no-cache", "--format", "json", cwd=undecodable)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["summary"]["findings"] == 1


# Literals libcst parses but Python's compiler rejects; evaluating them raised in most checks
# (INT006) and, in the telemetry collector's prescan, out of the run.
INVALID_STRINGS = ('"\\N{NOPE}"', 'b"caf\u00e9"', '"\\x4"')
HUGE_INTEGER = "1" * 5000  # past the 4300 digits `int` converts


class _Replace(cst.CSTTransformer):
    def __init__(self, strings: str | None, numbers: str | None) -> None:
        self.strings, self.numbers = strings, numbers

    def leave_SimpleString(
        self, original: cst.SimpleString, updated: cst.SimpleString
    ) -> cst.BaseExpression:
        return cst.parse_expression(self.strings) if self.strings else updated

    def leave_Integer(self, original: cst.Integer, updated: cst.Integer) -> cst.BaseExpression:
        return cst.Integer(self.numbers) if self.numbers else updated

    def leave_Float(self, original: cst.Float, updated: cst.Float) -> cst.BaseExpression:
        return cst.Integer(self.numbers) if self.numbers else updated


@pytest.mark.parametrize(
    ("strings", "numbers"),
    [*((s, None) for s in INVALID_STRINGS), (None, HUGE_INTEGER)],
    ids=["unknown-name-escape", "non-ascii-bytes", "short-hex-escape", "huge-integer"],
)
def test_literals_python_rejects_in_every_rule_example(strings, numbers):
    for source in example_sources():
        changed = cst.parse_module(source).visit(_Replace(strings, numbers)).code
        report = lint_source(changed, "app/views.py", every_rule(), full_manifest(), True)
        failed = [f.message for f in report.findings if f.code == "INT006"]
        assert not failed, (changed, failed)


@pytest.mark.parametrize(
    "source",
    [
        'import segment.analytics as analytics\nSIGNUP = "\\N{NOPE}"\n',
        'import segment.analytics as analytics\nclass Events:\n    SIGNUP = b"caf\u00e9"\n',
        f"import time\nwhile True:\n    time.sleep({HUGE_INTEGER})\n",
        f"import sentry_sdk\nsentry_sdk.init(traces_sample_rate=-{HUGE_INTEGER})\n",
        "from django.db import models\nclass Person(models.Model):\n"
        f"    first_name = models.CharField(max_length={HUGE_INTEGER})\n",
    ],
    ids=["module-constant", "class-constant", "sleep", "negative-rate", "max-length"],
)
def test_minimal_programs_with_rejected_literals(source):
    report = lint_source(source, "app/views.py", every_rule(True), full_manifest(), True)
    assert not [f.message for f in report.findings if f.code == "INT006"]


def test_a_fault_outside_the_checks_is_int006_for_that_file_and_the_run_goes_on(monkeypatch):
    # The telemetry prescan raised out of the whole run on "\N{NOPE}"; any such fault in the
    # per-file pass (a prescan, building a fix) is now that file's INT006.
    from integrity_lint.analysis.imports import ImportTracker

    def failing(self: ImportTracker, module: cst.Module) -> None:
        raise KeyError("planted")

    monkeypatch.setattr(ImportTracker, "prescan", failing)
    sources = [("a.py", b"import pickle\npickle.loads(x)\n"), ("b.py", b"x = (\n")]
    report = check_sources(sources, every_rule(), full_manifest())
    found = {(f.path, f.code) for f in report.findings if f.path.endswith(".py")}
    assert found == {("a.py", "INT006"), ("b.py", "INT001")}  # b.py does not parse: no prescan
    (failed,) = [f for f in report.findings if f.code == "INT006"]
    assert "KeyError: 'planted'" in failed.message


def test_inventory_keeps_hostile_event_and_file_names_in_their_place():
    # A line break in an event name split the markdown table (its tail became a heading),
    # a path could open an HTML comment outside any code span, the TOML draft wrote a raw
    # DEL (invalid TOML), and a file name with a line break ended the draft's comment.
    source = (
        "import segment.analytics as analytics\n"
        "analytics.track(user.id, 'x | y\\n## heading', {'k\\x7f': 1})\n"
    )
    path = "app/<!--\n[[event]]\nname = 'injected'\n.py"
    report = lint_source(source, path, every_rule(), full_manifest(), True)
    entries = inventory.build(report.sites)
    table = inventory.render_markdown(entries)
    assert "\n## heading" not in table
    (row,) = [line for line in table.split("\n") if line.startswith("| `")]
    assert row.startswith("| `x \\| y ## heading` | track |")
    assert row.endswith("| `app/<!-- [[event]] name = 'injected' .py:2` |")
    draft = tomllib.loads(inventory.render_toml(entries, None))
    assert [(e["name"], e["properties"]) for e in draft["event"]] == [
        ("x | y\n## heading", ["k\x7f"])
    ]
