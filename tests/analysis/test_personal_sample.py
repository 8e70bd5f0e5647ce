"""Precision and recall of the personal-data rules on a labelled sample of app code.

The sample (``fixtures/personal/``) labels lines with the codes that should be reported
there (``# label: PRV301``) or as near misses (``# label: -``). Run this module directly to
print the table: ``python -m tests.analysis.test_personal_sample``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from integrity_lint.catalog import Catalog, load_catalog
from integrity_lint.engine import lint_source
from integrity_lint.manifest.native import load_native
from tests.conftest import make_settings

SAMPLE = Path(__file__).parent / "fixtures" / "personal"
CODES = (
    "PRV202",
    "PRV301",
    "PRV303",
    "PRV304",
    "PRV305",
    "PRV306",
    "PRV307",
    "PRV601",
    "INC201",
    "INC202",
    "INC502",
)
_LABEL_RE = re.compile(r"#\s*label:\s*([A-Z0-9, -]+)$")


def labels(source: str) -> dict[int, set[str]]:
    """Line -> the codes expected there (empty for a labelled near miss)."""
    found: dict[int, set[str]] = {}
    for number, line in enumerate(source.splitlines(), start=1):
        match = _LABEL_RE.search(line)
        if match:
            found[number] = {c.strip() for c in match.group(1).split(",") if c.strip() != "-"}
    return found


def measure(catalog: Catalog) -> tuple[Counter[tuple[str, str]], int, list[str]]:
    """Counts of (code, tp|fp|fn), the number of labelled lines, and the misses."""
    counts: Counter[tuple[str, str]] = Counter()
    labelled = 0
    misses: list[str] = []
    settings = make_settings(catalog, select=CODES)
    manifest_path = SAMPLE / "data-manifest.toml"
    manifest = load_native(manifest_path.read_text(), manifest_path.name)
    for path in sorted(SAMPLE.glob("*.py")):
        source = path.read_text()
        expected = labels(source)
        labelled += len(expected)
        result = lint_source(source, path.name, settings, manifest)
        found: dict[int, set[str]] = {}
        for finding in result.findings:
            if finding.code in CODES:
                found.setdefault(finding.line, set()).add(finding.code)
        for line in sorted(set(expected) | set(found)):
            want, got = expected.get(line, set()), found.get(line, set())
            for code in want & got:
                counts[code, "tp"] += 1
            for code in got - want:
                counts[code, "fp"] += 1
                misses.append(f"FP {path.name}:{line} {code}")
            for code in want - got:
                counts[code, "fn"] += 1
                misses.append(f"FN {path.name}:{line} {code}")
    return counts, labelled, misses


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def test_precision_and_recall_on_the_labelled_sample(catalog: Catalog) -> None:
    counts, labelled, misses = measure(catalog)
    assert labelled >= 100
    tp = sum(n for (_, kind), n in counts.items() if kind == "tp")
    fp = sum(n for (_, kind), n in counts.items() if kind == "fp")
    fn = sum(n for (_, kind), n in counts.items() if kind == "fn")
    # Regression floors, set below the measured values (see the report in the PR).
    assert _ratio(tp, tp + fp) >= 0.95, misses
    assert _ratio(tp, tp + fn) >= 0.8, misses


if __name__ == "__main__":  # pragma: no cover - a report for people
    counts, labelled, misses = measure(load_catalog())
    print(f"{labelled} labelled lines")
    print(f"{'rule':8} {'tp':>3} {'fp':>3} {'fn':>3} {'precision':>9} {'recall':>7}")
    totals = Counter()
    for code in CODES:
        tp, fp, fn = (counts[code, kind] for kind in ("tp", "fp", "fn"))
        totals.update(tp=tp, fp=fp, fn=fn)
        print(
            f"{code:8} {tp:3} {fp:3} {fn:3} {_ratio(tp, tp + fp):9.2f} {_ratio(tp, tp + fn):7.2f}"
        )
    tp, fp, fn = totals["tp"], totals["fp"], totals["fn"]
    print(f"{'all':8} {tp:3} {fp:3} {fn:3} {_ratio(tp, tp + fp):9.2f} {_ratio(tp, tp + fn):7.2f}")
    print("\n".join(misses))
