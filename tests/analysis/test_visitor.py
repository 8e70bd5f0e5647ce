"""The batched walk calls what libcst's ``visit_batched`` calls, in the same order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import libcst as cst
import pytest

from integrity_lint.analysis.visitor import BatchedVisitor, visit_batched

NODE_CLASSES = sorted(
    name
    for name, value in vars(cst).items()
    if isinstance(value, type) and issubclass(value, cst.CSTNode)
)
ATTRIBUTE_HOOKS = ("If_body", "If_orelse", "While_body", "Call_args", "FormattedString_parts")


def _recorder(
    events: list[tuple[str, int]],
    tag: str,
    names: Sequence[str] = NODE_CLASSES,
    hooks: Sequence[str] = ATTRIBUTE_HOOKS,
) -> BatchedVisitor:
    def method(kind: str) -> Callable[..., None]:
        def record(self: BatchedVisitor, node: cst.CSTNode) -> None:
            events.append((f"{tag}:{kind}", id(node)))

        return record

    methods = {
        f"{prefix}_{name}": method(f"{prefix}_{name}")
        for name in names
        for prefix in ("visit", "leave")
    }
    methods.update(
        {
            f"{prefix}_{hook}": method(f"{prefix}_{hook}")
            for hook in hooks
            for prefix in ("visit", "leave")
        }
    )
    return type(f"Recorder{tag}", (BatchedVisitor,), methods)()


SOURCES = [
    "x = f'{a!r:>{width}}' + f'{b}' + f'{c=}'\n",
    "from . import (a, b as c)\nfrom x import *\nimport y.z as w\n",
    "if a:\n    b()\nelif c:\n    pass\nelse:\n    d(*e, **f)\nwhile x: y()\n",
    "@d\nclass C(B, metaclass=M):\n    def f(self, a: int = 1, /, *b, c, **d) -> None:\n"
    "        return [i async for i in g() if i] or {k: v for k, v in h}\n",
    "try:\n    pass\nexcept* E:\n    pass\n",
    "match p:\n    case {'k': [1, *r]} | C(x=2) if r:\n        pass\n",
    "lambda x, *, y=1: (yield x) if y else -x\nglobal q\ndel a[1:2, ::3]\n",
]


@pytest.mark.parametrize("source", SOURCES)
def test_same_calls_in_the_same_order_as_libcst(source: str) -> None:
    module = cst.parse_module(source)
    ours: list[tuple[str, int]] = []
    theirs: list[tuple[str, int]] = []
    visit_batched(module, [_recorder(ours, "a"), _recorder(ours, "b")])
    cst.visit_batched(module, [_recorder(theirs, "a"), _recorder(theirs, "b")])
    assert ours == theirs
    assert len(ours) > 20


def test_same_calls_on_this_project_source() -> None:
    source = (Path(__file__).parents[2] / "src/integrity_lint/engine.py").read_text()
    module = cst.parse_module(source)
    ours: list[tuple[str, int]] = []
    theirs: list[tuple[str, int]] = []
    visit_batched(module, [_recorder(ours, "a")])
    cst.visit_batched(module, [_recorder(theirs, "a")])
    assert ours == theirs


# Visitors of a few classes: the walk skips subtrees that cannot hold them (whitespace,
# operators), and must still reach every node they are for.
SUBSETS = [
    (("Comment",), ()),
    (("Name",), ()),
    (("SimpleString", "Call"), ("Call_args",)),
    (("Param", "FormattedStringText"), ()),
    (("EmptyLine", "Newline", "SimpleWhitespace"), ("If_orelse",)),
    ((), ("If_body", "While_body")),
]


@pytest.mark.parametrize(("names", "hooks"), SUBSETS)
def test_a_few_methods_see_what_libcst_shows_them(
    names: tuple[str, ...], hooks: tuple[str, ...]
) -> None:
    sources = [*SOURCES, (Path(__file__).parents[2] / "src/integrity_lint/engine.py").read_text()]
    seen = 0
    for source in sources:
        module = cst.parse_module(source + "x = (  # a comment in brackets\n    1)\n")
        ours: list[tuple[str, int]] = []
        theirs: list[tuple[str, int]] = []
        visit_batched(module, [_recorder(ours, "a", names, hooks)])
        cst.visit_batched(module, [_recorder(theirs, "a", names, hooks)])
        assert ours == theirs
        seen += len(ours)
    assert seen


# Every node class alone: the walk leaves out fields by their declared types (forward
# references such as ``If.orelse: "If"`` included) and must still reach each node of it.
WIDE_SOURCE = "\n".join(
    [
        *SOURCES,
        "class G[T, *Ts, **P]:\n    type A[U] = list[U]\n",
        "with (open(a) as b, c):\n    del d; global e\n    assert f, 'g'\n",
        "for i in range(3):\n    continue\nelse:\n    break\n",
        "lambda: (yield)\nx: int = 1\ny @= z\nraise E from F\nnonlocal q\n",
        "s = 'a' 'b' f'c' \"\"\"d\"\"\"\nr = b'e' rb'f'\nt = a if b else c\nu = not -v ** ~w\n",
        (Path(__file__).parents[2] / "src/integrity_lint/filepass.py").read_text(),
    ]
)


def test_each_class_alone_sees_what_libcst_shows_it() -> None:
    module = cst.parse_module(WIDE_SOURCE)
    reached = 0
    for name in NODE_CLASSES:
        ours: list[tuple[str, int]] = []
        theirs: list[tuple[str, int]] = []
        visit_batched(module, [_recorder(ours, "a", (name,), ())])
        cst.visit_batched(module, [_recorder(theirs, "a", (name,), ())])
        assert ours == theirs, name
        reached += bool(ours)
    assert reached > 120  # the classes the source holds


class _Mixin:
    def visit_Name(self, node: cst.Name) -> None: ...


class _Listed(_Mixin, BatchedVisitor):
    def leave_Call(self, original_node: cst.Call) -> None: ...

    def visit_If_body(self, node: cst.If) -> None: ...

    visit_Pass = None  # not callable: not a method


def test_the_methods_listed_are_those_libcst_lists() -> None:
    visitor = _Listed()
    ours = visitor.get_visitors()
    assert set(ours) == {"visit_Name", "leave_Call", "visit_If_body"}
    assert set(ours) == set(cst.BatchableCSTVisitor.get_visitors(visitor))
