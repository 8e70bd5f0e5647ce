"""SEC304: session and CSRF cookies that travel in clear text, to scripts, or cross-site."""

from __future__ import annotations

import re

import libcst as cst

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.checks.nodes import argument, is_constant, source, string_value, with_keyword
from integrity_lint.checks.web import Setting, SettingsCheck

# Settings (Django, Flask, Flask-Login) that weaken the session or CSRF cookie -> the flag.
_FLAG_SETTINGS = {
    "SESSION_COOKIE_SECURE": "Secure",
    "CSRF_COOKIE_SECURE": "Secure",
    "REMEMBER_COOKIE_SECURE": "Secure",
    "SESSION_COOKIE_HTTPONLY": "HttpOnly",
    "REMEMBER_COOKIE_HTTPONLY": "HttpOnly",
}
_SAMESITE_SETTINGS = frozenset(
    {"SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "REMEMBER_COOKIE_SAMESITE"}
)
_FLAGS = {
    "Secure": "the browser also sends it over plain HTTP, where anyone on the network can copy "
    "it and take over the session",
    "HttpOnly": "scripts on the page can read it, so one cross-site scripting bug hands the "
    "session to an attacker",
}
_CROSS_SITE = (
    "`SameSite=None` sends it with requests that other sites make, which is what cross-site "
    "request forgery needs"
)
# Response methods that set a cookie; Django, Flask/Werkzeug and Starlette agree on the
# positions of `secure`, `httponly` and `samesite`.
_SETTERS = frozenset({"set_cookie", "set_signed_cookie", "set_secure_cookie"})
_POSITIONS = {"secure": 6, "httponly": 7, "samesite": 8}
# Cookie names that hold a session, a login or a CSRF token.
_SESSION_NAME = re.compile(
    r"sess|(?<![a-z])sid(?![a-z])|auth|token|jwt|remember|login|csrf|xsrf|credential",
    re.IGNORECASE,
)
_CSRF_NAME = re.compile(r"csrf|xsrf", re.IGNORECASE)


class InsecureCookie(SettingsCheck):
    codes = ("SEC304",)
    tokens = ("COOKIE", "cookie")

    def setting(self, setting: Setting) -> None:
        if setting.development:
            return
        flag = _FLAG_SETTINGS.get(setting.name)
        if flag is not None and is_constant(setting.value, False):
            self.report(
                setting.node,
                f"{setting.shown} leaves the `{flag}` flag off the cookie: {_FLAGS[flag]}; "
                "set it to `True` (a development settings file may keep it off)",
                fix=setting.node.with_changes(value=cst.Name("True")),
            )
        elif setting.name in _SAMESITE_SETTINGS and _is_none_text(setting.value):
            self.report(
                setting.node,
                f'{setting.shown}: {_CROSS_SITE}; use `"Lax"` (or `"Strict"`)',
                fix=setting.node.with_changes(value=cst.SimpleString('"Lax"')),
            )

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _SETTERS:
            return
        receiver = (dotted_name(func.value) or "").lower()
        if "client" in receiver:
            return  # test clients and HTTP clients set cookies they received, not ours
        name_arg = argument(node, 0, "key") or argument(node, 0, "name")
        name = _cookie_name(name_arg.value) if name_arg is not None else None
        session = name is not None and _SESSION_NAME.search(name) is not None
        if name is not None and not session:
            return
        problems: list[str] = []
        values: dict[str, cst.BaseExpression] = {}
        spread = any(arg.star for arg in node.args)
        wanted = ("secure",) if name is not None and _CSRF_NAME.search(name) else ()
        wanted = wanted or ("secure", "httponly")
        for flag in wanted:
            arg = argument(node, _POSITIONS[flag], flag)
            if arg is None:
                if session and not spread:
                    problems.append(f"without `{flag}=True`")
                    values[flag] = cst.Name("True")
            elif is_constant(arg.value, False) or is_constant(arg.value, None):
                problems.append(f"with `{flag}={source(arg.value)}`")
                values[flag] = cst.Name("True")
        samesite = argument(node, _POSITIONS["samesite"], "samesite")
        if session and samesite is not None and _is_none_text(samesite.value):
            problems.append('with `samesite="None"`')
            values["samesite"] = cst.SimpleString('"Lax"')
        if not problems:
            return
        shown = f'"{name}"' if name is not None else "a cookie"
        reasons = [
            _FLAGS["Secure" if flag == "secure" else "HttpOnly"]
            for flag in ("secure", "httponly")
            if flag in values
        ]
        if "samesite" in values:
            reasons.append(_CROSS_SITE)
        self.report(
            node,
            f"`{source(func)}` sets {shown} {' and '.join(problems)}: {'; '.join(reasons)}",
            fix=_with_flags(node, values),
        )


def _cookie_name(node: cst.BaseExpression) -> str | None:
    """The cookie's name as written: a literal, or the name of a constant or setting."""
    text = string_value(node)
    if text is not None:
        return text
    dotted = dotted_name(node)
    return dotted.rsplit(".", 1)[-1] if dotted is not None else None


def _is_none_text(node: cst.BaseExpression) -> bool:
    text = string_value(node)
    return text is not None and text.strip().lower() == "none"


def _with_flags(node: cst.Call, values: dict[str, cst.BaseExpression]) -> cst.Call:
    """``node`` with each flag in ``values`` set: replaced where given, added otherwise."""
    for flag, value in values.items():
        arg = argument(node, _POSITIONS[flag], flag)
        if arg is not None and arg.keyword is None:
            args = list(node.args)
            args[args.index(arg)] = arg.with_changes(value=value)
            node = node.with_changes(args=args)
        else:
            node = with_keyword(node, flag, value)
    return node
