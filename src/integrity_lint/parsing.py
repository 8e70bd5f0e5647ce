"""libcst's parse, made cheaper for trees that are only read.

libcst's parser builds each node by calling its class, a frozen dataclass: the generated
``__init__`` sets every field through ``object.__setattr__`` (frozen classes refuse plain
assignment) and then validates the node. At the first parse, each node class takes a
constructor with the same parameters that, while :func:`parse_module` runs, sets the fields
straight through their slots and skips the validation (the parser builds only valid nodes:
libcst's own PERF note in ``CSTNode.__post_init__``), and otherwise calls the class's own
constructor, so nodes that checks build for fixes are validated as usual. The two savings
are a fifth of a parse (measured on Django's largest files). The constructors stay: setting
a class attribute for every file costs more than a flag read per node.

A large module is parsed in pieces (:mod:`integrity_lint.pieces`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from types import MemberDescriptorType
from typing import Any

import libcst as cst

from integrity_lint.bytecode import compiled
from integrity_lint.pieces import PIECE, parse_in_pieces

# Read by the quick constructors: whether a parse is under way (one flag for the process).
_PARSING = [False]


def parse_module(source: str) -> cst.Module:
    """``libcst.parse_module(source)``, with the quick constructors (it raises as libcst's)."""
    with _parsing():
        module = parse_in_pieces(source) if len(source) >= PIECE else None
        return cst.parse_module(source) if module is None else module


@contextmanager
def _parsing() -> Iterator[None]:
    install()
    _PARSING[0] = True
    try:
        yield
    finally:
        _PARSING[0] = False


@cache
def install() -> None:
    """Give each node class its quick constructor (once per process; a parse does it first)."""
    for node_class, (quick, _) in _quick_constructors().items():
        node_class.__init__ = quick  # type: ignore[misc]


Constructor = Callable[..., None]


@cache
def _quick_constructors() -> dict[type[cst.CSTNode], tuple[Constructor, Constructor]]:
    """Per libcst node class, its quick constructor and its own. A class this cannot mirror
    exactly (a field that is not a slot, keyword-only or not in ``__init__``) keeps its own
    constructor, validation included."""
    found: dict[type[cst.CSTNode], tuple[Constructor, Constructor]] = {}
    pending: list[type[cst.CSTNode]] = [cst.CSTNode]
    while pending:
        node_class = pending.pop()
        pending.extend(node_class.__subclasses__())
        own = vars(node_class).get("__init__")
        if (
            own is not None
            and node_class.__module__.startswith("libcst.")
            and dataclasses.is_dataclass(node_class)
            and not getattr(node_class, "__abstractmethods__", None)
        ):
            quick = _quick_constructor(node_class)
            if quick is not None:
                found[node_class] = (quick, own)
    return found


def _quick_constructor(node_class: type[cst.CSTNode]) -> Constructor | None:
    """An ``__init__`` with the dataclass's parameters (same order, defaults and default
    factories) that sets each field through its slot during a parse, and otherwise hands
    its arguments to the class's own ``__init__``."""
    own = vars(node_class)["__init__"]
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY, "_PARSING": _PARSING, "_own": own}
    parameters, arguments, body = ["self"], [], []
    for index, field in enumerate(dataclasses.fields(node_class)):
        slot = getattr(node_class, field.name, None)
        if not field.init or field.kw_only or not isinstance(slot, MemberDescriptorType):
            return None
        namespace[f"_set{index}"] = slot.__set__
        value = field.name
        if field.default is not dataclasses.MISSING:
            namespace[f"_default{index}"] = field.default
            parameters.append(f"{field.name}=_default{index}")
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"_factory{index}"] = field.default_factory
            parameters.append(f"{field.name}=_FACTORY")
            value = f"_factory{index}() if {field.name} is _FACTORY else {field.name}"
        else:
            parameters.append(field.name)
        arguments.append(value)
        body.append(f"    _set{index}(self, {value})")
    code = "\n".join(
        [
            f"def __init__({', '.join(parameters)}):",
            "    if not _PARSING[0]:",
            f"        return _own(self, {', '.join(arguments)})",
            *body,
        ]
    )
    exec(compiled(code), namespace)
    return namespace["__init__"]  # type: ignore[no-any-return]


class _Factory:
    """The default of a parameter whose field has a default factory (dataclasses' own
    sentinel is private)."""


_FACTORY = _Factory()
