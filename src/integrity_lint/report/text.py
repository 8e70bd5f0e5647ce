"""The default terminal format: one line per finding, then a summary."""

from __future__ import annotations

import click

from integrity_lint.catalog import Catalog
from integrity_lint.report.characters import visible
from integrity_lint.report.model import Finding, Report

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}


def _line(finding: Finding) -> str:
    where = f"{visible(finding.path)}:{finding.line}:{finding.column}:"
    code = click.style(finding.code, fg=_COLOURS[finding.severity], bold=True)
    mark = " [*]" if _fixable(finding) == "safe" else ""
    message = visible(finding.message)
    return f"{click.style(where, bold=True)} {code}{mark} [{finding.severity}] {message}"


def _fixable(finding: Finding) -> str | None:
    return finding.fix["applicability"] if finding.fix else None


def render_text(
    report: Report, catalog: Catalog, *, statistics: bool = False, show_suppressed: bool = False
) -> str:
    lines = [_line(f) for f in report.findings]
    if show_suppressed and report.suppressed:
        lines += ["", click.style("Suppressed findings:", bold=True)]
        for finding in report.suppressed:
            lines.append(f"{_line(finding)}\n    reason: {visible(finding.suppression or '')}")
    if statistics and report.findings:
        lines += ["", click.style("Findings per rule:", bold=True)]
        for code, count in report.by_code().items():
            rule = catalog.get(code)
            name = rule.name if rule else ""
            lines.append(f"{count:6d}  {code}  {name}")
    if lines:
        lines.append("")
    lines.append(summary_line(report))
    hint = _fix_hint(report)
    if hint:
        lines.append(hint)
    return "\n".join(lines) + "\n"


def _fix_hint(report: Report) -> str:
    kinds = [_fixable(f) for f in report.findings]
    safe, unsafe = kinds.count("safe"), kinds.count("unsafe")
    if not safe and not unsafe:
        return ""
    parts = []
    if safe:
        parts.append(f"[*] {safe} fixable with `integrity-lint check --fix`")
    if unsafe:
        lead = f"{unsafe} more" if safe else f"{unsafe} fixable"
        parts.append(
            f"{lead} with `integrity-lint check --fix --unsafe-fixes`, which changes behaviour: "
            "review with `--diff --unsafe-fixes` first"
        )
    return "; ".join(parts) + "."


def summary_line(report: Report) -> str:
    files = f"{report.files} file{'s' if report.files != 1 else ''}"
    suppressed = f", {len(report.suppressed)} suppressed" if report.suppressed else ""
    if report.baselined:
        suppressed += f", {report.baselined} in the baseline"
    if not report.findings:
        return f"No findings in {files}{suppressed}."
    total = len(report.findings)
    severities = ", ".join(
        f"{n} {s}" if n == 1 else f"{n} {s}s" for s, n in report.by_severity().items()
    )
    pillars = ", ".join(f"{p} {n}" for p, n in report.by_pillar().items())
    noun = "finding" if total == 1 else "findings"
    return f"Found {total} {noun} ({severities}; {pillars}) in {files}{suppressed}."
