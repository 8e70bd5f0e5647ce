"""SEC302: debug modes that show tracebacks, settings or a code console to visitors."""

from __future__ import annotations

import re

import libcst as cst

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.checks.base import FileContext
from integrity_lint.checks.nodes import is_constant, keyword, source
from integrity_lint.checks.web import APP_TYPES, Setting, SettingsCheck, looks_like_app

# Application constructors whose `debug=True` turns on the debug mode -> what it shows.
_DEBUG_CONSTRUCTORS = {
    "fastapi.FastAPI": "tracebacks",
    "fastapi.applications.FastAPI": "tracebacks",
    "starlette.applications.Starlette": "tracebacks",
    "tornado.web.Application": "tracebacks and reloads code",
}
# The Werkzeug debugger: a page that can run Python in the server process.
_DEBUGGER = frozenset({"werkzeug.debug.DebuggedApplication", "werkzeug.DebuggedApplication"})
_RUN_SIMPLE = frozenset({"werkzeug.serving.run_simple", "werkzeug.run_simple"})
# Methods of application objects that start a server and take `debug=`.
_RUN_METHODS = frozenset({"run", "run_server"})
# `DEBUG = True`, `DEBUG: bool = True`, `debug=True`, `app.debug = True`,
# `config["DEBUG"] = True`, `{"DEBUG": True}`.
_DEBUG_TRUE = re.compile(r"""(?i:debug)(?:\s*:\s*\w+)?['"]?\]?\s*[=:]\s*True""")
_APP_DEBUG = "which shows tracebacks and serves the Werkzeug debugger console"


class DebugEnabled(SettingsCheck):
    codes = ("SEC302",)
    tokens = ("Debugged", "use_debugger")

    @classmethod
    def may_match(cls, text: str, folded: str) -> bool:
        """Also files that set a debug flag to ``True``.

        "debug" alone is in every file that logs (`logger.debug`, `logging.DEBUG`).
        """
        return super().may_match(text, folded) or (
            "debug" in folded and _DEBUG_TRUE.search(text) is not None
        )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Dotted names bound in this file to an application object (`app = Flask(...)`).
        self.apps: set[str] = set()

    def setting(self, setting: Setting) -> None:
        if setting.name != "DEBUG" or not is_constant(setting.value, True):
            return
        if setting.development or (setting.module_level and not self.settings_module):
            return
        self.report(
            setting.node,
            f"{setting.shown} turns on debug mode: error pages show visitors the code, the "
            "settings and the data of the request; read it from the environment and keep it "
            "off in production",
        )

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        name = self.qualified_name(node.func)
        debug = keyword(node, "debug")
        on = debug is not None and is_constant(debug.value, True)
        if name in _DEBUG_CONSTRUCTORS and on:
            self.report(
                node,
                f"`{name}(debug=True)` shows {_DEBUG_CONSTRUCTORS[name]} to anyone who "
                "triggers an error; read the flag from the environment and keep it off in "
                "production",
            )
        elif name in _DEBUGGER:
            self.report(
                node,
                f"`{name}` serves the Werkzeug debugger, whose console runs Python in the "
                "server; wrap the application only in local development",
            )
        elif name in _RUN_SIMPLE:
            debugger = keyword(node, "use_debugger")
            if debugger is not None and is_constant(debugger.value, True):
                self.report(
                    node,
                    f"`{name}(use_debugger=True)` serves the Werkzeug debugger, whose console "
                    "runs Python in the server; use it only in local development",
                )
        elif (
            on
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in _RUN_METHODS
            and looks_like_app(self, node.func.value, self.apps)
        ):
            self.report(
                node,
                f"`{source(node.func)}(debug=True)` starts the server in debug mode, "
                f"{_APP_DEBUG}: whoever reaches it can run Python on the server; read the flag "
                "from the environment (`FLASK_DEBUG`) and keep it off in production",
            )

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        for target in node.targets:
            self._assigned(node, target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        super().visit_AnnAssign(node)
        if node.value is not None:
            self._assigned(node, node.target, node.value)

    def _app_assigned(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(value, cst.Call) and self.qualified_name(value.func) in APP_TYPES:
            bound = dotted_name(target)
            if bound is not None:
                self.apps.add(bound)

    def _assigned(
        self, node: cst.CSTNode, target: cst.BaseExpression, value: cst.BaseExpression
    ) -> None:
        self._app_assigned(target, value)
        if (
            isinstance(target, cst.Attribute)
            and target.attr.value == "debug"
            and is_constant(value, True)
            and looks_like_app(self, target.value, self.apps)
        ):
            self.report(
                node,
                f"`{source(target)} = True` turns on debug mode, {_APP_DEBUG}; read the flag "
                "from the environment (`FLASK_DEBUG`) and keep it off in production",
            )
