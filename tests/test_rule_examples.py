"""Every fenced python block of every rule file is a test case for its rule (SPEC §2)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from integrity_lint.catalog import load_catalog
from integrity_lint.engine import lint_source
from integrity_lint.manifest.native import load_native
from integrity_lint.run import Outcome, fix_rounds

from .conftest import make_settings

MANIFEST = "data-manifest.toml"
CASES = [
    pytest.param(rule, example, id=f"{rule.code}:{example.line}")
    for rule in load_catalog().rules
    for example in rule.examples()
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_rule_example(rule, example, catalog):
    # The rule runs beside the default rules, as it would in a project, so the INT rules
    # about suppressions see the findings they suppress.
    settings = make_settings(catalog, example.config or "", extend_select=(rule.code,))
    manifest = load_native(example.manifest, MANIFEST) if example.manifest is not None else None
    result = lint_source(example.source, "example.py", settings, manifest, whole_project=True)
    for path, expectations in (
        ("example.py", example.expected),
        (MANIFEST, example.manifest_expected),
    ):
        found: dict[int, list[str]] = {}
        for finding in result.findings:
            if finding.code == rule.code and finding.path == path:
                found.setdefault(finding.line, []).append(finding.code)
        expected = {
            line: sorted(c for c in codes if c == rule.code)
            for line, codes in expectations.items()
            if rule.code in codes
        }
        assert found == expected, [f"{f.path}:{f.line}: {f.message}" for f in result.findings]


FIXED_CASES = [case for case in CASES if case.values[1].fixed is not None]
_EXPECT_LINE_RE = re.compile(r"^[ \t]*# expect:[^\n]*\n", re.MULTILINE)
_EXPECT_RE = re.compile(r"[ \t]*# expect:[^\n]*")


def _without_expectations(source: str) -> str:
    return _EXPECT_RE.sub("", _EXPECT_LINE_RE.sub("", source))


@pytest.mark.parametrize(("rule", "example"), FIXED_CASES)
def test_rule_example_fix(rule, example, catalog):
    # A `python fixed` block is the example after every fix of its rule, unsafe ones too.
    settings = make_settings(catalog, example.config or "", extend_select=(rule.code,))
    settings = replace(settings, options=replace(settings.options, build_fixes=True))
    manifest = load_native(example.manifest, MANIFEST) if example.manifest is not None else None

    def check(fixed: dict[str, bytes]) -> Outcome:
        source = fixed.get("example.py", example.source.encode())
        return Outcome(lint_source(source, "example.py", settings, manifest, whole_project=True))

    rounds = fix_rounds(
        check, lambda _: example.source.encode(), unsafe=True, codes=frozenset({rule.code})
    )
    result = rounds.fixed.get("example.py", example.source.encode()).decode()
    assert rounds.count > 0
    assert _without_expectations(result) == _without_expectations(example.fixed)


def test_every_rule_has_a_flagged_and_a_silent_example():
    for rule in load_catalog().rules:
        if rule.code in ("INT001", "INT006"):
            continue
        examples = rule.examples()
        assert any(e.expected or e.manifest_expected for e in examples), (
            f"{rule.code} has no '# expect:' example"
        )
        assert any(not e.expected for e in examples), f"{rule.code} has no silent example"
