"""Personal data where it does not belong: logs, URLs, cookies, unkeyed hashes.

Every check here judges expressions with the shared classifier of
:mod:`integrity_lint.analysis.personal`, so they agree on what personal data is: names,
attributes, string keys, f-string parts and local variables one assignment back; flags,
counts, lengths, literals and sanitized values are not personal data.
"""

from __future__ import annotations

import re

import libcst as cst

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.analysis.literals import literal_value
from integrity_lint.analysis.personal import (
    ExpressionClassifier,
    PersonalDataVisitor,
    PersonalValue,
)
from integrity_lint.analysis.vocabulary import REPORTED_KINDS, split_words, vocabulary
from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import HASHLIB_HASHES, keyword, positional, string_value


class PersonalDataCheck(PersonalDataVisitor, Check):
    """A check that judges expressions with the project's personal-data vocabulary."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        config = context.settings.config
        words = vocabulary(config.personal_data_extra, config.not_personal)
        self.classifier = ExpressionClassifier(words, context.imports, config.sanitizers)


def describe(found: PersonalValue) -> str:
    """``user.email` (email address)`` for messages."""
    return f"`{found.shown}` ({found.type.label})"


# --- PRV301 personal-data-in-log -------------------------------------------------------------

_LOG_METHODS = frozenset(
    {
        "debug",
        "info",
        "warning",
        "warn",
        "error",
        "exception",
        "critical",
        "fatal",
        "log",
        "msg",  # structlog, twisted
        "trace",  # loguru
        "success",  # loguru
    }
)
# Calls that return a logger: their results, and names bound to them, are loggers.
_LOGGER_FACTORIES = frozenset(
    {
        "logging.getLogger",
        "logging.LoggerAdapter",
        "logging.getLoggerClass",
        "structlog.get_logger",
        "structlog.getLogger",
        "structlog.wrap_logger",
        "structlog.stdlib.get_logger",
        "structlog.get_context",
    }
)
_LOGGER_OBJECTS = frozenset({"loguru.logger", "logging", "logging.root"})
# Receivers that are loggers by name: `logger`, `log`, `self._log`, `app.logger`, `LOGGER`.
_LOGGER_NAME_RE = re.compile(r"_*(?:log|logger|logs|logging|[a-z_]*_logger|[a-z_]*_log)")
# Keywords of stdlib logging calls that are not part of the message.
_LOG_OPTIONS = frozenset({"exc_info", "stack_info", "stacklevel", "stack_level"})
# Functions that print or write their arguments for people or log collectors to read.
_PRINTERS = {
    "builtins.print": "`print`",
    "warnings.warn": "`warnings.warn`",
    "warnings.warn_explicit": "`warnings.warn_explicit`",
    "click.echo": "`click.echo`",
    "click.secho": "`click.secho`",
    "typer.echo": "`typer.echo`",
    "typer.secho": "`typer.secho`",
    "sys.stdout.write": "`sys.stdout.write`",
    "sys.stderr.write": "`sys.stderr.write`",
    "pprint.pprint": "`pprint.pprint`",
    "rich.print": "`rich.print`",
}
_PRINT_OPTIONS = frozenset({"sep", "end", "flush", "file", "err", "color", "nl", "fg", "bg"})
_CONSOLE_STREAMS = frozenset({"sys.stdout", "sys.stderr"})
# Keywords of an exception constructor that hold its message (FastAPI/Starlette `detail`).
_EXCEPTION_MESSAGES = frozenset({"detail", "message", "msg", "description", "reason"})
_LOG_KINDS = REPORTED_KINDS | {"content"}


class PersonalDataInLog(PersonalDataCheck):
    """PRV301: personal data reaching logs, the console, warnings or exception messages."""

    codes = ("PRV301",)
    tokens = ("log", "print", "warn", "raise", "echo", "write", "LOG")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.loggers: set[str] = set()  # dotted names bound to a logger in this file

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        if self._is_logger(node.value):
            for target in node.targets:
                bound = dotted_name(target.target)
                if bound is not None:
                    self.loggers.add(bound)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        super().visit_AnnAssign(node)
        if node.value is not None and self._is_logger(node.value):
            bound = dotted_name(node.target)
            if bound is not None:
                self.loggers.add(bound)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        qualified = self.qualified_name(func)
        if qualified in _PRINTERS:
            if not self._to_console(node):
                return
            self._check_values(node, _PRINTERS[qualified], self._printed(node))
        elif (
            type(func) is cst.Attribute
            and func.attr.value in _LOG_METHODS
            and self._is_logger(func.value)
        ):
            shown = dotted_name(func) or f"….{func.attr.value}"
            self._check_values(node, f"`{shown}`", self._logged(node, func.attr.value))

    def visit_Raise(self, node: cst.Raise) -> None:
        exception = node.exc
        if not isinstance(exception, cst.Call):
            return
        values: list[tuple[str | None, cst.BaseExpression]] = []
        for arg in exception.args:
            if (arg.keyword is None and not arg.star) or (
                arg.keyword is not None and arg.keyword.value in _EXCEPTION_MESSAGES
            ):
                # `ValidationError({"email": "Enter a valid address"})`: the keys name form
                # fields; only the messages are judged.
                if isinstance(arg.value, cst.Dict):
                    values += [
                        (None, e.value)
                        for e in arg.value.elements
                        if isinstance(e, cst.DictElement)
                    ]
                else:
                    values.append((None, arg.value))
        shown = dotted_name(exception.func) or "the exception"
        found = self._first(values)
        if found is not None:
            self.report(
                found[0],
                f"the message of `{shown}` carries personal data: {describe(found[1])}; "
                "exception messages end up in logs, error trackers and responses, so name "
                "the record by an internal id or leave the value out",
            )

    # --- what is logged ------------------------------------------------------------------

    def _check_values(
        self,
        node: cst.Call,
        shown: str,
        values: list[tuple[str | None, cst.BaseExpression]],
    ) -> None:
        found = self._first(values)
        if found is not None:
            self.report(
                found[0],
                f"{shown} writes personal data to logs or the console: {describe(found[1])}; "
                "log an internal id instead, or pass the value through a configured sanitizer",
            )

    def _first(
        self, values: list[tuple[str | None, cst.BaseExpression]]
    ) -> tuple[cst.BaseExpression, PersonalValue] | None:
        for key, value in values:
            if key is None:
                found = self.classifier.personal(value, _LOG_KINDS)
            else:
                found = self.classifier.keyed(key, value, _LOG_KINDS)
            if found is not None:
                return value, found
        return None

    def _logged(self, node: cst.Call, method: str) -> list[tuple[str | None, cst.BaseExpression]]:
        """The message, its arguments, ``extra`` items and structlog/loguru key-values."""
        values: list[tuple[str | None, cst.BaseExpression]] = []
        skip_level = method == "log"
        for arg in node.args:
            if arg.star:
                continue
            if arg.keyword is None:
                if skip_level:
                    skip_level = False
                    continue
                values.append((None, arg.value))
            elif arg.keyword.value == "extra":
                values.append((None, arg.value))
            elif arg.keyword.value not in _LOG_OPTIONS:
                values.append((arg.keyword.value, arg.value))
        return values

    def _printed(self, node: cst.Call) -> list[tuple[str | None, cst.BaseExpression]]:
        return [
            (None, arg.value)
            for arg in node.args
            if not arg.star and (arg.keyword is None or arg.keyword.value not in _PRINT_OPTIONS)
        ]

    def _to_console(self, node: cst.Call) -> bool:
        """``print(..., file=export)`` writes a file, not the console."""
        target = keyword(node, "file")
        return target is None or self.qualified_name(target.value) in _CONSOLE_STREAMS

    def _is_logger(self, node: cst.BaseExpression) -> bool:
        """Whether ``node`` is a logger: made by a logger factory, bound to one in this file,
        imported as one (``loguru.logger``), or named like one (``logger``, ``app.logger``)."""
        if type(node) is cst.Call:
            func = node.func
            if self.qualified_name(func) in _LOGGER_FACTORIES:
                return True
            # `logger.bind(user=...)`, `structlog.get_logger().new()`: still a logger
            return (
                isinstance(func, cst.Attribute)
                and func.attr.value in ("bind", "new", "opt", "getChild", "patch")
                and self._is_logger(func.value)
            )
        qualified = self.qualified_name(node)
        if qualified in _LOGGER_OBJECTS:
            return True
        dotted = dotted_name(node)
        if dotted is None:
            return False
        if dotted in self.loggers:
            return True
        last = dotted.rsplit(".", 1)[-1]
        if not _LOGGER_NAME_RE.fullmatch(last.lower()):
            return False
        # A name bound by an import to something that is not a logger (`from math import log`).
        return qualified is None or "log" in qualified.rpartition(".")[0].lower()


# --- PRV306 personal-data-in-url -------------------------------------------------------------

# A template (literal text, with `{}` where values go) that is a URL: an absolute URL, a path
# from the root or after a base (`{}/users/{}`), or with a query string.
# Other schemes (`otpauth://`, `bank://`) are QR-code payloads and app links, not requests.
_URL_TEMPLATE_RE = re.compile(
    r"^(?:(?:https?|wss?)://|/(?!/)|\{\}/\w)|[?&][\w.\[\]-]+=\{\}|\?\{\}", re.IGNORECASE
)
_OTHER_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# Paths from the root that are files, not URLs.
_FILE_ROOTS = re.compile(r"^/(?:tmp|var|home|Users|etc|opt|usr|srv|mnt|proc|dev|run|root)/")
_PERCENT_FIELD_RE = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrifgxXeEoac]")
_FORMAT_FIELD_RE = re.compile(r"\{[^{}]*\}")
# Usernames are public handles that profile URLs are made of (`/users/<username>/`).
_URL_KINDS = frozenset({"direct", "special", "credential.password", "!identifier.username"})
# HTTP methods whose `params=` become the query string of the URL.
_QUERY_METHODS = frozenset({"get", "head", "options", "delete"})
_HTTP_MODULES = ("requests", "httpx", "aiohttp", "urllib3")
_HTTP_RECEIVER_RE = re.compile(r"(?:.*_)?(?:session|client|http|https|s|sess|api)", re.IGNORECASE)
# Where a name that _HTTP_RECEIVER_RE takes may stand in a file's text (a whole identifier).
_HTTP_RECEIVER_TEXT_RE = re.compile(
    r"(?<![a-z0-9])(?:[a-z0-9_]*_)?(?:session|client|https?|s|sess|api)\b", re.IGNORECASE
)
# URL builders whose keyword arguments become the URL's path or query.
_URL_BUILDERS = {
    "flask.url_for": frozenset({"_external", "_anchor", "_method", "_scheme"}),
    "flask.helpers.url_for": frozenset({"_external", "_anchor", "_method", "_scheme"}),
    "django.shortcuts.redirect": frozenset({"permanent", "preserve_request"}),
    "django.shortcuts.resolve_url": frozenset(),
}
_REVERSE = frozenset(
    {"django.urls.reverse", "django.urls.reverse_lazy", "django.shortcuts.reverse"}
)
_QUERY_BUILDER_METHODS = frozenset({"with_query", "update_query", "extend_query", "add_query"})


