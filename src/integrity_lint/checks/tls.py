"""SEC301: TLS connections that do not check the server's certificate or host name."""

from __future__ import annotations

import libcst as cst

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import is_constant, source, string_value, without_argument

# Modules whose every `verify=`/`ssl=`/`verify_ssl=` keyword is about certificate checks.
_HTTP_MODULES = frozenset({"requests", "httpx", "aiohttp"})
# Methods of requests sessions, httpx clients and aiohttp sessions that send a request
# (aiohttp's `ws_connect` also takes `ssl=`).
_REQUEST_METHODS = frozenset(
    {
        "request",
        "get",
        "options",
        "head",
        "post",
        "put",
        "patch",
        "delete",
        "send",
        "stream",
        "ws_connect",
    }
)
# Classes and factories whose instances are HTTP sessions or clients.
_SESSION_TYPES = frozenset(
    {
        "requests.Session",
        "requests.session",
        "requests.sessions.Session",
        "requests.sessions.session",
        "httpx.Client",
        "httpx.AsyncClient",
        "aiohttp.ClientSession",
        "aiohttp.client.ClientSession",
    }
)
# Receiver names that say "this is an HTTP session or client" (after lower-casing).
_SESSION_WORDS = ("session", "client")
_SESSION_NAMES = frozenset({"s", "sess", "http", "https"})
_UNVERIFIED_CONTEXTS = frozenset({"ssl._create_unverified_context", "ssl._create_stdlib_context"})
_CERT_NONE = frozenset({"ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE"})
# urllib3 takes the name of the ssl constant, with or without its `CERT_` prefix.
_CERT_NONE_NAMES = frozenset({"CERT_NONE", "NONE"})
# Dict keys under which `ssl.CERT_NONE` configures a client (websocket-client, kombu, ...).
_CERT_REQS_KEYS = frozenset({"cert_reqs", "ssl_cert_reqs", "verify_mode"})

# Keywords that turn certificate checks off when given the literal `False`, and how to keep
# the checks on while trusting a private CA.
_FIXES = {
    "verify": "remove it, or pass the path of the CA bundle that signs the server's certificate",
    "ssl": "remove it, or pass an `ssl.SSLContext` that trusts the server's CA",
    "verify_ssl": "remove it, or pass `ssl=` an `ssl.SSLContext` that trusts the server's CA",
}


