"""Large modules parsed in pieces: the same trees as libcst's whole parse, cut wherever a
cut can be made, and the whole parse wherever a piece would not parse alone."""

from __future__ import annotations

import ast

import libcst as cst
import pytest

from integrity_lint import pieces
from integrity_lint.parsing import parse_module

from . import test_parsing


def assert_same_tree(source: str) -> None:
    quick, own = parse_module(source), cst.parse_module(source)
    assert quick.deep_equals(own)
    assert quick.code == source


DEFINITIONS = """\
# header comment
\"\"\"Docstring with code at column 0:
def not_a_cut():
    pass
\"\"\"
import os

x = f(
    1,
)
def f():  # a two-space indent, first found in a later piece
  pass
  # indented after the block: the block's footer

# at column 0: the next statement's
@decorator(
    a,
)
@other
class C:
  def m(self):
    return 1
async def g(): return 2
# the module's footer
"""


def test_a_module_cut_before_every_definition_gives_the_same_tree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pieces, "PIECE", 1)
    source = DEFINITIONS.replace("import os\n", "import os\n" + "y = 1\n" * 10)
    assert pieces.parse_in_pieces(source) is not None
    assert_same_tree(source)


def test_every_module_cut_wherever_it_can_be_gives_the_same_trees(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Our own sources, cut before every top-level definition and every element of every
    top-level display (of three elements or more)."""
    monkeypatch.setattr(pieces, "PIECE", 1)
    monkeypatch.setattr(pieces, "_LARGE_DISPLAY", 0)
    monkeypatch.setattr(pieces, "_GROUP", 0)
    cut = with_displays = 0
    for name, source in test_parsing.sources():
        quick = pieces.parse_in_pieces(source)
        if quick is not None:
            cut += 1
            with_displays += bool(pieces._large_displays(source))
            assert quick.deep_equals(cst.parse_module(source)), name
            assert quick.code == source, name
    assert cut > 100 and with_displays > 20


@pytest.mark.parametrize(
    "source",
    [
        "@decorator(a,\n           b)\ndef f():\n    pass\n",  # the cut splits the decorator
        "if x:\n        a = 1\nclass C:\n    pass\n",  # the pieces' indents differ
        "x = 1\r\ndef f():\r\n    pass\r\n",
    ],
)
def test_a_module_that_cannot_be_cut_is_parsed_whole(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pieces, "PIECE", 1)
    assert pieces.parse_in_pieces(source) is None
    assert_same_tree(source)


def test_a_syntax_error_in_a_piece_is_raised_by_the_whole_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pieces, "PIECE", 1)
    with pytest.raises(cst.ParserSyntaxError):
        parse_module("x = 1\ndef f(:\n    pass\ndef g():\n    pass\n")


def _table(opening: str, closing: str, element: str, count: int, separator: str = ",\n") -> str:
    body = separator.join(element.format(n=n, text="é" * (n % 3) + "x" * 600) for n in range(count))
    return f"{opening}{body}{closing}"


# Large top-level displays of every kind, with what may stand between their elements.
LARGE_DISPLAYS = {
    "dict": "# header\ntopics = " + _table("{", "}\n", "'k{n}': 'a{text}'\n    'b'", 300, ",\n "),
    "list, comments": "X: list[str] = "
    + _table("[\n    ", ",  # last\n]\n", "'{text}'", 300, ",  # note\n\n    # ...\n    "),
    "set, backslashes": "import os\nS = "
    + _table("{", "}\n", "f'{n}{{os.sep}}{text}'", 300, " ,\\\n "),
    "tuple, two displays": "a = 1\nT = "
    + _table("(", ",); b = 2\n", "({n}, b'{n}', '{text}')", 300, ", ")
    + "L = "
    + _table("[", "]\n", "-{n}, '{text}'", 300, ", ")
    + "def f():\n    return L\n",
}


@pytest.mark.parametrize("name", LARGE_DISPLAYS)
def test_large_displays_are_parsed_in_groups_into_the_same_tree(name: str) -> None:
    source = LARGE_DISPLAYS[name]
    assert len(pieces._large_displays(source)) == 1 + name.count("two")
    assert_same_tree(source)


@pytest.mark.parametrize(
    "source",
    [
        "X = " + _table("[", "]\n", "('{text}')", 300),  # parentheses `ast` leaves out
        "X = " + _table("{", "}\n", "'{n}': '{text}', **d{n}", 300),
        "X = " + _table("", "\n", "'{text}'", 300),  # a tuple without parentheses
        "def f():\n    X = " + _table("[", "]\n", "'{text}'", 300),  # not at the top level
        "X = " + _table("[", "]\r\n", "'{text}'", 300, ",\r\n"),
        "X = " + _table("[", "]\n", "'''\n{text}'''", 300),  # lines start at column 0
    ],
)
def test_other_displays_are_parsed_whole(source: str) -> None:
    assert len(source) > pieces._LARGE_DISPLAY
    assert pieces._large_displays(source) == []
    assert parse_module(source).deep_equals(cst.parse_module(source))


def test_a_source_ast_refuses_is_parsed_whole() -> None:
    source = "X = " + _table("[", "]\n", "'{text}'", 300, ",\n ") + "def f(:\n"
    assert pieces._large_displays(source) == []
    with pytest.raises(cst.ParserSyntaxError):
        parse_module(source)


def test_a_group_that_fails_to_parse_leaves_the_parse_to_the_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = "X = " + _table("[", "]\n", "'{text}'", 300, ",\n ")
    assert pieces._large_displays(source)
    monkeypatch.setitem(pieces._GROUP_DISPLAY, ast.List, "[%s")
    assert pieces.parse_in_pieces(source) is None
    assert parse_module(source).deep_equals(cst.parse_module(source))
