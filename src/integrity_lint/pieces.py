"""A large module parsed in pieces, put together into the tree its whole parse builds.

libcst's native parser keeps every token and a memo of what it has tried at each one until
the parse returns (about 8 kB a token), so the cost of a token grows with the size of the
file around it. Parsed in pieces of a few kilobytes, Django's modules parse 4-5 % faster;
the standard library's 740 kB table of strings (``pydoc_data/topics.py``, one statement)
parses 20 % faster and peaks 130 MB above the interpreter when parsed whole, 30 MB in
pieces.

Two kinds of cut, both where the whole parse ends one node and starts the next:

- before a line that starts a top-level ``def``, ``class`` or decorator, every
  ``PIECE`` characters or so: each piece is a module of its own, and what libcst gives a
  piece's footer (blank lines and comments at the top level after its last statement) the
  whole parse gives the next statement;
- before an element of a large display assigned at the top level (``NAME = {...}`` over
  ``_LARGE_DISPLAY`` characters), where `ast` says its elements are: the groups between the
  first and the last are parsed as displays of their own and their elements put back.

A cut at a line guessed wrong (inside a string or brackets) leaves a piece that does not parse;
any failure returns None and the whole parse decides. Sources with carriage returns are
parsed whole. Tests check the trees against libcst's whole parse, cut everywhere they can be.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from itertools import pairwise

import libcst as cst

# Sources this long or longer are cut in pieces of about this many characters.
PIECE = 4096
_TOP_LEVEL_DEFINITION = re.compile(r"^(?:@|def[ \t]|class[ \t]|async[ \t]+def[ \t])", re.M)
_DEFAULT_INDENT = "    "  # libcst's, for a module without an indented block

# A display whose elements span this many characters is parsed in groups of about _GROUP.
_LARGE_DISPLAY = 64 * 1024
_GROUP = 16 * 1024
# A line that may start such a statement. Only when the next line at column 0 is as far does
# the file's `ast.parse` say where the display's elements are (other large files skip it).
_CANDIDATE = re.compile(r"^[A-Za-z_][\w.]*[ \t]*(?::[^=\n]*)?=[ \t]*[\[{(]", re.MULTILINE)
_NEXT_TOP_LEVEL_LINE = re.compile(r"\n[^\s#)\]}]")
# What may stand between two elements where they are cut apart: one comma, white space,
# backslashes that join lines and comments (no parenthesis: `ast` leaves them out of nodes).
_COMMENT = re.compile(r"#[^\n]*")
_GAP = frozenset(" \t\f\n\\,")
# A group is parsed as a display of its own, closed by a placeholder element so that the
# white space after its last comma is read as the whole display reads it, before an element.
_GROUP_DISPLAY = {ast.Dict: "{%s0: 0}", ast.List: "[%s0]", ast.Set: "{%s0}", ast.Tuple: "(%s0)"}
_CST_DISPLAY = {ast.Dict: cst.Dict, ast.List: cst.List, ast.Set: cst.Set, ast.Tuple: cst.Tuple}


def parse_in_pieces(source: str) -> cst.Module | None:
    """The module's tree, parsed in pieces; None when a piece fails to parse, or the source
    is one to parse whole."""
    if "\r" in source:
        return None
    displays = _large_displays(source) if len(source) >= _LARGE_DISPLAY else []
    skeleton, at = [], 0
    for display in displays:
        skeleton.append(source[at : display.cuts[0]])
        at = display.cuts[-1]
    skeleton.append(source[at:])
    try:
        module = _parse_statements("".join(skeleton))
        middles = {display.statement: (display, _middle(source, display)) for display in displays}
    except Exception:  # any failure of a piece: the whole parse decides
        return None
    return _splice(module, middles) if module is not None and middles else module


def _parse_statements(source: str) -> cst.Module | None:
    """The module parsed in pieces cut before top-level definitions (None if the pieces'
    indents disagree)."""
    cuts: list[int] = []
    last = counted = double = single = 0
    for match in _TOP_LEVEL_DEFINITION.finditer(source, PIECE):
        start = match.start()
        if start - last < PIECE:
            continue
        # After an odd number of triple quotes the line is likely in a string; after a
        # decorator or a bracket closing at column 0 (perhaps a decorator's), in a definition.
        double += source.count('"""', counted, start)
        single += source.count("'''", counted, start)
        counted = start
        previous_line = source.rfind("\n", 0, start - 1) + 1
        if double % 2 == single % 2 == 0 and source[previous_line] not in "@)]}":
            cuts.append(start)
            last = start
    if cuts and len(source) - cuts[-1] < PIECE // 2:
        cuts.pop()  # the last piece joins the one before
    if not cuts:
        return cst.parse_module(source)
    return _joined([cst.parse_module(source[a:b]) for a, b in pairwise([0, *cuts, len(source)])])


def _joined(modules: list[cst.Module]) -> cst.Module | None:
    """The modules of consecutive pieces as one (None if their indents disagree)."""
    indents = {module.default_indent for module in modules}
    if len(indents) > 1:
        indents = {m.default_indent for m in modules if _has_indented_block(m)}
        if len(indents) > 1:
            return None
    body = list(modules[0].body)
    for previous, module in pairwise(modules):
        if module.header or not module.body:
            return None
        first, *rest = module.body
        if previous.footer:
            first = first.with_changes(leading_lines=[*previous.footer, *first.leading_lines])
        body += [first, *rest]
    return modules[0].with_changes(
        body=body,
        footer=modules[-1].footer,
        default_indent=indents.pop() if indents else _DEFAULT_INDENT,
        has_trailing_newline=modules[-1].has_trailing_newline,
    )


