"""Literal values read without compiling: they must be what Python's compiler gives."""

from __future__ import annotations

import libcst as cst
import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrity_lint.analysis.literals import literal_value, string_parts

PLAIN = ['"a"', "'b'", 'r"c"', 'u"d"', 'R"e"', 'U"z"', '"""f\ng"""', "'''h'''", '""']
OTHERS = ['b"i"', 'rb"j"', 'Br"k"', r'"\x41"', r'r"\d"', r'"\N{NOPE}"', 'b"é"', '"""a\r\nb"""']


def compiled(node: cst.SimpleString) -> object:
    try:
        return node.evaluated_value
    except (SyntaxError, ValueError):
        return None


@pytest.mark.parametrize("literal", [*PLAIN, *OTHERS, '"é"'])
def test_a_string_literal_has_the_value_python_gives_it(literal):
    node = cst.parse_expression(literal)
    assert isinstance(node, cst.SimpleString)
    value = literal_value(node)
    assert value == compiled(node) and type(value) is type(compiled(node))


@given(
    st.text(st.characters(blacklist_characters='"\\\0', blacklist_categories=("Cs",))),
    st.sampled_from(["", "r", "u", "b", "rb"]),
)
def test_any_triple_quoted_string(body, prefix):
    node = cst.SimpleString(f'{prefix}"""{body}"""')
    value = literal_value(node)
    assert value == compiled(node) and type(value) is type(compiled(node))


@given(
    st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",))),
    st.sampled_from(["", "r", "u", "b", "rb", "R", "Br", "f", "rf"]),
    st.sampled_from(['"', "'", '"""', "'''"]),
)
def test_prefix_and_text_between_the_quotes_are_libcsts(body, prefix, quote):
    source = f"{prefix}{quote}{body}{quote}"
    try:
        node = cst.parse_expression(source)
    except cst.ParserSyntaxError:
        return
    if isinstance(node, cst.SimpleString):
        assert string_parts(node) == (node.prefix, node.raw_value)


EDGES = ["''", '""""""', "''''''", '"""a "quoted" b"""', 'rB"l"', '"a\'b"']


@pytest.mark.parametrize("literal", [*PLAIN, *OTHERS, *EDGES])
def test_prefix_and_text_of_examples(literal):
    node = cst.parse_expression(literal)
    assert string_parts(node) == (node.prefix, node.raw_value)
