"""SEC303: cross-site request forgery protection switched off."""

from __future__ import annotations

import libcst as cst

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.checks.base import FileContext
from integrity_lint.checks.nodes import is_constant, keyword, positional, source, string_value
from integrity_lint.checks.web import Setting, SettingsCheck

_CSRF_EXEMPT = "django.views.decorators.csrf.csrf_exempt"
_METHOD_DECORATOR = "django.utils.decorators.method_decorator"
_CSRF_PROTECT = frozenset(
    {"flask_wtf.csrf.CSRFProtect", "flask_wtf.CSRFProtect", "flask_wtf.csrf.CsrfProtect"}
)
# Flask-WTF settings that turn its checks off when False.
_FLASK_SETTINGS = {
    "WTF_CSRF_ENABLED": "turns off Flask-WTF's CSRF checks for every form",
    "WTF_CSRF_CHECK_DEFAULT": "stops `CSRFProtect` from checking requests",
}
_CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"
# Middleware that keeps people logged in with a cookie, which is what CSRF abuses.
_SESSION_MIDDLEWARE = frozenset(
    {
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    }
)
_EXEMPT_ADVICE = (
    "a logged-in visitor's browser can then be made to send it from any site; keep CSRF "
    "checks on, or if callers are not browsers (a webhook), verify a signature in the view"
)


class CsrfDisabled(SettingsCheck):
    codes = ("SEC303",)
    tokens = ("csrf", "CSRF", "MIDDLEWARE")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Dotted names bound in this file to a Flask-WTF `CSRFProtect` instance.
        self.protectors: set[str] = set()
        # Whether the visit is directly in the body of a class named `Meta`.
        self._meta: list[bool] = []

    def setting(self, setting: Setting) -> None:
        if setting.development:
            return
        if setting.name in _FLASK_SETTINGS and is_constant(setting.value, False):
            self.report(
                setting.node,
                f"{setting.shown} {_FLASK_SETTINGS[setting.name]}, so another site can submit "
                "them with a logged-in visitor's cookies; remove it (tests can turn it off in "
                "their own config)",
            )
        elif setting.name == "MIDDLEWARE" and setting.module_level and self._lacks_csrf(setting):
            self.report(
                setting.node,
                "`MIDDLEWARE` keeps sessions but has no `CsrfViewMiddleware`, so no view checks "
                "CSRF tokens and another site can post forms with a logged-in visitor's cookies; "
                f'add "{_CSRF_MIDDLEWARE}" after the session middleware',
            )

    @staticmethod
    def _lacks_csrf(setting: Setting) -> bool:
        """A literal list of Django middleware with sessions and without the CSRF one."""
        if not isinstance(setting.value, (cst.List, cst.Tuple)):
            return False
        names: set[str] = set()
        for element in setting.value.elements:
            name = string_value(element.value) if isinstance(element, cst.Element) else None
            if name is None:
                return False  # `*BASE_MIDDLEWARE` or a computed entry: cannot tell
            names.add(name)
        return _CSRF_MIDDLEWARE not in names and not names.isdisjoint(_SESSION_MIDDLEWARE)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        super().visit_ClassDef(node)
        self._meta.append(node.name.value == "Meta")

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        super().leave_ClassDef(original_node)
        self._meta.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        self._meta.append(False)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(original_node)
        self._meta.pop()

    def visit_Decorator(self, node: cst.Decorator) -> None:
        # Calls (`@method_decorator(csrf_exempt)`) are judged in `visit_Call`.
        if not isinstance(node.decorator, cst.Call):
            self._exempting(node, node.decorator)

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        name = self.qualified_name(node.func)
        if name == _METHOD_DECORATOR:
            first = positional(node, 0)
            if first is not None:
                self._exempting(node, first.value)
        elif not self._exempting(node, node.func):
            self._meta_option(node)
            self._middleware_removed(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        self._assigned(node, [t.target for t in node.targets], node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        super().visit_AnnAssign(node)
        if node.value is not None:
            self._assigned(node, [node.target], node.value)

    def _assigned(
        self, node: cst.CSTNode, targets: list[cst.BaseExpression], value: cst.BaseExpression
    ) -> None:
        if isinstance(value, cst.Call) and self.qualified_name(value.func) in _CSRF_PROTECT:
            self.protectors.update(n for n in map(dotted_name, targets) if n is not None)
        elif (
            self._meta
            and self._meta[-1]
            and is_constant(value, False)
            and any(isinstance(t, cst.Name) and t.value == "csrf" for t in targets)
        ):
            self.report(
                node,
                "`csrf = False` in a form's `Meta` turns off its CSRF token, so another site can "
                "submit the form with a logged-in visitor's cookies; remove it",
            )

    def _exempting(self, node: cst.CSTNode, expression: cst.BaseExpression) -> bool:
        """Report ``expression`` if it is Django's ``csrf_exempt`` or Flask-WTF's ``exempt``."""
        if self.qualified_name(expression) == _CSRF_EXEMPT:
            self.report(
                node, f"`csrf_exempt` turns off CSRF checks for this view; {_EXEMPT_ADVICE}"
            )
            return True
        if (
            isinstance(expression, cst.Attribute)
            and expression.attr.value == "exempt"
            and self._is_protector(expression.value)
        ):
            self.report(
                node,
                f"`{source(expression)}` turns off CSRF checks for this view; {_EXEMPT_ADVICE}",
            )
            return True
        return False

    def _is_protector(self, receiver: cst.BaseExpression) -> bool:
        bound = dotted_name(receiver)
        return bound is not None and (
            bound in self.protectors or bound.rsplit(".", 1)[-1] in ("csrf", "csrf_protect")
        )

    def _middleware_removed(self, node: cst.Call) -> None:
        """``MIDDLEWARE.remove("django.middleware.csrf.CsrfViewMiddleware")``."""
        func = node.func
        removed = positional(node, 0)
        if (
            not self.development_file
            and isinstance(func, cst.Attribute)
            and func.attr.value == "remove"
            and (dotted_name(func.value) or "").rsplit(".", 1)[-1] == "MIDDLEWARE"
            and removed is not None
            and string_value(removed.value) == _CSRF_MIDDLEWARE
        ):
            self.report(
                node,
                "removing `CsrfViewMiddleware` from `MIDDLEWARE` turns off CSRF checks for every "
                "view, so another site can post forms with a logged-in visitor's cookies; keep it",
            )

    def _meta_option(self, node: cst.Call) -> None:
        """``Form(meta={"csrf": False})``: a form built with its CSRF token turned off."""
        meta = keyword(node, "meta")
        if meta is None or not isinstance(meta.value, cst.Dict):
            return
        for element in meta.value.elements:
            if (
                isinstance(element, cst.DictElement)
                and string_value(element.key) == "csrf"
                and is_constant(element.value, False)
            ):
                self.report(
                    element,
                    '`meta={"csrf": False}` turns off this form\'s CSRF token, so another site '
                    "can submit it with a logged-in visitor's cookies; remove it",
                )
