"""Literal values read without compiling: they must be what Python's compiler gives."""

from __future__ import annotations

import warnings

import libcst as cst
import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrity_lint.analysis.literals import literal_value, string_parts

PLAIN = ['"a"', "'b'", 'r"c"', 'u"d"', 'R"e"', 'U"z"', '"""f\ng"""', "'''h'''", '""']
OTHERS = ['b"i"', 'rb"j"', 'Br"k"', r'"\x41"', r'r"\d"', r'"\N{NOPE}"', 'b"é"', '"""a\r\nb"""']
ESCAPED = [
    r'"a\nb\t\\c"',
    r"'it\'s'",
    r'"\"q\""',
    '"""a\\\nb"""',
    r'"\a\b\f\v\r"',
    r'"\q"',
    r'"\101\u00e9"',
]
RAW = [r'r"\n"', r'r"a\"b"', r'r"\\"', r"R'\d+\.'"]


def compiled(node: cst.SimpleString) -> object:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an invalid escape such as "\q" warns
            return node.evaluated_value
    except (SyntaxError, ValueError):
        return None


def read(node: cst.SimpleString) -> object:
    """:func:`literal_value`, quiet about invalid escapes as the per-file pass is."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return literal_value(node)


@pytest.mark.parametrize("literal", [*PLAIN, *OTHERS, *ESCAPED, *RAW, '"é"'])
def test_a_string_literal_has_the_value_python_gives_it(literal):
    node = cst.parse_expression(literal)
    assert isinstance(node, cst.SimpleString)
    value = read(node)
    assert value == compiled(node) and type(value) is type(compiled(node))


@given(
    st.text(st.characters(blacklist_characters='"\\\0', blacklist_categories=("Cs",))),
    st.sampled_from(["", "r", "u", "b", "rb"]),
)
def test_any_triple_quoted_string(body, prefix):
    node = cst.SimpleString(f'{prefix}"""{body}"""')
    value = read(node)
    assert value == compiled(node) and type(value) is type(compiled(node))


ESCAPE_PIECES = [
    "a",
    "é",
    " ",
    "\n",
    *(f"\\{c}" for c in "\\'\"abfnrtv\nqx0N"),
    "\\x41",
    "\\N{BULLET}",
]


@given(st.lists(st.sampled_from(ESCAPE_PIECES)), st.sampled_from(["", "u", "r", "b"]))
def test_any_string_with_escapes(pieces, prefix):
    literal = f'{prefix}"""{"".join(pieces)} """'
    try:
        node = cst.parse_expression(literal)
    except cst.ParserSyntaxError:
        return  # not a literal a tree can hold
    assert isinstance(node, cst.SimpleString)
    value = read(node)
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
