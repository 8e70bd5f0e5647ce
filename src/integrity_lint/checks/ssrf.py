"""SAF304: a server fetching a URL that the request chose (server-side request forgery).

Sources are request data: Flask's ``request`` proxy (``args``, ``form``, ``values``, ``json``,
``get_json()``, ``data``, ``headers``, ``cookies``), a handler's ``request`` parameter in
Django, DRF and Starlette (``GET``, ``POST``, ``data``, ``query_params``, ``body``,
``headers``, ``path_params``, ``json()``), and the string parameters of route handlers
(``@app.get(...)``, ``@app.route(...)``) in files that use Flask, FastAPI or Starlette. A value
taints a local name it is assigned to (one step, within the function), and a URL built from it
is tainted only where the request controls the scheme or host: ``f"https://api.example.org/
{path}"`` fixes the host and is not flagged. A function that compares the value against an
allow-list (``in``/``not in``) or calls a validator (a name with allow/valid/safe/trusted)
before fetching is taken as checked.
"""

from __future__ import annotations

import re

import libcst as cst

from integrity_lint.analysis.literals import text_value
from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import argument, source

_FLASK_REQUEST = "flask.request"
_FLASK_DATA = frozenset(
    {"args", "form", "values", "json", "get_json", "data", "headers", "cookies", "view_args"}
)
_REQUEST_PARAMS = frozenset({"request", "req"})
_HANDLER_DATA = frozenset(
    {"GET", "POST", "data", "query_params", "body", "headers", "path_params", "json", "COOKIES"}
)
_ROUTE_DECORATORS = frozenset(
    {"get", "post", "put", "patch", "delete", "route", "api_route", "websocket"}
)
_WEB_FRAMEWORKS = ("flask", "fastapi", "starlette")
_URL_TYPES = frozenset({"str", "HttpUrl", "AnyUrl", "AnyHttpUrl"})
_VERBS = ("get", "options", "head", "post", "put", "patch", "delete")
# Fetching callees and the position of their URL argument.
_FETCHERS: dict[str, int] = {
    **{f"{lib}.{verb}": 0 for lib in ("requests", "httpx") for verb in (*_VERBS, "stream")},
    "requests.request": 1,
    "httpx.request": 1,
    "urllib.request.urlopen": 0,
    "urllib.request.Request": 0,
    "urllib.request.urlretrieve": 0,
}
_VALIDATOR_RE = re.compile(r"allow|valid|safe|trusted|permit", re.IGNORECASE)


