"""Applying fixes: text edits carried by findings, composed, checked, written atomically.

A finding's ``fix`` is ``{"applicability": "safe" | "unsafe", "edits": [edit, ...]}``; an
edit replaces the text between two 1-based ``(line, column)`` positions with ``content``.
Edits are plain data, so fixes survive the cache and the process pool like any finding.

A file's fixes are applied in one round when they do not overlap; overlapping ones wait for
the next round (the caller re-checks the fixed text, so a fix is always computed on the text
it applies to). A round whose result does not parse is retried fix by fix, and a fix that
breaks the file on its own is dropped.
"""

from __future__ import annotations

import ast
import codecs
import io
import os
import tokenize
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from integrity_lint.lines import line_starts
from integrity_lint.report.model import Finding

Edit = dict[str, Any]


def edit(line: int, column: int, end_line: int, end_column: int, content: str) -> Edit:
    """An edit replacing the text from ``(line, column)`` to ``(end_line, end_column)``."""
    return {
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "content": content,
    }


def applicable(finding: Finding, unsafe: bool) -> bool:
    """Whether the run may apply ``finding``'s fix."""
    fix = finding.fix
    if not fix or not fix.get("edits"):
        return False
    return fix["applicability"] == "safe" or (unsafe and fix["applicability"] == "unsafe")


@dataclass(frozen=True)
class Decoded:
    """A source file's text and how to turn it back into the same kind of bytes."""

    text: str
    encoding: str
    bom: bool

    @classmethod
    def of(cls, data: bytes) -> Decoded | None:
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            text = data.decode(encoding)
        except (SyntaxError, LookupError, UnicodeDecodeError):
            return None
        bom = text.startswith("\ufeff")
        return cls(text.removeprefix("\ufeff"), encoding, bom)

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        if self.bom and self.encoding != "utf-8-sig":
            data = codecs.BOM_UTF8 + data
        return data


def fix_text(text: str, findings: Iterable[Finding], unsafe: bool) -> tuple[str, int]:
    """``text`` with the applicable, non-overlapping fixes of ``findings`` applied.

    Returns the new text and how many findings were fixed.
    """
    starts = line_starts(text)
    candidates: list[tuple[int, int, list[tuple[int, int, str]]]] = []
    for finding in findings:
        if not applicable(finding, unsafe):
            continue
        assert finding.fix is not None
        spans = [_span(e, starts, len(text)) for e in finding.fix["edits"]]
        spans.sort()
        candidates.append((spans[0][0], spans[-1][1], spans))
    chosen: list[list[tuple[int, int, str]]] = []
    taken: list[tuple[int, int]] = []
    for start, end, spans in sorted(candidates, key=lambda c: (c[0], c[1])):
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        if any(start == end == t_start == t_end for t_start, t_end in taken):
            continue  # two insertions at one place: which goes first is the next round's
        taken.append((start, end))
        chosen.append(spans)
    result = _apply(text, chosen)
    if chosen and parses(result):
        return result, len(chosen)
    kept: list[list[tuple[int, int, str]]] = []
    for spans in chosen:  # one at a time: keep each fix that leaves the file parsing
        if parses(_apply(text, [*kept, spans])):
            kept.append(spans)
    return _apply(text, kept), len(kept)


def _span(e: Edit, starts: list[int], size: int) -> tuple[int, int, str]:
    def offset(line: int, column: int) -> int:
        if line > len(starts):
            return size
        return min(starts[line - 1] + column - 1, size)

    return offset(e["line"], e["column"]), offset(e["end_line"], e["end_column"]), e["content"]


def _apply(text: str, fixes: list[list[tuple[int, int, str]]]) -> str:
    spans = sorted(span for spans in fixes for span in spans)
    parts: list[str] = []
    position = 0
    for start, end, content in spans:
        parts += [text[position:start], content]
        position = end
    parts.append(text[position:])
    return "".join(parts)


def parses(text: str | bytes) -> bool:
    """Whether Python compiles ``text`` (its warnings about the code are not ours)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def unified_diff(path: str, before: str, after: str) -> str:
    """The change as a unified diff with ``a/`` and ``b/`` paths, as git shows it."""
    import difflib  # only for --diff

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(line if line.endswith("\n") else f"{line}\n" for line in lines)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path``'s content in one step, keeping its permissions and owner.

    The new content goes to a temporary file beside it first, so an interrupted run leaves
    either the old file or the new one, never a half-written file. The temporary file gets
    the original's owner and group where the process may give them (as root, say in a CI
    container fixing a checkout it did not create), so a fix does not take the file over.
    """
    path = Path(os.path.realpath(path))  # a symbolic link stays a link to the fixed file
    status = path.stat()
    import tempfile  # only for --fix

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        _keep_owner(temporary, status)
        os.chmod(temporary, status.st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _keep_owner(path: str, status: os.stat_result) -> None:
    """Give ``path`` the owner and group of ``status``, as far as this process may."""
    if not hasattr(os, "chown"):
        return
    for uid, gid in ((status.st_uid, status.st_gid), (-1, status.st_gid)):
        try:
            os.chown(path, uid, gid)
        except OSError:
            continue
        return
