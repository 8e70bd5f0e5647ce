"""The base of every visitor in the batched visit, and the walk that runs them.

libcst's own traversal (``visit_batched``) rebuilds every node of the tree from its visited
children and calls attribute hooks on every field of every node, even for visitors that
change nothing; for a linter that is most of the cost of the visit. :func:`visit_batched`
walks the same nodes in the same order and calls the same ``visit_*``/``leave_*`` methods
(attribute hooks such as ``visit_If_body`` included), without rebuilding anything.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

import libcst as cst
from libcst._batched_visitor import VisitorMethod


class BatchedVisitor(cst.BatchableCSTVisitor):
    """A batchable visitor whose visitor methods are listed once per class.

    libcst lists them with ``inspect.getmembers`` for every instance, that is for every
    check on every file; the names depend only on the class.
    """

    def get_visitors(self) -> Mapping[str, VisitorMethod]:
        return {name: getattr(self, name) for name in _visitor_names(type(self))}


@cache
def _visitor_names(cls: type) -> tuple[str, ...]:
    # libcst's visitor bases define a no-op ``visit_``/``leave_`` method for every node class
    # (some 1,300 names, all marked ``_is_no_op``): only names defined below them can be
    # methods that do something.
    names = {
        name
        for klass in cls.__mro__
        if not klass.__module__.startswith("libcst")
        for name in vars(klass)
        if name.startswith(("visit_", "leave_"))
    }
    return tuple(
        name
        for name in sorted(names)
        if callable(getattr(cls, name)) and not getattr(getattr(cls, name), "_is_no_op", False)
    )


def visit_batched(module: cst.Module, visitors: Iterable[cst.BatchableCSTVisitor]) -> None:
    """Run the visitors over the tree in one walk, as ``libcst.visit_batched`` would."""
    methods: dict[str, list[VisitorMethod]] = {}
    for visitor in visitors:
        for name, method in visitor.get_visitors().items():
            methods.setdefault(name, []).append(method)
    _Walk(methods).walk(module)


_Methods = Sequence[VisitorMethod]
# Per node class: its visit methods, leave methods, hooks per attribute, and the fields
# that may hold a node some method is for (or that have a hook).
_Plan = tuple[_Methods, _Methods, dict[str, tuple[_Methods, _Methods]], frozenset[str]]


class _Layout:
    """What a walk knows that depends only on the names of its methods, not on the visitors
    that have them: kept across the files whose checks have the same methods."""

    def __init__(self, names: frozenset[str]) -> None:
        # Attribute hooks (``visit_If_body``) by class name; class names have no "_".
        self.attributes: dict[str, set[str]] = {}
        for method in names:
            parts = method.split("_", 2)
            if len(parts) == 3:
                self.attributes.setdefault(parts[1], set()).add(parts[2])
        # The classes some method is for, and per type of a field's value whether the walk
        # skips it: a value that is no node, or a subtree that cannot hold a wanted class.
        self.wanted = frozenset(method.split("_", 2)[1] for method in names)
        self.skipped: dict[type, bool] = {}
        # Per node class, the fields that may hold a node some method is for (or that have
        # a hook); per node class whose field order is fixed, those fields in that order.
        self.walked: dict[type, frozenset[str]] = {}
        self.orders: dict[type, tuple[str, ...]] = {}


@cache
def _layout(names: frozenset[str]) -> _Layout:
    return _Layout(names)


class _Walk:
    def __init__(self, methods: dict[str, list[VisitorMethod]]) -> None:
        self.methods = methods
        self.plans: dict[type, _Plan] = {}
        layout = _layout(frozenset(methods))
        self.attributes, self.wanted = layout.attributes, layout.wanted
        self.skipped, self.walked, self.orders = layout.skipped, layout.walked, layout.orders

    def skip(self, kind: type) -> bool:
        """Whether no method can be called in a value of this type (whitespace, mostly)."""
        skip = not issubclass(kind, cst.CSTNode) or (
            kind.__name__ not in self.wanted and self.wanted.isdisjoint(_below(kind))
        )
        self.skipped[kind] = skip
        return skip

    def plan(self, cls: type) -> _Plan:
        name = cls.__name__
        hooks = {
            attribute: (
                tuple(self.methods.get(f"visit_{name}_{attribute}", ())),
                tuple(self.methods.get(f"leave_{name}_{attribute}", ())),
            )
            for attribute in self.attributes.get(name, ())
        }
        walked = self.walked.get(cls)
        if walked is None:
            walked = self.walked[cls] = frozenset(
                field
                for field, reach in _reach(cls).items()
                if field in hooks or not self.wanted.isdisjoint(reach)
            )
        plan: _Plan = (
            tuple(self.methods.get(f"visit_{name}", ())),
            tuple(self.methods.get(f"leave_{name}", ())),
            hooks,
            walked,
        )
        self.plans[cls] = plan
        return plan

    def fields(self, node: cst.CSTNode, walked: frozenset[str]) -> tuple[str, ...]:
        """The node's fields to walk, in libcst's order: those whose type admits a node
        that some method is for, or that have a hook."""
        cls = type(node)
        order = tuple(field for field in child_fields(node) if field in walked)
        if cls in _FIELDS:
            self.orders[cls] = order
        return order

    def walk(self, node: cst.CSTNode) -> None:
        # Types, not isinstance: libcst's node classes are ABCs, and isinstance of a value
        # that is not an instance goes through ABCMeta, a Python call, for every field.
        cls = type(node)
        visits, leaves, hooks, walked = self.plans.get(cls) or self.plan(cls)
        skipped = self.skipped
        for method in visits:
            method(node)
        order = self.orders.get(cls)
        for attribute in self.fields(node, walked) if order is None else order:
            value = getattr(node, attribute)
            hook = hooks.get(attribute)
            if hook is not None:
                for method in hook[0]:
                    method(node)
            kind = type(value)
            if kind is tuple or kind is list:
                for child in value:
                    skip = skipped.get(type(child))
                    if not (self.skip(type(child)) if skip is None else skip):
                        self.walk(child)
            else:
                skip = skipped.get(kind)
                if not (self.skip(kind) if skip is None else skip):
                    self.walk(value)
            if hook is not None:
                for method in hook[1]:
                    method(node)
        for method in leaves:
            method(node)


_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(node: cst.CSTNode) -> tuple[str, ...]:
    """The node's fields in the order libcst visits them.

    The order is read off libcst itself: the node's ``_visit_and_replace_children`` runs
    once with a visitor that records the attributes and goes no deeper. It is kept for the
    class once the recording covers every field that may hold a node; a few classes visit
    a field only when it is set (an f-string expression's ``format_spec``), so while a
    field that might is unset, the order is recorded per node.
    """
    known = _FIELDS.get(type(node))
    if known is not None:
        return known
    recorder = _FieldRecorder()
    node._visit_and_replace_children(recorder)
    order = tuple(recorder.fields)
    if _node_fields(type(node)).issubset(order):
        _FIELDS[type(node)] = order
    return order


def _below(cls: type[cst.CSTNode]) -> frozenset[str]:
    """The names of the node classes that may occur below a node of ``cls``, read off the
    types of the fields (a field typed with a base class admits all of its subclasses)."""
    known = _BELOW.get(cls)
    if known is None:
        _close(cls)
        known = _BELOW[cls]
    return known


# Per node class, the names of the classes below it (filled by _close).
_BELOW: dict[type, frozenset[str]] = {}


def _close(start: type[cst.CSTNode]) -> None:
    """Fill :data:`_BELOW` for ``start`` and every class below it, over the strongly
    connected components of the graph of which class a field admits (Tarjan's algorithm):
    the classes of a component (expressions that hold expressions) have the same classes
    below them, and a component's successors are done before it."""
    order: dict[type, int] = {}  # when each class was reached
    low: dict[type, int] = {}  # the earliest class on the stack it reaches
    stack: list[type] = []
    on_stack: set[type] = set()

    def connect(cls: type) -> None:
        order[cls] = low[cls] = len(order)
        stack.append(cls)
        on_stack.add(cls)
        for child in _children_types(cls):
            if child in _BELOW:
                continue  # a component done before this walk
            if child not in order:
                connect(child)
                low[cls] = min(low[cls], low[child])
            elif child in on_stack:
                low[cls] = min(low[cls], order[child])
        if low[cls] != order[cls]:
            return
        component = stack[stack.index(cls) :]
        del stack[stack.index(cls) :]
        on_stack.difference_update(component)
        names: set[str] = set()
        for member in component:
            for child in _children_types(member):
                names.add(child.__name__)
                names.update(_BELOW.get(child, ()))  # a member's own entry is not there yet
        below = frozenset(names)
        for member in component:
            _BELOW[member] = below

    connect(start)


@cache
def _children_types(cls: type[cst.CSTNode]) -> frozenset[type]:
    """The node classes a field of ``cls`` admits, subclasses of a field's type included."""
    return frozenset().union(*_field_kinds(cls).values())


@cache
def _field_kinds(cls: type[cst.CSTNode]) -> dict[str, frozenset[type]]:
    """Per field of ``cls``, the node classes it admits, subclasses included."""
    return {
        field.name: frozenset(
            kind for admitted in _node_types(field.type) for kind in _with_subclasses(admitted)
        )
        for field in dataclasses.fields(cls)
    }


@cache
def _reach(cls: type[cst.CSTNode]) -> dict[str, frozenset[str]]:
    """Per field of ``cls``, the names of the node classes that may occur in it, at any
    depth."""
    return {
        field: frozenset(kind.__name__ for kind in kinds).union(*_distinct(map(_below, kinds)))
        for field, kinds in _field_kinds(cls).items()
    }


def _distinct(sets: Iterable[frozenset[str]]) -> Iterable[frozenset[str]]:
    """The sets, each object once: the classes of a component share theirs."""
    return {id(found): found for found in sets}.values()


def _node_types(annotation: object) -> Iterable[type[cst.CSTNode]]:
    if isinstance(annotation, typing.ForwardRef):  # ``orelse: Union["If", Else, None]``
        annotation = getattr(cst, annotation.__forward_arg__, None)
    if isinstance(annotation, type) and issubclass(annotation, cst.CSTNode):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _node_types(argument)


@cache
def _with_subclasses(cls: type) -> frozenset[type]:
    return frozenset({cls}).union(*map(_with_subclasses, cls.__subclasses__()))


@cache
def _node_fields(cls: type[cst.CSTNode]) -> frozenset[str]:
    """The fields whose type admits a node (or a sequence of them)."""
    return frozenset(field.name for field in dataclasses.fields(cls) if _admits_node(field.type))


def _admits_node(annotation: object) -> bool:
    return next(iter(_node_types(annotation)), None) is not None


class _FieldRecorder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.fields.append(attribute)
