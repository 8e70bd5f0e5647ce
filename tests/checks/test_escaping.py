"""SEC305 autoescape-disabled: template engines, safe-marking of data, fixes."""

from __future__ import annotations

import textwrap

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.checks.escaping import AutoescapeDisabled
from tests.checks.support import findings_of, fixed_by


def flagged(catalog: Catalog, source: str) -> list[tuple[int, str]]:
    """``(line, message)`` of every SEC305 finding."""
    return [(f.line, f.message) for f in findings_of(catalog, "SEC305", source)]


def fixed(catalog: Catalog, source: str) -> str:
    """``source`` after every SEC305 fix."""
    return fixed_by(catalog, "SEC305", source)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import jinja2 as j\nj.Environment()", "`jinja2.Environment` without `autoescape`"),
        (
            "from jinja2.sandbox import SandboxedEnvironment as S\nS(autoescape=False)",
            "`jinja2.sandbox.SandboxedEnvironment(autoescape=False)`",
        ),
        ("from jinja2 import Template\nTemplate(text)", "`jinja2.Template` without"),
        ("from django.template import Engine\nEngine(autoescape=False)", "Engine(autoescape"),
        ("import aiohttp_jinja2\naiohttp_jinja2.setup(app, autoescape=False)", "setup("),
        ("TEMPLATES = [{'OPTIONS': {'autoescape': False}}]", '`"autoescape": False`'),
        ("app.jinja_env.autoescape = False", "`app.jinja_env.autoescape = False`"),
        ("from mako.template import Template\nTemplate(text)", "`default_filters`"),
        (
            "from mako.lookup import TemplateLookup\nTemplateLookup(default_filters=['str'])",
            "`mako.lookup.TemplateLookup`",
        ),
        ("from django.utils.safestring import mark_safe\nmark_safe(html)", "`mark_safe()`"),
        ("from django.utils import safestring\nsafestring.mark_safe(s=html)", "`mark_safe()`"),
        ("from django.utils.safestring import SafeString\nSafeString(html)", "`SafeString()`"),
        ("import markupsafe\nmarkupsafe.Markup(f'<b>{name}</b>')", "`Markup()`"),
        ("from flask import Markup\nMarkup('<b>' + name + '</b>')", "`Markup()`"),
        ("from markupsafe import Markup\nMarkup('<b>%s</b>' % name)", "`Markup()`"),
        ("from markupsafe import Markup\nMarkup('<b>{}</b>'.format(name))", "`Markup()`"),
        ("from markupsafe import Markup\nMarkup(''.join(parts))", "`Markup()`"),
        ("from markupsafe import Markup\nMarkup(x if ok else '')", "`Markup()`"),
    ],
)
def test_flags_one_finding(catalog: Catalog, source: str, expected: str) -> None:
    found = flagged(catalog, source)
    assert len(found) == 1, found
    assert expected in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "import jinja2\njinja2.Environment(autoescape=True)",
        "import jinja2\njinja2.Environment(autoescape=jinja2.select_autoescape())",
        "import jinja2\njinja2.Environment(autoescape=guess_autoescape)",
        "import jinja2\njinja2.Environment(**options)",
        # Native environments build Python values, not HTML.
        "from jinja2.nativetypes import NativeEnvironment\nNativeEnvironment()",
        # A class of the project with a familiar name.
        "from shop.templates import Environment\nEnvironment()",
        "Environment()",
        "from django.template import Engine\nEngine()",
        "import aiohttp_jinja2\naiohttp_jinja2.setup(app, loader=loader)",
        "TEMPLATES = [{'OPTIONS': {'autoescape': True}}]",
        "env.autoescape = True",
        "from mako.template import Template\nTemplate(text, default_filters=['h'])",
        "from mako.template import Template\nTemplate(text, default_filters=FILTERS)",
        # Fixed markup, and markup built only from escaped or sanitised values.
        "from django.utils.safestring import mark_safe\nmark_safe('<br>')",
        "from django.utils.safestring import mark_safe\nBR = '<br>'\nmark_safe(BR)",
        "from django.utils.safestring import mark_safe\nmark_safe(f'<br>{\"x\"}')",
        (
            "from django.utils.html import escape\nfrom django.utils.safestring import mark_safe\n"
            "mark_safe('<b>%s</b>' % escape(name))"
        ),
        (
            "from django.utils.html import format_html\n"
            "from django.utils.safestring import mark_safe\n"
            "mark_safe(format_html('<b>{}</b>', name) + '<br>')"
        ),
        (
            "from django.template.loader import render_to_string\n"
            "from django.utils.safestring import mark_safe\n"
            "mark_safe(render_to_string('row.html', context))"
        ),
        "import nh3\nfrom markupsafe import Markup\nMarkup(nh3.clean(html))",
        "from markupsafe import Markup\nMarkup('<b>{}</b>').format(name)",
        "from markupsafe import Markup\nMarkup.escape(name)",
        "from markupsafe import Markup\nMarkup()",
        # `mark_safe` of the project, or a string method called `mark_safe`.
        "def mark_safe(x): return x\nmark_safe(html)",
        "widget.mark_safe(html)",
    ],
)
def test_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source) == []


