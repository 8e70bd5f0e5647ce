"""``--format github``: GitHub Actions workflow commands that annotate the pull request.

One line per finding, ``::error file=…,line=…::message``; info findings are ``notice``.
The runner reads a workflow command from any output line that starts with ``::``, so a file
name or message that could start a new line could also run a command of its own (set an
output, stop command processing). Every value is escaped as the Actions toolkit does:
``%``, CR and LF in the message; additionally ``:`` and ``,`` in property values. After that
no value contains a line break, and each finding is exactly one line.
"""

from __future__ import annotations

from integrity_lint.report.characters import replace_surrogates
from integrity_lint.report.model import Finding, Report
from integrity_lint.report.text import summary_line

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render_github(report: Report) -> str:
    findings = sorted(report.findings, key=lambda f: (*f.sort_key, f.message))
    lines = [_command(finding) for finding in findings]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _command(finding: Finding) -> str:
    properties = {"file": finding.path, "line": str(finding.line)}
    if finding.end_line == finding.line:  # GitHub takes columns for one-line annotations only
        properties["col"] = str(finding.column)
        properties["endLine"] = str(finding.end_line)
        properties["endColumn"] = str(finding.end_column)
    else:
        properties["endLine"] = str(finding.end_line)
    properties["title"] = f"{finding.code} ({finding.name})"
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    message = f"{finding.message}\n{finding.help_uri}"
    return f"::{COMMANDS[finding.severity]} {rendered}::{escape_data(message)}"


def escape_data(value: str) -> str:
    value = replace_surrogates(value)  # undecodable file-name bytes: GitHub reads UTF-8
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
