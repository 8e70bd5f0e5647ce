"""SEC305: HTML escaping switched off, or markup built from data and declared safe."""

from __future__ import annotations

import libcst as cst

from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import (
    is_constant,
    is_literal,
    keyword,
    positional,
    source,
    string_value,
    with_keyword,
)

# Jinja environments and templates: `autoescape` is off unless given.
_JINJA = frozenset(
    {
        "jinja2.Environment",
        "jinja2.environment.Environment",
        "jinja2.Template",
        "jinja2.environment.Template",
        "jinja2.sandbox.SandboxedEnvironment",
        "jinja2.sandbox.ImmutableSandboxedEnvironment",
    }
)
# Template engines whose `autoescape` is on by default: only an explicit `False` is flagged.
_ESCAPING_BY_DEFAULT = frozenset(
    {"django.template.Engine", "django.template.engine.Engine", "aiohttp_jinja2.setup"}
)
_MAKO = frozenset({"mako.template.Template", "mako.lookup.TemplateLookup"})
# Callees that declare a string safe HTML -> the name of their text parameter.
_MARK_SAFE = {
    "django.utils.safestring.mark_safe": "s",
    "django.utils.html.mark_safe": "s",
    "django.utils.safestring.SafeString": "",
    "django.utils.safestring.SafeText": "",
    "markupsafe.Markup": "object",
    "flask.Markup": "object",
    "jinja2.Markup": "object",
}
# Callees whose result is escaped or sanitised HTML, safe to declare safe.
_ESCAPERS = frozenset(
    {
        "django.utils.html.escape",
        "django.utils.html.conditional_escape",
        "django.utils.html.format_html",
        "django.utils.html.format_html_join",
        "django.utils.html.json_script",
        "django.utils.html.escapejs",
        "django.template.loader.render_to_string",
        "django.shortcuts.render_to_string",
        "markupsafe.escape",
        "markupsafe.Markup.escape",
        "flask.escape",
        "flask.render_template",
        "flask.render_template_string",
        "html.escape",
        "bleach.clean",
        "bleach.linkify",
        "nh3.clean",
    }
)


