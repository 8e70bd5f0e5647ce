"""The one report model every formatter reads."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from integrity_lint.analysis.facts import CheckedField, CheckedSite
from integrity_lint.catalog import SEVERITIES


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    pillar: str
    severity: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    fingerprint: str
    help_uri: str
    fix: dict[str, Any] | None = None
    suppression: str | None = None  # the reason, for suppressed findings

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def as_json(self) -> dict[str, Any]:
        data = {
            "code": self.code,
            "name": self.name,
            "pillar": self.pillar,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
            "fingerprint": self.fingerprint,
            "fix": self.fix,
            "help_uri": self.help_uri,
        }
        if self.suppression is not None:
            data["reason"] = self.suppression
        return data


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    files: int = 0
    baselined: int = 0  # findings hidden by the baseline
    sites: list[CheckedSite] = field(default_factory=list)  # the telemetry inventory
    base_sites: list[CheckedSite] | None = None  # with --diff-base: the inventory at the base
    fields: list[CheckedField] = field(default_factory=list)  # personal data stored or collected

    def sort(self) -> None:
        self.findings.sort(key=lambda f: f.sort_key)
        self.suppressed.sort(key=lambda f: f.sort_key)

    def by_severity(self) -> dict[str, int]:
        counts = Counter(f.severity for f in self.findings)
        return {s: counts[s] for s in reversed(SEVERITIES) if counts[s]}

    def by_pillar(self) -> dict[str, int]:
        return dict(sorted(Counter(f.pillar for f in self.findings).items()))

    def by_code(self) -> dict[str, int]:
        return dict(sorted(Counter(f.code for f in self.findings).items()))

    def failing(self, fail_on: str) -> list[Finding]:
        """Findings at or above the ``fail-on`` severity."""
        threshold = SEVERITIES.index(fail_on)
        return [f for f in self.findings if SEVERITIES.index(f.severity) >= threshold]
