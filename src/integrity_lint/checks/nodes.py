"""Small helpers for reading libcst nodes in checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import libcst as cst

from integrity_lint.analysis.literals import text_value


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    """The argument passed to ``call`` as ``name=...``."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def positional(call: cst.Call, index: int) -> cst.Arg | None:
    """The ``index``-th positional argument, if it is given before any ``*args``."""
    for position, arg in enumerate(call.args):
        if arg.keyword is not None or arg.star:
            return None
        if position == index:
            return arg
    return None


def argument(call: cst.Call, index: int, name: str) -> cst.Arg | None:
    """The argument for a parameter that may be passed by position or by keyword."""
    return keyword(call, name) or positional(call, index)


def string_value(node: cst.BaseExpression) -> str | None:
    """The value of a string literal (also implicitly concatenated), or ``None``."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return text_value(node)
    return None


def is_constant(node: cst.BaseExpression, value: object) -> bool:
    """Whether ``node`` is the literal ``True``, ``False`` or ``None`` given as ``value``."""
    return type(node) is cst.Name and node.value == repr(value)


_NUMBERS_AND_STRINGS = frozenset({cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary})


def is_literal(node: cst.BaseExpression) -> bool:
    """Whether ``node`` is a constant whose value is fixed in the source."""
    # Types, not isinstance: these classes have no subclasses, and the concatenations of a
    # long text are many (iterative, so they cannot recurse too deep either).
    while type(node) is cst.ConcatenatedString:
        concatenation = cast(cst.ConcatenatedString, node)
        if not is_literal(concatenation.right):
            return False
        node = concatenation.left
    kind = type(node)
    if kind in _NUMBERS_AND_STRINGS:
        return True
    if kind is cst.FormattedString:
        return not any(type(part) is cst.FormattedStringExpression for part in node.parts)
    if kind is cst.List or kind is cst.Tuple:
        return all(
            type(element) is cst.Element and is_literal(element.value) for element in node.elements
        )
    return is_constant(node, True) or is_constant(node, False) or is_constant(node, None)


def without_argument(call: cst.Call, arg: cst.Arg) -> cst.Call:
    """``call`` without ``arg``; the argument before it takes over its comma when it was last."""
    args = [a for a in call.args if a is not arg]
    if args and call.args[-1] is arg:
        args[-1] = args[-1].with_changes(comma=arg.comma)
    return call.with_changes(args=args)


def with_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """``call`` with ``name=value``: the keyword's value replaced, or the keyword added last.

    An added keyword after a trailing comma takes that comma (and its line break), and the
    argument before it takes its neighbour's, so a call written one argument per line stays so.
    """
    args = list(call.args)
    for index, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == name:
            args[index] = arg.with_changes(value=value)
            return call.with_changes(args=args)
    added = cst.Arg(
        keyword=cst.Name(name),
        value=value,
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    if args and isinstance(args[-1].comma, cst.Comma):
        added = added.with_changes(comma=args[-1].comma)
        if len(args) > 1:
            args[-1] = args[-1].with_changes(comma=args[-2].comma)
    return call.with_changes(args=[*args, added])


def source(node: cst.CSTNode) -> str:
    """The source text of ``node`` on one line, for messages."""
    return " ".join(cst.Module(body=[]).code_for_node(node).split())


# hashlib's fast, unkeyed digests (the extendable-output shakes aside).
HASHLIB_HASHES = frozenset(
    f"hashlib.{name}"
    for name in (
        "md5",
        "sha1",
        "sha224",
        "sha256",
        "sha384",
        "sha512",
        "sha3_224",
        "sha3_256",
        "sha3_384",
        "sha3_512",
        "blake2b",
        "blake2s",
    )
)


def module_bindings(module: cst.Module) -> dict[str, list[cst.BaseExpression | None]]:
    """What each module-level name is bound to, in order; ``None`` where a statement changes
    it in a way that is not a plain value (``+=``, unpacking)."""
    bound: dict[str, list[cst.BaseExpression | None]] = {}
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                for name, value in bound_names(small):
                    bound.setdefault(name, []).append(value)
    return bound


def bound_names(
    statement: cst.BaseSmallStatement,
) -> Iterator[tuple[str, cst.BaseExpression | None]]:
    """The names a statement binds, with the value when it binds a name to it directly."""
    if isinstance(statement, cst.Assign):
        for target in statement.targets:
            if isinstance(target.target, cst.Name):
                yield target.target.value, statement.value
            else:
                yield from ((name, None) for name in _target_names(target.target))
    elif isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name):
        yield statement.target.value, statement.value
    elif isinstance(statement, cst.AugAssign) and isinstance(statement.target, cst.Name):
        yield statement.target.value, None


def _target_names(target: cst.BaseExpression) -> Iterator[str]:
    """The names an unpacking target (``a, (b, *c) = ...``) binds."""
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _target_names(element.value)