def test_constants_must_be_module_level_literals(catalog: Catalog) -> None:
    source = """
        from django.utils.safestring import mark_safe
        HEADER = load_header()
        def f():
            return mark_safe(HEADER)
    """
    assert [line for line, _ in flagged(catalog, source)] == [5]


MARK_SAFE = (
    "from django.utils.html import format_html\nfrom django.utils.safestring import mark_safe\n"
)


@pytest.mark.parametrize(
    "body",
    [
        'text = "Chronicle API"\nreturn mark_safe(f"<p>{text}</p>")',
        'rows: str = format_html("<td>{}</td>", v)\nreturn mark_safe(f"<tr>{rows}</tr>")',
        'html = ""\nfor item in items:\n    html += format_html("<li>{}</li>", item)\n'
        "return mark_safe(html)",
    ],
)
def test_local_names_holding_fixed_text_are_fixed(catalog: Catalog, body: str) -> None:
    source = MARK_SAFE + "def render(items, v):\n" + textwrap.indent(body, "    ")
    assert flagged(catalog, source) == []


@pytest.mark.parametrize(
    "body",
    [
        'text = request.GET["q"]\nreturn mark_safe(f"<p>{text}</p>")',
        'text = "x"\ntext = user.name\nreturn mark_safe(text)',
        'text = "x"\nfor text in items:\n    mark_safe(text)',
        'html = ""\nhtml += user.bio\nreturn mark_safe(html)',
        'html, title = "", user.name\nreturn mark_safe(html)',
        "with open(path) as html:\n    return mark_safe(html)",
        'parts = []\nparts.append(user.bio)\nreturn mark_safe("".join(parts))',
    ],
)
def test_local_names_holding_data_are_not(catalog: Catalog, body: str) -> None:
    source = MARK_SAFE + "def render(request, user, items, path):\n" + textwrap.indent(body, "    ")
    assert len(flagged(catalog, source)) == 1


def test_a_local_name_hides_the_constant(catalog: Catalog) -> None:
    source = MARK_SAFE + 'BR = "<br>"\ndef f(user):\n    BR = user.bio\n    return mark_safe(BR)'
    assert len(flagged(catalog, source)) == 1


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import jinja2\njinja2.Environment()", "jinja2.Environment(autoescape=True)"),
        (
            "import jinja2\njinja2.Environment(loader=l, autoescape=False)",
            "jinja2.Environment(loader=l, autoescape=True)",
        ),
        (
            "import jinja2\nenv = jinja2.Environment(\n    loader=l,\n    trim_blocks=True,\n)",
            "jinja2.Environment(\n    loader=l,\n    trim_blocks=True,\n    autoescape=True,\n)",
        ),
        ("OPTIONS = {'autoescape': False}", "OPTIONS = {'autoescape': True}"),
        ("env.autoescape = False", "env.autoescape = True"),
    ],
)
def test_fix_turns_escaping_on(catalog: Catalog, source: str, expected: str) -> None:
    assert expected in fixed(catalog, source)


def test_no_fix_for_markup(catalog: Catalog) -> None:
    source = "from markupsafe import Markup\nMarkup(html)\n"
    assert fixed(catalog, source) == source


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from jinja2 import Environment\n", True),
        ("from django.utils.safestring import mark_safe\n", True),
        ("OPTIONS = {'autoescape': False}\n", True),
        ("from markupsafe import Markup\n", True),
        ("import django\n", False),
        ("yaml.load(text, Loader=yaml.SafeLoader)  # thread-safe\n", False),
    ],
)
def test_prefilter(text: str, expected: bool) -> None:
    assert AutoescapeDisabled.may_match(text, text.casefold()) is expected
