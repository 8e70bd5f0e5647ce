"""Positions of reported nodes agree with libcst's PositionProvider on every node."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from integrity_lint.positions import node_positions

SOURCES = {
    "plain": "import os\nx = os.path.join('a', 'b')\n",
    "no trailing newline": "def f(a,\n      b):  # c\n    return (a\n        + b)",
    "crlf": "if x:\r\n    y = (1 +\r\n         2)\r\nelse:\r\n    y = 3\r\n",
    "duplicates": "log(email)\nlog(email)\nif a:\n    log(email)\n",
    "form feed and unicode": "s = 'é' ;  t = f'{s!r:>10}'\n\x0c\nclass C:\n    ü = 1\n",
    "decorators and comments": (
        "# head\n\n@dec(1)\n@other\nasync def g():\n    # inside\n    await h()\n"
        "    with open(p) as f, open(q):\n        pass\n"
    ),
    "try and match": (
        "try:\n    a()\nexcept (E, F) as e:\n    b()\nelse:\n    c()\nfinally:\n    d()\n"
        "match p:\n    case [1, *rest] if rest:\n        pass\n    case _:\n        pass\n"
    ),
    "nested indentation": (
        "class A:\n  def f(self):\n    if self:\n      return [\n        i for i in range(3)\n"
        "      ]\n"
    ),
}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_node_placed_like_the_provider(name: str) -> None:
    source = SOURCES[name]
    module = cst.parse_module(source)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    nodes = list(expected)
    assert node_positions(module, source, nodes) == dict(expected)
    for node in nodes:  # one at a time: the search path and the early stop
        assert node_positions(module, source, [node]) == {node: expected[node]}


def test_no_nodes_no_positions() -> None:
    module = cst.parse_module("x = 1\n")
    assert node_positions(module, "x = 1\n", []) == {}
