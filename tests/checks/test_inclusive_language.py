"""INC501 non-inclusive-language: word matching, which names count, strings and comments."""

from __future__ import annotations

import textwrap

import pytest

from integrity_lint.catalog import Catalog, CatalogError
from integrity_lint.checks.inclusive_language import (
    NonInclusiveLanguage,
    load_terms,
    parse_terms,
    rewrite_comment,
    word_stream,
)
from integrity_lint.engine import lint_source
from integrity_lint.report.model import Report
from integrity_lint.resources import load_data
from tests.conftest import make_settings


def lint(catalog: Catalog, source: str) -> Report:
    settings = make_settings(catalog, select=("INC501",))
    return lint_source(textwrap.dedent(source), "example.py", settings)


def flagged(catalog: Catalog, source: str) -> list[tuple[int, str]]:
    """``(line, message)`` of every INC501 finding."""
    return [(f.line, f.message) for f in lint(catalog, source).findings if f.code == "INC501"]


@pytest.mark.parametrize(
    "name",
    [
        "ip_whitelist",
        "ipWhiteList",
        "IP_WHITELIST",
        "WhitelistEntry",
        "is_blacklisted",
        "master_host",
        "MASTER2",
        "db_masters",
        "slave_node",
        "sanityCheck",
        "man_hours",
        "grandfathered_plan",
        "man_in_the_middle",
    ],
)
def test_terms_in_defined_names_are_found(catalog, name):
    assert len(flagged(catalog, f"{name} = 1\n")) == 1


@pytest.mark.parametrize(
    "name",
    [
        "masterpiece",
        "mastery",
        "remaster",
        "remastered",
        "webmaster",
        "mastering",
        "enslaved",
        "grandfather",
        "sanity",
        "manual_hours",
        "human_days",
        "guys",
    ],
)
def test_words_that_only_contain_a_term_are_not_found(catalog, name):
    assert flagged(catalog, f"{name} = 1\n") == []


def test_word_stream_splits_identifiers_and_keeps_phrase_breaks():
    assert word_stream("HTTPServer_masterNode2") == "http server master node 2"
    assert word_stream("white, list") == "white | list"
    assert word_stream("see https://x.org/blob/master/a.py now") == "see | now"


def test_message_names_the_term_the_place_and_the_replacement(catalog):
    [(line, message)] = flagged(catalog, "x = 1\nip_whitelist = set()\n")
    assert line == 2
    assert message.startswith('identifier `ip_whitelist`: "whitelist" → consider "allowlist" (')


def test_one_finding_per_node_naming_every_term_once(catalog):
    [(_, message)] = flagged(catalog, "master_slave_master = 1\n")
    assert message.count('"master" →') == 1 and message.count('"slave" →') == 1
    # master and slave share their reason, which is said once.
    assert message.count("slavery") == 1


def test_imports_and_uses_are_not_flagged_but_aliases_are(catalog):
    source = """\
        import somelib
        from somelib import MasterConfig, connect
        from .models import SlaveNode
        import somelib as master_lib

        config = MasterConfig(slave_ok=True)
        somelib.MASTER_URL = "x"
        connect(master=SlaveNode())
        """
    [(line, message)] = flagged(catalog, source)
    assert line == 4 and "`master_lib`" in message


def test_definitions_are_flagged_once_per_scope(catalog):
    source = """\
        class Cluster:
            def __init__(self, master):
                self.master = master
                master = None

            def reset(self):
                self.master = None

        def one():
            blacklist = []
            blacklist = [1]

        def two():
            for blacklist in []:
                pass
        """
    lines = [line for line, _ in flagged(catalog, source)]
    # parameter, attribute (once for the class), one() and two() each once.
    assert lines == [2, 3, 10, 14]


def test_every_kind_of_binding_is_checked(catalog):
    source = """\
        class MasterView: pass
        def get_slave(): pass
        def f(*, whitelist=None, **blacklist): pass
        lambda master: master
        with open("x") as slave_file: pass
        try:
            pass
        except Exception as blacklist_error:
            pass
        [x for master_item in [] for x in master_item]
        (sanity_checked := True)
        manHours, *manDays = 1, 2
        match {}:
            case {"k": master_value, **slave_rest}:
                pass
        """
    lines = [line for line, _ in flagged(catalog, source)]
    assert lines == [1, 2, 3, 3, 4, 5, 8, 10, 11, 12, 12, 14, 14]


def test_strings_docstrings_and_fstring_text(catalog):
    source = '''\
        def sync():
            """Copy to every slave."""
            run("git checkout master")
            return f"{count} man-hours, {other}"
        '''
    assert [line for line, _ in flagged(catalog, source)] == [2, 3, 4]


@pytest.mark.parametrize(
    "literal",
    [
        '"https://github.com/org/repo/blob/master/README.md"',
        'b"role:slave"',
        '"Master\'s degree or Master of Science"',
        '"black, white, list"',
        '"Hello guy"',
    ],
)
def test_strings_that_stay_silent(catalog, literal):
    assert flagged(catalog, f"value = {literal}\n") == []


