"""PRV202: consent, tracking and marketing switches that are on unless someone turns them off.

A default is read where code declares one: model and form fields (``default=``,
``initial=``, ``server_default=`` ...), annotated and class attributes (pydantic, dataclasses,
settings classes), module-level settings constants, attributes set in ``__init__``,
function parameters, and command-line options (argparse, click, typer). The name decides
what the switch is about; the words are data, in ``rules/consent.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import libcst as cst

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.analysis.vocabulary import split_words
from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import is_constant, keyword, positional, string_value
from integrity_lint.resources import load_data

DATA_FILE = "consent.toml"
# Keywords of field constructors that give the default.
_DEFAULT_KEYWORDS = (
    "default",
    "initial",
    "load_default",
    "dump_default",
    "missing",
    "server_default",
    "insert_default",
)
# Constructors whose first positional argument is the default.
_POSITIONAL_DEFAULTS = frozenset(
    {"pydantic.Field", "pydantic.fields.Field", "typer.Option", "typer.Argument", "attr.ib"}
)
_ARGPARSE_METHODS = frozenset({"add_argument"})
_CLICK_OPTIONS = frozenset({"click.option", "click.decorators.option", "typer.Option"})


@dataclass(frozen=True)
class _Words:
    opt_in: tuple[tuple[tuple[str, ...], str], ...]  # (words, as written)
    opt_out: tuple[tuple[str, ...], ...]
    unrelated: frozenset[str]


@cache
def _words() -> _Words:
    data = load_data(DATA_FILE)
    return _Words(
        opt_in=tuple((tuple(split_words(p)), p) for p in data["opt-in"]),
        opt_out=tuple(tuple(split_words(p)) for p in data["opt-out"]),
        unrelated=frozenset(w for p in data["unrelated"] for w in split_words(p)),
    )


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1))


def consent_switch(name: str) -> tuple[str, bool] | None:
    """What a switch named ``name`` is about, and whether ``True`` means "collect".

    ``marketing_opt_in`` → ("marketing", True); ``analytics_opt_out`` → ("analytics",
    False); ``tracking_number`` and ``consent_required`` → None.
    """
    words = split_words(name)
    vocabulary = _words()
    if not words or any(word in vocabulary.unrelated for word in words):
        return None
    topic = next((text for p, text in vocabulary.opt_in if _contains(words, p)), None)
    if topic is None:
        return None
    negative = any(_contains(words, p) for p in vocabulary.opt_out)
    return topic, not negative


class OptOutConsentDefault(Check):
    """PRV202: a consent, tracking or marketing switch that defaults to on."""

    codes = ("PRV202",)
    # Any case: the words are judged in lower case (`PROFILING_ENABLED` is a profiling switch).
    tokens = (
        "consent",
        "track",
        "telemetry",
        "nalytics",
        "arketing",
        "ewsletter",
        "opt",
        "usage",
        "romo",
        "share",
        "ersonali",
        "rofiling",
        "mailing",
        "ffer",
    )
    casefold_tokens = True

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # "module" is implied; "class", "unrelated" (a class about something else),
        # "function" or "__init__" for each enclosing block.
        self.blocks: list[str] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        # The fields of `class Shipment` or `class OrderTracking` are about something else.
        unrelated = any(w in _words().unrelated for w in split_words(node.name.value))
        self.blocks.append("unrelated" if unrelated else "class")

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.blocks.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.blocks.append("__init__" if node.name.value == "__init__" else "function")
        for param in (*node.params.params, *node.params.kwonly_params):
            if param.default is not None:
                self._judge(param.name.value, param.default, "parameter")

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.blocks.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assigned(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if type(func) is cst.Attribute and func.attr.value in _ARGPARSE_METHODS:
            self._argparse(node)
        elif self.qualified_name(func) in _CLICK_OPTIONS:
            self._click(node)

    # --- where defaults are declared -----------------------------------------------------

    def _assigned(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        block = self.blocks[-1] if self.blocks else "module"
        if isinstance(target, cst.Name) and block in ("module", "class"):
            self._judge(target.value, value, "setting" if block == "module" else "field")
        elif (
            type(target) is cst.Attribute
            and block == "__init__"
            and dotted_name(target.value) == "self"
        ):
            self._judge(target.attr.value, value, "attribute")

    def _judge(self, name: str, value: cst.BaseExpression, what: str) -> None:
        """Report ``name``'s default if it turns collection on."""
        default = self._default(value)
        if default is not None:
            self._check(name, default[1], default[0], what)

    def _check(self, name: str, on: bool, node: cst.CSTNode, what: str) -> None:
        switch = consent_switch(name)
        if switch is None:
            return
        topic, positive = switch
        if on == positive:
            self.report(
                node,
                f"{what} `{name}` defaults to `{on}`, so {topic} is on for everyone who does "
                "not turn it off; consent has to be given, not assumed: default to off and ask",
            )

    def _default(self, value: cst.BaseExpression) -> tuple[cst.BaseExpression, bool] | None:
        """The literal ``True``/``False`` a value is or declares as its default."""
        if is_constant(value, True) or is_constant(value, False):
            return value, is_constant(value, True)
        if not isinstance(value, cst.Call):
            return None
        for name in _DEFAULT_KEYWORDS:
            arg = keyword(value, name)
            if arg is not None:
                return self._default(arg.value) if isinstance(arg.value, cst.Name) else None
        if self.qualified_name(value.func) in _POSITIONAL_DEFAULTS:
            arg = positional(value, 0)
            if arg is not None and isinstance(arg.value, cst.Name):
                return self._default(arg.value)
        return None

    def _argparse(self, node: cst.Call) -> None:
        """``add_argument("--telemetry", default=True)``, ``action="store_false"``."""
        dest = keyword(node, "dest")
        flags = [string_value(a.value) for a in node.args if a.keyword is None and not a.star]
        long_flags = [f for f in flags if f is not None and f.startswith("--")]
        name = string_value(dest.value) if dest is not None else None
        if name is None and long_flags:
            name = long_flags[0].lstrip("-").replace("-", "_")
        if name is None:
            return
        action = keyword(node, "action")
        action_name = string_value(action.value) if action is not None else None
        default = keyword(node, "default")
        if default is not None:
            self._judge(name, default.value, "command-line option")
        elif action_name in ("store_true", "store_false"):
            self._check(name, action_name == "store_false", node, "command-line option")

    def _click(self, node: cst.Call) -> None:
        """``@click.option("--telemetry/--no-telemetry", default=True)``."""
        decls = [string_value(a.value) for a in node.args if a.keyword is None and not a.star]
        names = [d for d in decls if d is not None and d.startswith("--")]
        if not names:
            return
        name = names[0].split("/", 1)[0].lstrip("-").replace("-", "_")
        default = keyword(node, "default")
        if default is not None:
            self._judge(name, default.value, "command-line option")
        elif keyword(node, "is_flag") is not None and "/" not in names[0]:
            self._check(name, False, node, "command-line option")
