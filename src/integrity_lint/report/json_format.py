"""``--format json``: the report as SPEC §8 defines it."""

from __future__ import annotations

from integrity_lint import __version__
from integrity_lint.report.characters import json_document
from integrity_lint.report.model import Report


def render_json(report: Report) -> str:
    document = {
        "tool": {"name": "integrity-lint", "version": __version__},
        "findings": [f.as_json() for f in report.findings],
        "suppressed": [f.as_json() for f in report.suppressed],
        "summary": {
            "files": report.files,
            "findings": len(report.findings),
            "by_severity": report.by_severity(),
            "by_pillar": report.by_pillar(),
        },
    }
    return json_document(document)
