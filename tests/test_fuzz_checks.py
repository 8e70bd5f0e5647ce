"""Every check on generated and mutated programs: no check raises (INT006), nothing escapes.

Programs come from Python's grammar (hypothesmith) and from mutations of the rule files'
examples (see :mod:`tests.fuzzing`). All rules run, default or not, with every configurable
rule configured, a manifest, fix edits built, and the whole-project pass. Budget and long
runs: :func:`tests.fuzzing.budget`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from unittest.mock import patch

import hypothesmith
from hypothesis import assume, given, note
from hypothesis import strategies as st

from integrity_lint import filepass
from integrity_lint.checks import all_checks, inclusive_language
from integrity_lint.engine import check_sources, lint_source
from integrity_lint.manifest import Manifest

from .fuzzing import (
    budget,
    catalog,
    every_rule,
    examples,
    full_manifest,
    mutated_examples,
    mutated_programs,
    parses,
)


def assert_checks_survive(source: str, manifest: Manifest | None = None) -> None:
    note(source)
    for build_fixes in (False, True):
        report = lint_source(
            source,
            "app/views.py",
            every_rule(build_fixes),
            manifest or full_manifest(),
            whole_project=True,
        )
        failed = [f.message for f in report.findings if f.code == "INT006"]
        assert not failed, failed
        if parses(source):
            # A program Python reads is no syntax error; where libcst cannot read it (a
            # backslash continuation at the end of the file), INT001 says so.
            unread = [f.message for f in report.findings if f.code == "INT001"]
            assert all(m.startswith("libcst cannot parse this file") for m in unread), unread


def test_the_fuzzed_configuration_runs_every_rule() -> None:
    # Each rule fires on one of its own examples under the fuzzing configuration, so the
    # fuzz tests below reach every check (INT001's examples do not parse, so are no seeds;
    # no check fails on the examples, so no INT006).
    fired: set[str] = set()
    for source, manifest in examples():
        report = lint_source(source, "app/views.py", every_rule(), manifest, whole_project=True)
        fired.update(f.code for f in report.findings)
    assert set(catalog().codes) - fired == {"INT001", "INT006"}


@budget(ci_examples=40)
@given(hypothesmith.from_grammar())
def test_grammar_programs(source: str) -> None:
    assert_checks_survive(source)


@budget(ci_examples=10)
@given(hypothesmith.from_node())
def test_libcst_node_programs(source: str) -> None:
    assert_checks_survive(source)


@budget(ci_examples=250)
@given(mutated_programs())
def test_mutated_rule_examples(program: tuple[str, Manifest]) -> None:
    assert_checks_survive(*program)


@budget(ci_examples=40)
@given(st.lists(mutated_examples(), min_size=2, max_size=3))
def test_mutated_examples_joined_in_one_file(sources: list[str]) -> None:
    # Shapes from different rules side by side: a client from one, a call from another.
    assert_checks_survive("\n".join(s for s in sources if parses(s)))


PROJECT_FILES = ("myapp/analytics.py", "shop/telemetry.py", "app/views.py")


@budget(ci_examples=30)
@given(st.lists(mutated_examples(), min_size=2, max_size=3))
def test_mutated_examples_as_files_of_one_project(sources: list[str]) -> None:
    # The project pass joins the files' facts: wrappers (the configured ones live in the
    # first two modules), clients and constants imported from another file.
    for source in sources:
        note(source)
    files = [
        (path, source.encode())
        for path, source in zip(PROJECT_FILES[: len(sources)], sources, strict=True)
    ]
    for build_fixes in (False, True):
        report = check_sources(files, every_rule(build_fixes), full_manifest(), whole_project=True)
        failed = [f.message for f in report.findings if f.code == "INT006"]
        assert not failed, failed


@contextmanager
def _without_prefilters() -> Iterator[None]:
    """Every check runs on every file, comments included, and every file gives all its
    telemetry facts: what the text prefilters only exist to skip."""
    with ExitStack() as stack:
        for check in all_checks():
            stack.enter_context(
                patch.object(check, "may_match", classmethod(lambda cls, text, folded: True))
            )
        stack.enter_context(patch.object(inclusive_language, "_comments_may_hold_terms", bool))
        stack.enter_context(patch.object(filepass._FileLinter, "collection", lambda *a: "all"))
        yield


def _found(source: str, manifest: Manifest) -> list[tuple[str, int, int, str]]:
    report = lint_source(source, "app/views.py", every_rule(), manifest, whole_project=True)
    return [(f.code, f.line, f.column, f.message) for f in report.findings]


@budget(ci_examples=150)
@given(mutated_programs())
def test_no_prefilter_hides_a_finding(program: tuple[str, Manifest]) -> None:
    source, manifest = program
    assume(parses(source))
    note(source)
    with _without_prefilters():
        unfiltered = _found(source, manifest)
    assert _found(source, manifest) == unfiltered


def test_no_prefilter_hides_a_finding_in_the_rule_examples() -> None:
    for source, manifest in examples():
        with _without_prefilters():
            unfiltered = _found(source, manifest)
        assert _found(source, manifest) == unfiltered, source
