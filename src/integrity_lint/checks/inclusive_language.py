"""INC501: non-inclusive terms in the names a project defines, its strings and its comments.

The terms are data (``rules/inclusive-language.toml``). Text is split into words the same way
for identifiers and prose: snake_case, camelCase, kebab-case and digits separate words, so
``ipWhitelist`` and ``MASTER_HOST`` match while ``masterpiece`` and ``remaster`` do not.
Punctuation other than ``_``, ``-`` and apostrophes ends a phrase, so "white, list" is not
"white list". URLs are skipped: they name resources of other people that a project cannot
rename (``.../blob/master/README.md``).

Only names the project defines are checked (assignment targets, ``def``/``class`` names,
parameters, attributes being assigned, import aliases), each once per scope; uses of a name
are not, and neither are imported names, call keywords or attributes set on imported modules,
which belong to someone else's API.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

import libcst as cst
from libcst._batched_visitor import VisitorMethod

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.analysis.literals import string_parts
from integrity_lint.catalog import CatalogError
from integrity_lint.checks.base import Check, FileContext
from integrity_lint.resources import load_data
from integrity_lint.suppressions import parse_directive

WORD_LIST = "inclusive-language.toml"
PLACES = ("identifier", "string", "comment")

# A run of letters and digits, or a run of punctuation that ends a phrase.
_CHUNK_RE = re.compile(r"[^\W_]+|[^\w\s\-'\u2019]+")
# The words of an ASCII run: ``HTTPServer`` -> HTTP, Server; ``master2`` -> master, 2.
_CAMEL_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_URL_RE = re.compile(r"\b[a-z][a-z0-9+.\-]*://\S+", re.IGNORECASE)
_ESCAPE_RE = re.compile(r"\\.")
_COMMENT_RE = re.compile(r"#.*")
_BREAK = "|"
_KEYS = {"term", "why", "forms", "replacements", "where", "suffixes", "except", "comment-fix"}


@dataclass(frozen=True)
class Term:
    """One entry of the word list, with its patterns compiled."""

    term: str
    replacements: tuple[str, ...]
    why: str
    where: frozenset[str]
    tokens: tuple[str, ...]
    pattern: re.Pattern[str]
    exceptions: re.Pattern[str] | None
    comment_fix: str | None = None
    raw: re.Pattern[str] | None = None  # the forms in raw text, for rewriting comments

    def spans(self, words: str) -> list[tuple[int, int]]:
        """Where the term occurs in a word stream, outside its exception phrases."""
        excepted = [m.span() for m in self.exceptions.finditer(words)] if self.exceptions else []
        return [
            match.span()
            for match in self.pattern.finditer(words)
            if not any(start <= match.start() and match.end() <= end for start, end in excepted)
        ]

    def suggestion(self) -> str:
        quoted = [f'"{word}"' for word in self.replacements]
        choices = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
        return f'"{self.term}" → consider {choices}'


def rewrite_comment(text: str, terms: list[Term]) -> str:
    """``text`` with each term that has a ``comment-fix`` replaced, outside URLs.

    A term is left alone where the text also holds one of its exception phrases, and the
    replacement takes the case of what it replaces (Master → Primary, WHITELIST → ALLOWLIST).
    """
    words = word_stream(text)
    for term in terms:
        if term.comment_fix is None or term.raw is None:
            continue
        if term.exceptions is not None and term.exceptions.search(words):
            continue
        replace = partial(_replacement, term.comment_fix)
        parts = re.split(f"({_URL_RE.pattern})", text, flags=re.IGNORECASE)
        # re.split keeps the URLs at the odd indexes; only the text between them changes.
        text = "".join(p if i % 2 else term.raw.sub(replace, p) for i, p in enumerate(parts))
    return text


def _replacement(fix: str, match: re.Match[str]) -> str:
    return _same_case(match.group(1), fix) + match.group(2)


def _same_case(original: str, replacement: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


def _raw_pattern(forms: Iterable[str], suffixes: Iterable[str]) -> re.Pattern[str]:
    """The forms as prose writes them: words apart, joined, or by ``-``. A word that is part
    of a name in code (``master_fd``, ``doctest.master``) is the code's name, and stays."""
    alternatives = "|".join("[ -]?".join(map(re.escape, f.split(" "))) for f in forms)
    endings = "|".join(re.escape(suffix) for suffix in suffixes)
    return re.compile(rf"(?<![\w.])({alternatives})((?:{endings})?)(?![\w])(?!\.\w)", re.IGNORECASE)


def message(shown: str, terms: list[Term]) -> str:
    """``shown: "whitelist" → consider "allowlist" (why)``; a reason shared is said once."""
    reasons = "; ".join(dict.fromkeys(term.why for term in terms))
    return f"{shown}: {'; '.join(term.suggestion() for term in terms)} ({reasons})"


