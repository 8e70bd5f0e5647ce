"""The text format: a line per finding, a summary, and what `--fix` could do."""

from __future__ import annotations

import click

from integrity_lint.report.text import render_text

from .factories import finding, report


def plain(text: str) -> str:
    return click.unstyle(text)


def test_safe_fixes_are_marked_and_counted_and_unsafe_ones_counted(catalog):
    safe = finding(catalog, "INT002", line=1, fix={"applicability": "safe"})
    unsafe = finding(catalog, "SEC306", line=2, fix={"applicability": "unsafe"})
    text = plain(render_text(report([safe, unsafe, finding(catalog, line=3)]), catalog))
    lines = text.splitlines()
    assert lines[0].startswith("app/store.py:1:12: INT002 [*] [warning]")
    assert lines[1].startswith("app/store.py:2:12: SEC306 [error]")
    assert lines[-1] == (
        "[*] 1 fixable with `integrity-lint check --fix`; 1 more with `integrity-lint check "
        "--fix --unsafe-fixes`, which changes behaviour: review with `--diff --unsafe-fixes` "
        "first."
    )


def test_only_unsafe_fixes_and_no_fixes(catalog):
    unsafe = finding(catalog, "SEC306", fix={"applicability": "unsafe"})
    text = plain(render_text(report([unsafe]), catalog))
    assert text.splitlines()[-1].startswith("1 fixable with `integrity-lint check --fix --unsafe")
    assert "fixable" not in plain(render_text(report([finding(catalog)]), catalog))