def test_escapes_separate_words_in_strings(catalog):
    assert len(flagged(catalog, 'value = "line\\nmaster"\n')) == 1


def test_string_annotations_are_skipped(catalog):
    assert flagged(catalog, 'def f(config: "MasterConfig") -> "SlaveNode": ...\n') == []


def test_guys_is_only_flagged_in_text(catalog):
    found = flagged(catalog, 'guys = "thanks, guys"  # hi guys\n')
    assert [message.split(":")[0] for _, message in found] == ["string", "comment"]


def test_comments_are_flagged_but_suppression_reasons_are_not(catalog):
    source = """\
        x = 1  # a quick sanity check
        # integrity: ignore[INC501] upstream calls it the whitelist
        ip_whitelist = set()
        """
    result = lint(catalog, source)
    assert [(f.line, f.message.split(":")[0]) for f in result.findings] == [(1, "comment")]
    assert [f.line for f in result.suppressed] == [3]


def test_comments_are_visited_only_where_one_may_hold_a_term(catalog):
    """The walk skips comments when no line holds a term after its first ``#``; a ``#`` in a
    string before the comment does not hide it, nor does a bracket around it."""

    def places(source: str) -> list[tuple[int, str]]:
        return [(line, message.split(":")[0]) for line, message in flagged(catalog, source)]

    assert places('master = 1\nx = "# ok"  # fine\n') == [(1, "identifier `master`")]
    assert places('x = "#"  # the master copy\ny = 2  # #\n') == [(1, "comment")]
    assert places("x = (  # a master list\n    1,\n)\n") == [(1, "comment")]


def test_finding_points_at_the_name(catalog):
    [finding] = lint(catalog, "def connect(host, slave_host): pass\n").findings
    assert (finding.line, finding.column, finding.end_column) == (1, 19, 29)


def test_every_form_of_the_word_list_is_found_through_the_prefilter(catalog):
    """The engine skips files without a token: each form must still be found end to end."""
    entries = load_data("inclusive-language.toml")["term"]
    for entry in entries:
        for form in entry["forms"]:
            words = form.split(" ")
            camel = words[0] + "".join(word.title() for word in words[1:])
            if "identifier" in entry["where"]:
                for name in ("_".join(words), camel, "_".join(words).upper()):
                    assert len(flagged(catalog, f"{name} = 1\n")) == 1, name
            text = "-".join(words)
            assert len(flagged(catalog, f'x = "{text}"  # {form}\n')) == 2, form
    assert not NonInclusiveLanguage.may_match("", "total = compute(values)")


def test_every_term_is_documented_in_the_rule_file(catalog):
    rule = catalog.get("INC501")
    assert rule is not None
    for term in load_terms():
        assert term.term in rule.markdown, term.term


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"forms": ["x"], "replacements": ["y"], "where": ["string"]}, "needs a 'term'"),
        (
            {
                "term": "t",
                "why": "w",
                "forms": ["Master"],
                "replacements": ["y"],
                "where": ["string"],
            },
            "lowercase",
        ),
        (
            {"term": "t", "why": "w", "forms": ["x"], "replacements": ["y"], "where": ["docs"]},
            "subset",
        ),
        (
            {
                "term": "t",
                "why": "w",
                "forms": ["x"],
                "replacements": ["y"],
                "where": ["string"],
                "alias": [],
            },
            "unknown key",
        ),
    ],
)
def test_malformed_word_list_is_a_catalog_error(entry, problem):
    with pytest.raises(CatalogError, match=problem):
        parse_terms({"term": [entry]})


def _terms(*names: str):
    return [t for t in load_terms() if t.term in names]


@pytest.mark.parametrize(
    ("comment", "fixed"),
    [
        ("# WHITELIST of hosts", "# ALLOWLIST of hosts"),
        ("# blacklisted, then whitelisting", "# denylisted, then allowlisting"),
        ("# master-slave setup", "# primary-replica setup"),
        ("# see https://x.org/blob/master/a.md for the master", None),
        # Names in code keep their spelling: the comment would no longer name them.
        (
            "# close master_fd; see doctest.master and master.py",
            "# close master_fd; see doctest.master and master.py",
        ),
    ],
)
def test_comment_fix_keeps_case_and_endings_and_skips_urls(comment, fixed):
    terms = _terms("master", "slave", "whitelist", "blacklist")
    expected = fixed or "# see https://x.org/blob/master/a.md for the primary"
    assert rewrite_comment(comment, terms) == expected


def test_comment_fix_leaves_exception_phrases_and_terms_without_a_comment_fix():
    text = "# master of science, and the master node"
    assert rewrite_comment(text, _terms("master")) == text
    assert rewrite_comment("# grandfathered plans", _terms("grandfathered")) == (
        "# grandfathered plans"
    )


def test_only_comments_carry_a_fix(catalog):
    source = 'master = "slave"  # the master\n# sanity check\nx = 1\n'
    findings = lint(catalog, source).findings
    fixes = {(f.line, f.column): f.fix for f in findings}
    assert fixes[(1, 1)] is None and fixes[(1, 10)] is None
    assert fixes[(1, 19)] == {"applicability": "safe"}
    assert fixes[(2, 1)] is None
