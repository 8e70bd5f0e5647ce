"""``--format gitlab``: a GitLab Code Quality report."""

from __future__ import annotations

import json

import pytest

from integrity_lint.report.gitlab import render_gitlab

from .factories import finding, report


def test_issue_has_the_fields_gitlab_reads(catalog):
    item = finding(catalog, "SEC307", line=8, end_line=10)
    (issue,) = json.loads(render_gitlab(report([item])))
    assert issue == {
        "description": f"SEC307: {item.message}",
        "check_name": "SEC307",
        "fingerprint": item.fingerprint,
        "severity": "critical",
        "location": {"path": "app/store.py", "lines": {"begin": 8, "end": 10}},
    }


@pytest.mark.parametrize(
    ("severity", "expected"), [("error", "critical"), ("warning", "major"), ("info", "minor")]
)
def test_severity_mapping(catalog, severity, expected):
    (issue,) = json.loads(render_gitlab(report([finding(catalog, severity=severity)])))
    assert issue["severity"] == expected


def test_identical_findings_get_unique_fingerprints_in_file_order(catalog):
    twins = [finding(catalog, line=line, end_line=line) for line in (30, 10, 20)]
    other = finding(catalog, "SEC307", line=15, end_line=15)
    issues = json.loads(render_gitlab(report([*twins, other])))
    by_line = {issue["location"]["lines"]["begin"]: issue["fingerprint"] for issue in issues}
    base = twins[0].fingerprint
    assert by_line == {10: base, 15: other.fingerprint, 20: f"{base}:2", 30: f"{base}:3"}


def test_suppressed_findings_are_left_out_and_an_empty_report_is_an_empty_array(catalog):
    assert render_gitlab(report([], [finding(catalog, suppression="ok")])) == "[]\n"
