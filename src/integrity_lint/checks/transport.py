"""SEC309 and SEC402: where HTTP clients send requests, read from literal URLs.

Both checks find the URL of a request made with requests, httpx, urllib, urllib3, aiohttp or
websockets (module functions resolved through imports, and request methods of sessions and
clients) and read its scheme and host when the source fixes them: a string literal, an
f-string or ``+`` concatenation whose leading text holds the whole host, ``"...".format()``,
or a module-level constant bound once to such a string. SEC309 flags plaintext schemes to
hosts that are not the machine itself or a reserved example name, and the stdlib clients
that have no encryption (``ftplib.FTP``, ``telnetlib.Telnet``, ``smtplib.SMTP`` in a file
that never calls ``starttls``). SEC402 flags hosts missing from ``network.allowed-hosts``,
and only when that list is configured.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.analysis.literals import literal_value
from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import argument, source, string_value

if TYPE_CHECKING:
    from integrity_lint.config import Settings

# Module functions that send a request -> (position, keyword) of the URL.
_FUNCTIONS: dict[str, tuple[int, str]] = {
    **{
        f"{module}.{method}": (0, "url")
        for module in ("requests", "httpx")
        for method in ("get", "post", "put", "patch", "delete", "head", "options")
    },
    "requests.request": (1, "url"),
    "httpx.request": (1, "url"),
    "httpx.stream": (1, "url"),
    "urllib3.request": (1, "url"),
    "aiohttp.request": (1, "url"),
    "urllib.request.urlopen": (0, "url"),
    "urllib.request.Request": (0, "url"),
    "urllib.request.urlretrieve": (0, "url"),
    "websockets.connect": (0, "uri"),
    "websockets.client.connect": (0, "uri"),
    "websocket.create_connection": (0, "url"),
    "websocket.WebSocketApp": (0, "url"),
}
# Request methods of sessions and clients -> (position, keyword) of the URL.
_METHODS: dict[str, tuple[int, str]] = {
    **{
        method: (0, "url")
        for method in ("get", "post", "put", "patch", "delete", "head", "options", "ws_connect")
    },
    "request": (1, "url"),
    "stream": (1, "url"),
}
_SESSION_TYPES = frozenset(
    {
        "requests.Session",
        "requests.session",
        "requests.sessions.Session",
        "httpx.Client",
        "httpx.AsyncClient",
        "aiohttp.ClientSession",
        "urllib3.PoolManager",
    }
)
_SESSION_WORDS = ("session", "client")
_SESSION_NAMES = frozenset({"s", "sess", "http", "https", "pool"})
# Scheme and host at the start of a URL; the host ends at a port, path, query or the end.
_URL_RE = re.compile(r"^([a-z][a-z0-9+.-]*)://(?:[^@/?#\s]*@)?(\[[^\]]*\]|[^/:?#\s{}]+)(.?)", re.I)
_PLAINTEXT = {"http": "https", "ws": "wss"}
# Names that never leave the machine or are reserved for examples and tests (RFC 2606, 6761),
# and the host name of Django's and Starlette's test clients, which send nothing.
_TEST_CLIENT_HOSTS = frozenset({"testserver"})
_LOCAL_SUFFIXES = (".localhost", ".example", ".test", ".invalid")
_EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")


@dataclass(frozen=True)
class Url:
    """The scheme and host of a request's URL, and the string literal that holds them."""

    scheme: str
    host: str
    literal: cst.SimpleString | None  # the URL's own literal, when it is one (for fixes)


def is_local(host: str) -> bool:
    """The machine itself, or a name reserved for examples and tests."""
    host = host.lower().strip("[]").rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return address.is_loopback or address.is_unspecified
    return (
        host == "localhost"
        or host in _TEST_CLIENT_HOSTS
        or host.endswith(_LOCAL_SUFFIXES)
        or any(host == d or host.endswith(f".{d}") for d in _EXAMPLE_DOMAINS)
    )


