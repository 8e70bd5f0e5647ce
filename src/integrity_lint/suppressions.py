"""Inline suppressions: ``# integrity: ignore[CODE] reason``, ``fixme[...] until=DATE`` and
``ignore-file[...]``.

A trailing comment covers its own line, and the whole statement when it sits on the statement's
first line; a comment alone on its line covers the next statement (all of its lines). A
file-level suppression must stand in the file's header, before the first statement other
than the module docstring.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tokenize
from dataclasses import dataclass, field

from integrity_lint.fixes import Edit, edit
from integrity_lint.lines import split_lines

MARKER = "integrity:"
_DIRECTIVE_RE = re.compile(
    r"#\s*integrity:\s*(?P<kind>ignore-file|ignore|fixme)\b"
    r"(?:\[(?P<codes>[^\]]*)\])?(?P<rest>.*)$"
)
_UNTIL_RE = re.compile(r"^\s*until=(?P<date>\S+)\s*")


@dataclass
class Suppression:
    kind: str  # ignore | fixme | ignore-file
    codes: tuple[str, ...]
    reason: str
    line: int
    column: int
    end_column: int
    covers: frozenset[int] = frozenset()
    until: dt.date | None = None
    until_text: str | None = None
    used: set[str] = field(default_factory=set)
    text: str = ""  # the comment as written
    own_line: bool = False  # the comment is alone on its line
    gap: int = 0  # the whitespace between the code and a trailing comment

    @property
    def expired(self) -> bool:
        return self.kind == "fixme" and (self.until is None or self.until < dt.date.today())

    def applies_to(self, code: str, line: int) -> bool:
        if code not in self.codes or self.expired or self.kind == "misplaced-ignore-file":
            return False
        return self.kind == "ignore-file" or line in self.covers


def parse_directive(comment: str) -> tuple[str, tuple[str, ...], str, str | None] | None:
    """``(kind, codes, reason, until)`` for a suppression comment, else ``None``."""
    match = _DIRECTIVE_RE.match(comment)
    if match is None:
        return None
    codes = tuple(c.strip() for c in (match.group("codes") or "").split(",") if c.strip())
    rest = match.group("rest")
    until = None
    if match.group("kind") == "fixme":
        until_match = _UNTIL_RE.match(rest)
        if until_match:
            until = until_match.group("date")
            rest = rest[until_match.end() :]
    reason = rest.strip().lstrip(":-— ").strip()
    return match.group("kind"), codes, reason, until


def find_suppressions(source: str) -> list[Suppression]:
    """Every suppression comment of a file, with the lines each one covers."""
    if MARKER not in source:
        return []
    try:
        comments, statements, body_start = _scan_tokens(source)
    except (tokenize.TokenError, SyntaxError):
        comments, statements, body_start = _scan_lines(source), [], None
    suppressions: list[Suppression] = []
    lines = split_lines(source)
    for line, column, text, own_line in comments:
        parsed = parse_directive(text)
        if parsed is None:
            continue
        kind, codes, reason, until_text = parsed
        if kind == "ignore-file" and body_start is not None and line > body_start:
            kind = "misplaced-ignore-file"
        suppression = Suppression(
            kind=kind,
            codes=codes,
            reason=reason,
            line=line,
            column=column + 1,
            end_column=column + 1 + len(text),
            covers=_covered_lines(line, own_line, statements),
            until_text=until_text,
            text=text,
            own_line=own_line,
            gap=column - len(lines[line - 1][:column].rstrip()),
        )
        if until_text:
            try:
                suppression.until = dt.date.fromisoformat(until_text)
            except ValueError:
                suppression.until = None
        suppressions.append(suppression)
    return suppressions


def without_code(suppression: Suppression, code: str) -> Edit:
    """The text edit that takes ``code`` out of a suppression, or the whole comment with it.

    A comment alone on its line goes with its line; a trailing one with the space before it.
    """
    line, column, end = suppression.line, suppression.column, suppression.end_column
    bracket = _CODES_RE.search(suppression.text)
    written = [c.strip() for c in bracket.group(1).split(",") if c.strip()] if bracket else []
    kept = [w for w, c in zip(written, suppression.codes, strict=False) if c != code]
    if bracket and kept:
        text = f"{suppression.text[: bracket.start()]}[{', '.join(kept)}]"
        text += suppression.text[bracket.end() :]
        return edit(line, column, line, end, text)
    if suppression.own_line:
        return edit(line, 1, line + 1, 1, "")
    return edit(line, column - suppression.gap, line, end, "")


_CODES_RE = re.compile(r"\[([^\]]*)\]")


def _covered_lines(line: int, own_line: bool, statements: list[tuple[int, int]]) -> frozenset[int]:
    if own_line:
        following = next((s for s in statements if s[0] > line), None)
        if following is None:
            return frozenset({line + 1})
        return frozenset(range(following[0], following[1] + 1))
    for start, end in statements:
        if start == line:
            return frozenset(range(start, end + 1))
        if start > line:
            break
    return frozenset({line})


def _scan_tokens(
    source: str,
) -> tuple[list[tuple[int, int, str, bool]], list[tuple[int, int]], int | None]:
    """Comments, logical-line spans and the first line after the header, read with tokenize.

    The header is the comments and the module docstring before the first statement.
    """
    comments: list[tuple[int, int, str, bool]] = []
    statements: list[tuple[int, int]] = []
    lines = split_lines(source)
    start: int | None = None
    body_start: int | None = None
    seen_docstring = False
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        kind, text, (row, col) = token.type, token.string, token.start
        if kind == tokenize.COMMENT:
            before = lines[row - 1][:col] if row - 1 < len(lines) else ""
            comments.append((row, col, text, not before.strip()))
            continue
        if kind in (tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING):
            continue
        if kind == tokenize.NEWLINE:
            if start is not None:
                statements.append((start, row))
            start = None
            continue
        if kind == tokenize.ENDMARKER:
            break
        if start is None:
            start = row
        if body_start is None and not (kind == tokenize.STRING and not seen_docstring):
            body_start = row
        seen_docstring = True
    return comments, statements, body_start


def _scan_lines(source: str) -> list[tuple[int, int, str, bool]]:
    """Fallback for files tokenize rejects: comments found line by line."""
    found = []
    for number, line in enumerate(split_lines(source), start=1):
        index = line.find("#")
        while index >= 0:
            if _DIRECTIVE_RE.match(line[index:]):
                found.append((number, index, line[index:], not line[:index].strip()))
                break
            index = line.find("#", index + 1)
    return found
