"""The README's generated parts stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

from integrity_lint.ruledocs import render_rules

README = Path(__file__).resolve().parent.parent / "README.md"
_RULES_RE = re.compile(r"(<!-- rules:start[^>]*-->\n)(.*?)(<!-- rules:end -->)", re.S)


def rules_table(catalog) -> str:
    return render_rules(list(catalog.rules), catalog, "markdown")


def test_the_rules_table_lists_every_rule_of_the_catalog(catalog):
    match = _RULES_RE.search(README.read_text(encoding="utf-8"))
    assert match is not None, "README: the rules:start/rules:end markers are missing"
    assert match.group(2) == rules_table(catalog), (
        "README's rules table is out of date: replace the lines between the markers with "
        "the output of `integrity-lint rules --format markdown`"
    )