Template = tuple[str, list[cst.BaseExpression]]


def _template(
    node: cst.BaseExpression, memo: dict[cst.CSTNode, Template | None] | None = None
) -> Template | None:
    """A string expression as literal text with ``{}`` for each value, and the values.

    f-strings, ``+`` chains with a literal part, ``"..." % values`` and ``"...".format(...)``;
    ``None`` for anything else.

    ``memo`` keeps the templates already built in this file: a check that asks about
    every operand of a long ``+`` chain then stays linear in its length.
    """
    if memo is None:
        memo = {}
    if node not in memo:
        memo[node] = _build_template(node, memo)
    return memo[node]


def _build_template(
    node: cst.BaseExpression, memo: dict[cst.CSTNode, Template | None]
) -> Template | None:
    if isinstance(node, cst.SimpleString):
        value = literal_value(node)
        return (value.replace("{}", ""), []) if isinstance(value, str) else None
    if isinstance(node, cst.FormattedString):
        text, values = "", []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                text += part.value
            elif isinstance(part, cst.FormattedStringExpression):
                text += "{}"
                values.append(part.expression)
        return text, values
    if isinstance(node, cst.ConcatenatedString):
        left, right = _template(node.left, memo), _template(node.right, memo)
        if left is None or right is None:
            return None
        return left[0] + right[0], left[1] + right[1]
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        left = _template(node.left, memo) or ("{}", [node.left])
        right = _template(node.right, memo) or ("{}", [node.right])
        if not left[1] and not right[1] and "{}" in left[0] + right[0]:
            return None
        if left[0] == "{}" and right[0] == "{}":
            return None  # no literal part: not a string we can read
        return left[0] + right[0], left[1] + right[1]
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
        left = _template(node.left, memo)
        if left is None or left[1]:
            return None
        right = node.right
        values = [e.value for e in right.elements] if isinstance(right, cst.Tuple) else [right]
        return _PERCENT_FIELD_RE.sub("{}", left[0]), values
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "format"
    ):
        left = _template(node.func.value, memo)
        if left is None or left[1]:
            return None
        return _FORMAT_FIELD_RE.sub("{}", left[0]), [arg.value for arg in node.args]
    return None


