"""Finds telemetry in one file: SDK imports, telemetry sites, and the calls and definitions
the project pass needs to follow clients and wrappers across files.

Recognition follows what the code does, through the SDK catalog: import aliases, clients
created by constructors or factories (locals, module globals, ``self`` attributes), values
returned by SDK methods (``with tracer.start_as_current_span("x") as span``), attribute
chains (Glean metrics, ``client.events`` of Intercom), module-level SDK objects and their
functions (``posthog.capture``, ``from posthog import capture``), event objects passed to a send
method (Amplitude ``BaseEvent``, Snowplow ``StructuredEvent``), and raw HTTP posts to a known
collection endpoint (the catalog's ``hosts``: Google Analytics ``/mp/collect``). A method call
on something the file cannot resolve, and a call to a project function, become
:class:`CallFact` for the project pass.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import libcst as cst
from libcst._batched_visitor import VisitorMethod
from libcst.metadata import CodeRange

from integrity_lint.analysis.facts import (
    Arg,
    CallFact,
    FieldFact,
    FileFacts,
    PersonalRef,
    SdkUse,
    Site,
    Value,
    Where,
    module_name,
)
from integrity_lint.analysis.imports import ImportTracker, dotted_name
from integrity_lint.analysis.literals import text_value
from integrity_lint.analysis.models import schema_of
from integrity_lint.analysis.personal import ExpressionClassifier
from integrity_lint.analysis.sdks import HttpShape, Method, SdkCatalog, Slot, pick
from integrity_lint.analysis.visitor import BatchedVisitor
from integrity_lint.analysis.vocabulary import ALL_KINDS, REPORTED_KINDS, counts

_REQUEST_DATA = frozenset({"POST", "GET", "form", "args", "values", "json", "data", "query_params"})
_STDLIB = frozenset(sys.stdlib_module_names) | {"builtins", "__future__"}
_LOOPS = (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_URL_EXPRESSIONS = (
    cst.SimpleString,
    cst.ConcatenatedString,
    cst.FormattedString,
    cst.BinaryOperation,
    cst.Call,
)
_PAYLOAD_DEPTH = 3  # SelfDescribing(SelfDescribingJson(schema, data)) is two levels


@dataclass(frozen=True)
class SdkValue:
    """An SDK object in the code: its SDK, its type, and what it carries."""

    sdk: str
    type: str
    name: Value | None = None  # the name a span, instrument or metric carries
    chain: tuple[str, ...] = ()  # attribute names collected so far (Glean metrics)
    origin: cst.Call | None = None  # the call that built it, for payload objects


@dataclass(frozen=True)
class DictValue:
    keys: tuple[str, ...]
    open: bool
    node: cst.Dict | None = None  # the literal, for nested payloads (an HTTP body)


@dataclass(frozen=True)
class UrlPrefix:
    """A name bound to a URL known up to some point (``f"{ENDPOINT}?id={MEASUREMENT_ID}"``)."""

    text: str


Binding = SdkValue | DictValue | UrlPrefix


@dataclass
class _Function:
    qualname: str
    params: tuple[str, ...]
    bindings: dict[str, Binding]
    loops: int = 0
    guarded: bool = False  # by a decorator, or by an early exit when consent is missing


def _exits(body: cst.BaseSuite) -> bool:
    """Whether a block ends by leaving the function (``return`` or ``raise``)."""
    if isinstance(body, cst.IndentedBlock):
        last = body.body[-1] if body.body else None
        smalls = last.body if isinstance(last, cst.SimpleStatementLine) else ()
    else:
        smalls = body.body
    return bool(smalls) and isinstance(smalls[-1], (cst.Return, cst.Raise))


def _names(node: cst.BaseExpression) -> list[cst.Name]:
    """The names a simple test reads: ``not x``, ``x is None``, ``x and y``."""
    if isinstance(node, cst.Name):
        return [node]
    if isinstance(node, cst.UnaryOperation):
        return _names(node.expression)
    if isinstance(node, cst.Comparison):
        return _names(node.left)
    if isinstance(node, cst.BooleanOperation):
        return _names(node.left) + _names(node.right)
    return []


def _returned_dict(function: cst.FunctionDef) -> cst.Dict | None:
    """The dict literal a function returns as its last statement, if it does."""
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
    last = body[-1] if body else None
    if isinstance(last, cst.SimpleStatementLine) and len(last.body) == 1:
        returned = last.body[0]
        if isinstance(returned, cst.Return) and isinstance(returned.value, cst.Dict):
            return returned.value
    return None


def _substitute(mapping: cst.Dict, arguments: dict[str, cst.BaseExpression]) -> cst.Dict:
    """``mapping`` with each value that names a parameter replaced by its argument (nested
    dict literals too); other values are left as they are."""
    elements: list[cst.BaseDictElement] = []
    for element in mapping.elements:
        if isinstance(element, cst.DictElement):
            value = element.value
            if isinstance(value, cst.Name) and value.value in arguments:
                element = element.with_changes(value=arguments[value.value])
            elif isinstance(value, cst.Dict):
                element = element.with_changes(value=_substitute(value, arguments))
        elements.append(element)
    return mapping.with_changes(elements=elements)


def evaluate_string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return text_value(node)
    if isinstance(node, cst.FormattedString) and all(
        isinstance(part, cst.FormattedStringText) for part in node.parts
    ):
        return "".join(part.value for part in node.parts)  # type: ignore[union-attr]
    return None


class TelemetryCollector(BatchedVisitor):
    def __init__(
        self,
        path: str,
        imports: ImportTracker,
        catalog: SdkCatalog,
        scope: list[str],
        consent_guards: tuple[str, ...] = (),
        personal: ExpressionClassifier | None = None,
        collect_fields: bool = False,
        collect_calls: bool = True,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.consent_guards = frozenset(consent_guards)
        self.guard_depth = 0  # `if` branches entered that run only with consent
        self._guarding: list[bool] = []
        self._tests: list[cst.BaseExpression] = []  # the tests of the `if` bodies entered
        self.personal = personal  # judges the personal data of call arguments
        # PRV601: record personal-data fields of schema classes and request keys
        self.collect_fields = collect_fields and personal is not None
        self.schema_kinds: dict[str, str] = {}
        self.seen_fields: set[tuple[str | None, str]] = set()
        self.imports = imports
        self.scope = scope
        self.facts = FileFacts(path=path, module=module_name(path), calls_known=collect_calls)
        self.module_bindings: dict[str, Binding] = {}
        self.class_bindings: dict[str, dict[str, Binding]] = {}
        self.classes: list[str] = []
        self.functions: list[_Function] = []
        self.module_loops = 0
        self._pending: list[tuple[str, dict[str, Any], cst.CSTNode, str]] = []
        # module-level functions that return a dict literal (a payload builder), by name
        self.dict_builders: dict[str, tuple[cst.FunctionDef, cst.Dict]] = {}

    # --- before the visit: what the module defines -------------------------------------

    def get_visitors(self) -> Mapping[str, VisitorMethod]:
        """Where only PRV601's fields are collected, not what only calls need: bindings,
        loops, consent guards, SDK imports (the file names no SDK). Constants, functions,
        clients and instances come from :meth:`prescan` in both cases."""
        visitors = super().get_visitors()
        if self.facts.calls_known:
            return visitors
        return {name: method for name, method in visitors.items() if name not in _CALLS_ONLY}

    def prescan(self, module: cst.Module) -> None:
        """Module constants, enum members, module-level functions and clients."""
        for statement in module.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    self._prescan_assignment(small, self.facts.constants, "")
            elif isinstance(statement, cst.ClassDef):
                self._prescan_class(statement)
            elif isinstance(statement, cst.FunctionDef):
                self.facts.functions[statement.name.value] = _parameters(statement, False)
                returned = _returned_dict(statement)
                if returned is not None:
                    self.dict_builders[statement.name.value] = (statement, returned)

    def _prescan_assignment(
        self, small: cst.CSTNode, constants: dict[str, str], prefix: str
    ) -> None:
        targets, value = _assignment(small)
        if value is None:
            return
        text = evaluate_string(value)
        for target in targets:
            if not isinstance(target, cst.Name):
                continue
            if text is not None:
                constants[prefix + target.value] = text
            elif not prefix:
                bound = self._bind_value(value)
                if isinstance(bound, (SdkValue, UrlPrefix)):
                    self.module_bindings[target.value] = bound
                if isinstance(bound, SdkValue):
                    self.facts.clients[target.value] = (bound.sdk, bound.type)
                elif bound is None and isinstance(value, cst.Call):
                    cls = self._callee(value.func)
                    if cls is not None:  # `telemetry = Telemetry()`: its methods may wrap an SDK
                        self.facts.instances[target.value] = cls

    def _prescan_class(self, node: cst.ClassDef) -> None:
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        attributes: dict[str, Binding] = self.class_bindings.setdefault(node.name.value, {})
        for statement in body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    self._prescan_assignment(small, self.facts.constants, node.name.value + ".")
            elif isinstance(statement, cst.FunctionDef):
                method = f"{node.name.value}.{statement.name.value}"
                self.facts.functions[method] = _parameters(statement, True)
                inner = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else ()
                for line in inner:
                    if not isinstance(line, cst.SimpleStatementLine):
                        continue
                    for small in line.body:
                        targets, value = _assignment(small)
                        for target in targets:
                            name = dotted_name(target) if value is not None else None
                            if name and name.startswith("self.") and name.count(".") == 1:
                                bound = self._bind_value(value)  # type: ignore[arg-type]
                                if bound is not None:
                                    attributes[name[5:]] = bound

    # --- scopes --------------------------------------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.append(node.name.value)
        if self.collect_fields and not self.functions:
            schema = schema_of(node, self.imports.qualify, self.schema_kinds)
            if schema is not None:
                self.schema_kinds[schema.name] = schema.kind
                model = f"{self.facts.module}.{schema.name}"
                for item in schema.fields:
                    self._field(item.name, schema.name, model, schema.kind, item.target)

    def _field(
        self, name: str, owner: str | None, model: str | None, source: str, node: cst.CSTNode
    ) -> None:
        """Record a personal-data field once per model (or per file for request keys)."""
        assert self.personal is not None
        found = self.personal.vocabulary.classify(name, owner, key=model is None)
        if found is None or not counts(found, REPORTED_KINDS) or (model, name) in self.seen_fields:
            return
        self.seen_fields.add((model, name))
        fields = {
            "name": name,
            "model": model,
            "category": found.id,
            "sensitivity": found.sensitivity,
            "source": source,
        }
        self._pending.append(("field", fields, node, self._scope()))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if self.collect_fields and len(node.slice) == 1:
            item = node.slice[0].slice
            if isinstance(item, cst.Index) and self._request_data(node.value):
                key = evaluate_string(item.value)
                if key is not None:
                    self._field(key, None, None, "request", node)

    def _request_data(self, node: cst.BaseExpression) -> bool:
        """``request.POST``, ``request.form``, ``request.args``, ... (Django, Flask, DRF)."""
        return (
            isinstance(node, cst.Attribute)
            and node.attr.value in _REQUEST_DATA
            and dotted_name(node.value) in ("request", "self.request", "req")
        )

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.classes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        method = bool(self.classes) and not self.functions
        qualname = ".".join([self.facts.module, *self.scope])
        guarded = any(self._mentions_guard(d.decorator) for d in node.decorators)
        self.functions.append(_Function(qualname, _parameters(node, method), {}, guarded=guarded))
        for param in node.params.params:
            annotation = param.annotation.annotation if param.annotation else None
            bound = self._annotation_value(annotation) if annotation is not None else None
            if bound is not None:
                self.functions[-1].bindings[param.name.value] = bound

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.functions.pop()

    # --- consent guards (PRV203) -----------------------------------------------------------

    def _mentions_guard(self, node: cst.BaseExpression) -> bool:
        """Whether ``node`` calls or reads a configured consent guard.

        A guard with a dotted name matches what a name resolves to through the imports; a
        bare name matches any function, method or attribute of that name
        (``has_consented`` matches ``request.user.has_consented("analytics")``).
        """
        if not self.consent_guards:
            return False
        if isinstance(node, cst.Call):
            return self._mentions_guard(node.func) or any(
                self._mentions_guard(arg.value) for arg in node.args
            )
        if isinstance(node, (cst.Name, cst.Attribute)):
            last = node.value if isinstance(node, cst.Name) else node.attr.value
            if last in self.consent_guards or self.imports.qualify(node) in self.consent_guards:
                return True
            return isinstance(node, cst.Attribute) and self._mentions_guard(node.value)
        if isinstance(node, cst.BooleanOperation):
            return self._mentions_guard(node.left) or self._mentions_guard(node.right)
        if isinstance(node, cst.Comparison):
            return self._mentions_guard(node.left)
        return False

    def _negated_guard(self, test: cst.BaseExpression) -> bool:
        return (
            isinstance(test, cst.UnaryOperation)
            and isinstance(test.operator, cst.Not)
            and self._mentions_guard(test.expression)
        )

    def visit_If(self, node: cst.If) -> None:
        # `if not has_consent(user): return` guards the rest of the function.
        if self.functions and self._negated_guard(node.test) and _exits(node.body):
            self.functions[-1].guarded = True

    def visit_If_body(self, node: cst.If) -> None:
        self._tests.append(node.test)
        guarding = self._mentions_guard(node.test) and not self._negated_guard(node.test)
        self._guarding.append(guarding)
        self.guard_depth += guarding

    def leave_If_body(self, node: cst.If) -> None:
        self._tests.pop()
        self.guard_depth -= self._guarding.pop()

    def visit_If_orelse(self, node: cst.If) -> None:
        guarding = self._negated_guard(node.test)
        self._guarding.append(guarding)
        self.guard_depth += guarding

    def leave_If_orelse(self, node: cst.If) -> None:
        self.guard_depth -= self._guarding.pop()

    @property
    def guarded(self) -> bool:
        return self.guard_depth > 0 or any(f.guarded for f in self.functions)

    def _enter_loop(self) -> None:
        if self.functions:
            self.functions[-1].loops += 1
        else:
            self.module_loops += 1

    def _leave_loop(self) -> None:
        if self.functions:
            self.functions[-1].loops -= 1
        else:
            self.module_loops -= 1

    def visit_For(self, node: cst.For) -> None:
        self._enter_loop()

    def leave_For(self, original_node: cst.For) -> None:
        self._leave_loop()

    def visit_While(self, node: cst.While) -> None:
        self._enter_loop()

    def leave_While(self, original_node: cst.While) -> None:
        self._leave_loop()

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._enter_loop()

    def leave_ListComp(self, original_node: cst.ListComp) -> None:
        self._leave_loop()

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._enter_loop()

    def leave_GeneratorExp(self, original_node: cst.GeneratorExp) -> None:
        self._leave_loop()

    @property
    def in_loop(self) -> bool:
        return (self.functions[-1].loops if self.functions else self.module_loops) > 0

    # --- bindings ------------------------------------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        self._bind_targets([t.target for t in node.targets], node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind_targets([node.target], node.value)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_targets([node.asname.name], node.item)

    def _bind_targets(self, targets: list[cst.BaseExpression], value: cst.BaseExpression) -> None:
        if self._defaults_parameter(targets, value):
            return
        bound = self._bind_value(value)
        for target in targets:
            if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
                self._add_key(target)
                continue
            name = dotted_name(target)
            if name is None:
                continue
            if name.startswith("self.") and self.classes:
                if bound is not None:
                    self.class_bindings.setdefault(self.classes[-1], {})[name[5:]] = bound
            elif "." not in name:
                scope = self.functions[-1].bindings if self.functions else self.module_bindings
                if bound is None:
                    scope.pop(name, None)
                else:
                    scope[name] = bound

    def _defaults_parameter(
        self, targets: list[cst.BaseExpression], value: cst.BaseExpression
    ) -> bool:
        """``if not properties: properties = {}``: the parameter still carries what callers
        pass, so the default does not replace it."""
        if len(targets) != 1 or not isinstance(targets[0], cst.Name) or not self.functions:
            return False
        name = targets[0].value
        empty = (isinstance(value, cst.Name) and value.value == "None") or (
            isinstance(value, (cst.Dict, cst.List)) and not value.elements
        )
        mentioned = any(
            isinstance(n, cst.Name) and n.value == name
            for test in self._tests
            for n in _names(test)
        )
        return empty and mentioned and name in self.functions[-1].params

    def _add_key(self, target: cst.Subscript) -> None:
        """``props["plan"] = ...`` adds a key to a local dict literal."""
        name = target.value.value  # type: ignore[attr-defined]
        scope = self.functions[-1].bindings if self.functions else self.module_bindings
        bound = scope.get(name)
        if not isinstance(bound, DictValue):
            return
        element = target.slice[0].slice if len(target.slice) == 1 else None
        key = evaluate_string(element.value) if isinstance(element, cst.Index) else None
        scope[name] = (
            DictValue((*bound.keys, key), bound.open, bound.node)
            if key is not None
            else DictValue(bound.keys, True, bound.node)
        )

    def _bind_value(self, value: cst.BaseExpression) -> Binding | None:
        if isinstance(value, cst.Call):
            built = self._built_dict(value)
            if built is not None:
                value = built
        if isinstance(value, cst.Dict):
            keys = self.evaluate(value)
            return DictValue(keys.keys, keys.open, value)
        found = self.value_of(value)
        if found is not None or not isinstance(value, _URL_EXPRESSIONS):
            return found
        text, _ = self._string_prefix(value)
        return UrlPrefix(text) if "://" in text else None

    def _annotation_value(self, annotation: cst.BaseExpression) -> SdkValue | None:
        name = self.imports.qualify(annotation)
        if name is None:
            return None
        found = self.catalog.factories.get(name)
        return SdkValue(found[0], found[1]) if found else None

    def _lookup(self, name: str) -> Binding | None:
        for function in reversed(self.functions):
            if name in function.bindings:
                return function.bindings[name]
            if name in function.params:
                return None  # a parameter shadows module-level names
        return self.module_bindings.get(name)

    # --- resolution ----------------------------------------------------------------------

    def value_of(self, node: cst.BaseExpression) -> SdkValue | None:
        """The SDK value an expression evaluates to, if the file shows it."""
        if isinstance(node, cst.Name):
            bound = self._lookup(node.value)
            if isinstance(bound, SdkValue):
                return bound
            if bound is None and not self._is_local(node.value):
                return self._object(self.imports.qualify(node))
            return None
        if isinstance(node, cst.Attribute):
            if isinstance(node.value, cst.Name) and node.value.value == "self" and self.classes:
                bound = self.class_bindings.get(self.classes[-1], {}).get(node.attr.value)
                return bound if isinstance(bound, SdkValue) else None
            found = self._object(self.imports.qualify(node))
            if found is not None:
                return found
            base = self.value_of(node.value)
            return self._extend(base, node.attr.value) if base is not None else None
        if isinstance(node, cst.Subscript):
            base = self.value_of(node.value)
            method = self._method(base, "__getitem__")
            if base is not None and method is not None and method.returns is not None:
                return SdkValue(base.sdk, method.returns, name=base.name)
            return None
        if isinstance(node, cst.Call):
            factory = self.imports.qualify(node.func)
            if factory is not None and factory in self.catalog.factories:
                sdk, type_ = self.catalog.factories[factory]
                return SdkValue(sdk, type_, origin=node)
            receiver, name = self._receiver(node.func)
            method = self._method(receiver, name)
            if receiver is not None and method is not None and method.returns is not None:
                named = pick(method.names, self.arguments(node))
                return SdkValue(receiver.sdk, method.returns, name=named, origin=node)
        return None

    def _receiver(self, func: cst.BaseExpression) -> tuple[SdkValue | None, str]:
        """The SDK value a called function belongs to, and the method's name.

        ``client.track`` is a method of ``client``; ``capture`` after ``from posthog import
        capture`` is a function of the module object ``posthog``.
        """
        if isinstance(func, cst.Attribute):
            return self.value_of(func.value), func.attr.value
        if (
            isinstance(func, cst.Name)
            and self._lookup(func.value) is None
            and not self._is_local(func.value)
        ):
            module, _, name = (self.imports.qualify(func) or "").rpartition(".")
            return self._object(module or None), name
        return None, ""

    def _method(self, receiver: SdkValue | None, name: str) -> Method | None:
        if receiver is None:
            return None
        return self.catalog.method(receiver.sdk, receiver.type, name)

    def _is_local(self, name: str) -> bool:
        return any(name in f.params or f"**{name}" in f.params for f in self.functions)

    def _object(self, qualified: str | None) -> SdkValue | None:
        if qualified is None or qualified not in self.catalog.objects:
            return None
        sdk, type_ = self.catalog.objects[qualified]
        return SdkValue(sdk, type_)

    def _extend(self, base: SdkValue, attribute: str) -> SdkValue | None:
        """``base.attribute``: a step down a named chain (Glean), or a client's property."""
        spec = self.catalog.sdks[base.sdk].attributes.get(base.type)
        if spec is None:
            method = self._method(base, attribute)
            if method is not None and method.attribute and method.returns is not None:
                return SdkValue(base.sdk, method.returns)
            if method is None and base.chain and base.name is not None:
                # A dotted category: `metrics.browser.engagement.click` is the metric
                # `click` of the category `browser.engagement`, not an operation.
                chain = (*base.chain, attribute)
                return replace(base, chain=chain, name=Value("str", ".".join(chain)))
            return None
        depth, returns = spec
        chain = (*base.chain, attribute)
        if len(chain) < depth:
            return SdkValue(base.sdk, base.type, chain=chain)
        return SdkValue(base.sdk, returns, chain=chain, name=Value("str", ".".join(chain)))

    # --- evaluation ----------------------------------------------------------------------

    def evaluate(self, node: cst.BaseExpression) -> Value:
        """What is statically known about a value passed as an event name or properties."""
        text = evaluate_string(node)
        if text is not None:
            return Value("str", text)
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            return Value("dynamic", "a bytes literal")
        if isinstance(node, cst.FormattedString):
            return Value("dynamic", "an f-string")
        if isinstance(node, cst.BinaryOperation):
            left, right = self.evaluate(node.left), self.evaluate(node.right)
            if isinstance(node.operator, cst.Add) and left.kind == right.kind == "str":
                return Value("str", left.text + right.text)
            return Value("dynamic", "an expression built at run time")
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            # `properties or {}`: the value itself, or nothing
            fallback = self.evaluate(node.right)
            if fallback.kind == "none" or (fallback.kind == "keys" and not fallback.keys):
                return self.evaluate(node.left)
            return Value("dynamic", "an `or` expression")
        if isinstance(node, cst.Name):
            return self._evaluate_name(node)
        if isinstance(node, cst.Attribute):
            return self._evaluate_attribute(node)
        if isinstance(node, cst.Dict):
            keys: list[str] = []
            open_ = False
            for element in node.elements:
                key = evaluate_string(element.key) if isinstance(element, cst.DictElement) else None
                if key is None:
                    open_ = True
                else:
                    keys.append(key)
            return Value("keys", keys=tuple(keys), open=open_)
        if isinstance(node, cst.Call):
            return self._evaluate_call(node)
        if isinstance(node, (cst.List, cst.Tuple)):
            return self._evaluate_tags(node)
        return Value("dynamic", f"a {type(node).__name__} expression")

    def _evaluate_name(self, node: cst.Name) -> Value:
        name = node.value
        if name == "None":
            return Value("none")
        for function in reversed(self.functions):
            bound = function.bindings.get(name)
            if isinstance(bound, DictValue):
                return Value("keys", keys=bound.keys, open=bound.open)
            if name in function.params:
                return Value("param", name, index=function.params.index(name))
            if f"**{name}" in function.params:  # the keyword arguments a call site passes
                return Value("param", f"**{name}")
            if bound is not None:
                break
        if name in self.facts.constants:
            return Value("str", self.facts.constants[name])
        bound = self.module_bindings.get(name)
        if isinstance(bound, DictValue):
            return Value("keys", keys=bound.keys, open=bound.open)
        qualified = self.imports.qualify(node)
        if qualified is not None and not qualified.startswith("builtins."):
            return Value("ref", qualified)
        return Value("dynamic", f"the variable `{name}`")

    def _evaluate_attribute(self, node: cst.Attribute) -> Value:
        dotted = dotted_name(node)
        if dotted is None:
            return Value("dynamic", "an attribute of a computed value")
        key = dotted.removesuffix(".value")
        if key in self.facts.constants:
            return Value("str", self.facts.constants[key])
        qualified = self.imports.qualify(node)
        if qualified is not None:
            return Value("ref", qualified.removesuffix(".value"))
        return Value("dynamic", f"the attribute `{dotted}`")

    def _evaluate_call(self, node: cst.Call) -> Value:
        """``dict(plan=...)``, and keyword-only constructors (Glean ``...Extra(kind=...)``)."""
        keys = tuple(arg.keyword.value for arg in node.args if arg.keyword is not None)
        others = len(node.args) - len(keys)
        if self.imports.qualify(node.func) == "builtins.dict":
            return Value("keys", keys=keys, open=others > 0)
        if keys and not others:
            return Value("keys", keys=keys)
        return Value("dynamic", f"the result of `{_shown(node.func)}(...)`")

    def _evaluate_tags(self, node: cst.List | cst.Tuple) -> Value:
        """A list of strings is read as tags: ``"plan:pro"`` or ``f"user:{uid}"`` → ``plan``,
        ``user``; a bare ``"beta"`` is its own key (Datadog ``tags=[...]``)."""
        keys: list[str] = []
        open_ = False
        for element in node.elements:
            text, complete = "", False
            if isinstance(element, cst.Element):
                text, complete = self._string_prefix(element.value)
            if complete or ":" in text:
                keys.append(text.split(":", 1)[0])
            else:
                open_ = True
        return Value("keys", keys=tuple(keys), open=open_)

    def _string_prefix(self, node: cst.BaseExpression) -> tuple[str, bool]:
        """The statically known start of a string, and whether that is all of it.

        Literals and constants are complete; an f-string is known up to its first unknown
        expression, ``a + b`` up to the first unknown operand, ``"...{}".format(...)`` up to
        its first field; a name bound to such a URL is known as far as it is.
        """
        if isinstance(node, cst.BinaryOperation):  # evaluated by parts: linear in the chain
            if not isinstance(node.operator, cst.Add):
                return "", False
            left, complete = self._string_prefix(node.left)
            if not complete:
                return left, False
            right, complete = self._string_prefix(node.right)
            return left + right, complete
        value = self.evaluate(node)
        if value.kind == "str":
            return value.text, True
        if isinstance(node, cst.Name):
            bound = self._lookup(node.value)
            return (bound.text, False) if isinstance(bound, UrlPrefix) else ("", False)
        if isinstance(node, cst.FormattedString):
            text = ""
            for part in node.parts:
                if isinstance(part, cst.FormattedStringText):
                    text += part.value
                    continue
                if not isinstance(part, cst.FormattedStringExpression):
                    return text, False
                inner, complete = self._string_prefix(part.expression)
                text += inner
                if not complete or part.format_spec or part.conversion:
                    return text, False
            return text, True
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "format"
        ):
            text, _ = self._string_prefix(node.func.value)
            return text.split("{", 1)[0], False
        return "", False

    def arguments(self, node: cst.Call) -> tuple[Arg, ...]:
        args: list[Arg] = []
        position = 0
        for arg in node.args:
            if arg.star:
                args.append(Arg(None, None, Value("dynamic", f"{arg.star}unpacking"), arg.star))
            elif arg.keyword is not None:
                args.append(Arg(None, arg.keyword.value, self._argument(arg.value)))
            else:
                args.append(Arg(position, None, self._argument(arg.value)))
                position += 1
        return tuple(args)

    def _argument(self, node: cst.BaseExpression) -> Value:
        """An argument's value, with the personal data it carries."""
        value = self.evaluate(node)
        if self.personal is None:
            return value
        found = self.personal.personal(node, ALL_KINDS)
        if found is None:
            return value
        ref = PersonalRef(found.type.id, found.type.kind, found.type.label, found.shown)
        return replace(value, personal=ref)

    # --- the visit -----------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self._use(dotted_name(alias.name), node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        self._use(dotted_name(node.module), node)

    def _use(self, module: str | None, node: cst.CSTNode) -> None:
        sdk = self.catalog.sdk_of_import(module) if module else None
        if sdk is not None:
            self._pending.append(("use", {"sdk": sdk, "module": module}, node, self._scope()))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            self.collect_fields
            and type(func) is cst.Attribute
            and func.attr.value == "get"
            and node.args
            and self._request_data(func.value)
        ):
            key = evaluate_string(node.args[0].value)
            if key is not None:
                self._field(key, None, None, "request", node)
        if not self.facts.calls_known:
            return  # fields only: the file names no SDK, so none of its calls is a site
        receiver, name = self._receiver(node.func)
        if receiver is not None:
            method = self._method(receiver, name)
            if method is not None and method.kind is not None:
                self._site(node, receiver, method)
            return
        if self._payload_site(node, name) or self._http_sites(node):
            return
        callee = self._callee(node.func)
        if callee is not None:
            fields = {"callee": callee, "args": self.arguments(node), **self._context()}
            self._pending.append(("call", fields, node, self._scope()))

    def _callee(self, func: cst.BaseExpression) -> str | None:
        """A project callee worth recording: a module-level function, a class of this module,
        a method of this file's class (``self.send``) or of a module-level instance
        (``telemetry.send``), or a non-library import."""
        module = self.facts.module
        if isinstance(func, cst.Name) and (
            func.value in self.facts.functions or func.value in self.class_bindings
        ):
            if self._lookup(func.value) is None and not self._is_local(func.value):
                return f"{module}.{func.value}"
            return None
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            owner, attribute = func.value.value, func.attr.value
            if owner == "self" and self.classes and self.functions:
                method = f"{self.classes[-1]}.{attribute}"
                return f"{module}.{method}" if method in self.facts.functions else None
            if owner in self.facts.instances and not self._is_local(owner):
                return f"{module}.{owner}.{attribute}"
        qualified = self.imports.qualify(func)
        if qualified is None or qualified.startswith("builtins."):
            return None
        root = qualified.split(".", 1)[0]
        if root in _STDLIB or self.catalog.sdk_of_import(qualified) is not None:
            return None
        if qualified.startswith("."):
            qualified = _absolute(qualified, self.facts.module, self.facts.path)
        return qualified

    def _site(self, node: cst.Call, receiver: SdkValue, method: Method) -> None:
        args = self.arguments(node)
        method = method.select(args)
        event: Value | None = None
        if method.payload:
            unpacked = self._payload(node, method)
            if unpacked is None:
                event = Value("dynamic", "an event object this file does not build")
                args, method = (), Method(kind=method.kind)
            else:
                args, method = unpacked
        if method.event == "receiver":
            event = receiver.name
        elif event is None and isinstance(method.event, tuple):
            event = pick(method.event, args)
        properties = pick(method.properties, args)
        if method.property is not None:
            key = pick(method.property, args)
            properties = (
                Value("keys", keys=(key.text,)) if key is not None and key.kind == "str" else key
            )
        self._add_site(node, receiver.sdk, method.kind, event, properties, pick(method.user, args))

    def _add_site(
        self,
        node: cst.Call,
        sdk: str,
        kind: str | None,
        event: Value | None,
        properties: Value | None,
        user: Value | None,
    ) -> None:
        fields = {
            "sdk": sdk,
            "kind": kind,
            "callee": _shown(node.func),
            "event": event,
            "properties": properties,
            "user": user,
            **self._context(),
        }
        self._pending.append(("site", fields, node, self._scope()))

    def _payload(self, node: cst.Call, method: Method) -> tuple[tuple[Arg, ...], Method] | None:
        """``track(BaseEvent(...))``: the event object's constructor call and what it holds.

        The object may be built in place or bound to a name in scope, and may wrap another
        (Snowplow ``SelfDescribing(SelfDescribingJson(schema, data))``).
        """
        kind = method.kind
        call = node
        for _ in range(_PAYLOAD_DEPTH):
            slot = method.event if isinstance(method.event, tuple) else None
            expression = _argument_node(call, slot)
            value = self.value_of(expression) if expression is not None else None
            if value is None or value.origin is None:
                return None
            spec = self.catalog.method(value.sdk, value.type, "__init__")
            if spec is None:
                return None
            kind = spec.kind or kind
            call, method = value.origin, spec
            if not spec.payload:
                return self.arguments(call), Method(
                    kind=kind, event=spec.event, properties=spec.properties, user=spec.user
                )
        return None

    def _payload_site(self, node: cst.Call, name: str) -> bool:
        """``client.track(event)`` on a client this file cannot see, sending an event object
        of an SDK (``BaseEvent(...)``) through a method of that SDK that sends one."""
        if not isinstance(node.func, cst.Attribute):
            return False
        for arg in node.args:
            if arg.star:
                continue
            value = self.value_of(arg.value)
            if (
                value is None
                or value.origin is None
                or self.catalog.method(value.sdk, value.type, "__init__") is None
            ):
                continue
            method = self.catalog.payload_method(value.sdk, name)
            if method is None or not isinstance(method.event, tuple):
                continue
            if _argument_node(node, method.event) is arg.value:
                self._site(node, SdkValue(value.sdk, ""), method)
                return True
        return False

    # --- raw HTTP posts to collection endpoints ------------------------------------------

    def _http_sites(self, node: cst.Call) -> bool:
        """``requests.post("https://www.google-analytics.com/mp/collect?...", json={...})``."""
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else _shown(func)
        url_node = _argument_node(node, self.catalog.http.urls.get(name))
        if url_node is None:
            return False
        url, _ = self._string_prefix(url_node)
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError:  # a malformed URL (a bad IPv6 literal) posts nowhere we know
            return False
        if parts.scheme not in ("http", "https") or not host:
            return False
        sdk = self.catalog.sdk_of_host(host)
        if sdk is None:
            return False
        shapes = self.catalog.sdks[sdk].http
        shape = next((s for s in shapes if parts.path.startswith(s.path)), None)
        if shapes and shape is None:
            return False  # an API call to the vendor, not collection
        origin = f"{parts.scheme}://{host}"
        self._pending.append(("use", {"sdk": sdk, "module": origin}, node, self._scope()))
        if shape is None:
            why = f"a raw HTTP post to {host}, whose body is not read"
            self._add_site(node, sdk, "track", Value("dynamic", why), None, None)
            return True
        body = self._body(node)
        for event, properties, user in self._http_events(body, shape):
            self._add_site(node, sdk, shape.kind, event, properties, user)
        return True

    def _body(self, node: cst.Call) -> cst.Dict | None:
        for slot in self.catalog.http.bodies:
            expression = _argument_node(node, slot)
            if expression is not None:
                return self._dict_node(expression)
        return None

    def _dict_node(self, node: cst.BaseExpression) -> cst.Dict | None:
        """The dict literal an expression is: itself, a name bound to one, ``json.dumps(d)``,
        ``json.dumps(d).encode()``."""
        if isinstance(node, cst.Dict):
            return node
        if isinstance(node, cst.Name):
            bound = self._lookup(node.value)
            return bound.node if isinstance(bound, DictValue) else None
        if isinstance(node, cst.Call):
            built = self._built_dict(node)
            if built is not None:
                return built
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == "encode":
                return self._dict_node(node.func.value)
            if self.imports.qualify(node.func) == "json.dumps" and node.args:
                return self._dict_node(node.args[0].value)
        return None

    def _built_dict(self, call: cst.Call) -> cst.Dict | None:
        """The dict a call of this module's payload builder returns, with the builder's
        parameters replaced by the call's arguments (``payload(uid, name)`` →
        ``{"userId": uid, "event": name}``), so that the caller's values are evaluated."""
        func = call.func
        if not isinstance(func, cst.Name) or func.value not in self.dict_builders:
            return None
        if self._lookup(func.value) is not None or self._is_local(func.value):
            return None
        definition, returned = self.dict_builders[func.value]
        arguments: dict[str, cst.BaseExpression] = {}
        params = [
            p.name.value for p in (*definition.params.posonly_params, *definition.params.params)
        ]
        for index, arg in enumerate(call.args):
            if arg.star:
                return None
            if arg.keyword is not None:
                arguments[arg.keyword.value] = arg.value
            elif index < len(params):
                arguments[params[index]] = arg.value
        return _substitute(returned, arguments)

    def _http_events(
        self, body: cst.Dict | None, shape: HttpShape
    ) -> list[tuple[Value | None, Value | None, Value | None]]:
        """(event, properties, user) of each event in a request body."""
        if body is None:
            unknown = Value("dynamic", "the request body is not a dict literal")
            return [(unknown if shape.event else None, unknown if shape.properties else None, None)]
        user = self._item(body, shape.user)
        if shape.events is None:
            return [self._http_event(body, shape, user)]
        items = _dict_item(body, shape.events)
        if not isinstance(items, (cst.List, cst.Tuple)) or not all(
            isinstance(e, cst.Element) for e in items.elements
        ):
            why = f"the `{shape.events}` list is not a literal"
            return [(Value("dynamic", why), None, user)]
        events = []
        for element in items.elements:
            event = self._dict_node(element.value)
            if event is None:
                why = f"an item of `{shape.events}` is not a dict literal"
                events.append((Value("dynamic", why), None, user))
            else:
                events.append(self._http_event(event, shape, user))
        return events

    def _http_event(
        self, event: cst.Dict, shape: HttpShape, user: Value | None
    ) -> tuple[Value | None, Value | None, Value | None]:
        return (
            self._item(event, shape.event),
            self._item(event, shape.properties),
            self._item(event, shape.user) or user,
        )

    def _item(self, mapping: cst.Dict, key: str | None) -> Value | None:
        value = _dict_item(mapping, key) if key is not None else None
        return self.evaluate(value) if value is not None else None

    def _scope(self) -> str:
        return ".".join(self.scope)

    def _context(self) -> dict[str, Any]:
        """The enclosing function and whether the call runs in a loop."""
        return {
            "function": self.functions[-1].qualname if self.functions else None,
            "in_loop": self.in_loop,
            "guarded": self.guarded,
        }

    # --- after the visit -----------------------------------------------------------------

    def finish(
        self, positions: dict[cst.CSTNode, CodeRange] | None, module: cst.Module
    ) -> FileFacts:
        """Turn what the visit recorded into facts, with positions for each entry."""
        for kind, fields, node, scope in self._pending:
            if positions is None:
                break
            where = _where(positions[node], scope, module.code_for_node(node))
            if kind == "use":
                self.facts.uses.append(SdkUse(fields["sdk"], fields["module"], where))
            elif kind == "site":
                self.facts.sites.append(Site(where=where, **fields))
            elif kind == "field":
                self.facts.fields.append(FieldFact(where=where, **fields))
            else:
                self.facts.calls.append(CallFact(where=where, **fields))
        return self.facts

    @property
    def recorded(self) -> list[cst.CSTNode]:
        """The nodes of the recorded entries, whose positions :meth:`finish` needs."""
        return [node for _, _, node, _ in self._pending]


