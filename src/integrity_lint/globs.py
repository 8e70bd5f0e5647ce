"""Gitignore-style path patterns, used for ``.gitignore``, ``exclude``, ``per-file-ignores`` and
``overrides``.

A pattern without a ``/`` (other than a trailing one) matches a file or folder name at any
depth; one with a ``/`` is anchored at the folder it is relative to. ``*`` and ``?`` never cross
``/``, ``**`` crosses any number of folders, and a trailing ``/`` matches folders only. A path
matches when it or one of its parent folders matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

# The gaps a pattern can leave: `*`, `**`, `**/` and a final `/**`, as regular expressions.
_GAPS = ("[^/]*", ".*", "(?:.*/)?", "/.*")
# A pattern with more gaps than this is matched without backtracking: `re` takes time exponential in
# the number of gaps on a path that almost matches (`*a*a*a*a*a*a*a*a*a*a*c`: 20 s).
MAX_REGEX_GAPS = 2


@dataclass(frozen=True)
class Pattern:
    text: str
    regex: re.Pattern[str]
    negated: bool
    directory_only: bool
    # The pattern as single-character matchers and gaps, when it is matched without ``re``.
    steps: tuple[re.Pattern[str] | str, ...] | None = None

    def match(self, path: str) -> bool:
        return bool(self.regex.match(path)) if self.steps is None else _walk(self.steps, path)


def _walk(steps: tuple[re.Pattern[str] | str, ...], path: str) -> bool:
    """Whether ``steps`` match all of ``path``, following every position they can reach at
    once (linear in the path for each step, however many gaps)."""
    end = len(path)
    reached = {0}
    for step in steps:
        if not reached:
            return False
        if not isinstance(step, str):
            reached = {p + 1 for p in reached if p < end and step.fullmatch(path[p])}
        elif step == "[^/]*":
            after: set[int] = set()
            for start in sorted(reached):
                position = start
                while position not in after:
                    after.add(position)
                    if position == end or path[position] == "/":
                        break
                    position += 1
            reached = after
        elif step == ".*":
            reached = set(range(min(reached), end + 1))
        elif step == "(?:.*/)?":
            first = min(reached)
            reached |= {q for q in range(first + 1, end + 1) if path[q - 1] == "/"}
        else:  # "/.*", which ends the pattern
            reached = {end} if any(p < end and path[p] == "/" for p in reached) else set()
    return end in reached


class PatternError(ValueError):
    """A pattern that cannot be matched, such as a character range ``[z-a]``."""


@cache
def compile_pattern(text: str) -> Pattern:
    """The pattern ``text``; :class:`PatternError` when it is not a valid pattern."""
    raw = text.strip()
    negated = raw.startswith("!")
    if negated:
        raw = raw[1:]
    directory_only = raw.endswith("/")
    raw = raw.rstrip("/")
    anchored = "/" in raw
    raw = raw.lstrip("/")
    if raw.startswith("./"):
        raw = raw[2:]
    parts = ([] if anchored else ["(?:.*/)?"]) + _translate(raw)
    try:
        compiled = re.compile(f"^{''.join(parts)}$")
        steps = None
        if sum(part in _GAPS for part in parts) > MAX_REGEX_GAPS:
            steps = tuple(part if part in _GAPS else re.compile(part) for part in parts)
    except re.error as error:
        raise PatternError(f"invalid pattern {text!r}: {error.msg}") from None
    return Pattern(text, compiled, negated, directory_only, steps)


def _translate(pattern: str) -> list[str]:
    """The pattern as regular expressions, each a gap of ``_GAPS`` or one character's."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out.append(re.escape(char))
                i += 1
            else:
                body = pattern[i + 1 : end]
                negate = "^" if body[:1] in ("!", "^") else ""
                body = body[1:] if negate else body
                # Only ranges keep a meaning: `[`, `&&`, `||` would be set syntax to `re`.
                body = "".join(c if c == "-" else re.escape(c) for c in body)
                out.append(f"[{negate}{body}]")
                i = end + 1
        elif char == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(char))
            i += 1
    return out


def _candidates(path: str, is_dir: bool) -> list[tuple[str, bool]]:
    """The path and each of its parent folders, each with whether it is a folder."""
    parts = path.split("/")
    candidates = [("/".join(parts[:i]), True) for i in range(1, len(parts))]
    candidates.append((path, is_dir))
    return candidates


def _combine(patterns: list[Pattern], is_dir: bool) -> re.Pattern[str] | None:
    """Without negations, one regular expression of the patterns that apply to a folder (or
    a file): a walk matches every entry of the tree against the set."""
    if any(p.negated or p.steps is not None for p in patterns):
        return None
    regexes = [p.regex.pattern for p in patterns if is_dir or not p.directory_only]
    # The patterns that match at any depth share their start: `^(?:.*/)?(?:a|b)$` tries each
    # folder of a path once, not once per pattern.
    anywhere = f"^{_GAPS[2]}"
    deep = [r[len(anywhere) : -1] for r in regexes if r.startswith(anywhere)]
    regexes = [r for r in regexes if not r.startswith(anywhere)]
    if deep:
        regexes.append(f"{anywhere}(?:{'|'.join(deep)})$")
    return re.compile("|".join(f"(?:{regex})" for regex in regexes) or "(?!)")


class PatternSet:
    """An ordered list of patterns where a later ``!negation`` can re-include a path."""

    def __init__(self, patterns: list[str] | tuple[str, ...], skip_invalid: bool = False) -> None:
        """``skip_invalid`` drops the patterns that are not valid, as git does in a
        ``.gitignore``; otherwise they raise :class:`PatternError`."""
        self.patterns: list[Pattern] = []
        for text in patterns:
            if not text.strip() or text.startswith("#"):
                continue
            try:
                self.patterns.append(compile_pattern(text))
            except PatternError:
                if not skip_invalid:
                    raise
        self._for_folders = _combine(self.patterns, True)
        self._for_files = _combine(self.patterns, False)

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def matches(self, path: str, is_dir: bool = False) -> bool:
        """Whether ``path`` (relative, with ``/``) or a folder above it is matched."""
        for candidate, candidate_is_dir in _candidates(path, is_dir):
            if self.matches_entry(candidate, candidate_is_dir):
                return True
        return False

    def matches_entry(self, path: str, is_dir: bool) -> bool:
        """Whether ``path`` itself is matched (for a walk that has checked its folders)."""
        combined = self._for_folders if is_dir else self._for_files
        if combined is not None:
            return combined.match(path) is not None
        matched = False
        for pattern in self.patterns:
            if pattern.directory_only and not is_dir:
                continue
            if pattern.match(path):
                matched = not pattern.negated
        return matched
