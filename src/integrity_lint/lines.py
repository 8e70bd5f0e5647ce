"""Lines as Python's tokenizer counts them.

``str.splitlines`` also breaks at form feeds, vertical tabs and Unicode separators, which
Python source may contain inside a line (the standard library has form feeds); line numbers
computed with it drift from the ones the parser reports.
"""

from __future__ import annotations

import re

_NEWLINE_RE = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """The offset where each line starts."""
    return [0, *(match.end() for match in _NEWLINE_RE.finditer(text))]


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their line endings."""
    return _NEWLINE_RE.split(text)
