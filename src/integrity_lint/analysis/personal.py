"""Is this personal data? Identifiers and expressions judged against the vocabulary.

The vocabulary (:mod:`integrity_lint.analysis.vocabulary`) judges identifiers, keys and
field names; model and schema field analysis uses it directly. Here it is applied to code:

- :class:`ExpressionClassifier` judges a libcst expression as the checks meet it: names,
  attributes (``request.user.email``), string subscripts and ``.get("email")``, f-string,
  ``%`` and ``.format`` parts, and local variables one assignment back inside a function.
  Booleans, counts and lengths of personal data are not personal data, and configured
  sanitizers (``redact(email)``) clean a value.

Judgements are three-valued: a :class:`DataType` (personal), ``False`` (known not to be
personal data: a literal, a flag, a count, a protected value) or ``None`` (nothing known).
Checks report only the first; the difference between the other two matters when a dict key
or keyword names personal data and its value is looked at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from integrity_lint.analysis.imports import ImportTracker, dotted_name
from integrity_lint.analysis.literals import text_value
from integrity_lint.analysis.vocabulary import (
    REPORTED_KINDS,
    DataType,
    Vocabulary,
    counts,
    split_words,
)

# Calls whose result carries the personal data of their arguments.
_TRANSPARENT_CALLS = frozenset(
    {
        "builtins.str",
        "builtins.repr",
        "builtins.format",
        "builtins.ascii",
        "builtins.list",
        "builtins.tuple",
        "builtins.set",
        "builtins.frozenset",
        "builtins.sorted",
        "builtins.reversed",
        "builtins.min",
        "builtins.max",
        "builtins.dict",
        "json.dumps",
        "pprint.pformat",
        "urllib.parse.quote",
        "urllib.parse.quote_plus",
        "urllib.parse.urlencode",
    }
)
# Calls whose result says something about their argument without holding it.
_DERIVED_CALLS = frozenset(
    {
        "builtins.len",
        "builtins.bool",
        "builtins.hash",
        "builtins.id",
        "builtins.type",
        "builtins.isinstance",
        "builtins.any",
        "builtins.all",
        "builtins.sum",
        "builtins.callable",
        "builtins.hasattr",
    }
)
# String methods whose result is still the (transformed) personal data.
_TRANSPARENT_METHODS = frozenset(
    {
        "lower",
        "upper",
        "strip",
        "lstrip",
        "rstrip",
        "casefold",
        "title",
        "capitalize",
        "encode",
        "decode",
        "replace",
        "split",
        "rsplit",
        "partition",
        "rpartition",
        "zfill",
        "ljust",
        "rjust",
        "center",
        "removeprefix",
        "removesuffix",
        "join",
        "format",
        "format_map",
        "copy",
        "values",
        "items",
        "as_e164",
        "isoformat",
        "strftime",
    }
)
# Methods whose result is about the value, not the value: counts, positions, yes/no.
_DERIVED_METHODS = frozenset(
    {
        "count",
        "find",
        "rfind",
        "index",
        "rindex",
        "startswith",
        "endswith",
        "exists",
        "hexdigest",
        "digest",
        "keys",
    }
)
# Mapping lookups whose string argument names the value: ``data.get("email")``.
_KEYED_METHODS = frozenset({"get", "pop", "getlist", "getone", "setdefault", "get_all"})
# Verbs before a name that make a call an accessor: ``user.get_email()``.
_ACCESSOR_VERBS = frozenset({"get", "fetch", "load", "lookup", "find", "read", "retrieve"})
_MAX_STEPS = 3


@dataclass(frozen=True)
class PersonalValue:
    """An expression found to carry personal data, and the part that carries it."""

    type: DataType
    shown: str  # for messages: "user.email", '"email"'


ExprVerdict = PersonalValue | Literal[False] | None

# --- expressions -----------------------------------------------------------------------------


@dataclass
class _Frame:
    """A class or function the classifier is inside."""

    kind: str  # "class" or "function"
    name: str
    bindings: dict[str, cst.BaseExpression] = field(default_factory=dict)


class ExpressionClassifier:
    """Judges expressions in the context of the file being visited.

    The owner of the classifier reports the visit: :meth:`enter_class`,
    :meth:`enter_function`, :meth:`leave`, and :meth:`bind` for assignments, so that
    ``self.name`` in ``class Customer`` and ``e = user.email; log(e)`` are understood.
    :class:`PersonalDataVisitor` does this for a visitor.
    """

    def __init__(
        self, vocabulary: Vocabulary, imports: ImportTracker, sanitizers: Iterable[str] = ()
    ) -> None:
        self.vocabulary = vocabulary
        self.imports = imports
        self.sanitizers = frozenset(sanitizers)
        self.frames: list[_Frame] = []

    # --- context -------------------------------------------------------------------------

    def enter_class(self, node: cst.ClassDef) -> None:
        names = [node.name.value]
        names += [d for arg in node.bases if (d := dotted_name(arg.value)) is not None]
        # The owner of `self.x`: the class, or the base that makes it a person (`AbstractUser`).
        owner = next((n for n in names if self.vocabulary.is_person(n)), node.name.value)
        self.frames.append(_Frame("class", owner))

    def enter_function(self, node: cst.FunctionDef | cst.Lambda) -> None:
        name = node.name.value if isinstance(node, cst.FunctionDef) else "<lambda>"
        self.frames.append(_Frame("function", name))

    def leave(self) -> None:
        self.frames.pop()

    def bind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        """Remember ``target = value`` inside a function (only plain names are followed)."""
        function = self._function()
        if function is not None and type(target) is cst.Name:
            function.bindings[target.value] = value

    def extend(self, target: cst.Name, value: cst.BaseExpression) -> None:
        """Remember ``target += value``: the name now holds both parts."""
        function = self._function()
        if function is not None:
            before = function.bindings.get(target.value, target)
            function.bindings[target.value] = cst.BinaryOperation(before, cst.Add(), value)

    def bound(self, name: str) -> cst.BaseExpression | None:
        """What a local name of the current function was last assigned, if anything."""
        function = self._function()
        return function.bindings.get(name) if function is not None else None

    def _function(self) -> _Frame | None:
        return self.frames[-1] if self.frames and self.frames[-1].kind == "function" else None

    def _class(self) -> _Frame | None:
        for frame in reversed(self.frames):
            if frame.kind == "class":
                return frame
        return None

    # --- judgement -----------------------------------------------------------------------

    def personal(
        self, node: cst.BaseExpression, kinds: frozenset[str] = REPORTED_KINDS
    ) -> PersonalValue | None:
        """The personal data of a kind in ``kinds`` that ``node`` carries, if any."""
        verdict = self.classify(node, kinds)
        return verdict or None

    def classify(
        self, node: cst.BaseExpression, kinds: frozenset[str] = REPORTED_KINDS, steps: int = 0
    ) -> ExprVerdict:
        """Three-valued judgement of an expression (see the module docstring)."""
        return _Judge(self, kinds, steps).expression(node)

    def keyed(
        self,
        key: str,
        value: cst.BaseExpression,
        kinds: frozenset[str] = REPORTED_KINDS,
        steps: int = 0,
    ) -> PersonalValue | None:
        """A value stored under a key or keyword (``{"email": x}``, ``log.info(email=x)``):
        personal if the value is, or if the key names personal data and the value is not
        known to be something else (a literal, a flag, a hash). ``steps`` counts the
        bindings followed to get here, as for :meth:`classify`."""
        verdict = self.classify(value, kinds, steps)
        if verdict is not None:
            return verdict or None
        data_type = self.vocabulary.judge(key, key=True)
        if data_type and counts(data_type, kinds):
            return PersonalValue(data_type, key)
        return None

    def is_sanitizer(self, func: cst.BaseExpression) -> bool:
        """A configured sanitizer, or a function whose name says it protects its argument
        (``mask_email``, ``redact``, ``anonymize``)."""
        qualified = self.imports.qualify(func)
        dotted = dotted_name(func)
        if (qualified and qualified in self.sanitizers) or (dotted and dotted in self.sanitizers):
            return True
        last = dotted.rsplit(".", 1)[-1] if dotted else None
        if last is None:
            return False
        if any(s.rsplit(".", 1)[-1] == last for s in self.sanitizers) and qualified is None:
            return True  # a sanitizer defined or imported in a way imports cannot see
        return any(word in self.vocabulary.protected for word in split_words(last))


@dataclass
class _Judge:
    """One judgement: the classifier, the kinds that count, and how many bindings were
    followed to get here."""

    owner: ExpressionClassifier
    kinds: frozenset[str]
    steps: int

    @property
    def vocabulary(self) -> Vocabulary:
        return self.owner.vocabulary

    def identifier(
        self, name: str, holder: str | None, shown: str, key: bool = False
    ) -> ExprVerdict:
        verdict = self.vocabulary.judge(name, holder, key=key)
        if not verdict:
            return verdict
        return PersonalValue(verdict, shown) if counts(verdict, self.kinds) else False

    def expression(self, node: cst.BaseExpression) -> ExprVerdict:
        method = getattr(self, f"_{type(node).__name__}", None)
        return method(node) if method is not None else None

    def first(self, nodes: Iterable[cst.BaseExpression]) -> ExprVerdict:
        """The first personal verdict among ``nodes``; ``False`` if all are known clean."""
        clean = True
        for node in nodes:
            verdict = self.expression(node)
            if verdict:
                return verdict
            clean = clean and verdict is False
        return False if clean else None

    # literals
    def _SimpleString(self, node: cst.SimpleString) -> ExprVerdict:
        return False

    def _Integer(self, node: cst.Integer) -> ExprVerdict:
        return False

    def _Float(self, node: cst.Float) -> ExprVerdict:
        return False

    def _ConcatenatedString(self, node: cst.ConcatenatedString) -> ExprVerdict:
        return self.first([node.left, node.right])

    def _FormattedString(self, node: cst.FormattedString) -> ExprVerdict:
        parts = [p.expression for p in node.parts if isinstance(p, cst.FormattedStringExpression)]
        return self.first(parts)

    def _Comparison(self, node: cst.Comparison) -> ExprVerdict:
        return False

    def _UnaryOperation(self, node: cst.UnaryOperation) -> ExprVerdict:
        if isinstance(node.operator, cst.Not):
            return False
        return self.expression(node.expression)

    def _BinaryOperation(self, node: cst.BinaryOperation) -> ExprVerdict:
        if isinstance(node.operator, (cst.Add, cst.Modulo)):
            return self.first([node.left, node.right])
        return None

    def _BooleanOperation(self, node: cst.BooleanOperation) -> ExprVerdict:
        return self.first([node.left, node.right])

    def _IfExp(self, node: cst.IfExp) -> ExprVerdict:
        return self.first([node.body, node.orelse])

    def _Await(self, node: cst.Await) -> ExprVerdict:
        return self.expression(node.expression)

    def _Tuple(self, node: cst.Tuple) -> ExprVerdict:
        return self.first([e.value for e in node.elements])

    _List = _Tuple
    _Set = _Tuple

    def _Dict(self, node: cst.Dict) -> ExprVerdict:
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                verdict = self.expression(element.value)
            else:
                key = _string(element.key)
                verdict = (
                    self.owner.keyed(key, element.value, self.kinds, self.steps)
                    if key is not None
                    else self.expression(element.value)
                )
            if verdict:
                return verdict
        return None

    def _Name(self, node: cst.Name) -> ExprVerdict:
        name = node.value
        if name in ("True", "False", "None"):
            return False
        function = self.owner._function()
        bound = function.bindings.get(name) if function is not None else None
        if bound is not None and self.steps < _MAX_STEPS:
            verdict = _Judge(self.owner, self.kinds, self.steps + 1).expression(bound)
            if verdict is not None:
                return verdict
        if bound is None and name in self.owner.imports.bindings:
            return None  # a module or imported object (`import email`)
        return self.identifier(name, None, name)

    def _Attribute(self, node: cst.Attribute) -> ExprVerdict:
        receiver = node.value
        holder = self._holder(receiver)
        shown = dotted_name(node) or node.attr.value
        verdict = self.identifier(node.attr.value, holder, shown)
        if verdict is not None:
            return verdict
        if isinstance(receiver, (cst.Name, cst.Attribute)):
            if dotted_name(receiver) in ("self", "cls") or (
                isinstance(receiver, cst.Name) and (receiver.value in self.owner.imports.bindings)
            ):
                return None
            # `request.client.host`, `card.number`: the attribute says what it is together
            # with the receiver's last name.
            last = receiver.attr.value if isinstance(receiver, cst.Attribute) else receiver.value
            verdict = self.identifier(f"{last}_{node.attr.value}", None, shown)
            if verdict is not None:
                return verdict
            inner = self.expression(receiver)
            return inner or None  # `phone.as_e164`: still the phone number
        return None

    def _holder(self, receiver: cst.BaseExpression) -> str | None:
        """The owner of an attribute or key: the class for ``self``, else the receiver."""
        if isinstance(receiver, cst.Call):
            receiver = receiver.func
        elif isinstance(receiver, cst.Subscript):
            receiver = receiver.value
        dotted = dotted_name(receiver)
        if dotted in ("self", "cls"):
            frame = self.owner._class()
            return frame.name if frame is not None else None
        return dotted

    def _schema(self, receiver: cst.BaseExpression) -> bool:
        """Whether keys of ``receiver`` name things rather than hold data:
        ``self.error_messages["invalid_email"]``, ``form.fields["email"]``."""
        dotted = dotted_name(receiver)
        words = split_words(dotted.rsplit(".", 1)[-1]) if dotted else []
        return bool(words) and words[-1] in self.vocabulary.schema_containers

    def _Subscript(self, node: cst.Subscript) -> ExprVerdict:
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            key = _string(node.slice[0].slice.value)
            if key is not None and self._schema(node.value):
                return None
            if key is not None:
                shown = f"{dotted_name(node.value) or '…'}[{key!r}]"
                return self.identifier(key, self._holder(node.value), shown, key=True)
        verdict = self.expression(node.value)
        return verdict or None

    def _Call(self, node: cst.Call) -> ExprVerdict:
        func = node.func
        args = [arg.value for arg in node.args]
        if self.owner.is_sanitizer(func):
            return False
        qualified = self.owner.imports.qualify(func)
        if qualified in _DERIVED_CALLS:
            return False
        if qualified in _TRANSPARENT_CALLS:
            keyed = [arg for arg in node.args if arg.keyword is not None]
            for arg in keyed:
                verdict = self.owner.keyed(
                    arg.keyword.value,  # type: ignore[union-attr]
                    arg.value,
                    self.kinds,
                    self.steps,
                )
                if verdict:
                    return verdict
            return self.first([a.value for a in node.args if a.keyword is None]) or None
        if not isinstance(func, cst.Attribute):
            return self._accessor(func, None)
        method = func.attr.value
        if method in _KEYED_METHODS and args:
            key = _string(args[0])
            if key is not None and self._schema(func.value):
                return None
            if key is not None:
                shown = f"{dotted_name(func.value) or '…'}.{method}({key!r})"
                return self.identifier(key, self._holder(func.value), shown, key=True)
        if method in _DERIVED_METHODS or method.startswith("is"):
            return False
        if method in _TRANSPARENT_METHODS:
            if method in ("format", "format_map", "join"):
                keyed = [arg for arg in node.args if arg.keyword is not None]
                for arg in keyed:
                    verdict = self.owner.keyed(
                        arg.keyword.value,  # type: ignore[union-attr]
                        arg.value,
                        self.kinds,
                        self.steps,
                    )
                    if verdict:
                        return verdict
                found = self.first([a.value for a in node.args if a.keyword is None])
                if found:
                    return found
            return self.expression(func.value) or None
        return self._accessor(func, func.value)

    def _accessor(
        self, func: cst.BaseExpression, receiver: cst.BaseExpression | None
    ) -> ExprVerdict:
        """``user.get_email()``, ``get_full_name()``: a getter named after personal data."""
        dotted = dotted_name(func)
        if dotted is None:
            return None
        words = split_words(dotted.rsplit(".", 1)[-1])
        if len(words) < 2 or words[0] not in _ACCESSOR_VERBS:
            return None
        holder = self._holder(receiver) if receiver is not None else None
        verdict = self.identifier("_".join(words[1:]), holder, f"{dotted}()")
        return verdict or None

    def _ListComp(self, node: cst.ListComp) -> ExprVerdict:
        """``[u.email for u in users]``, ``", ".join(u.email for u in users)``."""
        return self.expression(node.elt) or None

    _SetComp = _ListComp
    _GeneratorExp = _ListComp

    def _StarredElement(self, node: cst.StarredElement) -> ExprVerdict:
        return self.expression(node.value)


def _string(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return text_value(node)
    return None


class PersonalDataVisitor(cst.BatchableCSTVisitor):
    """Keeps an :class:`ExpressionClassifier` informed of classes, functions and local
    assignments. Checks mix it in and call ``super()`` from their own ``visit_Assign`` and the
    like, if they define them."""

    classifier: ExpressionClassifier

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classifier.enter_class(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.classifier.leave()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.classifier.enter_function(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.classifier.leave()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self.classifier.bind(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.classifier.bind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name) and isinstance(node.operator, cst.AddAssign):
            self.classifier.extend(node.target, node.value)

    def visit_For(self, node: cst.For) -> None:
        self.classifier.bind(node.target, node.iter)
