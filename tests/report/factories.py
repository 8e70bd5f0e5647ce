"""Findings and reports built directly, the way every formatter receives them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from integrity_lint.catalog import Catalog
from integrity_lint.report.model import Finding, Report


def finding(catalog: Catalog, code: str = "SEC306", **overrides: Any) -> Finding:
    """A finding of rule ``code`` at ``app/store.py:4:12``, with the catalog's metadata."""
    rule = catalog.get(code)
    assert rule is not None, code
    base = Finding(
        code=rule.code,
        name=rule.name,
        pillar=rule.pillar,
        severity=rule.severity,
        path="app/store.py",
        line=4,
        column=12,
        end_line=4,
        end_column=30,
        message="`pickle.loads` can run arbitrary code hidden in the data it reads",
        fingerprint=f"{rule.code.lower()}0123456789abcdef",
        help_uri=rule.help_uri,
    )
    return replace(base, **overrides)


def report(
    findings: list[Finding], suppressed: list[Finding] | None = None, files: int = 3
) -> Report:
    built = Report(findings=list(findings), suppressed=list(suppressed or []), files=files)
    built.sort()
    return built