# The visitor methods that only serve sites and calls (see TelemetryCollector.get_visitors).
_CALLS_ONLY = frozenset(
    {"visit_Assign", "visit_AnnAssign", "visit_WithItem", "visit_Import", "visit_ImportFrom"}
    | {"visit_If", "visit_If_body", "leave_If_body", "visit_If_orelse", "leave_If_orelse"}
    | {f"{hook}_{loop.__name__}" for hook in ("visit", "leave") for loop in _LOOPS}
)


def _dict_item(mapping: cst.Dict, key: str) -> cst.BaseExpression | None:
    for element in mapping.elements:
        if isinstance(element, cst.DictElement) and evaluate_string(element.key) == key:
            return element.value
    return None


def _argument_node(node: cst.Call, slot: Slot | None) -> cst.BaseExpression | None:
    if slot is None:
        return None
    position, keyword = slot
    index = 0
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
        if arg.keyword is None and not arg.star:
            if index == position:
                return arg.value
            index += 1
    return None


def _parameters(node: cst.FunctionDef, method: bool) -> tuple[str, ...]:
    """Parameter names in call-site order (``self``/``cls`` of a method dropped); a
    ``**kwargs`` parameter comes last, as ``"**kwargs"``."""
    names = [p.name.value for p in (*node.params.posonly_params, *node.params.params)]
    if method and names and names[0] in ("self", "cls"):
        names = names[1:]
    names += [p.name.value for p in node.params.kwonly_params]
    star = node.params.star_kwarg
    return (*names, *([f"**{star.name.value}"] if star is not None else []))


def _assignment(small: cst.CSTNode) -> tuple[list[cst.BaseExpression], cst.BaseExpression | None]:
    if type(small) is cst.Assign:
        return [t.target for t in small.targets], small.value
    if type(small) is cst.AnnAssign and small.value is not None:
        return [small.target], small.value
    return [], None


def _shown(func: cst.BaseExpression) -> str:
    name = dotted_name(func)
    if name is not None:
        return name
    if isinstance(func, cst.Attribute):
        return f"….{func.attr.value}"
    return "…"


def _absolute(relative: str, module: str, path: str) -> str:
    dots = len(relative) - len(relative.lstrip("."))
    package = module.split(".") if path.endswith("__init__.py") else module.split(".")[:-1]
    base = package[: len(package) - (dots - 1)] if dots > 1 else package
    return ".".join([*base, relative.lstrip(".")]).strip(".")


def _where(position: CodeRange, scope: str, text: str) -> Where:
    return Where(
        line=position.start.line,
        column=position.start.column + 1,
        end_line=position.end.line,
        end_column=position.end.column + 1,
        scope=scope,
        text=text,
    )