class UserControlledUrlFetch(Check):
    codes = ("SAF304",)
    tokens = ("requests", "httpx", "urllib", "urlopen")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.web = any(f"import {name}" in context.source or f"from {name}" in context.source
                       for name in _WEB_FRAMEWORKS)  # fmt: skip
        # Per function: tainted local names -> the request data they hold; checked names.
        self.frames: list[tuple[dict[str, str], set[str]]] = []
        self.params: list[set[str]] = []  # the parameters of each enclosing function

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        tainted: dict[str, str] = {}
        if self.web and any(self._is_route(d.decorator) for d in node.decorators):
            for param in (*node.params.posonly_params, *node.params.params):
                name = param.name.value
                annotation = param.annotation.annotation if param.annotation else None
                if name not in _REQUEST_PARAMS and (
                    annotation is None or _type_name(annotation) in _URL_TYPES
                ):
                    tainted[name] = f"the route parameter `{name}`"
        self.frames.append((tainted, set()))
        params = (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params)
        self.params.append({p.name.value for p in params})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.frames.pop()
        self.params.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        if not self.frames:
            return
        tainted, _ = self.frames[-1]
        origin = self._taint(node.value)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                if origin is not None:
                    tainted[target.target.value] = origin
                else:
                    tainted.pop(target.target.value, None)

    def visit_If(self, node: cst.If) -> None:
        if self.frames:
            tainted, checked = self.frames[-1]
            checked.update(name for name in tainted if _checks(node.test, name))

    def visit_Call(self, node: cst.Call) -> None:
        if not self.frames:
            return
        name = self.qualified_name(node.func)
        position = _FETCHERS.get(name or "")
        if position is None:
            return
        url = argument(node, position, "url")
        if url is None:
            return
        origin = self._taint(url.value)
        checked = self.frames[-1][1]
        if origin is None or any(_mentions(url.value, c) for c in checked):
            return
        self.report(
            node,
            f"`{name}` fetches a URL from {origin}: anyone can make the server request internal "
            "addresses (cloud metadata, admin services) or attack other sites in its name; "
            "check the scheme and host against an allow-list first",
        )

    # --- taint ---------------------------------------------------------------------------

    def _taint(self, node: cst.BaseExpression) -> str | None:
        """The request data that controls the URL ``node`` makes (scheme or host), if any."""
        accessor = self._accessor(node)
        if accessor is not None:
            return accessor
        if isinstance(node, cst.Name):
            return self.frames[-1][0].get(node.value)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            return self._taint(node.func.value)  # `url.strip()`
        if isinstance(node, (cst.Subscript, cst.Attribute)):
            return self._taint(node.value)
        if isinstance(node, cst.FormattedString):
            prefix = ""
            for part in node.parts:
                if isinstance(part, cst.FormattedStringText):
                    prefix += part.value
                    continue
                assert isinstance(part, cst.FormattedStringExpression)
                origin = self._taint(part.expression)
                if origin is not None:
                    return None if _fixes_host(prefix) else origin
                prefix += "x"
            return None
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left = self._taint(node.left)
            if left is not None:
                return left
            literal = _literal(node.left)
            if literal is not None and not _fixes_host(literal):
                return self._taint(node.right)
        return None

    def _accessor(self, node: cst.BaseExpression) -> str | None:
        """``request.args.get("url")``, ``request.GET["url"]``, ``request.get_json()[...]``."""
        base = node
        while isinstance(base, (cst.Call, cst.Subscript, cst.Attribute)):
            if isinstance(base, cst.Attribute):
                owner = base.value
                attribute = base.attr.value
                parameter = isinstance(owner, cst.Name) and owner.value in self.params[-1]
                if parameter:  # a handler's `request` (it shadows an imported name)
                    if owner.value in _REQUEST_PARAMS and attribute in _HANDLER_DATA:
                        return f"`{source(node)}`"
                elif self.qualified_name(owner) == _FLASK_REQUEST and attribute in _FLASK_DATA:
                    return f"`{source(node)}`"
                base = owner
            elif isinstance(base, cst.Call):
                base = base.func
            else:
                base = base.value
        return None

    def _is_route(self, decorator: cst.BaseExpression) -> bool:
        func = decorator.func if isinstance(decorator, cst.Call) else None
        return isinstance(func, cst.Attribute) and func.attr.value in _ROUTE_DECORATORS


def _type_name(annotation: cst.BaseExpression) -> str | None:
    if isinstance(annotation, cst.Name):
        return annotation.value
    if isinstance(annotation, cst.Attribute):
        return annotation.attr.value
    return None


def _literal(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        return text_value(node)
    return None


def _fixes_host(prefix: str) -> bool:
    """Whether a URL's fixed start already names its scheme and host (``https://h/``)."""
    scheme, found, rest = prefix.partition("://")
    return bool(found and scheme and "/" in rest)


def _mentions(node: cst.CSTNode, name: str) -> bool:
    finder = _NameFinder(name)
    node.visit(finder)
    return finder.found


def _checks(test: cst.BaseExpression, name: str) -> bool:
    """Whether an ``if`` test checks ``name``: an ``in`` comparison or a validator call."""
    finder = _CheckFinder(name)
    test.visit(finder)
    return finder.found


class _NameFinder(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.found = False

    def visit_Name(self, node: cst.Name) -> None:
        self.found |= node.value == self.name


class _CheckFinder(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.found = False

    def visit_Comparison(self, node: cst.Comparison) -> None:
        membership = any(isinstance(c.operator, (cst.In, cst.NotIn)) for c in node.comparisons)
        self.found |= membership and _mentions(node, self.name)

    def visit_Call(self, node: cst.Call) -> None:
        callee = source(node.func)
        self.found |= bool(_VALIDATOR_RE.search(callee)) and _mentions(node, self.name)
