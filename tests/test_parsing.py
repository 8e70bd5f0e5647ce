"""The quick parse: the same trees as libcst's own parse, and nodes built outside a parse
built (and validated) by their own constructors."""

from __future__ import annotations

import inspect
from pathlib import Path

import libcst as cst
import pytest

from integrity_lint import parsing

ROOT = Path(__file__).resolve().parent.parent
# Syntax our own code does not use, beside our own code (which uses most of the rest).
SYNTAX = """\
type Alias[T] = list[T]
class C[T: int, *Ts, **P](Base, metaclass=M):
    x: int = 1
    def f[U](self, a, /, b=2, *args, c, d=4, **kw) -> U: ...
async def g():
    async with a as b, c:
        async for i in aiter(x):
            yield await i
    return [i async for i in x if i]
match p:
    case {"k": [1, *rest], **others} | Point(x=0, y=_) if rest:
        pass
    case (1 | 2) as n:
        pass
try:
    pass
except* (E, F) as group:
    raise X from group
del a[1:2:3], b.c
global q
print(f"{x!r:>{width}} {y=}", b'\\x00', r'\\d', 1_000j, 0x1F, 1e-3, ..., lambda *a: (yield))
x = y if (z := w) else not v @ u ** -t
"""


def sources() -> list[tuple[str, str]]:
    files = sorted((ROOT / "src").rglob("*.py")) + sorted((ROOT / "tests").rglob("*.py"))
    found = [(str(path.relative_to(ROOT)), path.read_text("utf-8")) for path in files]
    return [("syntax", SYNTAX), *found]


def test_trees_are_libcsts_own() -> None:
    for name, source in sources():
        quick, own = parsing.parse_module(source), cst.parse_module(source)
        assert quick.deep_equals(own), name
        assert quick.code == source, name


def test_every_node_class_is_built_quickly() -> None:
    """Were libcst to add a node class this cannot mirror, its parse would lose the speed."""
    concrete = {
        value
        for value in vars(cst).values()
        if isinstance(value, type)
        and issubclass(value, cst.CSTNode)
        and not getattr(value, "__abstractmethods__", None)
    }
    assert len(concrete) > 150
    assert concrete <= set(parsing._quick_constructors())


def test_quick_constructors_take_the_dataclass_parameters() -> None:
    for node_class, (quick, own) in parsing._quick_constructors().items():
        ours, theirs = inspect.signature(quick), inspect.signature(own)
        assert list(ours.parameters) == list(theirs.parameters), node_class
        for name, parameter in theirs.parameters.items():
            required = parameter.default is inspect.Parameter.empty
            assert (ours.parameters[name].default is inspect.Parameter.empty) == required


def test_a_quick_node_fills_defaults_like_its_own_constructor() -> None:
    own = cst.Name("x")
    with parsing._parsing():
        quick = cst.Name("x")
        call = cst.Call(cst.Name("f"))
        other = cst.Call(cst.Name("g"))
        cst.Integer("1", lpar=[cst.LeftParen()])  # invalid, and not validated: the quick path
    assert quick.deep_equals(own) and quick.lpar == own.lpar == ()
    assert call.deep_equals(cst.Call(cst.Name("f")))
    assert call.whitespace_before_args is not other.whitespace_before_args  # one per node


@pytest.mark.parametrize("source", ["x = (1 +\n", "def f(:\n"])
def test_outside_a_parse_nodes_are_built_and_validated_by_their_own(source: str) -> None:
    with pytest.raises(cst.ParserSyntaxError):
        parsing.parse_module(source)
    parsing.parse_module("x = 1\n")
    assert not parsing._PARSING[0]
    with pytest.raises(cst.CSTValidationError):
        cst.Integer("1", lpar=[cst.LeftParen()])
    built = cst.Call(cst.Name("f"), whitespace_before_args=cst.SimpleWhitespace(" "))
    assert built.whitespace_before_args.value == " " and built.args == ()
    assert cst.Call(cst.Name("f")).whitespace_before_args.value == ""