class _OutboundCheck(Check):
    """Finds HTTP requests and the literal URLs they go to; subclasses judge them."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.sessions: set[str] = set()
        self.constants: dict[str, str] = {}
        # Per enclosing function: what each local name was assigned so far (None: changed).
        self._locals: list[dict[str, list[cst.BaseExpression | None]]] = []
        self._resolving: set[str] = set()  # local names being read, against `url = url + x`

    def visit_Module(self, node: cst.Module) -> None:
        """Module-level names bound once to a string (``API = "http://api.internal"``)."""
        bound: dict[str, list[str | None]] = {}
        for statement in node.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        if isinstance(target.target, cst.Name):
                            bound.setdefault(target.target.value, []).append(
                                string_value(small.value)
                            )
                elif isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
                    bound.setdefault(small.target.value, []).append(None)
        for name, values in bound.items():
            if len(values) == 1 and values[0] is not None:
                self.constants[name] = values[0]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._locals.append({})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._locals.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name) and self._locals:
                self._locals[-1].setdefault(target.target.value, []).append(node.value)
        if isinstance(node.value, cst.Call) and self._is_session_type(node.value.func):
            for target in node.targets:
                bound = dotted_name(target.target)
                if bound is not None:
                    self.sessions.add(bound)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name) and self._locals:
            self._locals[-1].setdefault(node.target.value, []).append(None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if (
            isinstance(node.item, cst.Call)
            and self._is_session_type(node.item.func)
            and node.asname is not None
            and isinstance(node.asname.name, cst.Name)
        ):
            self.sessions.add(node.asname.name.value)

    def visit_Call(self, node: cst.Call) -> None:
        found = self._request_url(node)
        if found is not None:
            shown, arg = found
            url = self.url(arg)
            if url is not None:
                self.request(node, shown, url)

    def request(self, node: cst.Call, shown: str, url: Url) -> None:
        raise NotImplementedError

    def _request_url(self, node: cst.Call) -> tuple[str, cst.BaseExpression] | None:
        """How to name the call, and its URL argument, when it sends an HTTP request."""
        name = self.qualified_name(node.func)
        slot = _FUNCTIONS.get(name) if name is not None else None
        shown = name
        func = node.func
        if (
            slot is None
            and isinstance(func, cst.Attribute)
            and func.attr.value in _METHODS
            and self._is_session(func.value)
        ):
            slot = _METHODS[func.attr.value]
            shown = f"{source(func.value)}.{func.attr.value}"
        if slot is None:
            return None
        arg = argument(node, *slot)
        if arg is None or arg.star:
            return None
        return f"`{shown}`", arg.value

    def url(self, node: cst.BaseExpression) -> Url | None:
        """The scheme and host of a URL expression, when the source fixes them."""
        literal = node if isinstance(node, cst.SimpleString) else None
        text, complete = self._leading_text(node)
        if text is None:
            return None
        match = _URL_RE.match(text)
        if match is None:
            return None
        scheme, host, after = match.groups()
        if not after and not complete:
            return None  # the host goes on in a part computed at run time
        return Url(scheme.lower(), host.lower(), literal)

    def _leading_text(self, node: cst.BaseExpression) -> tuple[str | None, bool]:
        """The text a string expression starts with, and whether that is all of it."""
        value = string_value(node)
        if value is not None:
            return value, True
        if isinstance(node, cst.Name):
            assigned = self._locals[-1].get(node.value) if self._locals else None
            if assigned is not None:
                # A local name counts when the function assigned it once, before this use.
                value = assigned[0]
                if len(assigned) > 1 or value is None or node.value in self._resolving:
                    return None, False
                self._resolving.add(node.value)
                try:
                    return self._leading_text(value)
                finally:
                    self._resolving.discard(node.value)
            if node.value in self.constants:
                return self.constants[node.value], True
        if isinstance(node, cst.FormattedString):
            text = ""
            for part in node.parts:
                if not isinstance(part, cst.FormattedStringText):
                    return text, False
                text += part.value
            return text, True
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            text, complete = self._leading_text(node.left)
            if text is None or not complete:
                return text, False
            rest, rest_complete = self._leading_text(node.right)
            if rest is None:
                # `BASE_URL + path`: the base holds the whole host unless it stops mid-name.
                return (text, False) if text.endswith((".", "//")) else (text + "/", False)
            return text + rest, rest_complete
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "format"
        ):
            text, _ = self._leading_text(node.func.value)
            return (text.split("{", 1)[0], False) if text is not None else (None, False)
        return None, False

    def _is_session_type(self, func: cst.BaseExpression) -> bool:
        return self.qualified_name(func) in _SESSION_TYPES

    def _is_session(self, receiver: cst.BaseExpression) -> bool:
        """A session or client made in this file, or a receiver whose name says it is one."""
        if isinstance(receiver, cst.Call):
            return self._is_session_type(receiver.func)
        bound = dotted_name(receiver)
        if bound is None or self.qualified_name(receiver) is not None:
            return False  # a module (`requests`), judged by its functions
        if bound in self.sessions:
            return True
        last = bound.rsplit(".", 1)[-1].lower().strip("_")
        return last in _SESSION_NAMES or any(word in last for word in _SESSION_WORDS)


class PlaintextTransport(_OutboundCheck):
    codes = ("SEC309",)
    tokens = ("http://", "ws://", "ftplib", "telnetlib", "smtplib", "HTTPConnection")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self._smtp: list[tuple[cst.Call, str]] = []
        self._starttls = False

    def request(self, node: cst.Call, shown: str, url: Url) -> None:
        secure = _PLAINTEXT.get(url.scheme)
        if secure is None or is_local(url.host):
            return
        fix = None
        replaces = None
        if url.literal is not None and not _has_port(url.literal):
            fix = url.literal.with_changes(
                value=url.literal.value.replace(f"{url.scheme}://", f"{secure}://", 1)
            )
            replaces = url.literal
        self.report(
            node,
            f"{shown} sends to `{url.scheme}://{url.host}` without encryption, so anyone on "
            f"the network path can read and change what is sent, credentials included; "
            f"use `{secure}://`",
            fix=fix,
            replaces=replaces,
        )

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        name = self.qualified_name(node.func)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "starttls":
            self._starttls = True
        elif name in ("ftplib.FTP", "telnetlib.Telnet"):
            if not self._local_host(node):
                secure = (
                    "`ftplib.FTP_TLS` (then `prot_p()`) or SFTP" if name == "ftplib.FTP" else "SSH"
                )
                self.report(
                    node,
                    f"`{name}` sends logins and data in plain text; use {secure}",
                )
        elif name == "http.client.HTTPConnection":
            host = argument(node, 0, "host")
            text = string_value(host.value) if host is not None else None
            if text is not None and not is_local(text.split(":", 1)[0]):
                self.report(
                    node,
                    f"`http.client.HTTPConnection` to `{text}` sends without encryption; "
                    "use `http.client.HTTPSConnection`",
                )
        elif name == "smtplib.SMTP" and not self._local_host(node):
            self._smtp.append((node, name))

    def leave_Module(self, original_node: cst.Module) -> None:
        if self._starttls:
            return
        for node, name in self._smtp:
            self.report(
                node,
                f"`{name}` sends mail, and the login, in plain text and this file never calls "
                "`starttls()`; call `starttls()` before `login()`, or use `smtplib.SMTP_SSL`",
            )

    def _local_host(self, node: cst.Call) -> bool:
        host = argument(node, 0, "host")
        text = string_value(host.value) if host is not None else None
        return text is not None and is_local(text)


class UndeclaredOutboundHost(_OutboundCheck):
    codes = ("SEC402",)
    tokens = ("://",)

    @classmethod
    def active(cls, settings: Settings) -> bool:
        return bool(settings.config.allowed_hosts)

    def request(self, node: cst.Call, shown: str, url: Url) -> None:
        allowed = self.context.settings.config.allowed_hosts
        if not allowed or is_local(url.host) or _allowed(url.host, allowed):
            return
        self.report(
            node,
            f"{shown} sends to `{url.host}`, which is not in `network.allowed-hosts`; "
            "add it there (after a review of what is sent and why) or call a listed host",
        )


def _allowed(host: str, allowed: tuple[str, ...]) -> bool:
    """``host`` is listed, or matches a ``*.example.org`` entry (subdomains only)."""
    for entry in allowed:
        entry = entry.lower().rstrip(".")
        if entry.startswith("*."):
            if host.endswith(entry[1:]):
                return True
        elif host == entry:
            return True
    return False


def _has_port(literal: cst.SimpleString) -> bool:
    value = literal_value(literal)
    match = _URL_RE.match(value) if isinstance(value, str) else None
    return match is not None and match.group(3) == ":"
