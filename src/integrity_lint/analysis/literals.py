"""Reading the value of a literal in the tree without trusting it to be valid Python.

libcst parses some literals that Python's compiler rejects: ``"\\N{NOPE}"``, ``"\\x4"``,
bytes with non-ASCII characters, integers of more than 4300 digits. Their ``evaluated_value``
raises (``SyntaxError``, ``ValueError``). A check meets them in any file that libcst reads,
so it asks here, and such a literal has no value it could match.
"""

from __future__ import annotations

import libcst as cst

Literal = cst.SimpleString | cst.ConcatenatedString | cst.Integer | cst.Float | cst.Imaginary


def literal_value(node: Literal) -> str | bytes | int | float | complex | None:
    """The literal's value, or ``None`` when Python would not compile it."""
    if isinstance(node, cst.SimpleString) and _plain(node):
        return node.raw_value  # what compiling it gives
    try:
        return node.evaluated_value
    except (SyntaxError, ValueError, OverflowError, MemoryError):
        return None


def text_value(node: Literal) -> str | None:
    """The value of a ``str`` literal (also implicitly concatenated), else ``None``."""
    value = literal_value(node)
    return value if isinstance(value, str) else None


def _plain(node: cst.SimpleString) -> bool:
    """Whether a string literal's value is its text between the quotes: a ``str`` (no ``b``
    prefix) without escapes, and without a carriage return, which Python's tokenizer turns
    into a line feed."""
    text = node.value
    return "\\" not in text and "\r" not in text and node.prefix.lower() in ("", "r", "u")
