"""What the per-file pass gives for one file, and how its findings are made and filtered.

Nothing here needs a syntax tree: a run whose files all come from the cache loads only this,
not libcst and the checks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from integrity_lint.analysis.facts import FileFacts
from integrity_lint.config import Settings
from integrity_lint.report.model import Finding
from integrity_lint.suppressions import Suppression, without_code

TELEMETRY_CODES = frozenset(
    {"PRV101", "PRV102", "PRV103", "PRV203", "PRV303", "PRV304", "PRV603", "PRV604", "PRV605"}
    | {"PRV601", "PRV606", "SUS205"}
)


@dataclass
class FileResult:
    """One file after the per-file pass: findings not yet filtered by its suppressions."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    suppressions: list[Suppression] | None = None  # None when the file could not be parsed
    facts: FileFacts | None = None
    cacheable: bool = True  # False when the result depends on the moment (a stopped file)


@dataclass
class Checked:
    """One file's final findings and the findings its suppressions hid."""

    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)


def fingerprint(code: str, path: str, scope: str, text: str) -> str:
    """Stable under edits elsewhere in the file: no line numbers, normalised node text."""
    normalised = "".join(text.split())
    key = f"{code}\0{path}\0{scope}\0{normalised}"
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass"))  # any str, lone surrogates too
    return digest.hexdigest()[:20]


class FileFindings:
    """The findings of one file: made at positions, then filtered by its suppressions."""

    def __init__(self, path: str, settings: Settings) -> None:
        self.path = path
        self.settings = settings
        self.enabled = settings.codes_for(path)
        self.findings: list[Finding] = []

    def finding(
        self,
        code: str,
        start: tuple[int, int],
        end: tuple[int, int],
        message: str,
        text: str,
        scope: str = "",
        fix: dict[str, Any] | None = None,
    ) -> Finding | None:
        """A finding at 1-based ``(line, column)`` positions, if its code is enabled here."""
        if code not in self.enabled:
            return None
        rule = self.settings.catalog.get(code)
        assert rule is not None, code
        return Finding(
            code=code,
            name=rule.name,
            pillar=rule.pillar,
            severity=self.settings.severity_for(code, self.path),
            path=self.path,
            line=start[0],
            column=start[1],
            end_line=end[0],
            end_column=end[1],
            message=message,
            fingerprint=fingerprint(code, self.path, scope, text),
            help_uri=rule.help_uri,
            fix=fix if fix is not None and rule.fix != "none" else None,
        )

    def add(self, finding: Finding | None) -> None:
        if finding is not None:
            self.findings.append(finding)

    def apply_suppressions(self, suppressions: list[Suppression]) -> Checked:
        """Hide the findings the file's suppressions cover; judge the suppressions."""
        result = Checked()
        catalog = self.settings.catalog
        for suppression in suppressions:
            suppression.codes = tuple(
                rule.code if (rule := catalog.get(code)) else code for code in suppression.codes
            )
        for finding in self.findings:
            match = None
            if not finding.code.startswith("INT") and finding.code not in (
                self.settings.non_suppressible
            ):
                match = next(
                    (s for s in suppressions if s.applies_to(finding.code, finding.line)), None
                )
            if match is None:
                result.findings.append(finding)
                continue
            match.used.add(finding.code)
            reason = match.reason or "(no reason given)"
            if match.kind == "fixme":
                reason = f"fixme until {match.until}: {reason}"
            result.suppressed.append(replace(finding, suppression=reason))
        for suppression in suppressions:
            result.findings.extend(self.suppression_findings(suppression))
        result.findings.sort(key=lambda f: f.sort_key)
        return result

    def suppression_findings(self, suppression: Suppression) -> Iterable[Finding]:
        start = (suppression.line, suppression.column)
        end = (suppression.line, suppression.end_column)
        text = f"{suppression.kind}[{','.join(suppression.codes)}]"
        problems: list[tuple[str, str, str | None]] = []  # code, message, code to remove
        catalog = self.settings.catalog
        if suppression.kind == "misplaced-ignore-file":
            problems.append(
                (
                    "INT002",
                    "an ignore-file suppression only works in the file's first comments",
                    None,
                )
            )
        elif not suppression.codes:
            problems.append(("INT004", "blanket suppression: name the codes it is meant for", None))
        if suppression.kind == "fixme" and suppression.until is None:
            shown = suppression.until_text or "missing"
            problems.append(("INT005", f"fixme needs until=YYYY-MM-DD (got {shown})", None))
        elif suppression.expired:
            problems.append(("INT005", f"fixme expired on {suppression.until}", None))
        if suppression.kind != "misplaced-ignore-file" and not suppression.expired:
            for code in dict.fromkeys(suppression.codes):  # each code once, however repeated
                if catalog.get(code) is None:
                    problems.append(("INT002", f"suppression of unknown rule code {code!r}", None))
                elif code in self.settings.non_suppressible:
                    message = f"{code} is non-suppressible: this suppression has no effect"
                    problems.append(("INT002", message, code))
                elif code in self.enabled and code not in suppression.used:
                    problems.append(("INT002", f"unused suppression: no {code} finding here", code))
        if self.settings.config.require_reason and suppression.codes and not suppression.reason:
            problems.append(("INT003", "suppression without a reason: say why after the ']'", None))
        for code, message, removable in problems:
            fix = None
            if removable is not None:
                fix = {"applicability": "safe"}
                if self.settings.options.build_fixes:
                    fix["edits"] = [without_code(suppression, removable)]
            finding = self.finding(code, start, end, message, text, fix=fix)
            if finding is not None:
                yield finding
