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
    try:
        return node.evaluated_value
    except (SyntaxError, ValueError, OverflowError, MemoryError):
        return None


def text_value(node: Literal) -> str | None:
    """The value of a ``str`` literal (also implicitly concatenated), else ``None``."""
    value = literal_value(node)
    return value if isinstance(value, str) else None
