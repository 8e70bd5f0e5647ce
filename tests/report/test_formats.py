"""The registry: every ``--format`` of SPEC §8, each deterministic."""

from __future__ import annotations

import pytest

from integrity_lint.report.formats import FORMATS, RenderOptions, render
from integrity_lint.report.model import Report

from .factories import finding


def test_every_format_of_the_spec_is_registered():
    assert FORMATS == ("text", "json", "sarif", "github", "gitlab", "junit", "markdown")


@pytest.mark.parametrize("fmt", ["sarif", "github", "gitlab", "junit", "markdown"])
def test_same_findings_give_byte_identical_output_whatever_their_order(catalog, fmt):
    """The pipeline sorts the report, but these formats do not rely on it."""
    findings = [
        finding(catalog, "SEC306", path="b.py", line=3),
        finding(catalog, "SEC307", path="a.py", line=9, severity="warning"),
        finding(catalog, "INC501", path="a.py", line=2, severity="info", message="word one"),
        finding(catalog, "INC501", path="a.py", line=2, severity="info", message="word two"),
        finding(catalog, "SEC306", path="a.py", line=2),
    ]
    suppressed = [
        finding(catalog, "SEC301", path="c.py", suppression="reviewed"),
        finding(catalog, "SEC306", path="a.py", suppression="own artefact"),
    ]
    options = RenderOptions(show_suppressed=True)
    outputs = {
        render(fmt, Report(findings=f, suppressed=s, files=3), catalog, options)
        for f, s in [
            (findings, suppressed),
            (findings[::-1], suppressed[::-1]),
            (findings[2:] + findings[:2], suppressed),
        ]
    }
    assert len(outputs) == 1
    (output,) = outputs
    assert output.endswith("\n")
    assert output.index("a.py") < output.index("b.py")
