"""SEC203: CORS policies that let any web site read the application's responses."""

from __future__ import annotations

import re

import libcst as cst

from integrity_lint.checks.base import FileContext
from integrity_lint.checks.nodes import is_constant, keyword, string_value
from integrity_lint.checks.web import Setting, SettingsCheck

# django-cors-headers settings that allow every origin when True (the second is the old name).
_ALLOW_ALL_SETTINGS = frozenset({"CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"})
_REGEX_SETTINGS = frozenset({"CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST"})
_CREDENTIALS_SETTING = "CORS_ALLOW_CREDENTIALS"
# flask-cors: `CORS(app)` and `@cross_origin()` allow every origin unless told otherwise.
_FLASK_CORS = frozenset(
    {
        "flask_cors.CORS",
        "flask_cors.extension.CORS",
        "flask_cors.cross_origin",
        "flask_cors.decorator.cross_origin",
    }
)
_STARLETTE_CORS = frozenset(
    {"starlette.middleware.cors.CORSMiddleware", "fastapi.middleware.cors.CORSMiddleware"}
)
_AIOHTTP_OPTIONS = frozenset(
    {"aiohttp_cors.ResourceOptions", "aiohttp_cors.resource_options.ResourceOptions"}
)
# Socket.IO servers: `cors_allowed_origins="*"` lets any site open a socket with the cookies.
_SOCKETIO = frozenset({"flask_socketio.SocketIO", "socketio.Server", "socketio.AsyncServer"})
_ALLOW_ORIGIN_HEADER = "access-control-allow-origin"
# Methods that set a header from a name and a value (Werkzeug/Flask `headers.add`/`set`,
# Tornado `set_header`/`add_header`, `setdefault`).
_HEADER_SETTERS = frozenset({"add", "set", "setdefault", "set_header", "add_header", "append"})
# Request headers whose value, sent back as the allowed origin, allows every origin.
_ORIGIN_KEYS = frozenset({"origin", "http_origin"})
# Origins that no sensible allow-list admits: a pattern that matches them matches any site.
_STRANGERS = ("https://attacker.invalid", "https://198.51.100.7:8443")