class AutoescapeDisabled(Check):
    codes = ("SEC305",)
    tokens = ("autoescape", "jinja2", "mako", "mark_safe", "SafeString", "SafeText", "Markup")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Module-level ALL_CAPS names bound to a literal: fixed text, safe to mark safe.
        self.constants: set[str] = set()
        # Per enclosing function: its local names, and whether every value bound to each so
        # far is fixed text (`rows = format_html_join(...)`, `text = "API"`).
        self.locals: list[dict[str, bool]] = []

    def visit_Module(self, node: cst.Module) -> None:
        for statement in node.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if (
                        isinstance(small, cst.Assign)
                        and len(small.targets) == 1
                        and isinstance(small.targets[0].target, cst.Name)
                        and small.targets[0].target.value.isupper()
                        and is_literal(small.value)
                    ):
                        self.constants.add(small.targets[0].target.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.locals.append({})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.locals.pop()

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, self._is_local_safe(node.value))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        # `html += escape(x)` keeps fixed text fixed; any other operator or value does not.
        self._bind(
            node.target, isinstance(node.operator, cst.AddAssign) and self._is_safe(node.value)
        )

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, False)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, False)

    def _is_local_safe(self, value: cst.BaseExpression) -> bool:
        """Whether a value bound to a local name is fixed text that stays fixed.

        A list, dict or set may be filled later (`parts = []`, `parts.append(data)`).
        """
        if not self.locals or isinstance(value, (cst.List, cst.Dict, cst.Set)):
            return False
        return self._is_safe(value)

    def _bind(self, target: cst.BaseExpression, safe: bool) -> None:
        """Record that a local name now (also) holds a value that is, or is not, fixed text."""
        if not self.locals:
            return
        if isinstance(target, cst.Name):
            scope = self.locals[-1]
            scope[target.value] = scope.get(target.value, True) and safe
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value, False)

    def visit_Call(self, node: cst.Call) -> None:
        name = self.qualified_name(node.func)
        if name is None:
            return
        if name in _JINJA:
            self._jinja(node, name)
        elif name in _ESCAPING_BY_DEFAULT:
            autoescape = keyword(node, "autoescape")
            if autoescape is not None and is_constant(autoescape.value, False):
                self.report(
                    node,
                    f"`{name}(autoescape=False)` turns off HTML escaping, so data in templates "
                    "becomes markup (cross-site scripting); remove it",
                    fix=_with_autoescape(node),
                )
        elif name in _MAKO:
            self._mako(node, name)
        elif name in _MARK_SAFE:
            self._mark_safe(node, name)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if string_value(node.key) == "autoescape" and is_constant(node.value, False):
            self.report(
                node,
                '`"autoescape": False` turns off HTML escaping in the templates of this engine, '
                "so data becomes markup (cross-site scripting); remove it",
                fix=node.with_changes(value=cst.Name("True")),
            )

    def visit_Assign(self, node: cst.Assign) -> None:
        safe = self._is_local_safe(node.value)
        for target in node.targets:
            self._bind(target.target, safe)
            if (
                isinstance(target.target, cst.Attribute)
                and target.target.attr.value == "autoescape"
                and is_constant(node.value, False)
            ):
                self.report(
                    node,
                    f"`{source(target.target)} = False` turns off HTML escaping, so data in "
                    "templates becomes markup (cross-site scripting); set it to `True`",
                    fix=node.with_changes(value=cst.Name("True")),
                )

    def _jinja(self, node: cst.Call, name: str) -> None:
        autoescape = keyword(node, "autoescape")
        if autoescape is None:
            if any(arg.star == "**" for arg in node.args):
                return  # the options may carry `autoescape`
            problem = f"`{name}` without `autoescape` does not escape HTML"
        elif is_constant(autoescape.value, False):
            problem = f"`{name}(autoescape=False)` does not escape HTML"
        else:
            return
        self.report(
            node,
            f"{problem}, so data in templates becomes markup (cross-site scripting); pass "
            "`autoescape=select_autoescape()` (or `True`) for HTML templates",
            fix=_with_autoescape(node),
        )

    def _mako(self, node: cst.Call, name: str) -> None:
        filters = keyword(node, "default_filters")
        if filters is None:
            if any(arg.star == "**" for arg in node.args):
                return
        elif not isinstance(filters.value, (cst.List, cst.Tuple)) or any(
            isinstance(element, cst.Element) and string_value(element.value) == "h"
            for element in filters.value.elements
        ):
            return
        self.report(
            node,
            f"`{name}` does not escape HTML unless `default_filters` includes `'h'`, so data "
            "in templates becomes markup (cross-site scripting); pass "
            "`default_filters=['h']`",
        )

    def _mark_safe(self, node: cst.Call, name: str) -> None:
        text = positional(node, 0)
        if text is None and _MARK_SAFE[name]:
            text = keyword(node, _MARK_SAFE[name])
        if text is None or text.star or self._is_safe(text.value):
            return
        short = name.rsplit(".", 1)[-1]
        instead = (
            "`format_html()`, which escapes each value"
            if name.startswith("django.")
            else "`Markup(template).format(...)` or `Markup.escape()`, which escape each value"
        )
        self.report(
            node,
            f"`{short}()` declares text built from data safe HTML, so markup in the data "
            f"reaches the page unescaped (cross-site scripting); build it with {instead}",
        )

    def _is_safe(self, node: cst.BaseExpression) -> bool:
        """Whether ``node`` is fixed text, or built only from fixed text and escaped values."""
        if is_literal(node):
            return True
        if isinstance(node, cst.Name):
            local = self.locals[-1].get(node.value) if self.locals else None
            return local if local is not None else node.value in self.constants
        if isinstance(node, cst.Call):
            if self.qualified_name(node.func) in _ESCAPERS:
                return True
            func = node.func
            return (
                isinstance(func, cst.Attribute)
                and func.attr.value in ("format", "join")
                and self._is_safe(func.value)
                and all(not arg.star and self._is_safe(arg.value) for arg in node.args)
            )
        if isinstance(node, cst.FormattedString):
            return all(
                self._is_safe(part.expression)
                for part in node.parts
                if isinstance(part, cst.FormattedStringExpression)
            )
        if isinstance(node, cst.ConcatenatedString):
            return self._is_safe(node.left) and self._is_safe(node.right)
        if isinstance(node, cst.IfExp):
            return self._is_safe(node.body) and self._is_safe(node.orelse)
        if isinstance(node, cst.BinaryOperation):
            return isinstance(node.operator, (cst.Add, cst.Modulo)) and all(
                self._is_safe(side) for side in (node.left, node.right)
            )
        if isinstance(node, (cst.Tuple, cst.List)):
            return all(
                isinstance(element, cst.Element) and self._is_safe(element.value)
                for element in node.elements
            )
        if isinstance(node, cst.Dict):
            return all(
                isinstance(element, cst.DictElement) and self._is_safe(element.value)
                for element in node.elements
            )
        return False


def _with_autoescape(node: cst.Call) -> cst.Call:
    """``node`` with ``autoescape=True``: the ``False`` replaced, or the keyword added."""
    return with_keyword(node, "autoescape", cst.Name("True"))
