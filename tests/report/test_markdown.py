"""``--format markdown``: the pull-request review summary."""

from __future__ import annotations

from integrity_lint.report.markdown import code_span, escape_text, render_markdown

from .factories import finding, report


def test_heading_overview_and_counts_per_pillar_and_severity(catalog):
    findings = [
        finding(catalog, "SEC306", line=1),
        finding(catalog, "SEC307", line=2, severity="warning"),
        finding(catalog, "INC501", line=3),
        finding(catalog, "INC501", line=4),
    ]
    built = report(findings, [finding(catalog, suppression="ok")], files=7)
    built.baselined = 2
    lines = render_markdown(built, catalog).splitlines()
    assert lines[0] == "## integrity-lint review summary"
    assert lines[2] == (
        "**4 findings** in 7 files (1 error, 1 warning, 2 info). "
        "1 suppressed finding, listed below. 2 findings hidden by the baseline."
    )
    table = lines[4:9]
    assert table == [
        "| pillar | error | warning | info | total |",
        "|---|---:|---:|---:|---:|",
        "| Security | 1 | 1 | 0 | 2 |",
        "| Inclusion | 0 | 0 | 2 | 2 |",
        "| **total** | 1 | 1 | 2 | **4** |",
    ]


def test_findings_are_grouped_by_pillar_in_catalog_order_most_severe_first(catalog):
    findings = [
        finding(catalog, "INC501", path="a.py", line=1),
        finding(catalog, "SEC307", path="a.py", line=2, severity="warning"),
        finding(catalog, "SEC306", path="z.py", line=9),
    ]
    text = render_markdown(report(findings), catalog)
    security = text.index(f"### [Security]({catalog.pillars['security'].link}) (2)\n")
    inclusion = text.index(f"### [Inclusion]({catalog.pillars['inclusion'].link}) (1)\n")
    assert security < inclusion
    section = text[security:inclusion]
    assert section.index("SEC306") < section.index("SEC307")
    help_uri = catalog.get("SEC306").help_uri
    assert f"- **error** [`SEC306`]({help_uri}) unsafe-deserialization at `z.py:9:12`: " in section


def test_suppressed_section_lists_reasons(catalog):
    suppressed = [
        finding(catalog, "SEC306", line=3, suppression="reads our own build artefact"),
        finding(catalog, "SEC301", line=5, suppression=""),
    ]
    text = render_markdown(report([], suppressed), catalog)
    section = text[text.index("### Suppressed (2)") : text.index("### Data inventory")]
    assert "`app/store.py:3:12`" in section
    assert "reason: reads our own build artefact" in section
    assert "reason: *(no reason given)*" in section
    assert "**No findings** in 3 files. 2 suppressed findings, listed below." in text
    assert "| pillar |" not in text


def test_inventory_without_telemetry_says_so(catalog):
    text = render_markdown(report([finding(catalog)]), catalog)
    section = text[text.index("### Data inventory") :]
    assert "No telemetry calls in the checked files." in section
    assert section.count("\n- ") == 0


def test_messages_and_paths_cannot_change_the_structure(catalog):
    evil = finding(
        catalog,
        path="we`ird|\n# path.py",
        message="<script>x</script> | `code` *em* [link](http://e) ~~s~~ &amp;\n## Heading",
    )
    text = render_markdown(report([evil]), catalog)
    assert "<script>" not in text
    assert "\n## Heading" not in text
    assert "\n# path" not in text
    (line,) = [item for item in text.splitlines() if item.startswith("- ")]
    assert "&lt;script&gt;x&lt;/script&gt; \\| \\`code\\` \\*em\\* \\[link\\](http://e)" in line
    assert "\\~\\~s\\~\\~ &amp;amp; ## Heading" in line
    assert "``we`ird| # path.py:4:12``" in line


def test_escape_text_and_code_span():
    assert escape_text("a_b <i> & c|d\r\ne") == "a\\_b &lt;i&gt; &amp; c\\|d e"
    assert code_span("plain") == "`plain`"
    assert code_span("a``b") == "```a``b```"
    assert code_span("`edge`") == "`` `edge` ``"
