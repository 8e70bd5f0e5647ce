"""SUS203: retries without a stop condition.

Retry libraries default to trying forever unless told when to stop: tenacity's ``retry``
without ``stop=``, backoff's decorators without ``max_tries``/``max_time``, retrying's
``retry`` without a stop argument, urllib3's ``Retry(total=None)``. A hand-written
``while True`` loop whose ``try`` leaves on success and whose handlers only go round again
does the same.
"""

from __future__ import annotations

import libcst as cst

from integrity_lint.checks.base import Check
from integrity_lint.checks.nodes import argument, is_constant, keyword, source

_TENACITY = frozenset(
    {
        "tenacity.retry",
        "tenacity.Retrying",
        "tenacity.AsyncRetrying",
        "tenacity.asyncio.AsyncRetrying",
    }
)
_TENACITY_FOREVER = frozenset({"tenacity.stop_never", "tenacity.stop.stop_never"})
_BACKOFF = frozenset({"backoff.on_exception", "backoff.on_predicate"})
_RETRYING = frozenset({"retrying.retry", "retrying.Retrying"})
_RETRYING_STOPS = frozenset({"stop", "stop_max_attempt_number", "stop_max_delay", "stop_func"})
_URLLIB3_RETRY = frozenset(
    {"urllib3.Retry", "urllib3.util.Retry", "urllib3.util.retry.Retry", "requests.adapters.Retry"}
)
_URLLIB3_COUNTS = ("connect", "read", "redirect", "status", "other")
_ADVICE = "bound it with an attempt count or a deadline, and back off between attempts"


class UnboundedRetries(Check):
    codes = ("SUS203",)
    tokens = ("retry", "Retry", "backoff", "while True", "while 1")

    def visit_Decorator(self, node: cst.Decorator) -> None:
        decorator = node.decorator
        if not isinstance(decorator, cst.Call):
            name = self.qualified_name(decorator)
            if name in _TENACITY or name in _RETRYING:
                self.report(node, f"`@{source(decorator)}` retries forever; {_ADVICE}")

    def visit_Call(self, node: cst.Call) -> None:
        if any(arg.star for arg in node.args):
            return
        name = self.qualified_name(node.func)
        if name in _TENACITY:
            stop = keyword(node, "stop")
            if stop is None:
                self.report(node, f"`{name}` without `stop=` retries forever; {_ADVICE}")
            elif self.qualified_name(stop.value) in _TENACITY_FOREVER:
                self.report(node, f"`{name}(stop=stop_never)` retries forever; {_ADVICE}")
        elif name in _BACKOFF:
            bounds = [keyword(node, k) for k in ("max_tries", "max_time")]
            if all(b is None or is_constant(b.value, None) for b in bounds):
                self.report(
                    node,
                    f"`{name}` without `max_tries` or `max_time` retries forever; {_ADVICE}",
                )
        elif name in _RETRYING:
            given = {arg.keyword.value for arg in node.args if arg.keyword is not None}
            if not given & _RETRYING_STOPS:
                self.report(node, f"`{name}` without a stop argument retries forever; {_ADVICE}")
        elif name in _URLLIB3_RETRY:
            total = argument(node, 0, "total")
            counts = [keyword(node, k) for k in _URLLIB3_COUNTS]
            unbounded = all(c is None or is_constant(c.value, None) for c in counts)
            if total is not None and is_constant(total.value, None) and unbounded:
                self.report(
                    node,
                    f"`{name}(total=None)` with no other count retries forever; {_ADVICE}",
                )

    def visit_While(self, node: cst.While) -> None:
        if not (is_constant(node.test, True) or _is_one(node.test)):
            return
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        tries = [s for s in body if isinstance(s, cst.Try)]
        if len(tries) != 1:
            return
        attempt = tries[0]
        success = attempt.body if attempt.orelse is None else attempt.orelse.body
        if not (_leaves(attempt.body) or _leaves(success)):
            return
        others = [s for s in body if s is not attempt]
        if any(_leaves(s) for s in others) or any(_leaves(h.body) for h in attempt.handlers):
            return
        if attempt.finalbody is not None and _leaves(attempt.finalbody.body):
            return
        self.report(
            node,
            "this loop retries forever: it leaves only when the call succeeds, and its "
            f"`except` goes round again; {_ADVICE}",
        )


def _is_one(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Integer) and node.value == "1"


def _leaves(node: cst.CSTNode) -> bool:
    """Whether ``node`` contains a ``break``, ``return`` or ``raise`` of this loop (nested
    functions, classes and loops excluded)."""
    finder = _ExitFinder()
    node.visit(finder)
    return finder.found


class _ExitFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def visit_Break(self, node: cst.Break) -> None:
        self.found = True

    def visit_Return(self, node: cst.Return) -> None:
        self.found = True

    def visit_Raise(self, node: cst.Raise) -> None:
        self.found = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_For(self, node: cst.For) -> bool:
        return False  # its `break` leaves the inner loop

    def visit_While(self, node: cst.While) -> bool:
        return False
