"""libcst's parse, made cheaper for trees that are only read.

libcst's parser builds each node by calling its class, a frozen dataclass: the generated
``__init__`` sets every field through ``object.__setattr__`` (frozen classes refuse plain
assignment) and then validates the node. At the first parse, each node class takes a
constructor with the same parameters that, while :func:`parse_module` runs, sets the fields
straight through their slots and skips the validation (the parser builds only valid nodes:
libcst's own PERF note in ``CSTNode.__post_init__``), and otherwise calls the class's own
constructor, so nodes that checks build for fixes are validated as usual. The two savings
are a fifth of a parse (measured on Django's largest files). The constructors stay: setting
a class attribute for every file costs more than a flag read per node.

A large data table at a module's top level (``NAME = {...}`` spanning tens of kilobytes) is
parsed in groups of elements, whose nodes are then put together into the tree the whole parse
builds: libcst's native parser holds about 8 kB per token until a parse returns, so the
standard library's 740 kB table of strings (``pydoc_data/topics.py``) peaks 130 MB above the
interpreter when parsed whole and 30 MB in groups, and parses 15 % faster.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from itertools import pairwise
from types import MemberDescriptorType
from typing import Any

import libcst as cst

from integrity_lint.bytecode import compiled

# Read by the quick constructors: whether a parse is under way (one flag for the process).
_PARSING = [False]


def parse_module(source: str) -> cst.Module:
    """``libcst.parse_module(source)``, with the quick constructors (it raises as libcst's)."""
    with _parsing():
        if len(source) >= _LARGE_DISPLAY:
            module = _parse_in_groups(source)
            if module is not None:
                return module
        return cst.parse_module(source)


@contextmanager
def _parsing() -> Iterator[None]:
    install()
    _PARSING[0] = True
    try:
        yield
    finally:
        _PARSING[0] = False


@cache
def install() -> None:
    """Give each node class its quick constructor (once per process; a parse does it first)."""
    for node_class, (quick, _) in _quick_constructors().items():
        node_class.__init__ = quick  # type: ignore[misc]


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


@dataclasses.dataclass(frozen=True)
class _Display:
    """A large display, cut before the elements that start its groups after the first: the
    skeleton keeps its first group and its last, the groups between are parsed apart."""

    statement: int  # its statement's place among the module's top-level statements
    kind: type[ast.expr]
    cuts: list[int]  # offsets in the source where the second to the last group start
    first: int  # elements in the first group
    last: int  # elements in the last group


def _parse_in_groups(source: str) -> cst.Module | None:
    """The tree of a module with large displays, parsed in groups; None when it has none,
    or when a piece fails to parse (the whole parse then decides)."""
    displays = _large_displays(source)
    if not displays:
        return None
    skeleton, at = [], 0
    for display in displays:
        skeleton.append(source[at : display.cuts[0]])
        at = display.cuts[-1]
    skeleton.append(source[at:])
    try:
        module = cst.parse_module("".join(skeleton))
        middles = {display.statement: (display, _middle(source, display)) for display in displays}
    except Exception:  # any failure of a piece: the whole parse decides
        return None
    return _splice(module, middles)


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
    if "\r" in source or not any(
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


Constructor = Callable[..., None]


@cache
def _quick_constructors() -> dict[type[cst.CSTNode], tuple[Constructor, Constructor]]:
    """Per libcst node class, its quick constructor and its own. A class this cannot mirror
    exactly (a field that is not a slot, keyword-only or not in ``__init__``) keeps its own
    constructor, validation included."""
    found: dict[type[cst.CSTNode], tuple[Constructor, Constructor]] = {}
    pending: list[type[cst.CSTNode]] = [cst.CSTNode]
    while pending:
        node_class = pending.pop()
        pending.extend(node_class.__subclasses__())
        own = vars(node_class).get("__init__")
        if (
            own is not None
            and node_class.__module__.startswith("libcst.")
            and dataclasses.is_dataclass(node_class)
            and not getattr(node_class, "__abstractmethods__", None)
        ):
            quick = _quick_constructor(node_class)
            if quick is not None:
                found[node_class] = (quick, own)
    return found


def _quick_constructor(node_class: type[cst.CSTNode]) -> Constructor | None:
    """An ``__init__`` with the dataclass's parameters (same order, defaults and default
    factories) that sets each field through its slot during a parse, and otherwise hands
    its arguments to the class's own ``__init__``."""
    own = vars(node_class)["__init__"]
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY, "_PARSING": _PARSING, "_own": own}
    parameters, arguments, body = ["self"], [], []
    for index, field in enumerate(dataclasses.fields(node_class)):
        slot = getattr(node_class, field.name, None)
        if not field.init or field.kw_only or not isinstance(slot, MemberDescriptorType):
            return None
        namespace[f"_set{index}"] = slot.__set__
        value = field.name
        if field.default is not dataclasses.MISSING:
            namespace[f"_default{index}"] = field.default
            parameters.append(f"{field.name}=_default{index}")
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"_factory{index}"] = field.default_factory
            parameters.append(f"{field.name}=_FACTORY")
            value = f"_factory{index}() if {field.name} is _FACTORY else {field.name}"
        else:
            parameters.append(field.name)
        arguments.append(value)
        body.append(f"    _set{index}(self, {value})")
    code = "\n".join(
        [
            f"def __init__({', '.join(parameters)}):",
            "    if not _PARSING[0]:",
            f"        return _own(self, {', '.join(arguments)})",
            *body,
        ]
    )
    exec(compiled(code), namespace)
    return namespace["__init__"]  # type: ignore[no-any-return]


class _Factory:
    """The default of a parameter whose field has a default factory (dataclasses' own
    sentinel is private)."""


_FACTORY = _Factory()
