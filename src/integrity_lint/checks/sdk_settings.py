"""PRV201, SUS201, SUS602: telemetry SDK settings, as data in ``rules/sdk-settings.toml``.

PRV201 flags settings that widen what an SDK collects about people, SUS201 settings that
sample every trace or profile, SUS602 clients that send events in the caller's thread. A
setting is a keyword of a call (``sentry_sdk.init(send_default_pii=True)``), a key of a dict
literal given for one (``data_collection={"user_info": True}``), an attribute of the SDK's
module (``posthog.disable_geoip = False``) or of a client built in the same file
(``client.sync_mode = True``), or an environment variable set in code. Only literal values and
known SDK constants are judged; anything computed is the deployment's choice and stays silent.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import libcst as cst

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.analysis.literals import literal_value
from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import keyword, positional, string_value
from integrity_lint.resources import load_data

DATA_FILE = "sdk-settings.toml"
CODES = ("PRV201", "SUS201", "SUS602")
_ENVIRON = "os.environ"
# Calls that set an environment variable: name position, value position.
_ENV_SETTERS = {"os.environ.setdefault": (0, 1), "os.putenv": (0, 1)}
_ENV_UPDATE = "os.environ.update"
_UNKNOWN = object()
_EMPTY = cst.Module(body=[])


@dataclass(frozen=True)
class Setting:
    """One entry of the data file (see its header for the meaning of each field)."""

    rule: str
    sdk: str
    message: str
    calls: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset()
    keyword: str | None = None
    position: int | None = None
    key: str | None = None
    missing: bool = False
    unless: tuple[str, ...] = ()
    instance: bool = False
    attributes: frozenset[str] = frozenset()
    env: frozenset[str] = frozenset()
    values: tuple[Any, ...] = ()
    minimum: float | None = None
    names: frozenset[str] = frozenset()

    def matches(self, value: object) -> bool:
        """Whether a literal ``value`` (or ``_UNKNOWN``) is the flagged setting."""
        if value is _UNKNOWN:
            return False
        if self.env and isinstance(value, str):
            if any(value.strip().casefold() == str(v).casefold() for v in self.values):
                return True
            value = _number(value)
        if self.minimum is not None and _is_number(value):
            return value >= self.minimum  # type: ignore[operator]
        return any(_same(value, expected) for expected in self.values)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(text: str) -> object:
    try:
        return float(text)
    except ValueError:
        return _UNKNOWN


def _same(value: object, expected: object) -> bool:
    if isinstance(value, bool) or isinstance(expected, bool):
        return type(value) is type(expected) and value == expected
    return value == expected


_FIELDS = {
    "rule",
    "sdk",
    "message",
    "call",
    "method",
    "keyword",
    "position",
    "key",
    "missing",
    "unless",
    "instance",
    "attribute",
    "env",
    "values",
    "min",
    "names",
}


def _parse(entry: dict[str, Any]) -> Setting:
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ValueError(f"{DATA_FILE}: unknown fields {sorted(unknown)} in {entry}")
    if entry.get("rule") not in CODES:
        raise ValueError(f"{DATA_FILE}: rule must be one of {CODES}: {entry}")
    shapes = [name for name in ("call", "attribute", "env") if name in entry]
    if len(shapes) != 1:
        raise ValueError(f"{DATA_FILE}: give exactly one of call, attribute, env: {entry}")
    if "call" in entry and "keyword" not in entry:
        raise ValueError(f"{DATA_FILE}: a call setting needs a keyword: {entry}")
    if not any(name in entry for name in ("values", "min", "names")):
        raise ValueError(f"{DATA_FILE}: say what matches (values, min or names): {entry}")
    minimum = entry.get("min")
    return Setting(
        rule=entry["rule"],
        sdk=entry["sdk"],
        message=" ".join(entry["message"].split()),
        calls=frozenset(entry.get("call", ())),
        methods=frozenset(entry.get("method", ())),
        keyword=entry.get("keyword"),
        position=entry.get("position"),
        key=entry.get("key"),
        missing=bool(entry.get("missing", False)),
        unless=tuple(entry.get("unless", ())),
        instance=bool(entry.get("instance", False)),
        attributes=frozenset(entry.get("attribute", ())),
        env=frozenset(entry.get("env", ())),
        values=tuple(entry.get("values", ())),
        minimum=float(minimum) if minimum is not None else None,
        names=frozenset(entry.get("names", ())),
    )


@dataclass(frozen=True)
class _Index:
    settings: tuple[Setting, ...]
    by_call: dict[str, tuple[Setting, ...]]
    by_method: dict[str, tuple[Setting, ...]]
    by_attribute: dict[str, tuple[Setting, ...]]
    by_env: dict[str, tuple[Setting, ...]]
    # Constructor -> settings that may also be assigned on its instances.
    by_constructor: dict[str, tuple[Setting, ...]]
    tokens: tuple[str, ...]


def _group(pairs: Iterable[tuple[str, Setting]]) -> dict[str, tuple[Setting, ...]]:
    grouped: dict[str, list[Setting]] = {}
    for name, setting in pairs:
        grouped.setdefault(name, []).append(setting)
    return {name: tuple(found) for name, found in grouped.items()}


def _last(name: str) -> str:
    return name.rsplit(".", 1)[-1]


@cache
def load_settings() -> _Index:
    """The settings of the data file, indexed for the check (read once)."""
    settings = tuple(_parse(entry) for entry in load_data(DATA_FILE)["setting"])
    tokens: set[str] = set()
    for setting in settings:
        if setting.keyword and setting.position is None and not setting.missing:
            tokens.add(setting.keyword)
        else:
            tokens.update(_last(name) for name in setting.calls)
        tokens.update(_last(name) for name in setting.attributes | setting.names)
        tokens.update(setting.env)
    return _Index(
        settings=settings,
        by_call=_group((c, s) for s in settings for c in s.calls),
        by_method=_group((m, s) for s in settings for m in s.methods),
        by_attribute=_group((a, s) for s in settings for a in s.attributes),
        by_env=_group((e, s) for s in settings for e in s.env),
        by_constructor=_group((c, s) for s in settings if s.instance for c in s.calls),
        tokens=tuple(sorted(tokens)),
    )


def literal(node: cst.BaseExpression) -> object:
    """The value of a bool/None/number/string literal (``-1`` too), else ``_UNKNOWN``."""
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[node.value]
    if isinstance(node, (cst.Integer, cst.Float)):
        value = literal_value(node)
        return _UNKNOWN if value is None else value
    if (
        isinstance(node, cst.UnaryOperation)
        and isinstance(node.operator, cst.Minus)
        and isinstance(node.expression, (cst.Integer, cst.Float))
    ):
        value = literal_value(node.expression)
        return _UNKNOWN if not isinstance(value, int | float) else -value
    text = string_value(node)
    return text if text is not None else _UNKNOWN


def _code(node: cst.CSTNode) -> str:
    if isinstance(node, cst.Arg):
        node = node.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    text = " ".join(_EMPTY.code_for_node(node).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _unique(settings: Iterable[Setting]) -> Iterator[Setting]:
    seen: set[int] = set()
    for setting in settings:
        if id(setting) not in seen:
            seen.add(id(setting))
            yield setting


class SdkSettings(Check):
    codes = CODES

    @classmethod
    def may_match(cls, text: str, folded: str) -> bool:
        return any(token in text for token in load_settings().tokens)

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.index = load_settings()
        # Dotted names (`client`, `self.posthog`) bound to a client built in this file.
        self.instances: dict[str, str] = {}

    # --- calls ---------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        name = self.qualified_name(node.func)
        candidates = list(self.index.by_call.get(name, ())) if name else []
        if type(node.func) is cst.Attribute:
            candidates += self.index.by_method.get(node.func.attr.value, ())
        if candidates:
            shown = name or dotted_name(node.func) or _code(node.func)
            for setting in _unique(candidates):
                self._check_call(node, shown, setting)
        if name in _ENV_SETTERS:
            name_at, value_at = _ENV_SETTERS[name]
            variable, value = positional(node, name_at), positional(node, value_at)
            if variable is not None and value is not None:
                self._check_env(node, string_value(variable.value), value.value)
        elif name == _ENV_UPDATE:
            self._check_env_update(node)

    def _check_call(self, node: cst.Call, shown: str, setting: Setting) -> None:
        assert setting.keyword is not None
        spread = any(arg.star == "**" for arg in node.args)
        if any(keyword(node, other) for other in setting.unless) or (setting.unless and spread):
            return
        arg = keyword(node, setting.keyword)
        if arg is None and setting.position is not None:
            arg = positional(node, setting.position)
        if arg is None:
            # For a `key` setting, `missing` is about the key inside a given dict.
            if setting.missing and setting.key is None and not any(a.star for a in node.args):
                self.report(
                    node,
                    f"`{shown}(...)` without `{setting.keyword}=`: {setting.message}",
                    code=setting.rule,
                )
            return
        if setting.key is not None:
            self._check_key(arg, shown, setting)
        elif self._value_matches(setting, arg.value):
            written = _code(arg) if arg.keyword is not None or not setting.position else ""
            written = written or f"..., {_code(arg)}"
            self.report(arg, f"`{shown}({written})`: {setting.message}", code=setting.rule)

    def _check_key(self, arg: cst.Arg, shown: str, setting: Setting) -> None:
        if not isinstance(arg.value, cst.Dict):
            return
        for element in arg.value.elements:
            if isinstance(element, cst.DictElement) and string_value(element.key) == setting.key:
                if self._value_matches(setting, element.value):
                    where = f'{{"{setting.key}": {_code(element.value)}}}'
                    self.report(
                        element,
                        f"`{shown}({setting.keyword}={where})`: {setting.message}",
                        code=setting.rule,
                    )
                return
        open_dict = any(isinstance(e, cst.StarredDictElement) for e in arg.value.elements)
        if setting.missing and not open_dict:
            self.report(
                arg,
                f'`{shown}({setting.keyword}={{...}})` without "{setting.key}": {setting.message}',
                code=setting.rule,
            )

    def _value_matches(self, setting: Setting, value: cst.BaseExpression) -> bool:
        if setting.names:
            target = value.func if isinstance(value, cst.Call) else value
            if self.qualified_name(target) in setting.names:
                return True
        return setting.matches(literal(value))

    # --- assignments ---------------------------------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._check_target(node, target.target, node.value)
        self._track(node.value, [target.target for target in node.targets])

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._check_target(node, node.target, node.value)
            self._track(node.value, [node.target])

    def _track(self, value: cst.BaseExpression, targets: list[cst.BaseExpression]) -> None:
        """Remember (or forget) which targets now hold a client built by a known constructor."""
        constructor = None
        if type(value) is cst.Call:
            name = self.qualified_name(value.func)
            if name in self.index.by_constructor:
                constructor = name
        for target in targets:
            dotted = dotted_name(target)
            if dotted is None:
                continue
            if constructor is not None:
                self.instances[dotted] = constructor
            else:
                self.instances.pop(dotted, None)

    def _check_target(
        self, node: cst.CSTNode, target: cst.BaseExpression, value: cst.BaseExpression
    ) -> None:
        if type(target) is cst.Subscript:
            self._check_environ_item(node, target, value)
            return
        if type(target) is not cst.Attribute:
            return
        name = self.qualified_name(target)
        candidates = list(self.index.by_attribute.get(name, ())) if name else []
        owner = dotted_name(target.value)
        constructor = self.instances.get(owner) if owner is not None else None
        if constructor is not None:
            candidates += [
                setting
                for setting in self.index.by_constructor[constructor]
                if setting.keyword == target.attr.value and setting.key is None
            ]
        for setting in _unique(candidates):
            if self._value_matches(setting, value):
                shown = name or dotted_name(target) or _code(target)
                self.report(
                    node, f"`{shown} = {_code(value)}`: {setting.message}", code=setting.rule
                )

    # --- environment variables -----------------------------------------------------------

    def _check_environ_item(
        self, node: cst.CSTNode, target: cst.Subscript, value: cst.BaseExpression
    ) -> None:
        if self.qualified_name(target.value) != _ENVIRON or len(target.slice) != 1:
            return
        index = target.slice[0].slice
        if isinstance(index, cst.Index):
            self._check_env(node, string_value(index.value), value)

    def _check_env_update(self, node: cst.Call) -> None:
        first = positional(node, 0)
        if first is not None and isinstance(first.value, cst.Dict):
            for element in first.value.elements:
                if isinstance(element, cst.DictElement):
                    self._check_env(element, string_value(element.key), element.value)
        for arg in node.args:
            if arg.keyword is not None:
                self._check_env(arg, arg.keyword.value, arg.value)

    def _check_env(self, node: cst.CSTNode, name: str | None, value: cst.BaseExpression) -> None:
        if name is None:
            return
        for setting in self.index.by_env.get(name, ()):
            if self._value_matches(setting, value):
                self.report(
                    node,
                    f"`{name}={_code(value)}` set in code: {setting.message}",
                    code=setting.rule,
                )
