"""Every format on findings with arbitrary paths, messages and suppression reasons.

Paths and messages come from the code under check, so they may hold control characters,
line breaks, ``::``, ``%``, ``]]>``, ``<``, ``&``, backticks, any unicode, and lone surrogates
(file names that are not valid UTF-8). Whatever they hold, every format encodes as UTF-8,
SARIF validates against the 2.1.0 schema, JSON formats parse back to the same strings, JUnit
is well-formed XML, the github format emits exactly one workflow command per finding, the
markdown summary keeps one list line per finding, and the text format one line per finding.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from integrity_lint import inventory
from integrity_lint.engine import lint_source
from integrity_lint.report.formats import FORMATS, RenderOptions, render
from integrity_lint.report.github import render_github
from integrity_lint.report.markdown import code_span, render_markdown
from integrity_lint.report.model import Finding, Report
from integrity_lint.resources import tomllib

from ..fuzzing import budget, catalog, every_rule, full_manifest
from .factories import finding, report
from .test_github import parse
from .test_sarif import _URI_REFERENCE, validate

HOSTILE = (
    "::", "::error::x", "::set-output name=x::y", "::stop-commands::t", "##[add-mask]s",
    "%", "%0A", "%25", "\r", "\n", "\r\n", ",", ":", "=", "]]>", "<!--", "-->", "<", ">", "&",
    "&amp;", "`", "``", "|", "*", "_", "[", "]", "(", ")", "#", "\\", "\x00", "\x1b[2J",
    "\x0b", "\x85", "\u2028", "\ufeff", "\ufffe", "\udcff", "\udc80", "\ud800", "é", "🙂",
    " ", "\t", "- ", "## ", "\"", "'",
)  # fmt: skip
_CHARACTERS = st.characters(codec=None, exclude_categories=())  # surrogates too


def hostile_text(min_size: int = 0) -> st.SearchStrategy[str]:
    part = st.one_of(st.sampled_from(HOSTILE), st.text(_CHARACTERS, max_size=4))
    return st.lists(part, min_size=min_size, max_size=8).map("".join)


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    line = draw(st.integers(1, 10_000))
    return finding(
        catalog(),
        draw(st.sampled_from(catalog().codes)),
        severity=draw(st.sampled_from(["error", "warning", "info"])),
        path=draw(hostile_text(min_size=1)),
        message=draw(hostile_text()),
        line=line,
        column=draw(st.integers(1, 200)),
        end_line=line + draw(st.integers(0, 3)),
        end_column=draw(st.integers(1, 200)),
    )


@st.composite
def reports(draw: st.DrawFn) -> Report:
    found = draw(st.lists(findings(), max_size=5))
    suppressed = [
        f.__class__(**{**f.__dict__, "suppression": draw(hostile_text())})
        for f in draw(st.lists(findings(), max_size=3))
    ]
    return report(found, suppressed, files=draw(st.integers(0, 100)))


@budget(ci_examples=80)
@given(reports())
def test_every_format_encodes_as_utf_8(built: Report) -> None:
    for fmt in FORMATS:
        options = RenderOptions(statistics=True, show_suppressed=True)
        render(fmt, built, catalog(), options).encode("utf-8")


@budget(ci_examples=80)
@given(reports())
def test_json_formats_parse_back_to_the_same_strings(built: Report) -> None:
    options = RenderOptions(show_suppressed=True)
    document = json.loads(render("json", built, catalog(), options))
    assert [(f["path"], f["message"]) for f in document["findings"]] == [
        (_in_json(f.path), _in_json(f.message)) for f in built.findings
    ]
    assert [f["reason"] for f in document["suppressed"]] == [
        _in_json(f.suppression or "") for f in built.suppressed
    ]
    issues = json.loads(render("gitlab", built, catalog(), options))
    assert sorted(i["location"]["path"] for i in issues) == sorted(
        _in_json(f.path) for f in built.findings
    )


def _in_json(value: str) -> str:
    """``value`` as JSON carries it: lone surrogates as they are, but a high one followed by
    a low one is a pair in JSON's UTF-16 escapes, read back as one character."""
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


