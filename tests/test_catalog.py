from __future__ import annotations

import pytest

from integrity_lint.catalog import CatalogError, load_catalog, parse_examples, parse_rule

VALID = """+++
code = "SEC399"
name = "made-up"
pillar = "security"
practice = 3
severity = "warning"
default = false
cwe = ["CWE-1"]
fix = "none"
+++
# Title

What it flags.

## Why it matters
Because.

## Example
```python
x = 1  # expect: SEC399
```

## Use instead
```python
x = 2
```

## How to fix
Do.

## References
- none
"""


def test_catalog_loads_and_every_rule_is_documented():
    catalog = load_catalog()
    assert catalog.get("SEC306") is catalog.get("unsafe-deserialization")
    for rule in catalog.rules:
        assert rule.summary and rule.section("Why it matters"), rule.code
        assert rule.help_uri.endswith(f"{rule.pillar}/{rule.code}.md")


def test_valid_rule_parses_with_examples():
    rule = parse_rule(VALID, "security/SEC399.md")
    assert (rule.code, rule.severity, rule.default, rule.cwe) == (
        "SEC399",
        "warning",
        False,
        ("CWE-1",),
    )
    assert rule.summary == "What it flags."
    assert [e.expected for e in rule.examples()] == [{1: ("SEC399",)}, {}]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('fix = "none"', 'fix = "none"\nauthor = "me"'), "unknown front matter key"),
        (('cwe = ["CWE-1"]\n', ""), "missing front matter key"),
        (('severity = "warning"', 'severity = "high"'), "severity must be one of"),
        (("practice = 3", "practice = 2"), "first digit"),
        (('pillar = "security"', 'pillar = "privacy"'), "belongs to pillar"),
        (("## Use instead", "## Alternatives"), "missing section '## Use instead'"),
        (('name = "made-up"', 'name = "Made Up"'), "lowercase slug"),
    ],
)
def test_invalid_rule_files_are_rejected(change, message):
    with pytest.raises(CatalogError, match=message):
        parse_rule(VALID.replace(*change), "security/SEC399.md")


def test_rule_file_must_be_named_after_its_code():
    with pytest.raises(CatalogError, match=r"must be named SEC399\.md"):
        parse_rule(VALID, "security/other.md")


def test_expect_comment_above_marks_next_code_line_and_config_blocks_attach():
    markdown = (
        "```toml config\nselect = []\n```\n\n```python\n# expect: SEC306, SEC307\n\n"
        "# a comment\nrun(x)\n```\n"
    )
    [example] = parse_examples(markdown)
    assert example.expected == {4: ("SEC306", "SEC307")}
    assert example.config == "select = []\n"


def test_dangling_expect_comment_is_an_error():
    with pytest.raises(CatalogError, match="no code line after it"):
        parse_examples("```python\nx = 1\n# expect: SEC306\n```\n", "f.md")
