"""Fields that a project stores or collects, read from its class definitions.

A class is a *schema* when a base resolves (through the imports) to a Django model or form,
a SQLAlchemy declarative base, a pydantic model, a WTForms form, or when it is a dataclass or
subclasses a schema class of the same file. Its fields are the class-level assignments and
annotations: ``email = models.EmailField(...)``, ``email = Column(String)``,
``email: Mapped[str] = mapped_column()``, ``email: EmailStr``, ``email = StringField(...)``.
Each field keeps what the rules need: its constructor's qualified name and arguments, its
annotation, and whether a value is required.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import libcst as cst

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.analysis.literals import literal_value, text_value

# Qualified bases (or their prefixes) and the kind of schema they make.
_BASES: tuple[tuple[str, str], ...] = (
    ("django.db.models.Model", "django-model"),
    ("django.db.models.base.Model", "django-model"),
    ("django.contrib.auth.models.AbstractUser", "django-model"),
    ("django.contrib.auth.models.AbstractBaseUser", "django-model"),
    ("django.forms.Form", "django-form"),
    ("django.forms.ModelForm", "django-form"),
    ("django.forms.forms.Form", "django-form"),
    ("django.forms.models.ModelForm", "django-form"),
    ("pydantic.BaseModel", "pydantic"),
    ("pydantic.main.BaseModel", "pydantic"),
    ("sqlmodel.SQLModel", "pydantic"),
    ("wtforms.Form", "wtforms"),
    ("flask_wtf.FlaskForm", "wtforms"),
    ("flask_wtf.form.FlaskForm", "wtforms"),
    ("sqlalchemy.orm.DeclarativeBase", "sqlalchemy"),
)
_DATACLASSES = frozenset({"dataclasses.dataclass", "pydantic.dataclasses.dataclass"})
_SQLALCHEMY_COLUMNS = frozenset(
    {"sqlalchemy.Column", "sqlalchemy.schema.Column", "sqlalchemy.orm.mapped_column"}
)


@dataclass(frozen=True)
class Field:
    """One field of a schema class."""

    owner: str  # the class name
    name: str
    node: cst.CSTNode  # the statement that declares it, for positions
    target: cst.Name
    constructor: str | None  # qualified name of the call that builds it
    call: cst.Call | None
    annotation: cst.BaseExpression | None
    kind: str  # django-model, django-form, pydantic, dataclass, sqlalchemy, wtforms

    def keyword(self, name: str) -> cst.BaseExpression | None:
        if self.call is None:
            return None
        for arg in self.call.args:
            if arg.keyword is not None and arg.keyword.value == name:
                return arg.value
        return None

    @property
    def required(self) -> bool:
        """Whether a person must give a value (as far as the declaration says)."""
        if self.kind == "django-model":
            return not _is_true(self.keyword("blank"))
        if self.kind == "django-form":
            return not _is_false(self.keyword("required"))
        if self.kind == "sqlalchemy":
            return _is_false(self.keyword("nullable"))
        if self.kind == "wtforms":
            validators = self.keyword("validators")
            text = cst.Module(body=[]).code_for_node(validators) if validators else ""
            return "DataRequired" in text or "InputRequired" in text
        # pydantic and dataclasses: required when there is no default and None is not allowed
        if self.annotation is None or _optional(self.annotation):
            return False
        if self.call is not None and (self.constructor or "").endswith("Field"):
            first = self.call.args[0].value if self.call.args else None
            defaulted = self.keyword("default") is not None or self.keyword("default_factory")
            return not defaulted and (first is None or isinstance(first, cst.Ellipsis))
        return not self.has_default

    @property
    def has_default(self) -> bool:
        return isinstance(self.node, (cst.Assign, cst.AnnAssign)) and (
            getattr(self.node, "value", None) is not None
        )


@dataclass(frozen=True)
class Schema:
    name: str
    kind: str
    fields: tuple[Field, ...]


def schema_of(
    node: cst.ClassDef,
    qualify: Callable[[cst.BaseExpression], str | None],
    local_schemas: dict[str, str],
) -> Schema | None:
    """The schema a class defines, or ``None`` if it is not one. ``local_schemas`` maps the
    schema classes seen so far in the file to their kinds (a base may be one of them)."""
    kind = None
    for base in node.bases:
        name = qualify(base.value)
        kind = next((k for prefix, k in _BASES if name == prefix), None)
        if kind is None and isinstance(base.value, cst.Name):
            kind = local_schemas.get(base.value.value)
        if kind is None and name is not None and name.endswith(".Base") and "models" in name:
            kind = "sqlalchemy"  # `from app.models import Base` (a declarative base)
        if kind is None and isinstance(base.value, cst.Name) and base.value.value == "Base":
            kind = "sqlalchemy"
        if kind is not None:
            break
    if kind is None and any(
        qualify(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator)
        in _DATACLASSES
        for d in node.decorators
    ):
        kind = "dataclass"
    if kind is None and node.bases:
        kind = _kind_by_fields(node, qualify)  # a base from another module (`LoggedModel`)
    if kind is None:
        return None
    return Schema(node.name.value, kind, tuple(_fields(node, kind, qualify)))


# Field constructors by module prefix: a class built from them is a schema whatever its bases.
_FIELD_MODULES = (
    ("django.db.models.", "django-model"),
    ("django.forms.", "django-form"),
    ("wtforms.", "wtforms"),
)


def _kind_by_fields(
    node: cst.ClassDef, qualify: Callable[[cst.BaseExpression], str | None]
) -> str | None:
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for statement in body:
        if type(statement) is not cst.SimpleStatementLine:
            continue
        for small in statement.body:
            value = getattr(small, "value", None)
            if not isinstance(value, cst.Call):
                continue
            name = qualify(value.func) or ""
            if name in _SQLALCHEMY_COLUMNS:
                return "sqlalchemy"
            for prefix, kind in _FIELD_MODULES:
                if name.startswith(prefix) and name.endswith("Field"):
                    return kind
    return None


def _fields(
    node: cst.ClassDef, kind: str, qualify: Callable[[cst.BaseExpression], str | None]
) -> Iterator[Field]:
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for statement in body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target, value, annotation = small.targets[0].target, small.value, None
            elif isinstance(small, cst.AnnAssign):
                target, value, annotation = small.target, small.value, small.annotation.annotation
            else:
                continue
            if not isinstance(target, cst.Name) or target.value.startswith("_"):
                continue
            call = value if isinstance(value, cst.Call) else None
            constructor = qualify(call.func) if call is not None else None
            if call is not None and constructor is None:
                constructor = dotted_name(call.func)
            if kind in ("django-model", "django-form", "wtforms", "sqlalchemy") and call is None:
                continue  # a class constant, not a field
            if (
                kind == "sqlalchemy"
                and constructor not in _SQLALCHEMY_COLUMNS
                and not (annotation is not None and "Mapped" in _code(annotation))
            ):
                continue
            if target.value in ("Meta", "objects", "model_config", "class_config"):
                continue
            yield Field(
                owner=node.name.value,
                name=target.value,
                node=small,
                target=target,
                constructor=constructor,
                call=call,
                annotation=annotation,
                kind=kind,
            )


def choice_values(node: cst.BaseExpression | None) -> list[str] | None:
    """The stored values of a literal ``choices`` list: ``[("m", "Male"), ...]`` or
    ``["m", "f"]``; ``None`` when they are not written out."""
    if not isinstance(node, (cst.List, cst.Tuple)):
        return None
    values: list[str] = []
    for element in node.elements:
        item = element.value
        if isinstance(item, (cst.Tuple, cst.List)) and item.elements:
            item = item.elements[0].value
        text = _text(item)
        if text is None:
            return None
        values.append(text)
    return values


def choice_labels(node: cst.BaseExpression | None) -> list[str]:
    """Every string of a literal ``choices`` list, values and labels."""
    found: list[str] = []
    if isinstance(node, (cst.List, cst.Tuple)):
        for element in node.elements:
            item = element.value
            parts = item.elements if isinstance(item, (cst.Tuple, cst.List)) else [element]
            for part in parts:
                text = _text(part.value)
                if text is not None:
                    found.append(text)
    return found


def _text(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Call) and node.args:  # `_("Male")`, `gettext_lazy("Male")`
        node = node.args[0].value
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return text_value(node)
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Integer):
        value = literal_value(node)
        return str(value) if value is not None else None
    return None


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _is_true(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


def _is_false(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "False"


def _optional(annotation: cst.BaseExpression) -> bool:
    """``Optional[str]``, ``str | None``, ``Union[str, None]``."""
    text = _code(annotation).replace(" ", "")
    return "Optional[" in text or "|None" in text or "None|" in text or ",None]" in text