@budget(ci_examples=80)
@given(reports())
def test_sarif_validates_and_keeps_every_result(built: Report) -> None:
    text = render("sarif", built, catalog(), RenderOptions(show_suppressed=True))
    document = json.loads(text)
    validate(document)
    (run,) = document["runs"]
    assert len(run["results"]) == len(built.findings) + len(built.suppressed)
    for result in run["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert _URI_REFERENCE.match(uri), uri  # a relative reference, whatever the path
    messages = sorted(r["message"]["text"] for r in run["results"])
    assert messages == sorted(_in_json(f.message) for f in [*built.findings, *built.suppressed])


@budget(ci_examples=80)
@given(reports())
def test_junit_is_well_formed_with_a_failure_per_finding(built: Report) -> None:
    root = ET.fromstring(render("junit", built, catalog(), RenderOptions()).encode("utf-8"))
    assert len(root.findall("testsuite/testcase/failure")) == len(built.findings)


def _as_utf_8(value: str) -> str:
    return re.sub("[\ud800-\udfff]", "\ufffd", value)


# The characters GitHub's runner splits output lines at.
_LINES = re.compile("\r\n|\r|\n")


@budget(ci_examples=100)
@given(reports())
def test_github_emits_exactly_one_command_per_finding_and_nothing_else(built: Report) -> None:
    output = render_github(built)
    lines = _LINES.split(output.removesuffix("\n"))
    *commands, summary = lines
    assert len(commands) == len(built.findings)
    # The runner trims leading whitespace, then reads "::name ...::data" (v2) or, failing
    # that, "##[name ...]data" anywhere in the line (v1).
    assert not summary.lstrip().startswith("::") and "##[" not in summary
    expected = sorted(built.findings, key=lambda f: (*f.sort_key, f.message))
    for line, item in zip(commands, expected, strict=True):
        command, properties, data = parse(line)
        assert command == {"error": "error", "warning": "warning", "info": "notice"}[item.severity]
        assert properties["file"] == _as_utf_8(item.path)
        assert properties["title"] == f"{item.code} ({item.name})"
        assert data == _as_utf_8(f"{item.message}\n{item.help_uri}")


@budget(ci_examples=100)
@given(reports())
def test_markdown_keeps_one_list_line_per_finding_and_no_raw_markup(built: Report) -> None:
    text = render_markdown(built, catalog())
    items = [line for line in text.split("\n") if line.startswith("- ")]
    assert len(items) == len(built.findings) + len(built.suppressed)
    assert "\r" not in text
    # No HTML can open (a comment or tag would hide what follows; in a code span `<` is
    # literal) and every line that is not a finding is one the summary wrote itself.
    outside_code = text
    for item in [*built.findings, *built.suppressed]:
        outside_code = outside_code.replace(code_span(f"{item.path}:{item.line}:{item.column}"), "")
    assert "<" not in outside_code
    for line in text.split("\n"):
        assert line == "" or line.startswith(("- ", "## ", "### ", "| ", "|---", "**", "No "))
    # Each finding's location stays whole on its own line.
    for item in [*built.findings, *built.suppressed]:
        location = code_span(f"{item.path}:{item.line}:{item.column}")
        assert any(location in line for line in items), location


@budget(ci_examples=80)
@given(reports())
def test_text_keeps_one_line_per_finding_without_control_characters(built: Report) -> None:
    options = RenderOptions(show_suppressed=True)
    # The only escape sequences are the format's own styles (click removes them off a terminal).
    text = re.sub("\x1b\\[[0-9;]*m", "", render("text", built, catalog(), options))
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]", text)
    lines = text.split("\n")
    located = [line for line in lines if re.match(r".*:\d+:\d+: [A-Z]{3}\d{3} ", line)]
    assert len(located) >= len(built.findings) + len(built.suppressed)
    assert len(lines) == len(built.findings) + 2 * len(built.suppressed) + (
        (2 if built.suppressed else 0) + (1 if built.findings or built.suppressed else 0) + 2
    )


@budget(ci_examples=40)
@given(hostile_text(min_size=1), hostile_text(min_size=1), hostile_text(), hostile_text())
def test_reports_of_programs_whose_strings_are_hostile(
    event: str, key: str, reason: str, name: str
) -> None:
    # Event names, property keys and file names reach messages, the report's inventory and
    # the inventory command through the checks and the project pass.
    event = f"E{event}"  # an empty name is no name (the inventory shows "(dynamic)")
    source = (
        "import segment.analytics as analytics\n"
        f"analytics.track(user.id, {event!r}, {{{key!r}: user.email}})\n"
        f"analytics.track(user.id, {event!r})  # integrity: ignore[PRV102] {reason!r}\n"
    )
    path = f"app/{name}.py"
    built = lint_source(source, path, every_rule(), full_manifest(), True)
    assert built.sites and built.findings
    for fmt in FORMATS:
        options = RenderOptions(statistics=True, show_suppressed=True)
        text = render(fmt, built, catalog(), options)
        text.encode("utf-8")
        if fmt in ("json", "sarif", "gitlab"):
            json.loads(text)
    validate(json.loads(render("sarif", built, catalog(), RenderOptions(show_suppressed=True))))
    commands = [line for line in _LINES.split(render_github(built)) if line.startswith("::")]
    assert len(commands) == len(built.findings)
    markdown = render_markdown(built, catalog())
    summary = markdown[markdown.index("### Data inventory") :].split("\n")
    assert len([line for line in summary if line.startswith("- ")]) == 1  # one event
    for item in [*built.findings, *built.suppressed]:
        markdown = markdown.replace(code_span(f"{item.path}:{item.line}:{item.column}"), "")
    assert "<" not in markdown  # outside code spans, everything is escaped

    entries = inventory.build(built.sites)
    assert json.loads(inventory.render_json(entries))["events"][0]["locations"][0]["path"] == path
    table = inventory.render_markdown(entries).encode("utf-8").decode().split("\n")
    assert len([line for line in table if line.startswith("| `")]) == len(entries) == 1
    draft = tomllib.loads(inventory.render_toml(entries, None))
    assert [e["name"] for e in draft["event"]] == [_as_utf_8(event)]
    assert draft["event"][0]["properties"] == [_as_utf_8(key)]