class TlsVerificationDisabled(Check):
    codes = ("SEC301",)
    # `verify` covers `verify=`, `verify_ssl=` and `.verify =`; `ssl` covers `ssl=` and every
    # name taken from the ssl module (its import names the module); `cert_reqs` covers
    # urllib3's `cert_reqs="CERT_NONE"`.
    tokens = ("verify", "ssl", "cert_reqs", "check_hostname")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Dotted names (`s`, `self.session`) bound to an HTTP session so far in the file.
        self.sessions: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        name = self.qualified_name(node.func)
        if name in _UNVERIFIED_CONTEXTS:
            self.report(
                node,
                f"`{name}()` makes a TLS context that accepts any certificate; "
                "use `ssl.create_default_context()` (with `cafile=` for a private CA)",
            )
            return
        found = self._insecure_argument(node, name)
        if found is not None:
            message, arg = found
            # Without the keyword the client checks certificates again: the fix for `verify`,
            # `verify_ssl` and `ssl`; unsafe, as calls to a host with a private CA then fail.
            removable = arg.keyword is not None and arg.keyword.value in _FIXES
            removable = removable and is_constant(arg.value, False)
            fix = without_argument(node, arg) if removable else None
            self.report(node, message, fix=fix)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assigned(node, target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node, node.target, node.value)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        key = string_value(node.key)
        if key in _CERT_REQS_KEYS and self._is_cert_none(node.value, key):
            self.report(
                node,
                f'`"{key}"` is set to `CERT_NONE`, which accepts any certificate; '
                "use `ssl.CERT_REQUIRED` and a CA bundle that signs the server's certificate",
            )

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if (
            isinstance(node.item, cst.Call)
            and self.qualified_name(node.item.func) in _SESSION_TYPES
            and node.asname is not None
            and isinstance(node.asname.name, cst.Name)
        ):
            self.sessions.add(node.asname.name.value)

    def visit_Param(self, node: cst.Param) -> None:
        if (
            node.annotation is not None
            and self.qualified_name(node.annotation.annotation) in _SESSION_TYPES
        ):
            self.sessions.add(node.name.value)

    def _assigned(
        self, node: cst.CSTNode, target: cst.BaseExpression, value: cst.BaseExpression
    ) -> None:
        """Check ``target = value``, and remember targets that now hold an HTTP session."""
        if isinstance(value, cst.Call) and self.qualified_name(value.func) in _SESSION_TYPES:
            bound = dotted_name(target)
            if bound is not None:
                self.sessions.add(bound)
            return
        shown = source(target)
        value_name = self.qualified_name(value)
        if value_name in _UNVERIFIED_CONTEXTS:
            self.report(
                node,
                f"`{shown} = {value_name}` turns off certificate checks for every connection "
                "that uses it; remove the assignment and install the CA your servers need",
            )
        elif self._is_cert_none(value, _last_name(target)):
            self.report(
                node,
                f"`{shown} = {source(value)}` accepts any certificate; "
                "use `ssl.CERT_REQUIRED` with a CA bundle that signs the server's certificate",
            )
        elif isinstance(target, cst.Attribute) and is_constant(value, False):
            attribute = target.attr.value
            if attribute == "check_hostname":
                self.report(
                    node,
                    f"`{shown} = False` accepts a valid certificate issued for any host; "
                    "keep host name checks on and connect to the name on the certificate",
                )
            elif attribute == "verify" and self._is_session(target.value):
                self.report(
                    node,
                    f"`{shown} = False` turns off certificate checks for every request of "
                    f"this session; {_FIXES['verify']}",
                )

    def _insecure_argument(self, node: cst.Call, name: str | None) -> tuple[str, cst.Arg] | None:
        """What is wrong with the call's TLS keywords, and the keyword's argument."""
        for arg in node.args:
            if arg.keyword is None:
                continue
            keyword = arg.keyword.value
            if keyword in _FIXES and is_constant(arg.value, False):
                if self._is_http_call(node, name):
                    shown = self._callee(node.func)  # only now: it is the callee's whole text
                    message = (
                        f"`{shown}` is called with `{keyword}=False`, which accepts any "
                        f"certificate, so anyone on the network path can read and change "
                        f"the traffic; {_FIXES[keyword]}"
                    )
                    return message, arg
            elif self._is_cert_none(arg.value, keyword):
                shown = self._callee(node.func)
                message = (
                    f"`{shown}` is given `{keyword}=CERT_NONE`, which accepts any certificate; "
                    "use `ssl.CERT_REQUIRED` with a CA bundle that signs the server's certificate"
                )
                return message, arg
            elif (
                keyword == "assert_hostname"
                and is_constant(arg.value, False)
                and name is not None
                and name.startswith("urllib3.")
            ):
                shown = self._callee(node.func)
                message = (
                    f"`{shown}` is called with `assert_hostname=False`, which accepts a valid "
                    "certificate issued for any host; remove it"
                )
                return message, arg
        return None

    def _callee(self, func: cst.BaseExpression) -> str:
        """How to name a callee in a message: ``requests.get``, ``requests.Session().get``."""
        name = self.qualified_name(func)
        if name is not None and not name.startswith("builtins."):
            return name
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call):
            return f"{self._callee(func.value.func)}().{func.attr.value}"
        return source(func)

    def _is_cert_none(self, value: cst.BaseExpression, keyword: str) -> bool:
        """``ssl.CERT_NONE``, or urllib3's spelling of it as a string for ``cert_reqs``."""
        if self.qualified_name(value) in _CERT_NONE:
            return True
        return keyword.endswith("cert_reqs") and string_value(value) in _CERT_NONE_NAMES

    def _is_http_call(self, node: cst.Call, name: str | None) -> bool:
        """Whether the call goes to requests, httpx or aiohttp, as far as the file tells."""
        if name is not None and _in_http_module(name):
            return True
        func = node.func
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value in _REQUEST_METHODS
            and self._is_session(func.value)
        )

    def _is_session(self, receiver: cst.BaseExpression) -> bool:
        """Whether ``receiver`` is, or by its name looks like, an HTTP session or client."""
        if isinstance(receiver, cst.Call):
            if self.qualified_name(receiver.func) in _SESSION_TYPES:
                return True
            receiver = receiver.func  # `get_session().get(...)`: judge by the factory's name
        bound = dotted_name(receiver)
        if bound is None:
            return False
        if bound in self.sessions:
            return True
        last = bound.rsplit(".", 1)[-1].lower().strip("_")
        return last in _SESSION_NAMES or any(word in last for word in _SESSION_WORDS)


def _in_http_module(name: str) -> bool:
    """``requests.get``, ``httpx.Client``, also vendored copies (``pip._vendor.requests``)."""
    return any(part in _HTTP_MODULES for part in name.split(".")[:-1])


def _last_name(target: cst.BaseExpression) -> str:
    """``cert_reqs`` for ``cert_reqs`` or ``conn.cert_reqs``; empty for other targets."""
    if isinstance(target, cst.Attribute):
        return target.attr.value
    return target.value if isinstance(target, cst.Name) else ""
