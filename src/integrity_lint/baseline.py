"""Baselines: accepted findings, stored by fingerprint with counts (SPEC §9).

The file holds no line numbers and no timestamps, and its entries are sorted, so it diffs and
merges cleanly. ``N`` identical findings baselined hide ``N`` findings, not ``N + 1``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from integrity_lint.files import replace_file
from integrity_lint.report.model import Finding

FORMAT_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read: exit 2 with this one-line message."""


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    code: str
    path: str
    count: int


def entries_for(findings: Iterable[Finding]) -> list[Entry]:
    """Baseline entries for findings: one per fingerprint, with how many share it."""
    counts: Counter[tuple[str, str, str]] = Counter(
        (f.path, f.code, f.fingerprint) for f in findings
    )
    return [
        Entry(fingerprint=fingerprint, code=code, path=path, count=count)
        for (path, code, fingerprint), count in sorted(counts.items())
    ]


def load_baseline(path: Path) -> list[Entry]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"{path}: cannot read baseline: {error.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: invalid baseline JSON: {error}") from None
    except RecursionError:
        raise BaselineError(f"{path}: not an integrity-lint baseline (nested too deeply)") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not an integrity-lint baseline (no 'findings' list)")
    entries: list[Entry] = []
    for index, item in enumerate(data["findings"]):
        try:
            entry = Entry(
                fingerprint=str(item["fingerprint"]),
                code=str(item["code"]),
                path=str(item["path"]),
                count=int(item.get("count", 1)),
            )
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"{path}: findings[{index}] is not a valid entry") from None
        entries.append(entry)
    return entries


def write_baseline(path: Path, entries: list[Entry]) -> None:
    """Write the baseline atomically: a reader never sees half a file."""
    document = {
        "tool": "integrity-lint",
        "version": FORMAT_VERSION,
        "findings": [
            {"fingerprint": e.fingerprint, "code": e.code, "path": e.path, "count": e.count}
            for e in entries
        ],
    }
    text = json.dumps(document, indent=2, sort_keys=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, text.encode("utf-8"))


def subtract(findings: list[Finding], known: Counter[str]) -> tuple[list[Finding], Counter[str]]:
    """The findings not covered by ``known`` fingerprint counts, and what ``known`` had left.

    Findings are taken in report order, so which of several identical findings is "new" is
    deterministic.
    """
    remaining = Counter(known)
    kept: list[Finding] = []
    for finding in findings:
        if remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
        else:
            kept.append(finding)
    return kept, +remaining


def apply_baseline(findings: list[Finding], entries: list[Entry]) -> tuple[list[Finding], int]:
    """The findings the baseline does not hide, and how many baseline entries are stale."""
    known: Counter[str] = Counter()
    for entry in entries:
        known[entry.fingerprint] += entry.count
    kept, left = subtract(findings, known)
    return kept, sum(left.values())