def _has_indented_block(module: cst.Module) -> bool:
    """Whether the module holds an indented block (whose indent libcst took as the module's
    default): its top-level compound statements are searched, down to their suites."""
    pending: list[cst.CSTNode] = list(module.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (cst.IndentedBlock, cst.Match)):
            return True
        pending.extend(
            child
            for child in node.children
            if isinstance(
                child,
                (
                    cst.BaseCompoundStatement,
                    cst.BaseSuite,
                    cst.Else,
                    cst.ExceptHandler,
                    cst.ExceptStarHandler,
                    cst.Finally,
                ),
            )
        )
    return False


@dataclasses.dataclass(frozen=True)
class _Display:
    """A large display, cut before the elements that start its groups after the first: the
    skeleton keeps its first group and its last, the groups between are parsed apart."""

    statement: int  # its statement's place among the module's top-level statements
    kind: type[ast.expr]
    cuts: list[int]  # offsets in the source where the second to the last group start
    first: int  # elements in the first group
    last: int  # elements in the last group


def _middle(source: str, display: _Display) -> list[cst.CSTNode]:
    """The elements of the display's groups between its first and its last."""
    elements: list[cst.CSTNode] = []
    for start, end in pairwise(display.cuts):
        group = cst.parse_expression(_GROUP_DISPLAY[display.kind] % source[start:end])
        elements.extend(group.elements[:-1])  # type: ignore[attr-defined]
    return elements


def _splice(
    module: cst.Module, middles: dict[int, tuple[_Display, list[cst.CSTNode]]]
) -> cst.Module | None:
    """The skeleton's tree with each display's middle elements put back in place (None when
    the skeleton's statements are not the ones `ast` found)."""
    body, index = list(module.body), 0
    for position, line in enumerate(module.body):
        if not isinstance(line, cst.SimpleStatementLine):
            index += 1
            continue
        small = list(line.body)
        for offset, statement in enumerate(line.body):
            if index + offset not in middles:
                continue
            display, middle = middles[index + offset]
            value = getattr(statement, "value", None)
            if (
                not isinstance(statement, (cst.Assign, cst.AnnAssign))
                or type(value) is not _CST_DISPLAY[display.kind]
                or len(value.elements) != display.first + display.last
            ):
                return None
            kept = list(value.elements)
            elements = [*kept[: display.first], *middle, *kept[display.first :]]
            small[offset] = statement.with_changes(value=value.with_changes(elements=elements))
        if small != list(line.body):
            body[position] = line.with_changes(body=small)
        index += len(small)
    return module.with_changes(body=body)


def _large_displays(source: str) -> list[_Display]:
    """The displays assigned at the module's top level whose elements span _LARGE_DISPLAY
    characters, in source order (none in a source `ast` cannot parse: libcst will say why)."""
    if not any(
        (next_line := _NEXT_TOP_LEVEL_LINE.search(source, match.end())) is None
        or next_line.start() - match.start() >= _LARGE_DISPLAY
        for match in _CANDIDATE.finditer(source)
    ):
        return []
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    offsets = _Offsets(source)
    displays = []
    for index, statement in enumerate(tree.body):
        value = statement.value if isinstance(statement, (ast.Assign, ast.AnnAssign)) else None
        display = _cut(source, offsets, index, value) if value is not None else None
        if display is not None:
            displays.append(display)
    return displays


def _cut(source: str, offsets: _Offsets, index: int, value: ast.expr) -> _Display | None:
    """The display cut in groups, or None when it is not one to cut."""
    if isinstance(value, ast.Dict):
        if None in value.keys:  # `**mapping`: its node starts after the `**`
            return None
        starts: list[ast.expr] = value.keys  # type: ignore[assignment]
        ends = value.values
    elif isinstance(value, (ast.List, ast.Set)) or (
        isinstance(value, ast.Tuple) and source[offsets.start(value)] == "("
    ):
        starts = ends = value.elts  # type: ignore[attr-defined]
    else:
        return None
    if len(starts) < 3 or offsets.start(starts[-1]) - offsets.start(starts[0]) < _LARGE_DISPLAY:
        return None
    cuts: list[int] = []  # where groups start, after the first
    numbers: list[int] = []  # the numbers of the elements there
    group_start = offsets.start(starts[0])
    for number in range(1, len(starts)):
        start = offsets.start(starts[number])
        if start - group_start < _GROUP:
            continue
        gap = _COMMENT.sub("", source[offsets.end(ends[number - 1]) : start])
        if gap.count(",") != 1 or not _GAP.issuperset(gap):
            return None  # a parenthesised element: `ast` leaves its parentheses out
        cuts.append(start)
        numbers.append(number)
        group_start = start
    if len(cuts) < 2:
        return None
    return _Display(index, type(value), cuts, numbers[0], len(starts) - numbers[-1])


class _Offsets:
    """Offsets in a source of `ast` positions (line numbers and UTF-8 byte columns)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines = [0, *(match.end() for match in re.finditer("\n", source))]

    def start(self, node: ast.expr) -> int:
        return self._offset(node.lineno, node.col_offset)

    def end(self, node: ast.expr) -> int:
        return self._offset(node.end_lineno or node.lineno, node.end_col_offset or 0)

    def _offset(self, line: int, column: int) -> int:
        start = self.lines[line - 1]
        prefix = self.source[start : start + column]
        if not prefix.isascii():
            end = self.lines[line] if line < len(self.lines) else len(self.source)
            prefix = self.source[start:end].encode()[:column].decode()
        return start + len(prefix)
