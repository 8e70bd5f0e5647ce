"""Schema classes and their fields, read through the imports."""

from __future__ import annotations

import libcst as cst
import pytest

from integrity_lint.analysis.imports import ImportTracker
from integrity_lint.analysis.models import Schema, choice_values, schema_of


def schemas(source: str) -> dict[str, Schema]:
    module = cst.parse_module(source)
    imports = ImportTracker()
    imports.prescan(module)
    found: dict[str, Schema] = {}
    kinds: dict[str, str] = {}
    for statement in module.body:
        if isinstance(statement, cst.ClassDef):
            schema = schema_of(statement, imports.qualify, kinds)
            if schema is not None:
                found[schema.name] = schema
                kinds[schema.name] = schema.kind
    return found


def test_kinds_of_schema_and_their_fields():
    found = schemas(
        "from django.db import models\nfrom django import forms\nfrom pydantic import BaseModel\n"
        "from dataclasses import dataclass\nfrom sqlalchemy import Column, String\n"
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n"
        "class A(models.Model):\n    email = models.EmailField()\n    MAX = 3\n"
        "class B(A):\n    phone = models.CharField(max_length=20, blank=True)\n"
        "class C(forms.Form):\n    name = forms.CharField(required=False)\n"
        "class D(BaseModel):\n    x: int\n    y: str | None = None\n"
        "@dataclass\nclass E:\n    z: str = 'a'\n"
        "class Base(DeclarativeBase):\n    pass\n"
        "class F(Base):\n    email = Column(String, nullable=False)\n"
        "    nick: Mapped[str] = mapped_column()\n    other = 3\n"
        "class G:\n    name = models.CharField()\n"
    )
    assert {n: s.kind for n, s in found.items()} == {
        "A": "django-model",
        "B": "django-model",
        "C": "django-form",
        "D": "pydantic",
        "E": "dataclass",
        "Base": "sqlalchemy",
        "F": "sqlalchemy",
    }
    required = {(s.name, f.name): f.required for s in found.values() for f in s.fields}
    assert required == {
        ("A", "email"): True,
        ("B", "phone"): False,
        ("C", "name"): False,
        ("D", "x"): True,
        ("D", "y"): False,
        ("E", "z"): False,
        ("F", "email"): True,
        ("F", "nick"): False,
    }


@pytest.mark.parametrize(
    ("source", "values"),
    [
        ('[("m", "Male"), ("f", _("Female"))]', ["m", "f"]),
        ('("a", "b", "c")', ["a", "b", "c"]),
        ("CHOICES", None),
        ('[("m", label)]', ["m"]),
    ],
)
def test_choice_values(source, values):
    assert choice_values(cst.parse_expression(source)) == values


def test_a_class_built_from_field_constructors_is_a_schema_whatever_its_base():
    found = schemas(
        "from django.db import models\nfrom app.base import LoggedModel\n"
        "class Order(LoggedModel):\n    email = models.EmailField()\n"
        "class Helper(LoggedModel):\n    label = 'x'\n"
    )
    assert {n: s.kind for n, s in found.items()} == {"Order": "django-model"}
