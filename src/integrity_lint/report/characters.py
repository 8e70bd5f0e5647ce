"""Characters of paths and messages that a report cannot carry as they are.

Paths and messages come from the code under check. A file name that is not valid UTF-8
reaches Python as a string with lone surrogates (``surrogateescape``), which no UTF-8 output
can encode: printing it fails, or writes bytes that make the report invalid UTF-8. Control
characters end lines and drive terminals. Each format deals with both in its own way:

- JSON formats (json, sarif, gitlab) write lone surrogates as ``\\udcXX`` escapes: valid JSON,
  and a JSON reader gives back the same string, from which ``os.fsencode`` recovers the
  file name's bytes. JSON escapes control characters itself.
- Formats read by people in a browser (github, markdown) show lone surrogates as U+FFFD.
- The terminal format shows control characters and undecodable bytes as backslash escapes
  (``\\x1b``, ``\\xff``), so a file name can neither move the cursor nor start a line of its
  own that reads like a finding.
- JUnit leaves out what XML 1.0 cannot represent (see :mod:`integrity_lint.report.junit`).
"""

from __future__ import annotations

import json
import re
from typing import Any

_SURROGATES = re.compile("[\ud800-\udfff]")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def replace_surrogates(value: str) -> str:
    """``value`` with each lone surrogate replaced by U+FFFD."""
    return _SURROGATES.sub("\ufffd", value)


def json_document(document: Any) -> str:
    """``document`` as indented JSON, UTF-8-encodable whatever strings it holds."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return _SURROGATES.sub(lambda match: f"\\u{ord(match[0]):04x}", text) + "\n"


def _escape(match: re.Match[str]) -> str:
    point = ord(match[0])
    if 0xDC80 <= point <= 0xDCFF:  # an undecodable byte, as surrogateescape carries it
        return f"\\x{point - 0xDC00:02x}"
    if point <= 0xFF:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}"


def visible(value: str) -> str:
    """``value`` for a terminal: control characters and undecodable bytes as escapes."""
    return _UNPRINTABLE.sub(_escape, value)
