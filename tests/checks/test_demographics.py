"""INC201, INC202 and INC502 on schemas of Django, pydantic, dataclasses and forms."""

from __future__ import annotations

import textwrap

from integrity_lint.catalog import Catalog
from integrity_lint.engine import lint_source
from tests.conftest import make_settings

HEAD = (
    "import enum\nfrom dataclasses import dataclass\nfrom typing import Literal, Optional\n"
    "from django.db import models\nfrom django import forms\nfrom pydantic import BaseModel\n"
)


def flagged(catalog: Catalog, code: str, body: str) -> list[int]:
    settings = make_settings(catalog, select=(code,))
    result = lint_source(HEAD + textwrap.dedent(body), "app/models.py", settings)
    return [f.line - HEAD.count("\n") for f in result.findings if f.code == code]


def test_inc201_required_without_an_opt_out(catalog):
    body = """\
        class P(models.Model):
            religion = models.CharField(max_length=50)
            race = models.CharField(max_length=5, choices=[("a", "A"), ("u", "Unspecified")])
            birthday = models.DateField(blank=True)
        class F(forms.Form):
            sexual_orientation = forms.CharField()
            disability = forms.CharField(required=False)
        @dataclass
        class S:
            gender: str
            dob: Optional[str] = None
        class Race(models.Model):
            race_name = models.CharField(max_length=80)
    """
    assert flagged(catalog, "INC201", body) == [2, 6, 10]


def test_inc502_binary_gender(catalog):
    body = """\
        class Sex(models.TextChoices):
            MALE = "m", "Male"
            FEMALE = "f", "Female"
        class P(models.Model):
            sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
            gender = models.CharField(max_length=1, choices=[("m", "M"), ("f", "F"), ("x", "X")])
            is_female = models.BooleanField(default=False)
        class Q(BaseModel):
            gender: Optional[Literal["m", "f"]] = None
        class Colour(enum.Enum):
            BLACK = 1
            WHITE = 2
    """
    assert flagged(catalog, "INC502", body) == [1, 7]


def test_inc202_names(catalog):
    body = """\
        class P(models.Model):
            first_name = models.CharField(max_length=100)
            last_name = models.CharField(max_length=100)
            display_name = models.CharField(max_length=12)
        class Q(BaseModel):
            full_name: str = Field(pattern=r"^[a-zA-Z ]+$")
            nickname: str = Field(pattern=r"^[a-zA-Z]+$")
        class R(models.Model):
            first_name = models.CharField(max_length=100)
            last_name = models.CharField(max_length=100, blank=True)
            product_name = models.CharField(max_length=10)
    """
    assert flagged(catalog, "INC202", body) == [3, 4, 6]
