"""``--format markdown``: a pull-request review summary for reviewers.

Reviewers are often privacy or security staff, so the summary leads with counts per pillar
and severity, then lists the findings per pillar (most severe first) with a link to each
rule's explanation, then every suppressed finding with its reason (the audit view).

Paths and messages come from the code under review, and the summary is typically posted as a
PR comment, so they must not be able to change its structure: messages are escaped (HTML
entities for ``&``, ``<`` and ``>``, a backslash before inline Markdown markup), paths go into
code spans fenced with more backticks than they contain, and line breaks become spaces.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import quote

from integrity_lint import inventory
from integrity_lint.catalog import SEVERITIES, Catalog
from integrity_lint.report.characters import replace_surrogates
from integrity_lint.report.model import Finding, Report

_SEVERITY_ORDER = tuple(reversed(SEVERITIES))  # error, warning, info
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# The characters that open inline markup mid-line (emphasis, code, links, strikethrough,
# table cells); block markup cannot start because a message never begins a line.
_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")
_URL_SAFE = ":/?#[]@!$&'*+,;=%"  # reserved characters a URL keeps; not ( ) < > or spaces


def render_markdown(report: Report, catalog: Catalog) -> str:
    lines = ["## integrity-lint review summary", "", _overview(report), ""]
    if report.findings:
        lines += _counts_table(report, catalog)
        for pillar in _pillar_order(report.findings, catalog):
            group = [f for f in report.findings if f.pillar == pillar]
            lines += ["", f"### {_pillar_heading(pillar, catalog)} ({len(group)})", ""]
            group.sort(key=lambda f: (_SEVERITY_ORDER.index(f.severity), *f.sort_key, f.message))
            lines += [_finding_line(f) for f in group]
    if report.suppressed:
        lines += ["", f"### Suppressed ({len(report.suppressed)})", ""]
        suppressed = sorted(report.suppressed, key=lambda f: (*f.sort_key, f.message))
        lines += [_suppressed_line(f) for f in suppressed]
    lines += ["", *_inventory(report)]
    return "\n".join(lines) + "\n"


def _inventory(report: Report) -> list[str]:
    """The telemetry events of the checked files; with a diff base, what changed since."""
    entries = {_key(e): e for e in inventory.build(report.sites)}
    if report.base_sites is None:
        lines = ["### Data inventory", ""]
        if not entries:
            return [*lines, "No telemetry calls in the checked files."]
        return lines + [_entry_line(e) for e in entries.values()]
    base = {_key(e): e for e in inventory.build(report.base_sites)}
    lines = ["### Data inventory changes", ""]
    changes = [f"- added: {_entry_line(e)[2:]}" for k, e in entries.items() if k not in base]
    changes += [f"- removed: {_entry_line(e)[2:]}" for k, e in base.items() if k not in entries]
    for key, entry in entries.items():
        before = base.get(key)
        if before is not None and _shape(before) != _shape(entry):
            changes.append(f"- changed: {_entry_line(entry)[2:]} (was {_state(before)})")
    return lines + (changes or ["No telemetry event was added, removed or changed."])


def _key(entry: inventory.Entry) -> tuple[str, str, str]:
    return entry.sdk, entry.kind, entry.event


def _shape(entry: inventory.Entry) -> tuple[str, frozenset[str], bool]:
    return entry.status, frozenset(entry.properties), entry.open_properties


def _state(entry: inventory.Entry) -> str:
    properties = ", ".join(sorted(entry.properties)) or "none"
    if entry.open_properties:
        properties += ", and keys not known statically"
    return f"{entry.status}; properties: {escape_text(properties)}"


def _entry_line(entry: inventory.Entry) -> str:
    sites = _plural(len(entry.locations), "call site")
    return (
        f"- {escape_text(entry.sdk)} {escape_text(entry.kind)} **{escape_text(entry.event)}**"
        f" — {_state(entry)} ({sites})"
    )


def _overview(report: Report) -> str:
    files = _plural(report.files, "file")
    if report.findings:
        severities = ", ".join(
            f"{n} info" if s == "info" else _plural(n, s) for s, n in report.by_severity().items()
        )
        text = f"**{_plural(len(report.findings), 'finding')}** in {files} ({severities})."
    else:
        text = f"**No findings** in {files}."
    if report.suppressed:
        text += f" {_plural(len(report.suppressed), 'suppressed finding')}, listed below."
    if report.baselined:
        text += f" {_plural(report.baselined, 'finding')} hidden by the baseline."
    return text


def _counts_table(report: Report, catalog: Catalog) -> list[str]:
    counts = Counter((f.pillar, f.severity) for f in report.findings)
    rows = ["| pillar | error | warning | info | total |", "|---|---:|---:|---:|---:|"]
    for pillar in _pillar_order(report.findings, catalog):
        cells = [counts[pillar, s] for s in _SEVERITY_ORDER]
        rows.append(f"| {_pillar_title(pillar, catalog)} | {_cells(cells)} | {sum(cells)} |")
    by_severity = report.by_severity()
    totals = [by_severity.get(s, 0) for s in _SEVERITY_ORDER]
    rows.append(f"| **total** | {_cells(totals)} | **{sum(totals)}** |")
    return rows


def _cells(numbers: list[int]) -> str:
    return " | ".join(str(n) for n in numbers)


def _pillar_order(findings: list[Finding], catalog: Catalog) -> list[str]:
    """The pillars with findings, in the catalog's order; unknown ones after, by name."""
    present = {f.pillar for f in findings}
    known = [p for p in catalog.pillars if p in present]
    return known + sorted(present - set(known))


