"""Line and column positions for the few nodes a file reports, without libcst's provider.

libcst's ``PositionProvider`` generates the whole module's code and builds a position for
every node; on a file with one finding that costs twice its parse. A parsed module's code is
its source, character for character, so a node's position is an offset into the source:

- a node whose code is one line and occurs once in the source is found by searching for it
  (code on one line does not depend on where it stands: only indentation does, and that
  follows a line break);
- the other nodes are placed by generating the module's code with a state that counts
  characters, records only the wanted nodes, and stops once it has placed them all.

Positions are the ones ``PositionProvider`` gives: syntactic ranges, 1-based lines and
0-based columns, as :class:`~libcst.metadata.CodeRange`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from typing import TypeVar

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodeRange

from integrity_lint.lines import line_starts

_UNRECORDED = nullcontext()


class _Placed(Exception):
    """Every wanted node has its range: the rest of the module need not be generated."""


class _OffsetState(CodegenState):
    """Code generation that records character offsets of the wanted nodes only."""

    def __init__(self, module: cst.Module, wanted: Iterable[cst.CSTNode]) -> None:
        # Not empty, or the module's code generation adds a newline, as to an empty module.
        super().__init__(module.default_indent, module.default_newline, tokens=[""])
        self.offset = 0  # of the next character
        self.wanted = {id(node) for node in wanted}
        self.ranges: dict[int, tuple[int, int]] = {}
        self.starts: dict[int, int] = {}
        self.open = 0  # wanted nodes still to be placed

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.offset += len(token)

    def add_token(self, value: str) -> None:
        self.offset += len(value)

    def pop_trailing_newline(self) -> None:
        """Positions are those of the code with its last newline, like libcst's."""

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self.starts[id(node)] = self.offset

    def after_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self.wanted:
            # Whitespace-inclusive, unless the node recorded its syntactic range already.
            self.ranges.setdefault(key, (self.starts.pop(key), self.offset))
            self.wanted.discard(key)
            if not self.wanted:
                raise _Placed

    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> AbstractContextManager[None]:
        if id(node) not in self.wanted:
            return _UNRECORDED
        return self._recording(node, start_node, end_node)

    @contextmanager
    def _recording(
        self, node: cst.CSTNode, start_node: cst.CSTNode | None, end_node: cst.CSTNode | None
    ) -> Iterator[None]:
        # A range hoisted from children needs theirs, and they are generated inside.
        hoisted = [child for child in (start_node, end_node) if child is not None]
        self.wanted.update(id(child) for child in hoisted)
        start = self.offset
        yield
        end = self.offset
        if start_node is not None:
            start = self.ranges[id(start_node)][0]
        if end_node is not None:
            end = self.ranges[id(end_node)][1]
        self.ranges[id(node)] = (start, end)


class _TextState(_OffsetState):
    """:class:`_OffsetState` that also keeps the generated code (of one node)."""

    def __init__(self, module: cst.Module, wanted: Iterable[cst.CSTNode]) -> None:
        super().__init__(module, wanted)
        self.tokens = []

    def add_indent_tokens(self) -> None:
        super().add_indent_tokens()
        self.tokens.extend(self.indent_tokens)

    def add_token(self, value: str) -> None:
        super().add_token(value)
        self.tokens.append(value)


def node_positions(
    module: cst.Module, source: str, nodes: Iterable[cst.CSTNode]
) -> dict[cst.CSTNode, CodeRange]:
    """The ranges of ``nodes`` in ``source``, the text ``module`` was parsed from."""
    if not module.has_trailing_newline:  # generated with one, then dropped
        source += module.default_newline
    starts = line_starts(source)
    offsets: dict[cst.CSTNode, tuple[int, int]] = {}
    unplaced: list[cst.CSTNode] = []
    for node in dict.fromkeys(nodes):
        found = (0, len(source)) if node is module else _search(module, source, node)
        if found is None:
            unplaced.append(node)
        else:
            offsets[node] = found
    if unplaced:
        state = _generate(module, _OffsetState(module, unplaced))
        offsets.update((node, state.ranges[id(node)]) for node in unplaced)
    return {
        node: CodeRange(_position(starts, start), _position(starts, end))
        for node, (start, end) in offsets.items()
    }


def _search(module: cst.Module, source: str, node: cst.CSTNode) -> tuple[int, int] | None:
    """The node's range when its one-line code occurs exactly once in the source."""
    state = _generate(node, _TextState(module, [node]))
    code = "".join(state.tokens)
    if not code or "\n" in code or "\r" in code:
        return None
    at = source.find(code)
    if at < 0 or source.find(code, at + 1) >= 0:
        return None
    start, end = state.ranges[id(node)]
    return at + start, at + end


_State = TypeVar("_State", bound=_OffsetState)


def _generate(node: cst.CSTNode, state: _State) -> _State:
    """Generate ``node``'s code into ``state`` until its wanted nodes are placed."""
    with suppress(_Placed):
        node._codegen(state)
    return state


def _position(starts: list[int], offset: int) -> cst.metadata.CodePosition:
    line = bisect.bisect_right(starts, offset)
    return cst.metadata.CodePosition(line, offset - starts[line - 1])
