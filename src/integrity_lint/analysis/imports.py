"""Lean import resolution: which module object a name in this file stands for.

libcst's ``QualifiedNameProvider`` needs full scope analysis, which costs several times the
parse on every file. Checks only need to know what ``pickle.loads`` or ``sp.run`` refer to,
and that follows from the file's import statements. The tracker records module-level imports
before the visit starts (so a use above an import at the end of the file still resolves) and
nested imports as the visit reaches them.
"""

from __future__ import annotations

import builtins
from collections import deque
from collections.abc import Iterator, Sequence

import libcst as cst

from integrity_lint.analysis.visitor import BatchedVisitor

_BUILTINS = frozenset(dir(builtins))


def dotted_name(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a chain of attributes over a name, else ``None``."""
    # By type: both classes have no subclasses, and isinstance of another node class goes
    # through ABCMeta (libcst's nodes are ABCs), a Python call, on every one of many calls.
    parts: list[str] = []
    while type(node) is cst.Attribute:
        parts.append(node.attr.value)
        node = node.value
    if type(node) is not cst.Name:
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


class ImportTracker(BatchedVisitor):
    """Maps local names bound by imports to the qualified names they refer to."""

    def __init__(self) -> None:
        super().__init__()
        self.bindings: dict[str, str] = {}
        self._version = 0  # counts changes of the bindings
        # Checks ask for the same callee again and again: answers by node id, each kept with
        # its node (so that the id is not reused) and the bindings' version it holds for.
        self._answers: dict[int, tuple[cst.BaseExpression, int, str | None]] = {}

    def prescan(self, module: cst.Module) -> None:
        """Record the imports of module-level statements, including ``if``/``try`` blocks."""
        pending: deque[cst.CSTNode] = deque(module.body)
        while pending:
            statement = pending.popleft()
            if isinstance(statement, cst.SimpleStatementLine):
                self._record(statement.body)
            elif isinstance(statement, (cst.If, cst.Else, cst.Try, cst.TryStar, cst.With)):
                for suite in _suites(statement):
                    if isinstance(suite, cst.SimpleStatementSuite):
                        self._record(suite.body)
                    elif isinstance(suite, cst.IndentedBlock):
                        pending.extend(suite.body)
                    else:
                        pending.append(suite)

    def _record(self, statements: Sequence[cst.BaseSmallStatement]) -> None:
        for small in statements:
            if isinstance(small, cst.Import):
                self.visit_Import(small)
            elif isinstance(small, cst.ImportFrom):
                self.visit_ImportFrom(small)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted_name(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.bindings[alias.asname.name.value] = full
                self._version += 1
            else:
                head = full.split(".", 1)[0]
                self.bindings[head] = head
                self._version += 1

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        module = dotted_name(node.module) if node.module is not None else ""
        prefix = "." * len(node.relative) + (module or "")
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.bindings[local] = prefix + name if prefix.endswith(".") else f"{prefix}.{name}"
            self._version += 1

    def qualify(self, node: cst.BaseExpression) -> str | None:
        """The qualified name an expression refers to through imports, or ``None``.

        ``sp.run`` after ``import subprocess as sp`` is ``subprocess.run``; a bare builtin
        such as ``eval`` that no import rebinds is ``builtins.eval``.
        """
        known = self._answers.get(id(node))
        if known is not None and known[1] == self._version:
            return known[2]
        answer = self._qualify(node)
        self._answers[id(node)] = (node, self._version, answer)
        return answer

    def _qualify(self, node: cst.BaseExpression) -> str | None:
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        bound = self.bindings.get(head)
        if bound is None:
            if head in _BUILTINS and not rest:
                return f"builtins.{head}"
            return None
        return f"{bound}.{rest}" if rest else bound


def _suites(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The blocks of a compound statement; a chained ``elif`` comes back as its ``If``."""
    yield node.body  # type: ignore[attr-defined]
    for handler in getattr(node, "handlers", ()):
        yield handler.body
    for part in (getattr(node, "orelse", None), getattr(node, "finalbody", None)):
        if isinstance(part, (cst.If, cst.Else)):
            yield part
        elif part is not None:
            yield part.body