def is_url_template(text: str) -> bool:
    """Whether literal text with ``{}`` placeholders is a URL (and not prose or a file)."""
    if any(c.isspace() for c in text) or _FILE_ROOTS.match(text):
        return False
    if _OTHER_SCHEME_RE.match(text) and not re.match(r"(?:https?|wss?)://", text, re.I):
        return False
    return bool(_URL_TEMPLATE_RE.search(text))


class PersonalDataInUrl(PersonalDataCheck):
    """PRV306: personal data in a URL's path or query string."""

    codes = ("PRV306",)
    # A URL template has a "/", "?" or "&"; URL builders and HTTP modules are named.
    tokens = ("/", "?", "&", "url_for", "redirect", "resolve_url", "reverse", "_query")
    tokens += _HTTP_MODULES

    @classmethod
    def may_match(cls, text: str, folded: str) -> bool:
        """Its tokens, or a name an HTTP call may be made on (``session.get(...)``)."""
        return super().may_match(text, folded) or bool(_HTTP_RECEIVER_TEXT_RE.search(text))

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.covered: set[cst.CSTNode] = set()  # string expressions inside a reported one
        self.templates: dict[cst.CSTNode, Template | None] = {}

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self._check_string(node)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        self._check_string(node)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if type(func) is cst.Attribute and func.attr.value == "format":
            self._check_string(node)
        qualified = self.qualified_name(func)
        method = func.attr.value if type(func) is cst.Attribute else None
        if qualified in _URL_BUILDERS:
            skip = _URL_BUILDERS[qualified]
            values = [
                (arg.keyword.value, arg.value)
                for arg in node.args
                if arg.keyword is not None and arg.keyword.value not in skip
            ]
            self._check_values(qualified, values)
        elif qualified in _REVERSE:
            values = [
                (None, arg.value)
                for arg in node.args
                if arg.keyword is not None and arg.keyword.value in ("args", "kwargs")
            ]
            self._check_values(qualified, values)
        elif method in _QUERY_BUILDER_METHODS:
            values = [(None, arg.value) for arg in node.args if not arg.star]
            self._check_values(dotted_name(func) or method, values)
        elif method is not None and self._is_http_call(func, qualified):
            self._check_http(node, func, method)

    def _check_string(self, node: cst.BaseExpression) -> None:
        if node in self.covered:
            return
        template = _template(node, self.templates)
        if template is None or not is_url_template(template[0]):
            return
        for value in template[1]:
            found = self.classifier.personal(value, _URL_KINDS)
            if found is not None:
                self._cover(node)
                self.report(node, self._message("this URL", found))
                return

    def _check_values(
        self, shown: str, values: list[tuple[str | None, cst.BaseExpression]]
    ) -> None:
        for key, value in values:
            if key is None:
                found = self.classifier.personal(value, _URL_KINDS)
            else:
                found = self.classifier.keyed(key, value, _URL_KINDS)
            if found is not None:
                self.report(value, self._message(f"`{shown}`", found))
                return

    def _check_http(self, node: cst.Call, func: cst.Attribute, method: str) -> None:
        """``params=`` of a GET, and a URL argument built elsewhere from personal data."""
        get = method in _QUERY_METHODS
        if method == "request":
            verb = positional(node, 0) or keyword(node, "method")
            get = verb is not None and (string_value(verb.value) or "").upper() in (
                "GET",
                "HEAD",
                "OPTIONS",
                "DELETE",
            )
        params = keyword(node, "params")
        shown = dotted_name(func) or method
        if get and params is not None:
            self._check_values(shown, [(None, params.value)])
            return
        url = keyword(node, "url") or positional(node, 1 if method == "request" else 0)
        if url is None or self._already_reported(url.value):
            return
        if _template(url.value, self.templates) is None:
            found = self.classifier.personal(url.value, _URL_KINDS)
            if found is not None:
                self.report(url.value, self._message(f"the URL of `{shown}`", found))

    def _already_reported(self, node: cst.BaseExpression) -> bool:
        """The URL string itself, or the string a local name holds, was reported."""
        if isinstance(node, cst.Name):
            bound = self.classifier.bound(node.value)
            if bound is not None:
                node = bound
        return node in self.covered

    def _is_http_call(self, func: cst.Attribute, qualified: str | None) -> bool:
        if qualified is not None and qualified.split(".", 1)[0] in _HTTP_MODULES:
            return True
        receiver = func.value
        if type(receiver) is cst.Call:
            receiver = receiver.func
        dotted = dotted_name(receiver)
        return dotted is not None and bool(_HTTP_RECEIVER_RE.fullmatch(dotted.rsplit(".", 1)[-1]))

    def _cover(self, node: cst.CSTNode) -> None:
        self.covered.add(node)
        for child in node.children:
            self._cover(child)

    @staticmethod
    def _message(where: str, found: PersonalValue) -> str:
        return (
            f"{where} carries personal data: {describe(found)}; URLs are kept in access logs, "
            "proxies, browser history and Referer headers, so send it in a POST body or "
            "refer to the person by an opaque id"
        )


