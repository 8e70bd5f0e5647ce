"""SUS601: HTTP calls that can wait forever.

requests and the standard library's clients have no default timeout: a server that accepts
the connection and then stalls holds the call, and whoever waits on it, indefinitely. httpx
defaults to five seconds, so only an explicit ``timeout=None`` is flagged there; aiohttp's
sessions default to five minutes and are left alone.
"""

from __future__ import annotations

import libcst as cst

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import argument, is_constant, keyword, source

_REQUESTS_VERBS = ("request", "get", "options", "head", "post", "put", "patch", "delete")
_REQUESTS_FUNCTIONS = frozenset(
    f"{module}.{verb}" for module in ("requests", "requests.api") for verb in _REQUESTS_VERBS
)
_REQUESTS_SESSIONS = frozenset(
    {
        "requests.Session",
        "requests.session",
        "requests.sessions.Session",
        "requests.sessions.session",
    }
)
_HTTPX_CALLS = frozenset(
    {
        *(f"httpx.{verb}" for verb in (*_REQUESTS_VERBS, "stream")),
        "httpx.Client",
        "httpx.AsyncClient",
    }
)
# Standard-library calls and the position of their `timeout` parameter.
_STDLIB_CALLS = {
    "urllib.request.urlopen": 2,
    "http.client.HTTPConnection": 2,
    "http.client.HTTPSConnection": 2,
}
_ADVICE = "pass `timeout=` (seconds, or a (connect, read) pair) so that a stalled server fails fast"


class RequestWithoutTimeout(Check):
    codes = ("SUS601",)
    tokens = ("requests", "httpx", "urllib", "http.client", "HTTPConnection", "HTTPSConnection")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Dotted names bound to a requests session in this file (`s`, `self.session`).
        self.sessions: set[str] = set()
        # Sessions given a transport adapter (`session.mount(...)`), which may set a timeout.
        self.mounted: set[str] = set()

    def visit_Module(self, node: cst.Module) -> None:
        # An adapter may be mounted after the first request in source order (in a factory
        # the calls come later): find the mounted sessions first.
        if ".mount(" in self.context.source:
            node.visit(_MountFinder(self.mounted))

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._is_session_factory(node.value):
            for target in node.targets:
                bound = dotted_name(target.target)
                if bound is not None:
                    self.sessions.add(bound)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None and self._is_session_factory(node.value):
            bound = dotted_name(node.target)
            if bound is not None:
                self.sessions.add(bound)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None and self._is_session_factory(node.item):
            bound = dotted_name(node.asname.name)
            if bound is not None:
                self.sessions.add(bound)

    def visit_Call(self, node: cst.Call) -> None:
        if any(arg.star == "**" for arg in node.args):
            return  # the timeout may be in the unpacked mapping
        name = self.qualified_name(node.func)
        if name in _REQUESTS_FUNCTIONS or self._session_call(node):
            shown = name or source(node.func)
            self._require_timeout(node, keyword(node, "timeout"), shown, "requests")
        elif name in _STDLIB_CALLS:
            found = argument(node, _STDLIB_CALLS[name], "timeout")
            self._require_timeout(node, found, name, "the standard library")
        elif name in _HTTPX_CALLS:
            found = keyword(node, "timeout")
            if found is not None and is_constant(found.value, None):
                self.report(
                    node,
                    f"`{name}(timeout=None)` turns off httpx's default timeout, so a stalled "
                    f"server holds this call forever; {_ADVICE}",
                )

    def _require_timeout(
        self, node: cst.Call, found: cst.Arg | None, shown: str, library: str
    ) -> None:
        if found is None:
            self.report(
                node,
                f"`{shown}` has no timeout, and {library} waits forever by default: a stalled "
                f"server holds the call and whoever waits on it; {_ADVICE}",
            )
        elif is_constant(found.value, None):
            self.report(node, f"`{shown}` is given `timeout=None`, which waits forever; {_ADVICE}")

    def _is_session_factory(self, value: cst.BaseExpression) -> bool:
        return isinstance(value, cst.Call) and self.qualified_name(value.func) in _REQUESTS_SESSIONS

    def _session_call(self, node: cst.Call) -> bool:
        """``session.get(...)`` on a requests session of this file without an adapter."""
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _REQUESTS_VERBS:
            return False
        receiver = func.value
        if self._is_session_factory(receiver):
            return True
        bound = dotted_name(receiver)
        return bound is not None and bound in self.sessions and bound not in self.mounted


class _MountFinder(cst.CSTVisitor):
    def __init__(self, mounted: set[str]) -> None:
        super().__init__()
        self.mounted = mounted

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "mount":
            bound = dotted_name(func.value)
            if bound is not None:
                self.mounted.add(bound)
