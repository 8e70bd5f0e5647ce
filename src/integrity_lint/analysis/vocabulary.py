"""The personal-data vocabulary: which identifiers, keys and field names hold data about a
person.

:class:`Vocabulary` judges an identifier, key or field name, optionally with its owner
(``name`` owned by ``user`` or by ``class Customer`` is a person's name; owned by ``product``
it is not). It reads ``rules/personal-data.toml`` and needs no syntax tree, so the project pass
uses it without libcst; :mod:`integrity_lint.analysis.personal` applies it to expressions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from integrity_lint.resources import load_data

DATA_FILE = "personal-data.toml"
KINDS = ("direct", "special", "credential", "content", "quasi", "pseudonymous")
ALL_KINDS = frozenset(KINDS)
# What most rules report: data that identifies, contacts or exposes a person by itself.
REPORTED_KINDS = frozenset({"direct", "special", "credential"})

# The words of an identifier: ``APIKey`` -> API, Key; ``address_line1`` -> address, line, 1.
_WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_CONSTANT_RE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
# Words that end in "s" without being plurals.
_SHORT_PLURALS = frozenset({"ips", "ids", "ads"})
_NOT_PLURAL = frozenset({"gps", "sms", "dns", "ios", "https", "analysis", "alias", "status"})

# Query methods between a person model and its instance: ``User.objects.get(...)``.
_QUERY_WORDS = frozenset(
    {
        "objects",
        "get",
        "first",
        "last",
        "one",
        "filter",
        "all",
        "query",
        "scalar",
        "scalars",
        "get_or_404",
        "first_or_404",
        "one_or_none",
        "latest",
        "earliest",
        "select_related",
        "prefetch_related",
    }
)
# Leading words of an owner that do not change who it is: ``current_user``, ``get_user()``.
_OWNER_NOISE = frozenset(
    {"get", "current", "fetch", "load", "find", "the", "my", "new", "old", "this", "other"}
    | {"target", "logged", "in", "active", "request", "auth", "authenticated", "main", "self"}
)


@dataclass(frozen=True)
class DataType:
    """A type of personal data: ``contact.email``, with how directly it points at a person."""

    id: str
    label: str
    kind: str
    sensitivity: str
    category: str = ""

    @property
    def group(self) -> str:
        """``contact`` for ``contact.email``."""
        return self.id.split(".", 1)[0]


def counts(data_type: DataType, kinds: frozenset[str]) -> bool:
    """Whether a type is among ``kinds``: kind names (``direct``) and type ids
    (``credential.password``) select, ``!`` before a type id deselects
    (``!identifier.username``)."""
    if f"!{data_type.id}" in kinds:
        return False
    return data_type.kind in kinds or data_type.id in kinds


# The three-valued judgement: personal (a type), known not personal (False), unknown (None).
Verdict = DataType | Literal[False] | None


def split_words(identifier: str) -> list[str]:
    """Lower-case, singular words of an identifier, key or header name."""
    return [_singular(word.lower()) for word in _WORD_RE.findall(identifier)]


def _singular(word: str) -> str:
    if word in _SHORT_PLURALS:
        return word[:-1]
    if len(word) <= 3 or word in _NOT_PLURAL:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(split_words(text))


def _find(words: Sequence[str], phrase: tuple[str, ...]) -> int:
    """Where ``phrase`` starts in ``words``, or -1."""
    if phrase and phrase[0] not in words:  # the common case, without slicing
        return -1
    size = len(phrase)
    for start in range(len(words) - size + 1):
        if tuple(words[start : start + size]) == phrase:
            return start
    return -1


@dataclass(frozen=True)
class _Entry:
    type: DataType
    names: tuple[tuple[str, ...], ...]
    context_names: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[tuple[str, ...], ...] = ()


@dataclass
class Vocabulary:
    """The personal-data vocabulary, with a project's ``extra`` and ``not-personal`` names."""

    entries: list[_Entry]
    flag_prefixes: frozenset[str]
    count_prefixes: frozenset[str]
    derived_suffixes: frozenset[str]
    protected: frozenset[str]
    person_words: frozenset[str]
    container_words: frozenset[str]
    schema_containers: frozenset[str]
    not_personal: tuple[tuple[str, ...], ...] = ()
    types: dict[str, DataType] = field(default_factory=dict)
    # Judgements so far: an identifier is judged the same way each time it is met.
    _judged: dict[tuple[str, str | None, bool], Verdict] = field(default_factory=dict, repr=False)
    # Per word, the entries (by index) with a name that starts with it; None until first used.
    _by_word: dict[str, list[int]] | None = field(default=None, repr=False)
    _always: list[int] = field(default_factory=list, repr=False)  # entries with an empty name

    @classmethod
    def load(
        cls, extra: Mapping[str, str] | None = None, not_personal: Iterable[str] = ()
    ) -> Vocabulary:
        """The shipped vocabulary, extended by ``extra`` (name -> type) and ``not_personal``."""
        data = load_data(DATA_FILE)
        values = data["values"]
        entries = [
            _Entry(
                DataType(
                    id=item["id"],
                    label=item["label"],
                    kind=item["kind"],
                    sensitivity=item["sensitivity"],
                    category=item.get("category", ""),
                ),
                names=tuple(_phrase(name) for name in item.get("names", ())),
                context_names=tuple(_phrase(name) for name in item.get("context-names", ())),
                exclude=tuple(_phrase(name) for name in item.get("exclude", ())),
            )
            for item in data["type"]
        ]
        vocabulary = cls(
            entries=entries,
            flag_prefixes=frozenset(values["flag-prefixes"]),
            count_prefixes=frozenset(values["count-prefixes"]),
            derived_suffixes=frozenset(_singular(w) for w in values["derived-suffixes"]),
            protected=frozenset(_singular(w) for w in values["protected"]),
            person_words=frozenset(_singular(w) for w in values["person-words"]),
            container_words=frozenset(_singular(w) for w in values["container-words"]),
            schema_containers=frozenset(_singular(w) for w in values["schema-containers"]),
            not_personal=tuple(_phrase(name) for name in not_personal),
            types={entry.type.id: entry.type for entry in entries},
        )
        for name, type_name in (extra or {}).items():
            vocabulary.entries.insert(0, _Entry(vocabulary.type_for(type_name), (_phrase(name),)))
        return vocabulary

    def type_for(self, name: str) -> DataType:
        """The type a project's ``extra`` entry names: a type id (``contact.email``), a group
        (``identifier``, ``contact``) or free text, which becomes a direct type of its own."""
        if name in self.types:
            return self.types[name]
        for entry in self.entries:
            if entry.type.group == name or entry.type.category == name:
                return DataType(name, entry.type.label, "direct", entry.type.sensitivity, name)
        return DataType(name, name.replace("_", " "), "direct", "highly_sensitive", name)

    # --- identifiers ---------------------------------------------------------------------

    def classify(
        self, identifier: str, owner: str | None = None, *, key: bool = False
    ) -> DataType | None:
        """The personal-data type an identifier names, if any.

        ``owner`` is what holds the value: a receiver (``request.user``) or the name of the
        class that declares the field (``Customer``); it decides words such as ``name`` and
        ``address``. ``key`` is for dict keys, header names and form fields, which may be in
        upper case (``REMOTE_ADDR``) without being constants of the program.
        """
        verdict = self.judge(identifier, owner, key=key)
        return verdict or None

    def judge(self, identifier: str, owner: str | None = None, *, key: bool = False) -> Verdict:
        """Like :meth:`classify`, but ``False`` for names known not to hold personal data."""
        cached = (identifier, owner, key)
        if cached not in self._judged:
            self._judged[cached] = self._judge(identifier, owner, key=key)
        return self._judged[cached]

    def _judge(self, identifier: str, owner: str | None, *, key: bool) -> Verdict:
        if not key and _CONSTANT_RE.fullmatch(identifier.strip("_")):
            return False
        words = split_words(identifier)
        if not words:
            return None
        best: tuple[int, DataType, int, int] | None = None  # (length, type, start, end)
        for entry in self._candidates(words):
            found = self._match(entry, words, owner)
            if found is not None and (best is None or found[1] - found[0] > best[0]):
                best = (found[1] - found[0], entry.type, found[0], found[1])
        if best is None:
            return None
        _, data_type, start, end = best
        if any(_covers(words, phrase, start, end) for phrase in self.not_personal):
            return False
        if words[0] in self.flag_prefixes or (words[0] in self.count_prefixes and start > 0):
            return False
        if any(word in self.derived_suffixes for word in words[end:]):
            return False
        if any(word in self.protected for word in words):
            return False
        return data_type

    def _candidates(self, words: list[str]) -> list[_Entry]:
        """The entries, in order, that have a name starting with one of ``words``: no other
        can match (there are hundreds, an identifier has a few words)."""
        if self._by_word is None:
            self._by_word = {}
            for index, entry in enumerate(self.entries):
                for phrase in {*entry.names, *entry.context_names}:
                    if phrase:
                        self._by_word.setdefault(phrase[0], []).append(index)
                    else:
                        self._always.append(index)
        found = set(self._always)
        for word in words:
            found.update(self._by_word.get(word, ()))
        return [self.entries[index] for index in sorted(found)]

    def _match(self, entry: _Entry, words: list[str], owner: str | None) -> tuple[int, int] | None:
        """The longest span of ``words`` that names ``entry``'s type, or ``None``."""
        if any(_find(words, phrase) >= 0 for phrase in entry.exclude):
            return None
        best: tuple[int, int] | None = None
        for phrase in entry.names:
            start = _find(words, phrase)
            if start >= 0 and (best is None or len(phrase) > best[1] - best[0]):
                best = (start, start + len(phrase))
        if best is not None:
            return best
        for phrase in entry.context_names:
            start = _find(words, phrase)
            if start < 0:
                continue
            before = words[:start]
            if any(word in self.person_words for word in before) or (
                not before and owner is not None and self.is_person(owner)
            ):
                return (start, start + len(phrase))
        return None

    def is_person(self, owner: str) -> bool:
        """Whether a receiver or class name stands for a person.

        ``request.user``, ``current_user``, ``User``, ``CustomerProfile``, ``user_data`` and
        ``User.objects.get`` do; ``user_group``, ``UserAgent`` and ``product`` do not.
        """
        segments = [s for s in owner.split(".") if s and s not in _QUERY_WORDS]
        if not segments:
            return False
        words = [w for w in split_words(segments[-1]) if w not in _OWNER_NOISE]
        if not words:
            return False
        if words[-1] in self.person_words:
            return True
        return words[-1] in self.container_words and any(
            word in self.person_words for word in words[:-1]
        )


def _covers(words: Sequence[str], phrase: tuple[str, ...], start: int, end: int) -> bool:
    """Whether ``phrase`` occurs in ``words`` over the whole span ``start:end``."""
    size = len(phrase)
    for at in range(len(words) - size + 1):
        if tuple(words[at : at + size]) == phrase and at <= start and at + size >= end:
            return True
    return False


@cache
def _vocabulary(extra: tuple[tuple[str, str], ...], not_personal: tuple[str, ...]) -> Vocabulary:
    return Vocabulary.load(dict(extra), not_personal)


def vocabulary(
    extra: Mapping[str, str] | None = None, not_personal: Iterable[str] = ()
) -> Vocabulary:
    """The vocabulary for a configuration (``settings.config.personal_data_extra`` and
    ``.not_personal``), loaded once per distinct configuration."""
    return _vocabulary(tuple(sorted((extra or {}).items())), tuple(not_personal))