# --- PRV307 personal-data-in-cookie ----------------------------------------------------------

# A session id in a cookie is what cookies are for; a password or an email is not.
_COOKIE_KINDS = frozenset({"direct", "special", "credential.password"})
_COOKIE_METHODS = frozenset({"set_cookie", "set_signed_cookie"})
_COOKIE_JARS = frozenset({"http.cookies.SimpleCookie", "http.cookies.BaseCookie"})
# Sessions kept in a signed (readable, not encrypted) cookie by default.
_CLIENT_SESSIONS = frozenset({"flask.session"})


class PersonalDataInCookie(PersonalDataCheck):
    """PRV307: personal data stored in a cookie."""

    codes = ("PRV307",)
    tokens = ("cookie", "Cookie", "session")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.jars: set[str] = set()  # names bound to a SimpleCookie in this file

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _COOKIE_METHODS:
            return
        key = keyword(node, "key") or positional(node, 0)
        value = keyword(node, "value") or positional(node, 1)
        if value is None:
            return
        name = string_value(key.value) if key is not None else None
        found = (
            self.classifier.keyed(name, value.value, _COOKIE_KINDS)
            if name is not None
            else self.classifier.personal(value.value, _COOKIE_KINDS)
        )
        if found is not None:
            where = f"a cookie by `{dotted_name(func) or func.attr.value}`"
            if func.attr.value == "set_signed_cookie":
                where += " (signed cookies are readable, only tamper-proof)"
            self._report(value.value, where, found)

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        if (
            isinstance(node.value, cst.Call)
            and self.qualified_name(node.value.func) in _COOKIE_JARS
        ):
            for target in node.targets:
                bound = dotted_name(target.target)
                if bound is not None:
                    self.jars.add(bound)
            return
        for target in node.targets:
            if isinstance(target.target, cst.Subscript):
                self._stored(target.target, node.value)

    def _stored(self, target: cst.Subscript, value: cst.BaseExpression) -> None:
        """``response.cookies["k"] = v``, ``jar["k"] = v``, ``flask.session["k"] = v``,
        ``response.headers["Set-Cookie"] = v``."""
        if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
            return
        key = string_value(target.slice[0].slice.value)
        container = dotted_name(target.value)
        if key is None or container is None:
            return
        where = None
        if container.rsplit(".", 1)[-1] in ("cookies", "COOKIES") or container in self.jars:
            where = "a cookie"
        elif self.qualified_name(target.value) in _CLIENT_SESSIONS:
            where = "Flask's session, which is a signed (readable, not encrypted) cookie"
        elif key.lower() == "set-cookie" and container.endswith("headers"):
            found = self.classifier.personal(value, _COOKIE_KINDS)
            if found is not None:
                self._report(value, "a Set-Cookie header", found)
            return
        if where is None:
            return
        found = self.classifier.keyed(key, value, _COOKIE_KINDS)
        if found is not None:
            self._report(value, where, found)

    def _report(self, node: cst.BaseExpression, where: str, found: PersonalValue) -> None:
        self.report(
            node,
            f"personal data is stored in {where}: {describe(found)}; cookies travel with every "
            "request and sit in the browser, readable by scripts and anyone with the device; "
            "keep the value server-side and put an opaque session id in the cookie",
        )


