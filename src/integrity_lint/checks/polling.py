"""SUS202: loops that poll without pausing long enough.

Three shapes, each decidable from the loop itself: a ``while`` loop that spins on an empty
body; one whose only pause is a constant sleep shorter than ``TINY_SLEEP`` (a busy wait
that wakes the CPU dozens of times a second); and one that calls an HTTP client and pauses a
constant time under a second, with no backoff. An HTTP loop without any sleep is more often
a paginated fetch than a poll, and is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from integrity_lint.analysis.literals import literal_value
from integrity_lint.checks.base import Check, FileContext

_SLEEPS = frozenset({"time.sleep", "asyncio.sleep", "gevent.sleep", "trio.sleep", "anyio.sleep"})
_HTTP_PREFIXES = ("requests.", "httpx.", "aiohttp.", "urllib.request.urlopen", "urllib3.")
TINY_SLEEP = 0.05  # seconds: below this a loop wakes more than twenty times a second
HTTP_POLL_SLEEP = 1.0  # seconds: an HTTP poll more often than this needs a backoff


@dataclass
class _Loop:
    node: cst.While
    sleeps: list[float | None] = field(default_factory=list)  # None: not a constant
    http: str | None = None  # the first HTTP call in the loop
    in_body: bool = False  # the visit has passed the loop's test
    works: bool = False  # the body calls something other than a sleep


class BusyPolling(Check):
    codes = ("SUS202",)
    tokens = ("while",)

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.loops: list[_Loop | None] = []  # None: a function boundary

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.loops.append(None)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.loops.pop()

    def visit_While(self, node: cst.While) -> None:
        self.loops.append(_Loop(node))
        # `while stream.read(n): pass` does its work in the test; `while not done(): pass`
        # only looks.
        if _spins(node.body) and not isinstance(node.test, cst.Call):
            self.report(
                node,
                "this loop spins without pausing, keeping a CPU core busy while it waits; wait "
                "on an event, a queue or a condition instead",
            )

    def leave_While(self, original_node: cst.While) -> None:
        loop = self.loops.pop()
        assert loop is not None
        tiny = [s for s in loop.sleeps if s is not None and s < TINY_SLEEP]
        if tiny and len(tiny) == len(loop.sleeps) and not loop.works:
            if tiny[0] == 0:
                what = "`sleep(0)` only yields, so this loop keeps a CPU core busy while it waits"
            else:
                rate = round(1 / tiny[0])
                what = f"this loop polls with a {tiny[0]:g} s pause, waking {rate} times a second"
            self.report(
                loop.node,
                f"{what}; wait on an event or a condition, or poll less often with a backoff",
            )
        elif (
            loop.http is not None
            and loop.sleeps
            and all(s is not None and s < HTTP_POLL_SLEEP for s in loop.sleeps)
        ):
            self.report(
                loop.node,
                f"this loop polls `{loop.http}` every {loop.sleeps[0]:g} s with no backoff; "
                "wait longer between polls and back off (or use a webhook or a long poll the "
                "server offers)",
            )

    def visit_While_body(self, node: cst.While) -> None:
        loop = self.loops[-1]
        assert loop is not None
        loop.in_body = True

    def visit_Call(self, node: cst.Call) -> None:
        loop = self.loops[-1] if self.loops else None
        if loop is None:
            return
        name = self.qualified_name(node.func)
        if name in _SLEEPS:
            loop.sleeps.append(_seconds(node.args[0].value) if node.args else 0.0)
            return
        loop.works |= loop.in_body
        if name is not None and name.startswith(_HTTP_PREFIXES) and loop.http is None:
            loop.http = name


def _seconds(node: cst.BaseExpression) -> float | None:
    if isinstance(node, (cst.Integer, cst.Float)):
        value = literal_value(node)
        return float(value) if isinstance(value, int | float) else None
    return None


def _smalls(body: cst.BaseSuite) -> list[cst.BaseSmallStatement] | None:
    """The simple statements of a loop body; ``None`` if it has a compound statement."""
    statements = body.body if isinstance(body, cst.IndentedBlock) else (body,)
    smalls: list[cst.BaseSmallStatement] = []
    for statement in statements:
        if not isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            return None
        smalls.extend(statement.body)
    return smalls


def _idle(small: cst.BaseSmallStatement) -> bool:
    return isinstance(small, (cst.Pass, cst.Continue)) or (
        isinstance(small, cst.Expr) and isinstance(small.value, cst.Ellipsis)
    )


def _spins(body: cst.BaseSuite) -> bool:
    """Whether a loop body does nothing (``pass``, ``...`` or ``continue`` only)."""
    smalls = _smalls(body)
    return smalls is not None and all(_idle(s) for s in smalls)