class PermissiveCors(SettingsCheck):
    codes = ("SEC203",)
    tokens = ("CORS", "cors", "Access-Control-Allow-Origin", "access-control-allow-origin")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # django-cors-headers findings wait for the end of the module, which may turn on
        # credentials below them.
        self.pending: list[Setting] = []
        self.credentials = False

    def setting(self, setting: Setting) -> None:
        if setting.development:
            return
        if setting.name == _CREDENTIALS_SETTING and is_constant(setting.value, True):
            self.credentials = True
        elif (setting.name in _ALLOW_ALL_SETTINGS and is_constant(setting.value, True)) or (
            setting.name in _REGEX_SETTINGS and _any_pattern_matches_all(setting.value)
        ):
            self.pending.append(setting)

    def leave_Module(self, original_node: cst.Module) -> None:
        for setting in self.pending:
            self.report(
                setting.node,
                f"{setting.shown} lets every web site call this application from a browser "
                f"{_consequence(self.credentials)}; list the sites in `CORS_ALLOWED_ORIGINS`",
            )

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        name = self.qualified_name(node.func)
        if name in _FLASK_CORS:
            self._flask_cors(node, name)
        elif name in _SOCKETIO:
            origins = keyword(node, "cors_allowed_origins")
            if origins is not None and _is_wildcard(origins.value):
                self.report(
                    node,
                    f'`{name}(cors_allowed_origins="*")` lets every web site open a socket '
                    f"{_consequence(True)}; pass the sites that need it",
                )
        elif name in _STARLETTE_CORS or any(
            self.qualified_name(arg.value) in _STARLETTE_CORS
            for arg in node.args
            if arg.keyword is None and not arg.star
        ):
            self._starlette(node)
        else:
            self._header_call(node)

    def _header_call(self, node: cst.Call) -> None:
        """``response.headers.add("Access-Control-Allow-Origin", "*")`` and the like."""
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in _HEADER_SETTERS
            and len(node.args) >= 2
            and all(arg.keyword is None and not arg.star for arg in node.args[:2])
        ):
            header = string_value(node.args[0].value)
            if header is not None and header.lower() == _ALLOW_ORIGIN_HEADER:
                self._header(node, node.args[1].value)

    def _flask_cors(self, node: cst.Call, name: str) -> None:
        short = name.rsplit(".", 1)[-1]
        credentials = _is_true(node, "supports_credentials")
        origins = keyword(node, "origins")
        if origins is not None:
            wildcard = _is_wildcard(origins.value)
        elif any(arg.star == "**" for arg in node.args) or "CORS_ORIGINS" in self.context.source:
            return  # the options, or the app's config, may set the origins
        else:
            resources = keyword(node, "resources")
            wildcard = resources is None or self._resources_allow_all(resources.value)
            credentials = credentials or (
                resources is not None
                and _dict_value_is_true(resources.value, "supports_credentials")
            )
        if wildcard:
            given = "`origins` allowing `*`" if origins is not None else "the default origins `*`"
            self.report(
                node,
                f"`{short}` with {given} lets every web site call this application from a "
                f"browser {_consequence(credentials)}; pass `origins=` the sites that need it",
            )

    @staticmethod
    def _resources_allow_all(resources: cst.BaseExpression) -> bool:
        """flask-cors ``resources={path: {"origins": "*"}}`` (a resource without origins too)."""
        if not isinstance(resources, cst.Dict):
            return False
        for element in resources.elements:
            if isinstance(element, cst.DictElement) and isinstance(element.value, cst.Dict):
                origins = [
                    e.value
                    for e in element.value.elements
                    if isinstance(e, cst.DictElement) and string_value(e.key) == "origins"
                ]
                if not origins or any(_is_wildcard(value) for value in origins):
                    return True
        return False

    def _starlette(self, node: cst.Call) -> None:
        origins = keyword(node, "allow_origins")
        regex = keyword(node, "allow_origin_regex")
        if (origins is not None and _is_wildcard(origins.value)) or (
            regex is not None and _pattern_matches_all(regex.value)
        ):
            self.report(
                node,
                "`CORSMiddleware` allowing every origin lets every web site call this "
                f"application from a browser {_consequence(_is_true(node, 'allow_credentials'))}"
                "; pass `allow_origins=` the sites that need it",
            )

    def visit_DictElement(self, node: cst.DictElement) -> None:
        key = string_value(node.key)
        if key == "*" and isinstance(node.value, cst.Call):
            if self.qualified_name(node.value.func) in _AIOHTTP_OPTIONS:
                credentials = _is_true(node.value, "allow_credentials")
                self.report(
                    node,
                    '`"*"` in the aiohttp-cors options lets every web site call this '
                    f"application from a browser {_consequence(credentials)}; list the sites "
                    "that need it",
                )
        elif key is not None and key.lower() == _ALLOW_ORIGIN_HEADER:
            self._header(node, node.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        for target in node.targets:
            subscript = target.target
            if (
                isinstance(subscript, cst.Subscript)
                and len(subscript.slice) == 1
                and isinstance(subscript.slice[0].slice, cst.Index)
            ):
                key = string_value(subscript.slice[0].slice.value)
                if key is not None and key.lower() == _ALLOW_ORIGIN_HEADER:
                    self._header(node, node.value)

    def _header(self, node: cst.CSTNode, value: cst.BaseExpression) -> None:
        """An ``Access-Control-Allow-Origin`` header of ``*`` or of the request's own origin."""
        if string_value(value) == "*":
            how = "`*`"
        elif _reads_origin(value):
            how = "the request's own `Origin`"
        else:
            return
        self.report(
            node,
            f"`Access-Control-Allow-Origin` set to {how} lets every web site read this "
            "response from a browser; send it only for origins on an allow-list",
        )


def _consequence(credentials: bool) -> str:
    if credentials:
        return (
            "with the visitor's cookies, and read the answers: any page a logged-in person "
            "opens can act as them and read their data"
        )
    return "and read the answers (fine only for public, anonymous data)"


def _is_true(node: cst.Call, name: str) -> bool:
    arg = keyword(node, name)
    return arg is not None and is_constant(arg.value, True)


def _dict_value_is_true(node: cst.BaseExpression, key: str) -> bool:
    """Whether any dict nested in ``node`` maps ``key`` to ``True``."""
    if not isinstance(node, cst.Dict):
        return False
    return any(
        isinstance(element, cst.DictElement)
        and (
            (string_value(element.key) == key and is_constant(element.value, True))
            or _dict_value_is_true(element.value, key)
        )
        for element in node.elements
    )


def _is_wildcard(node: cst.BaseExpression) -> bool:
    """``"*"``, or a list, tuple or set literal with ``"*"`` in it."""
    if string_value(node) == "*":
        return True
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return any(
            isinstance(element, cst.Element) and string_value(element.value) == "*"
            for element in node.elements
        )
    return False


def _pattern_matches_all(node: cst.BaseExpression) -> bool:
    """A literal regular expression that matches the origins of strangers' sites."""
    pattern = string_value(node)
    if pattern is None:
        return False
    try:
        compiled = re.compile(pattern)
    except re.error:
        return False
    return all(compiled.match(origin) for origin in _STRANGERS)


def _any_pattern_matches_all(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return any(
            isinstance(element, cst.Element) and _pattern_matches_all(element.value)
            for element in node.elements
        )
    return False


def _reads_origin(node: cst.BaseExpression) -> bool:
    """``request.headers["Origin"]``, ``request.META.get("HTTP_ORIGIN")`` and the like."""
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        key = string_value(index.value) if isinstance(index, cst.Index) else None
    elif (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "get"
        and node.args
    ):
        key = string_value(node.args[0].value)
    else:
        return False
    return key is not None and key.lower() in _ORIGIN_KEYS
