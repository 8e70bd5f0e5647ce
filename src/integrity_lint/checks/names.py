"""INC202: name fields that reject real people's names.

Reads the schema classes of :mod:`integrity_lint.analysis.models`: a person-name field with a
pattern that only accepts ASCII letters, a maximum length under ``SHORT_NAME`` characters, or
a required family name beside a given name (people with one name cannot sign up).
"""

from __future__ import annotations

import re

import libcst as cst

from integrity_lint.analysis.literals import literal_value
from integrity_lint.analysis.models import Field
from integrity_lint.analysis.vocabulary import split_words
from integrity_lint.checks.base import FileContext
from integrity_lint.checks.demographics import SchemaCheck
from integrity_lint.checks.nodes import source

SHORT_NAME = 30
_GIVEN = frozenset({"first_name", "given_name", "forename", "firstname", "givenname"})
_FAMILY = frozenset(
    {"last_name", "family_name", "surname", "lastname", "familyname", "second_name"}
)
_NAME_WORDS = frozenset({"name", "surname", "forename", "firstname", "lastname"})
_PERSON_WORDS = ("first", "last", "given", "family", "full", "middle", "display", "legal")
# A character class of ASCII letters (and a few separators) only: no \w, \p{L}, or ranges
# beyond ASCII.
_CLASS_RE = re.compile(r"\[([^\]]*)\]")
_ASCII_CLASS_RE = re.compile(r"^(?:a-z|A-Z|[ .'\-]|\\[s.'\-]|\\ )+$")


def _is_person_name(field: Field) -> bool:
    words = split_words(field.name)
    if field.name.lower() in _GIVEN | _FAMILY:
        return True
    return bool(_NAME_WORDS & set(words)) and any(w in words for w in _PERSON_WORDS)


def ascii_only(pattern: str) -> bool:
    """Whether a regular expression accepts only ASCII letters where a name goes."""
    classes = _CLASS_RE.findall(pattern)
    return bool(classes) and all(
        _ASCII_CLASS_RE.match(c) and ("a-z" in c or "A-Z" in c) for c in classes
    )


class RestrictiveNameValidation(SchemaCheck):
    codes = ("INC202",)
    tokens = ("name",)  # every given and family name word contains it

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.given: dict[str, Field] = {}

    def field(self, field: Field) -> None:
        if not _is_person_name(field):
            return
        shown = f"`{field.owner}.{field.name}`"
        name = field.name.lower()
        if name in _GIVEN:
            self.given[field.owner] = field
        pattern = next((p for p in _strings(field.call) if ascii_only(p)), None)
        if pattern is not None:
            self.report(
                field.node,
                f"{shown} must match `{pattern}`, which rejects names such as José, Nguyễn, "
                "Zoë or 李; accept any letters (or do not validate names)",
            )
            return
        limit = _max_length(field)
        if limit is not None and limit < SHORT_NAME:
            self.report(
                field.node,
                f"{shown} allows at most {limit} characters, shorter than many people's "
                f"names; allow at least {SHORT_NAME * 5} (or no limit)",
            )
            return
        if name in _FAMILY and field.required and field.owner in self.given:
            self.report(
                field.node,
                f"{shown} is required beside `{self.given[field.owner].name}`, so people with "
                "a single name cannot sign up; make it optional, or ask for one full name",
            )


def _strings(call: cst.Call | None) -> list[str]:
    """The string literals anywhere in a field's declaration (its validators' patterns)."""
    if call is None:
        return []
    found: list[str] = []

    class Strings(cst.CSTVisitor):
        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            value = literal_value(node)
            if isinstance(value, str):
                found.append(value)

    call.visit(Strings())
    return found


# A longer number is no length limit a person meant (and past 4300 digits `int` refuses it).
_MAX_DIGITS = 100


def _max_length(field: Field) -> int | None:
    """``max_length=20`` (Django, pydantic), ``Length(max=20)`` (WTForms), ``String(20)``."""
    call = field.call
    if call is None:
        return None
    text = source(call)
    for pattern in (r"max_length\s*=\s*(\d+)", r"Length\([^)]*max\s*=\s*(\d+)", r"String\((\d+)"):
        match = re.search(pattern, text)
        if match and len(match.group(1)) <= _MAX_DIGITS:
            return int(match.group(1))
    return None