# --- PRV305 weak-pseudonymisation ------------------------------------------------------------

_HASHES = HASHLIB_HASHES | {"hashlib.shake_128", "hashlib.shake_256"}
# Name-based UUIDs are an MD5 or SHA-1 of the name: the same unkeyed hash.
_NAME_UUIDS = frozenset({"uuid.uuid3", "uuid.uuid5"})
_CHECKSUMS = frozenset({"zlib.crc32", "zlib.adler32", "binascii.crc32"})
# Words that make a hash input keyed or salted: `sha256(SECRET_KEY + email)`.
_KEY_WORDS = frozenset({"salt", "pepper", "secret", "key", "nonce"})
# Passwords are SEC311's; pseudonymous ids hashed for cache keys are not pseudonymisation.
_HASH_KINDS = frozenset({"direct", "special"})


class WeakPseudonymisation(PersonalDataCheck):
    """PRV305: an unkeyed hash of personal data, which anyone can reverse by guessing."""

    codes = ("PRV305",)
    tokens = ("hashlib", "uuid", "zlib", "crc32", "md5", "sha")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Names bound to an unkeyed hash object -> (its constructor call, personal data
        # given to it, whether a key or salt was given to it).
        self.hashers: dict[str, list[tuple[cst.Call, PersonalValue]]] = {}
        self.salted: set[str] = set()

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        value = node.value
        if isinstance(value, cst.Call) and self.qualified_name(value.func) in _HASHES:
            for target in node.targets:
                bound = dotted_name(target.target)
                if bound is not None:
                    self.hashers[bound] = []
                    if self._keyed(value):
                        self.salted.add(bound)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        qualified = self.qualified_name(func)
        data: cst.Arg | None = None
        if qualified in _HASHES or qualified in _CHECKSUMS:
            data = keyword(node, "data") or keyword(node, "string") or positional(node, 0)
        elif qualified == "hashlib.new":
            data = keyword(node, "data") or positional(node, 1)
        elif qualified in _NAME_UUIDS:
            data = keyword(node, "name") or positional(node, 1)
        elif isinstance(func, cst.Attribute) and func.attr.value == "update":
            self._update(node, func)
            return
        if data is None or self._keyed(node):
            return
        found = self._unsalted(data.value)
        if found is not None:
            self._report(node, qualified or "the hash", found)

    def _update(self, node: cst.Call, func: cst.Attribute) -> None:
        """``h.update(email.encode())`` on a hash object made in this file."""
        bound = dotted_name(func.value)
        data = positional(node, 0)
        if bound not in self.hashers or data is None:
            return
        if self._has_key(data.value):
            self.salted.add(bound)
            return
        found = self.classifier.personal(data.value, _HASH_KINDS)
        if found is not None:
            self.hashers[bound].append((node, found))

    def leave_Module(self, original_node: cst.Module) -> None:
        for name, updates in self.hashers.items():
            if name not in self.salted:
                for node, found in updates:
                    self._report(node, f"`{name}`", found)

    def _keyed(self, node: cst.Call) -> bool:
        """BLAKE2 with ``key=`` or ``salt=``, or an input that mixes in a secret."""
        return any(
            arg.keyword is not None and arg.keyword.value in ("key", "salt", "person")
            for arg in node.args
        )

    def _unsalted(self, data: cst.BaseExpression) -> PersonalValue | None:
        if self._has_key(data):
            return None
        return self.classifier.personal(data, _HASH_KINDS)

    def _has_key(self, node: cst.CSTNode) -> bool:
        """Whether an input mentions a key, salt or secret (``SECRET_KEY + email``)."""
        if isinstance(node, cst.Name) and any(w in _KEY_WORDS for w in split_words(node.value)):
            return True
        return any(self._has_key(child) for child in node.children)

    def _report(self, node: cst.Call, hashing: str, found: PersonalValue) -> None:
        shown = hashing if hashing.startswith("`") else f"`{hashing}`"
        self.report(
            node,
            f"{shown} hashes personal data without a key: {describe(found)}; anyone can "
            "reverse an unkeyed hash of an email, phone number or name by hashing candidate "
            "values, so it is not anonymous; use `hmac.new(secret_key, value, 'sha256')` with "
            "a key kept out of the data, or a random id",
        )
