"""``--format gitlab``: a GitLab Code Quality report (``artifacts:reports:codequality``).

Severities: error → ``critical``, warning → ``major``, info → ``minor``. Our three levels keep
their order in the middle of GitLab's five; ``blocker`` stays free because nothing here ranks
above error, and ``info`` because our info findings are still problems to fix.

GitLab shows only the first issue of each fingerprint, and identical findings (same rule,
file, scope and code text) share our fingerprint. The first of them, in file order, keeps it;
the N-th gets ``<fingerprint>:N``, so fingerprints are unique and still stable across edits.
Suppressed findings are left out: GitLab has no notion of a suppressed issue.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from integrity_lint.report.characters import json_document
from integrity_lint.report.model import Finding, Report

SEVERITIES = {"error": "critical", "warning": "major", "info": "minor"}


def render_gitlab(report: Report) -> str:
    seen: Counter[str] = Counter()
    issues = []
    for finding in sorted(report.findings, key=lambda f: (*f.sort_key, f.message)):
        seen[finding.fingerprint] += 1
        issues.append(_issue(finding, seen[finding.fingerprint]))
    return json_document(issues)


def _issue(finding: Finding, occurrence: int) -> dict[str, Any]:
    fingerprint = finding.fingerprint
    if occurrence > 1:
        fingerprint += f":{occurrence}"
    return {
        "description": f"{finding.code}: {finding.message}",
        "check_name": finding.code,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[finding.severity],
        "location": {
            "path": finding.path,
            "lines": {"begin": finding.line, "end": finding.end_line},
        },
    }
