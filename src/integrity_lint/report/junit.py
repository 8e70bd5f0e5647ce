"""``--format junit``: JUnit XML for CI systems that show test reports.

One ``testsuite``; one ``testcase`` per file with findings, one ``failure`` per finding. The
report knows how many files were checked but not which, so files without findings cannot be
listed as passing test cases; the count is kept as the ``files`` property. Suppressed
findings are not failures and are left out.

ElementTree escapes markup, but XML 1.0 cannot carry some characters at all, even escaped
(most C0 controls, lone surrogates from undecodable file names, U+FFFE/U+FFFF): they are
removed so that the document is well-formed whatever a path or message contains.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from integrity_lint.report.model import Finding, Report

SUITE = "integrity-lint"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render_junit(report: Report) -> str:
    findings = sorted(report.findings, key=lambda f: (*f.sort_key, f.message))
    counts = {"tests": str(len({f.path for f in findings})), "failures": str(len(findings))}
    root = ET.Element("testsuites", name=SUITE, **counts, errors="0")
    suite = ET.SubElement(root, "testsuite", name=SUITE, **counts, errors="0", skipped="0")
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="files", value=str(report.files))
    for path, group in groupby(findings, key=lambda f: f.path):
        case = ET.SubElement(suite, "testcase", name=xml_text(path), classname=SUITE)
        case.set("file", xml_text(path))
        for finding in group:
            _failure(case, finding)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _failure(case: ET.Element, finding: Finding) -> None:
    failure = ET.SubElement(
        case,
        "failure",
        message=xml_text(f"{finding.code} {finding.message}"),
        type=finding.code,
    )
    failure.text = xml_text(
        f"{finding.path}:{finding.line}:{finding.column}: {finding.code} "
        f"[{finding.severity}] {finding.message}\n{finding.help_uri}"
    )


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot represent."""
    return _NOT_XML.sub("", value)
