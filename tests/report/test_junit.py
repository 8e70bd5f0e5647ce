"""``--format junit``: well-formed JUnit XML, a test case per file, a failure per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from integrity_lint.report.junit import render_junit

from .factories import finding, report


def test_one_suite_a_case_per_file_and_a_failure_per_finding(catalog):
    findings = [
        finding(catalog, "SEC306", path="b.py", line=3),
        finding(catalog, "SEC307", path="a.py", line=9),
        finding(catalog, "INC501", path="a.py", line=2, severity="info"),
    ]
    output = render_junit(report(findings, files=5))
    assert output.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(output)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "3", "0")
    assert (root.get("tests"), root.get("failures")) == ("2", "3")
    assert suite.find("properties/property[@name='files']").get("value") == "5"
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == ["a.py", "b.py"]
    assert [f.get("type") for f in cases[0].findall("failure")] == ["INC501", "SEC307"]
    failure = cases[1].find("failure")
    assert failure.get("message") == f"SEC306 {findings[0].message}"
    assert failure.text.startswith("b.py:3:12: SEC306 [error] ")
    assert failure.text.endswith(findings[0].help_uri)


def test_any_path_or_message_gives_well_formed_xml(catalog):
    path = 'we<ird>&"path\x00\x1b\udcff\ufffe.py'
    message = "close ]]> and <tag attr='x'> & \x0b\x08 keep\ttab é 🙂"
    output = render_junit(report([finding(catalog, path=path, message=message)]))
    root = ET.fromstring(output.encode("utf-8"))
    case = root.find("testsuite/testcase")
    assert case.get("name") == case.get("file") == 'we<ird>&"path.py'
    failure = case.find("failure")
    assert failure.get("message") == "SEC306 close ]]> and <tag attr='x'> &  keep\ttab é 🙂"
    assert "<tag attr='x'>" in failure.text


def test_suppressed_findings_are_not_failures(catalog):
    root = ET.fromstring(render_junit(report([], [finding(catalog, suppression="ok")], files=2)))
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("0", "0")
    assert suite.findall("testcase") == []
