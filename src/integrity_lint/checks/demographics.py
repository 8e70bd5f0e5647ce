"""INC201 and INC502: how schemas ask people about who they are.

INC201 flags sensitive demographic fields (gender, sex, race, ethnicity, religion, date of
birth, sexual orientation, disability) that a person must fill in without a way to decline.
INC502 flags gender modelled as a yes/no or as exactly two options. Both read the schema
classes of :mod:`integrity_lint.analysis.models` and enum/choices classes of the file.
"""

from __future__ import annotations

import libcst as cst

from integrity_lint.analysis.literals import literal_value
from integrity_lint.analysis.models import Field, choice_labels, choice_values, schema_of
from integrity_lint.analysis.vocabulary import split_words
from integrity_lint.checks.base import Check, FileContext

_SENSITIVE = {
    "gender": "gender",
    "sex": "sex",
    "race": "race",
    "ethnicity": "ethnicity",
    "ethnic": "ethnicity",
    "religion": "religion",
    "dob": "date of birth",
    "birth": "date of birth",
    "birthday": "date of birth",
    "birthdate": "date of birth",
    "orientation": "sexual orientation",
    "disability": "disability",
}
_GENDER_WORDS = frozenset({"gender", "sex"})
_BINARY_FLAGS = frozenset({"is_male", "is_female", "male", "female", "is_man", "is_woman"})
# Choice texts that let a person decline or describe themselves.
_OPT_OUTS = (
    "prefer not",
    "not to say",
    "rather not",
    "decline",
    "undisclosed",
    "unspecified",
    "not specified",
    "self-describe",
    "self describe",
    "other",
    "non-binary",
    "nonbinary",
    "diverse",
    "unknown",
)
_ENUM_BASES = ("Enum", "TextChoices", "IntegerChoices", "Choices", "StrEnum", "IntEnum")


def _sensitive(name: str) -> str | None:
    words = split_words(name)
    if "name" in words or "id" in words:
        return None  # `race_name`, `religion_id` name things about the data, not the person
    return next((_SENSITIVE[w] for w in words if w in _SENSITIVE), None)


class SchemaCheck(Check):
    """Reads the schema classes and the enum classes of a file as the visit meets them."""

    casefold_tokens = True

    @classmethod
    def may_match(cls, text: str, folded: str) -> bool:
        """Fields are declared in classes, and each rule needs its own words."""
        return "class " in text and super().may_match(text, folded)

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.schemas: dict[str, str] = {}  # schema class name -> kind
        self.enums: dict[str, list[str]] = {}  # enum class name -> member values and names

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if any(_base_name(b.value) in _ENUM_BASES for b in node.bases):
            self.enums[node.name.value] = _members(node)
            self.enum_class(node, self.enums[node.name.value])
            return
        schema = schema_of(node, self.qualified_name, self.schemas)
        if schema is None:
            return
        self.schemas[schema.name] = schema.kind
        for field in schema.fields:
            self.field(field)

    def enum_class(self, node: cst.ClassDef, members: list[str]) -> None:
        """Called for each enum or choices class."""

    def field(self, field: Field) -> None:
        """Called for each field of each schema class."""

    def options(self, field: Field) -> list[str] | None:
        """The texts of a field's options: literal ``choices``, a choices class of this file
        (``Gender.choices``), or a ``Literal[...]``/enum annotation; ``None`` if unknown."""
        choices = field.keyword("choices")
        if choices is not None:
            labels = choice_labels(choices)
            if labels:
                return labels
            owner = choices.value if isinstance(choices, cst.Attribute) else choices
            if isinstance(owner, cst.Name) and owner.value in self.enums:
                return self.enums[owner.value]
            return None
        annotation = field.annotation
        while isinstance(annotation, cst.BinaryOperation):  # `Literal[...] | None`
            left = annotation.left
            annotation = left if not _is_none(left) else annotation.right
        if isinstance(annotation, cst.Name) and annotation.value in self.enums:
            return self.enums[annotation.value]
        if isinstance(annotation, cst.Subscript) and _base_name(annotation.value) == "Literal":
            values = [
                literal_value(e.slice.value)
                for e in annotation.slice
                if isinstance(e.slice, cst.Index) and isinstance(e.slice.value, cst.SimpleString)
            ]
            return [v for v in values if isinstance(v, str)]
        return None


class RequiredSensitiveDemographic(SchemaCheck):
    codes = ("INC201",)
    tokens = tuple(_SENSITIVE)

    def field(self, field: Field) -> None:
        what = _sensitive(field.name)
        if what is None or not field.required:
            return
        options = self.options(field)
        texts = [o.lower().replace("_", " ") for o in options or ()]
        if any(opt in text for text in texts for opt in _OPT_OUTS):
            return
        self.report(
            field.node,
            f"`{field.owner}.{field.name}` makes everyone state their {what}: people who do "
            "not want to, or whose answer is not listed, cannot go on; make it optional or "
            'offer "prefer not to say"',
        )


class BinaryGenderModel(SchemaCheck):
    codes = ("INC502",)
    tokens = (*_GENDER_WORDS, *_BINARY_FLAGS)

    def enum_class(self, node: cst.ClassDef, members: list[str]) -> None:
        words = split_words(node.name.value)
        if _GENDER_WORDS & set(words) and len(members) == 2:
            self.report(node, self._message(f"`{node.name.value}`", members))

    def field(self, field: Field) -> None:
        if field.name.lower() in _BINARY_FLAGS:
            self.report(
                field.node,
                f"`{field.owner}.{field.name}` stores gender as yes or no, which leaves out "
                "everyone who is neither; store a self-described gender, if you need it at all",
            )
            return
        if not _GENDER_WORDS & set(split_words(field.name)):
            return
        values = choice_values(field.keyword("choices"))
        if values is None and field.keyword("choices") is None:
            values = self.options(field)  # an annotation (Literal[...])
        if values is not None and len(values) == 2 and all(_binary(v) for v in values):
            self.report(field.node, self._message(f"`{field.owner}.{field.name}`", values))

    def _message(self, shown: str, values: list[str]) -> str:
        listed = " and ".join(f'"{v}"' for v in values)
        return (
            f"{shown} offers only {listed}, so people who are neither cannot answer truthfully; "
            'add options such as "non-binary", "self-describe" and "prefer not to say", or '
            "do not ask"
        )


_BINARY_VALUES = frozenset(
    {"m", "f", "w", "male", "female", "man", "woman", "men", "women", "boy", "girl", "0", "1"}
)


def _binary(value: str) -> bool:
    """Whether a stored choice names one of two sexes (``"M"``, ``"female"``, ``"w"``)."""
    return value.strip().lower() in _BINARY_VALUES


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _base_name(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


def _members(node: cst.ClassDef) -> list[str]:
    """An enum's members: their values where literal, else their names."""
    found: list[str] = []
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for statement in body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign) and isinstance(small.targets[0].target, cst.Name):
                name = small.targets[0].target.value
                if name.startswith("_"):
                    continue
                value = small.value
                if isinstance(value, cst.Tuple) and value.elements:
                    value = value.elements[-1].value  # Django: `MALE = "m", _("Male")`
                text = literal_value(value) if isinstance(value, cst.SimpleString) else None
                found.append(text if isinstance(text, str) else name)
    return found
