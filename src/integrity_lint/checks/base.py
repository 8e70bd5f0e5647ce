"""The check API: a check is a small libcst visitor that calls ``self.report(...)``.

All enabled checks of a file run in one batched visit over one parse. A check declares

- ``codes``: the rule codes it can report (the first is the default for ``report``);
- ``tokens``: words without which it cannot fire; a file whose text contains none of them
  never runs the check (and, if no check is left, is never parsed by libcst);
- ``active``: whether the configuration lets it fire at all (rules that only work on
  configured names are not run without them);
- ``METADATA_DEPENDENCIES``: the libcst metadata it needs, resolved only when it runs.

Positions are not a dependency: the engine computes them only for nodes that were reported.

Where a check runs on most nodes it tests a node's class with ``type(node) is cst.Call``
rather than ``isinstance``: libcst's classes are ABCs, and ``isinstance`` of a value that is
not an instance is a Python call. Only for classes libcst derives nothing from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from integrity_lint.analysis.imports import ImportTracker
from integrity_lint.analysis.visitor import BatchedVisitor

if TYPE_CHECKING:
    from integrity_lint.config import Settings


@dataclass
class FileContext:
    """What a check may know about the file being checked."""

    path: str
    source: str
    settings: Settings
    imports: ImportTracker
    scope: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    """A finding as a check raises it: a node of the tree, not yet a position."""

    code: str
    node: cst.CSTNode
    message: str
    scope: str
    fix: cst.CSTNode | cst.RemovalSentinel | None = None
    replaces: cst.CSTNode | None = None  # the node ``fix`` replaces, when not ``node`` itself


class Check(BatchedVisitor):
    codes: ClassVar[tuple[str, ...]] = ()
    tokens: ClassVar[tuple[str, ...]] = ()
    casefold_tokens: ClassVar[bool] = False

    def __init__(self, context: FileContext) -> None:
        super().__init__()
        self.context = context
        self.reports: list[Report] = []

    @classmethod
    def active(cls, settings: Settings) -> bool:
        """Whether the check can report anything with this configuration at all."""
        return True

    @classmethod
    def may_match(cls, text: str, folded: str) -> bool:
        """Whether the file's text contains one of the check's tokens."""
        if not cls.tokens:
            return True
        haystack = folded if cls.casefold_tokens else text
        tokens = _SEARCH_ORDERS.get(cls) or cls.tokens
        for index, token in enumerate(tokens):
            if token in haystack:
                if index:
                    _move_forward(cls, tokens, index)
                return True
        return False

    def report(
        self,
        node: cst.CSTNode,
        message: str,
        *,
        code: str | None = None,
        fix: cst.CSTNode | cst.RemovalSentinel | None = None,
        replaces: cst.CSTNode | None = None,
    ) -> None:
        """Report ``node``; ``fix`` is the replacement for ``replaces`` (default: ``node``).

        The rule file's ``fix`` kind (safe or unsafe) says when the engine may apply it. A
        fix may replace a larger node than the one reported, for example the whole call
        when one argument goes, so that the commas stay right.
        """
        self.reports.append(
            Report(
                code=code or self.codes[0],
                node=node,
                message=message,
                scope=".".join(self.context.scope),
                fix=fix,
                replaces=replaces,
            )
        )

    def qualified_name(self, node: cst.BaseExpression) -> str | None:
        """What ``node`` names through the file's imports (``sp.run`` → ``subprocess.run``)."""
        return self.context.imports.qualify(node)


# Per check, its tokens in the order this process searches for them.
_SEARCH_ORDERS: dict[type[Check], tuple[str, ...]] = {}


def _move_forward(check: type[Check], tokens: tuple[str, ...], index: int) -> None:
    """A token found moves one place forward, so that the tokens most files hold come to be
    searched first: a search for an absent token reads the whole text. The order is
    replaced, never changed in place, so a search under way sees every token."""
    order = list(tokens)
    order[index - 1], order[index] = order[index], order[index - 1]
    _SEARCH_ORDERS[check] = tuple(order)


class ScopeOpener(BatchedVisitor):
    """Pushes the enclosing class/function name; runs before every check on a node."""

    def __init__(self, scope: list[str]) -> None:
        super().__init__()
        self.scope = scope

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scope.append(node.name.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scope.append(node.name.value)


class ScopeCloser(BatchedVisitor):
    """Pops what :class:`ScopeOpener` pushed; runs after every check has left the node."""

    def __init__(self, scope: list[str]) -> None:
        super().__init__()
        self.scope = scope

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scope.pop()

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scope.pop()
