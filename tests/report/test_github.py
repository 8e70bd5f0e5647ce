"""``--format github``: workflow-command annotations that no path or message can subvert."""

from __future__ import annotations

import re

import pytest

from integrity_lint.report.github import render_github

from .factories import finding, report

_COMMAND = re.compile(r"^::(?P<command>\w+) (?P<properties>[^:]*)::(?P<message>.*)$")


def _unescape(value: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, raw)
    return value


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the runner reads it: command, properties, message."""
    match = _COMMAND.match(line)
    assert match, line
    properties = dict(item.split("=", 1) for item in match["properties"].split(","))
    return (
        match["command"],
        {key: _unescape(value) for key, value in properties.items()},
        _unescape(match["message"]),
    )


def test_one_line_finding_has_position_columns_and_title(catalog):
    item = finding(catalog, "SEC306")
    first, summary = render_github(report([item])).splitlines()
    assert first == (
        "::error file=app/store.py,line=4,col=12,endLine=4,endColumn=30,"
        "title=SEC306 (unsafe-deserialization)::"
        f"{item.message}%0A{item.help_uri}"
    )
    assert summary.startswith("Found 1 finding")


def test_multi_line_finding_has_end_line_and_no_columns(catalog):
    (line, _) = render_github(report([finding(catalog, line=4, end_line=7)])).splitlines()
    _, properties, _ = parse(line)
    assert properties["line"] == "4"
    assert properties["endLine"] == "7"
    assert "col" not in properties
    assert "endColumn" not in properties


@pytest.mark.parametrize(
    ("severity", "command"), [("error", "error"), ("warning", "warning"), ("info", "notice")]
)
def test_severity_maps_to_the_annotation_command(catalog, severity, command):
    (line, _) = render_github(report([finding(catalog, severity=severity)])).splitlines()
    assert parse(line)[0] == command


def test_no_path_or_message_can_inject_a_command(catalog):
    evil_path = "app/x\n::set-output name=x::y.py"
    evil_message = "100% sure:: ::warning::fake\r::stop-commands::token, a,b:c"
    findings = [
        finding(catalog, "SEC306", path=evil_path, message=evil_message),
        finding(catalog, "SEC307", path="a,b:c%0A.py", message="%0A::error::still data"),
    ]
    output = render_github(report(findings))
    commands = [line for line in output.splitlines() if line.startswith("::")]
    assert len(commands) == len(findings)
    assert not any(line.startswith("::set-output") for line in output.splitlines())
    parsed = {parse(line)[1]["file"]: parse(line) for line in commands}
    assert parsed[evil_path][2] == f"{evil_message}\n{findings[0].help_uri}"
    assert parsed["a,b:c%0A.py"][2].startswith("%0A::error::still data")
    assert "file=a%2Cb%3Ac%250A.py," in output


def test_suppressed_findings_are_not_annotated(catalog):
    output = render_github(report([], [finding(catalog, suppression="reviewed")]))
    assert not [line for line in output.splitlines() if line.startswith("::")]
    assert output == "No findings in 3 files, 1 suppressed.\n"
