"""Reading the value of a literal in the tree without trusting it to be valid Python.

libcst parses some literals that Python's compiler rejects: ``"\\N{NOPE}"``, ``"\\x4"``,
bytes with non-ASCII characters, integers of more than 4300 digits. Their ``evaluated_value``
raises (``SyntaxError``, ``ValueError``). A check meets them in any file that libcst reads,
so it asks here, and such a literal has no value it could match.
"""

from __future__ import annotations

import re

import libcst as cst

Literal = cst.SimpleString | cst.ConcatenatedString | cst.Integer | cst.Float | cst.Imaginary


def literal_value(node: Literal) -> str | bytes | int | float | complex | None:
    """The literal's value, or ``None`` when Python would not compile it."""
    # libcst's evaluated_value compiles every literal; most can be read off their text. A
    # carriage return is left to the compiler (Python's tokenizer makes it a line feed).
    if type(node) is cst.SimpleString and "\r" not in node.value:
        value = plain_value(*string_parts(node))
        if value is not None:
            return value
    try:
        return node.evaluated_value
    except (SyntaxError, ValueError, OverflowError, MemoryError):
        return None


# The escapes that most strings with a backslash hold, and a line continuation.
_COMMON_ESCAPE = re.compile(r"\\[\\'\"abfnrtv\n]")
_ESCAPES = {
    **{f"\\{letter}": value for letter, value in zip("abfnrtv", "\a\b\f\n\r\t\v", strict=True)},
    "\\\\": "\\",
    "\\'": "'",
    '\\"': '"',
    "\\\n": "",
}


def _unescaped(escape: re.Match[str]) -> str:
    return _ESCAPES[escape.group()]


def plain_value(prefix: str, body: str) -> str | None:
    """The value of a str literal with this prefix (in lower case) and text between the
    quotes, when it is plain: raw, or with no escapes but the common ones; else ``None``.

    The texts of implicitly concatenated literals with the prefix ``""`` or ``"u"`` can be
    given joined: an escape never spans two of them."""
    if prefix == "r":
        return None if body.endswith("\\") else body
    if prefix not in ("", "u"):
        return None
    if "\\" not in body:
        return body
    if "\\" in _COMMON_ESCAPE.sub("", body):
        return None
    return _COMMON_ESCAPE.sub(_unescaped, body)


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