def _phrase(form: str) -> str:
    """A regex for the words of ``form``, written apart or joined."""
    return " ?".join(re.escape(word) for word in form.split(" "))


def _any_of(forms: Iterable[str], suffixes: Iterable[str] = ()) -> re.Pattern[str]:
    alternatives = "|".join(_phrase(form) for form in forms)
    endings = "|".join(re.escape(suffix) for suffix in suffixes)
    tail = f"(?:{endings})?" if endings else ""
    return re.compile(rf"(?<!\S)(?:{alternatives}){tail}(?!\S)")


def _strings(entry: dict[str, Any], key: str, where: str, *, required: bool = True) -> list[str]:
    value = entry.get(key, None if required else [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CatalogError(f"{WORD_LIST}: {where}: '{key}' must be a list of strings")
    return value


def parse_terms(data: dict[str, Any]) -> tuple[Term, ...]:
    """Validate the word list and compile it; a malformed entry is a :class:`CatalogError`."""
    terms: list[Term] = []
    for number, entry in enumerate(data.get("term", []), start=1):
        name = entry.get("term")
        why = entry.get("why")
        if not isinstance(name, str) or not name or not isinstance(why, str) or not why:
            raise CatalogError(f"{WORD_LIST}: term #{number} needs a 'term' and a 'why'")
        forms = _strings(entry, "forms", name)
        replacements = _strings(entry, "replacements", name)
        where = _strings(entry, "where", name)
        suffixes = _strings(entry, "suffixes", name, required=False)
        exceptions = _strings(entry, "except", name, required=False)
        comment_fix = entry.get("comment-fix")
        if comment_fix is not None and (not isinstance(comment_fix, str) or not comment_fix):
            raise CatalogError(f"{WORD_LIST}: {name}: 'comment-fix' must be a string")
        unknown = set(entry) - _KEYS
        if unknown:
            raise CatalogError(f"{WORD_LIST}: {name}: unknown key(s) {', '.join(sorted(unknown))}")
        if not forms or not replacements or not set(where) <= set(PLACES) or not where:
            raise CatalogError(
                f"{WORD_LIST}: {name}: needs forms, replacements and where "
                f"(a subset of {', '.join(PLACES)})"
            )
        if any(not re.fullmatch(r"[a-z]+( [a-z]+)*", phrase) for phrase in forms + exceptions):
            raise CatalogError(f"{WORD_LIST}: {name}: write forms as lowercase words and spaces")
        terms.append(
            Term(
                term=name,
                replacements=tuple(replacements),
                why=why,
                where=frozenset(where),
                # The longest word of each form must be in any text the form matches.
                tokens=tuple(max(form.split(" "), key=len) for form in forms),
                pattern=_any_of(forms, suffixes),
                exceptions=_any_of(exceptions) if exceptions else None,
                comment_fix=comment_fix,
                raw=_raw_pattern(forms, suffixes) if comment_fix else None,
            )
        )
    if not terms:
        raise CatalogError(f"{WORD_LIST}: the word list has no [[term]] entries")
    return tuple(terms)


@cache
def load_terms() -> tuple[Term, ...]:
    """The shipped word list, compiled once."""
    return parse_terms(load_data(WORD_LIST))


def prefilter_tokens(terms: Iterable[Term]) -> tuple[str, ...]:
    """The fewest substrings one of which is in any text that a term matches."""
    candidates = sorted({token for term in terms for token in term.tokens}, key=len)
    kept: list[str] = []
    for token in candidates:
        if not any(shorter in token for shorter in kept):
            kept.append(token)
    return tuple(sorted(kept))


def word_stream(text: str) -> str:
    """Lower-case words separated by spaces; ``|`` stands for punctuation that ends a phrase."""
    words: list[str] = []
    for chunk in _CHUNK_RE.findall(_URL_RE.sub(f" {_BREAK} ", text)):
        if not chunk[0].isalnum():
            words.append(_BREAK)
        elif chunk.isascii():
            words.extend(word.lower() for word in _CAMEL_RE.findall(chunk))
        else:
            words.append(chunk.lower())
    return " ".join(words)


def _comments_may_hold_terms(source: str) -> bool:
    """Whether some comment may hold a term: each line from its first ``#`` on holds the
    line's comment, if it has one. The lines are judged together, kept apart by a phrase
    break, which the ``#`` before each comment makes anyway."""
    return bool(find_terms(f" {_BREAK} ".join(_COMMENT_RE.findall(source)), "comment"))


@cache
def _any_token() -> re.Pattern[str]:
    """Matches where some term's token is: most texts (identifiers) hold none."""
    return re.compile("|".join(map(re.escape, prefilter_tokens(load_terms()))))


def find_terms(text: str, place: str) -> list[Term]:
    """The distinct terms in ``text``, in order of first appearance, that apply to ``place``."""
    lowered = text.lower()
    if not _any_token().search(lowered):
        return []
    candidates = [
        term
        for term in load_terms()
        if place in term.where and any(token in lowered for token in term.tokens)
    ]
    if not candidates:
        return []
    words = word_stream(text)
    found = [(spans[0][0], term) for term in candidates if (spans := term.spans(words))]
    return [term for _, term in sorted(found, key=lambda pair: pair[0])]


class NonInclusiveLanguage(Check):
    codes = ("INC501",)
    tokens = prefilter_tokens(load_terms())
    casefold_tokens = True

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self._classes: list[str] = []
        self._annotations = 0
        self._seen: set[tuple[str, str]] = set()

    def get_visitors(self) -> Mapping[str, VisitorMethod]:
        """Comments are visited only in a file where one may hold a term: reaching them
        means walking all the whitespace of the tree."""
        visitors = dict(super().get_visitors())
        if not _comments_may_hold_terms(self.context.source):
            del visitors["visit_Comment"]
        return visitors

    # Shared reporting.

    def _check(self, node: cst.CSTNode, text: str, place: str, shown: str) -> None:
        found = find_terms(text, place)
        if found:
            self.report(node, message(shown, found))

    def _name(self, name: cst.Name, scope: Iterable[str]) -> None:
        """A name the project defines, once per scope (``scope`` names where it lives)."""
        if not _any_token().search(name.value.lower()):  # most names: no term to report
            return
        key = (".".join(scope), name.value)
        if key not in self._seen:
            self._seen.add(key)
            self._check(name, name.value, "identifier", f"identifier `{name.value}`")

    def _target(self, target: cst.BaseExpression) -> None:
        """The names an assignment-like statement binds."""
        if isinstance(target, cst.Name):
            self._name(target, self.context.scope)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._target(element.value)
        elif isinstance(target, cst.StarredElement):
            self._target(target.value)
        elif isinstance(target, cst.Attribute) and self.qualified_name(target.value) is None:
            # ``self.master = ...`` is the project's attribute; ``somelib.MASTER = ...`` is not.
            # Keyed by class, so ``self.master`` set in several methods is reported once.
            owner = dotted_name(target.value) or ""
            self._name(target.attr, ["class", *self._classes, owner])

    def _optional(self, name: cst.Name | None) -> None:
        if name is not None:
            self._name(name, self.context.scope)

    # Definitions.

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._name(node.name, self.context.scope[:-1])
        self._classes.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._classes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._name(node.name, self.context.scope[:-1])

    def visit_Param(self, node: cst.Param) -> None:
        self._name(node.name, self.context.scope)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._target(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._target(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        # ``import x as y``, ``with ... as y``, ``except E as y``: the alias is the project's.
        self._target(node.name)

    def visit_TypeAlias(self, node: cst.TypeAlias) -> None:
        self._name(node.name, self.context.scope)

    def visit_TypeVar(self, node: cst.TypeVar) -> None:
        self._name(node.name, self.context.scope)

    def visit_TypeVarTuple(self, node: cst.TypeVarTuple) -> None:
        self._name(node.name, self.context.scope)

    def visit_ParamSpec(self, node: cst.ParamSpec) -> None:
        self._name(node.name, self.context.scope)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        self._optional(node.name)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        self._optional(node.name)

    def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
        self._optional(node.rest)

    # Text.

    def visit_Annotation(self, node: cst.Annotation) -> None:
        self._annotations += 1

    def leave_Annotation(self, original_node: cst.Annotation) -> None:
        self._annotations -= 1

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        # Bytes are protocol data, and a string annotation names a type defined elsewhere.
        if not self._annotations:
            prefix, text = string_parts(node)
            if "b" not in prefix:
                self._string(node, text)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        if not self._annotations:
            self._string(node, node.value)

    def _string(self, node: cst.CSTNode, text: str) -> None:
        if not _any_token().search(text.lower()):  # nor after escapes become breaks
            return
        # An escape such as ``\n`` separates words: "a\nmaster" holds the word "master".
        self._check(node, _ESCAPE_RE.sub(f" {_BREAK} ", text), "string", "string")

    def visit_Comment(self, node: cst.Comment) -> None:
        # A suppression comment's reason names the term it suppresses.
        if parse_directive(node.value) is not None:
            return
        found = find_terms(node.value, "comment")
        if found:
            fixed = rewrite_comment(node.value, found)
            fix = cst.Comment(fixed) if fixed != node.value else None
            self.report(node, message("comment", found), fix=fix)