def _pillar_title(pillar: str, catalog: Catalog) -> str:
    known = catalog.pillars.get(pillar)
    return known.title if known else escape_text(pillar)


def _pillar_heading(pillar: str, catalog: Catalog) -> str:
    known = catalog.pillars.get(pillar)
    return f"[{known.title}]({_url(known.link)})" if known else escape_text(pillar)


def _finding_line(finding: Finding) -> str:
    return (
        f"- **{finding.severity}** {_rule_link(finding)} at {_location(finding)}: "
        f"{escape_text(finding.message)}"
    )


def _suppressed_line(finding: Finding) -> str:
    reason = escape_text(finding.suppression) if finding.suppression else "*(no reason given)*"
    return (
        f"- {_rule_link(finding)} at {_location(finding)}: {escape_text(finding.message)}"
        f" — reason: {reason}"
    )


def _rule_link(finding: Finding) -> str:
    return f"[{code_span(finding.code)}]({_url(finding.help_uri)}) {escape_text(finding.name)}"


def _location(finding: Finding) -> str:
    return code_span(f"{finding.path}:{finding.line}:{finding.column}")


def escape_text(value: str) -> str:
    """Plain text that Markdown and HTML render literally, on one line."""
    value = _BREAKS.sub(" ", replace_surrogates(value))
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _PUNCTUATION.sub(r"\\\1", value)


def code_span(value: str) -> str:
    """``value`` as an inline code span, on one line, whatever backticks it contains.

    CommonMark closes a code span only at a backtick run as long as the opening one, so the
    fence is one backtick longer than the longest run inside; a space pads values that start
    or end with a backtick (CommonMark strips one such space on each side). Inside a code span
    ``<`` and ``&`` are literal, so no escaping is needed. Not for table cells: GFM splits
    cells at ``|`` even inside code spans.
    """
    value = _BREAKS.sub(" ", replace_surrogates(value))
    longest = max((len(run) for run in re.findall("`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _url(uri: str) -> str:
    """A link destination that cannot end the link early: spaces, parentheses and angle
    brackets are percent-encoded."""
    return quote(uri, safe=_URL_SAFE)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
