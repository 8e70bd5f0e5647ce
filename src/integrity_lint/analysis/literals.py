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
    if type(node) is cst.SimpleString:
        text = node.value
        if "\\" not in text and "\r" not in text:
            # Without escapes or carriage returns, a str's value is its text between the
            # quotes (the carriage return Python's tokenizer would turn into a line feed).
            prefix, body = string_parts(node)
            if prefix in ("", "r", "u"):
                return body
    try:
        return node.evaluated_value
    except (SyntaxError, ValueError, OverflowError, MemoryError):
        return None


def text_value(node: Literal) -> str | None:
    """The value of a ``str`` literal (also implicitly concatenated), else ``None``."""
    value = literal_value(node)
    return value if isinstance(value, str) else None


def string_parts(node: cst.SimpleString) -> tuple[str, str]:
    """A string literal's prefix (in lower case) and its text between the quotes: libcst's
    ``prefix`` and ``raw_value``, which find them character by character on every access."""
    text = node.value
    quote = text[-1]  # the closing quote; the opening one is its first occurrence
    start = text.index(quote)
    width = 3 if len(text) - start >= 6 and text.startswith(quote * 3, start) else 1
    return text[:start].lower(), text[start + width : len(text) - width]
