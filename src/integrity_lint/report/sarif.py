"""``--format sarif``: SARIF 2.1.0 with what GitHub code scanning reads.

Decisions, also in the README:

- ``tool.driver.rules`` holds the rules that have results in this report (findings and
  suppressed findings), sorted by code; every result's ``ruleIndex`` points into that list.
- Levels: error → ``error``, warning → ``warning``, info → ``note``. A rule's
  ``defaultConfiguration.level`` is its catalog severity; a result's ``level`` is the severity
  the run gave it (configuration can override a rule's severity per file).
- Security rules carry ``properties["security-severity"]`` from their catalog severity:
  error "8.0" (GitHub: high), warning "5.0" (medium), info "3.0" (low).
- ``partialFingerprints`` carries our own fingerprint as ``integrityLint/v1``: it is stable when
  lines move (SPEC §9). ``primaryLocationLineHash`` is left to GitHub's ``upload-sarif``, which
  computes it from the file and warns when a value it did not compute is already there.
- URIs are relative to the project root, percent-encoded, with ``uriBaseId: "%SRCROOT%"``. The
  report holds no absolute root, and an absolute path would leak the machine's folder layout
  into an uploaded file, so ``originalUriBaseIds`` describes ``%SRCROOT%`` without a ``uri``.
- With ``--show-suppressed``, suppressed findings are results with an ``inSource``
  suppression and its reason (the audit view). Not by default: GitHub code scanning ignores
  SARIF ``suppressions`` and would open an alert for every suppressed finding
  (github/codeql-action#1230, still unsupported).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from integrity_lint import __version__
from integrity_lint.catalog import DOCS_BASE_URL, Catalog, Rule
from integrity_lint.report.characters import json_document
from integrity_lint.report.model import Finding, Report

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = DOCS_BASE_URL.split("/blob/", 1)[0]
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "integrityLint/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "info": "3.0"}
# The catalog does not rate precision per rule yet; every rule is a syntactic match on
# resolved names, so "high" is the honest default.
PRECISION = "high"
MAX_DESCRIPTION = 1024  # GitHub's limit for shortDescription and fullDescription
_NOT_ESCAPED_BYTE = re.compile("[\ud800-\udc7f\udd00-\udfff]")


def render_sarif(report: Report, catalog: Catalog, *, include_suppressed: bool = False) -> str:
    results = sorted(
        [*report.findings, *(report.suppressed if include_suppressed else [])],
        key=lambda f: (*f.sort_key, f.suppression is not None, f.fingerprint, f.message),
    )
    codes = sorted({f.code for f in results})
    index = {code: i for i, code in enumerate(codes)}
    examples = {f.code: f for f in results}
    rules = [_rule(catalog.get(code), examples[code]) for code in codes]
    document = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "integrity-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {
                    SRCROOT: {
                        "description": {
                            "text": "The project root: the folder of the integrity-lint "
                            "configuration file, or the folder the check ran in."
                        }
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index[f.code]) for f in results],
            }
        ],
    }
    return json_document(document)


def _rule(rule: Rule | None, finding: Finding) -> dict[str, Any]:
    """The rule's descriptor; from the finding alone if the catalog does not know the code."""
    if rule is None:
        return {
            "id": finding.code,
            "name": finding.name,
            "shortDescription": {"text": finding.name},
            "fullDescription": {"text": finding.name},
            "help": {"text": f"See {finding.help_uri}"},
            "helpUri": finding.help_uri,
            "properties": {"tags": [finding.pillar], "precision": PRECISION},
        }
    properties: dict[str, Any] = {"tags": _tags(rule), "precision": PRECISION}
    if rule.pillar == "security":
        properties["security-severity"] = SECURITY_SEVERITY[rule.severity]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _limit(rule.title)},
        "fullDescription": {"text": _limit(rule.summary)},
        "help": {"text": rule.markdown, "markdown": rule.markdown},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }


def _tags(rule: Rule) -> list[str]:
    """The pillar, ``security`` for security rules, and GitHub's ``external/cwe/cwe-N`` form."""
    tags = [rule.pillar]
    if rule.pillar == "security":
        tags.append("security")
    tags += [f"external/cwe/{cwe.lower()}" for cwe in rule.cwe]
    return list(dict.fromkeys(tags))


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(finding.path), "uriBaseId": SRCROOT},
                    "region": {
                        "startLine": finding.line,
                        "startColumn": finding.column,
                        "endLine": finding.end_line,
                        "endColumn": finding.end_column,
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.suppression is not None:
        suppression = {"kind": "inSource"}
        if finding.suppression:
            suppression["justification"] = finding.suppression
        result["suppressions"] = [suppression]
    return result


def artifact_uri(path: str) -> str:
    """A relative path as a URI reference: every byte outside RFC 3986's unreserved set and
    ``/`` is percent-encoded (UTF-8), so ``:`` cannot be read as a scheme and ``%``, ``#``,
    ``?`` or spaces cannot change the reference. Undecodable file-name bytes, which Python
    carries as surrogates, are encoded as the original bytes; other lone surrogates, which
    no file name read on POSIX holds, as U+FFFD."""
    return quote(_NOT_ESCAPED_BYTE.sub("\ufffd", path), safe="/", errors="surrogateescape")


def _limit(text: str) -> str:
    if len(text) <= MAX_DESCRIPTION:
        return text
    return text[: MAX_DESCRIPTION - 1].rstrip() + "…"
