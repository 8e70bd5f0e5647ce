"""Web framework configuration as SEC203, SEC302, SEC303 and SEC304 read it.

Not a check module: it gives those checks one way to find settings (Django settings
constants, Flask config classes and ``app.config``, ``settings.configure(...)``) and to tell
code for development and tests, where switching protections off is expected, from the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import source, string_value

# Words in a path or a config class name that say "development or tests only".
_DEV_WORDS = frozenset(
    {
        "ci",
        "conftest",
        "debug",
        "dev",
        "devel",
        "develop",
        "development",
        "local",
        "test",
        "testing",
        "tests",
    }
)
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
# Class names that hold settings as class attributes (Flask config objects).
_CONFIG_CLASS = re.compile(r"(?:Config|Configuration|Settings)$")
# Django settings whose presence makes a module a settings module, whatever its name.
_DJANGO_MARKERS = frozenset(
    {"INSTALLED_APPS", "MIDDLEWARE", "ROOT_URLCONF", "WSGI_APPLICATION", "DATABASES"}
)
# Calls that configure a framework from keywords: Django's standalone `settings.configure`
# and the update methods of Flask's `app.config`.
_CONFIGURE = frozenset({"django.conf.settings.configure"})
_CONFIG_METHODS = frozenset({"update", "from_mapping", "setdefault"})
# Application classes, and names that say "this is an application object".
APP_TYPES = frozenset(
    {
        "flask.Flask",
        "quart.Quart",
        "sanic.Sanic",
        "flask_socketio.SocketIO",
        "dash.Dash",
    }
)
_APP_NAMES = frozenset({"app", "application"})
_APP_FACTORIES = frozenset({"create_app", "make_app", "get_app", "build_app"})


def words(text: str) -> list[str]:
    """``test_settings.py`` → ``test, settings, py``; ``TestingConfig`` → ``testing, config``."""
    return [word.lower() for word in _WORD.findall(text)]


def is_development(path: str, class_name: str | None = None) -> bool:
    """Whether a path (``settings/dev.py``, ``tests/...``) or a config class is for dev/tests."""
    found = set(words(path))
    if class_name is not None:
        found.update(words(class_name))
    return not found.isdisjoint(_DEV_WORDS)


def is_settings_path(path: str) -> bool:
    """``settings.py``, ``settings/production.py``, ``prod_settings.py``, ``ProdSettings.py``."""
    return "settings" in words(path)


@dataclass(frozen=True)
class Setting:
    """One framework setting given a value in the source."""

    name: str
    value: cst.BaseExpression
    node: cst.CSTNode  # what to report
    shown: str  # how the message names the place: "`DEBUG = True`", "`app.config[...]`"
    module_level: bool  # a constant of the module (Django), not of a class or app config
    development: bool  # in a file or config class for development or tests


class SettingsCheck(Check):
    """A check that judges settings; subclasses implement :meth:`setting`.

    Settings are ``NAME = value`` at the top level of the module or directly in the body of a
    config class (a class named ``...Config``/``...Settings``), ``<app>.config["NAME"] = value``,
    ``<app>.config.update(NAME=value)`` (also a dict literal) and
    ``django.conf.settings.configure(NAME=value)``. Only upper-case names are settings, and
    none under an ``if``, whose condition decides at run time which value applies.
    """

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # One entry per enclosing class or function: the class name, or None for a function.
        self._blocks: list[str | None] = []
        # How many `if` statements enclose the visit: a setting under one is decided at run
        # time (`if not DEBUG: SESSION_COOKIE_SECURE = True else: ... = False`).
        self._conditions = 0
        self.development_file = is_development(context.path)
        self.settings_module = is_settings_path(context.path)

    def setting(self, setting: Setting) -> None:
        raise NotImplementedError

    def visit_Module(self, node: cst.Module) -> None:
        if self.settings_module:
            return
        for statement in node.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, (cst.Assign, cst.AnnAssign)) and any(
                        name in _DJANGO_MARKERS for name in _assigned_names(small)
                    ):
                        self.settings_module = True
                        return

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._blocks.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._blocks.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._blocks.append(None)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._blocks.pop()

    def visit_If(self, node: cst.If) -> None:
        self._conditions += 1

    def leave_If(self, original_node: cst.If) -> None:
        self._conditions -= 1

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._setting_target(node, target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._setting_target(node, node.target, node.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        configure = self.qualified_name(func) in _CONFIGURE
        if not configure and not (
            isinstance(func, cst.Attribute)
            and func.attr.value in _CONFIG_METHODS
            and _is_app_config(func.value)
        ):
            return
        shown = source(func)
        for key, value, item in self._config_items(node):
            self._found(key, value, item, f"`{shown}({key}=...)`")

    def _config_items(
        self, node: cst.Call
    ) -> Iterator[tuple[str, cst.BaseExpression, cst.CSTNode]]:
        """``(name, value, node)`` of keywords, dict literal keys and ``dict(...)`` keywords."""
        for arg in node.args:
            if arg.keyword is not None:
                yield arg.keyword.value, arg.value, arg
            elif arg.star:
                continue
            elif isinstance(arg.value, cst.Dict):
                for element in arg.value.elements:
                    if isinstance(element, cst.DictElement):
                        key = string_value(element.key)
                        if key is not None:
                            yield key, element.value, element
            elif (
                isinstance(arg.value, cst.Call)
                and self.qualified_name(arg.value.func) == "builtins.dict"
            ):
                for inner in arg.value.args:
                    if inner.keyword is not None:
                        yield inner.keyword.value, inner.value, inner

    def _setting_target(
        self, node: cst.CSTNode, target: cst.BaseExpression, value: cst.BaseExpression
    ) -> None:
        if isinstance(target, cst.Name):
            if not self._blocks:
                self._found(target.value, value, node, f"`{target.value} = ...`", module=True)
            elif (
                len(self._blocks) == 1
                and self._blocks[0] is not None
                and _CONFIG_CLASS.search(self._blocks[0])
            ):
                self._found(target.value, value, node, f"`{target.value} = ...`")
        elif (
            isinstance(target, cst.Subscript)
            and len(target.slice) == 1
            and isinstance(target.slice[0].slice, cst.Index)
            and _is_app_config(target.value)
        ):
            key = string_value(target.slice[0].slice.value)
            if key is not None:
                self._found(key, value, node, f"`{source(target)} = ...`")

    def _found(
        self,
        name: str,
        value: cst.BaseExpression,
        node: cst.CSTNode,
        shown: str,
        *,
        module: bool = False,
    ) -> None:
        if not name.isupper() or self._conditions:
            return
        classes = [block for block in self._blocks if block is not None]
        development = self.development_file or any(is_development("", c) for c in classes)
        self.setting(
            Setting(
                name=name,
                value=value,
                node=node,
                shown=shown.replace("...", source(value)),
                module_level=module,
                development=development,
            )
        )


def _is_app_config(node: cst.BaseExpression) -> bool:
    """``app.config``, ``self.app.config``, ``application.config``, ``config`` of any app."""
    return isinstance(node, cst.Attribute) and node.attr.value == "config"


def _assigned_names(statement: cst.Assign | cst.AnnAssign) -> list[str]:
    targets = (
        [t.target for t in statement.targets]
        if isinstance(statement, cst.Assign)
        else [statement.target]
    )
    return [t.value for t in targets if isinstance(t, cst.Name)]


def looks_like_app(check: Check, receiver: cst.BaseExpression, apps: set[str]) -> bool:
    """Whether ``receiver`` is a web application object, as far as the file tells.

    It is when it is bound in this file to an application class (``apps``), built by one
    (``Flask(__name__).run``) or by an app factory (``create_app().run``), or named so:
    ``app``, ``application``, ``self.app``, ``web_app``.
    """
    if isinstance(receiver, cst.Call):
        if check.qualified_name(receiver.func) in APP_TYPES:
            return True
        factory = dotted_name(receiver.func)
        return factory is not None and factory.rsplit(".", 1)[-1] in _APP_FACTORIES
    bound = dotted_name(receiver)
    if bound is None:
        return False
    if bound in apps:
        return True
    last = bound.rsplit(".", 1)[-1].lower().strip("_")
    return last in _APP_NAMES or last.endswith("_app")
