"""SEC303 csrf-disabled: csrf_exempt forms, middleware lists, Flask-WTF, test settings."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.checks.csrf import CsrfDisabled
from tests.checks.support import findings_of

SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"
CSRF = "django.middleware.csrf.CsrfViewMiddleware"


def flagged(catalog: Catalog, source: str, path: str = "example.py") -> list[tuple[int, str]]:
    """``(line, message)`` of every SEC303 finding."""
    return [(f.line, f.message) for f in findings_of(catalog, "SEC303", source, path)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "from django.views.decorators.csrf import csrf_exempt as no\n@no\ndef v(r): ...",
            "`csrf_exempt` turns off",
        ),
        (
            "from django.views.decorators import csrf\n@csrf.csrf_exempt\ndef v(r): ...",
            "`csrf_exempt` turns off",
        ),
        (
            "from django.views.decorators.csrf import csrf_exempt\n"
            "urlpatterns = [path('hook/', csrf_exempt(views.hook))]",
            "`csrf_exempt` turns off",
        ),
        (
            "from django.utils.decorators import method_decorator as md\n"
            "from django.views.decorators.csrf import csrf_exempt\n"
            "@md(csrf_exempt, name='dispatch')\nclass V: ...",
            "`csrf_exempt` turns off",
        ),
        (
            "from flask_wtf import CSRFProtect\nguard = CSRFProtect()\n@guard.exempt\ndef v(): ...",
            "`guard.exempt`",
        ),
        ("from shop.ext import csrf\ncsrf.exempt(api_blueprint)", "`csrf.exempt`"),
        ("WTF_CSRF_ENABLED = False", "`WTF_CSRF_ENABLED = False`"),
        ("app.config.update(WTF_CSRF_CHECK_DEFAULT=False)", "stops `CSRFProtect`"),
        ("class Config:\n    WTF_CSRF_ENABLED = False", "every form"),
        ("form = ProfileForm(meta={'csrf': False})", '`meta={"csrf": False}`'),
        (
            "class F(FlaskForm):\n    class Meta:\n        csrf = False",
            "`csrf = False` in a form's `Meta`",
        ),
        (f"MIDDLEWARE = ['{SESSIONS}']", "no `CsrfViewMiddleware`"),
        (f"MIDDLEWARE = ('{SESSIONS}',)", "no `CsrfViewMiddleware`"),
        (f"MIDDLEWARE.remove('{CSRF}')", "removing `CsrfViewMiddleware`"),
        (f"settings.MIDDLEWARE.remove('{CSRF}')", "removing `CsrfViewMiddleware`"),
    ],
)
def test_flags_one_finding(catalog: Catalog, source: str, expected: str) -> None:
    found = flagged(catalog, source)
    assert len(found) == 1, found
    assert expected in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "from django.views.decorators.csrf import csrf_protect\n@csrf_protect\ndef v(r): ...",
        "@csrf_exempt\ndef v(r): ...",
        "from shop.auth import csrf_exempt\n@csrf_exempt\ndef v(r): ...",
        "from django.utils.decorators import method_decorator\n"
        "from django.contrib.auth.decorators import login_required\n"
        "@method_decorator(login_required, name='dispatch')\nclass V: ...",
        "limiter.exempt(api_blueprint)",
        "WTF_CSRF_ENABLED = True",
        "WTF_CSRF_ENABLED = os.environ.get('CSRF') != '0'",
        "class TestConfig:\n    WTF_CSRF_ENABLED = False",
        "app.config['WTF_CSRF_TIME_LIMIT'] = None",
        "class Meta:\n    csrf = True",
        "class Other:\n    csrf = False",
        "form = ProfileForm(meta={'locales': ['de']})",
        f"MIDDLEWARE = ['{SESSIONS}', '{CSRF}']",
        "MIDDLEWARE = ['django.middleware.common.CommonMiddleware']",
        f"MIDDLEWARE = BASE + ['{SESSIONS}']",
        f"MIDDLEWARE = [*BASE, '{SESSIONS}']",
        f"def f():\n    MIDDLEWARE = ['{SESSIONS}']",
        "MIDDLEWARE.remove('shop.middleware.Timing')",
    ],
)
def test_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source) == []


def test_settings_under_a_condition_are_decided_at_run_time(catalog: Catalog) -> None:
    source = """
        class Config:
            if TESTING:
                WTF_CSRF_ENABLED = False
    """
    assert flagged(catalog, source) == []


@pytest.mark.parametrize("path", ["tests/settings.py", "shop/settings/dev.py", "conftest.py"])
def test_settings_in_development_files_are_silent(catalog: Catalog, path: str) -> None:
    source = f"""
        WTF_CSRF_ENABLED = False
        MIDDLEWARE = ["{SESSIONS}"]
        MIDDLEWARE.remove("{CSRF}")
    """
    assert flagged(catalog, source, path) == []


def test_exempt_views_are_flagged_in_any_file(catalog: Catalog) -> None:
    source = """
        from django.views.decorators.csrf import csrf_exempt

        @csrf_exempt
        def view(request): ...
    """
    assert [line for line, _ in flagged(catalog, source, "tests/views.py")] == [4]


def test_message_says_what_to_do(catalog: Catalog) -> None:
    [(_, message)] = flagged(catalog, f"MIDDLEWARE = ['{SESSIONS}']")
    assert CSRF in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from django.views.decorators.csrf import csrf_exempt\n", True),
        ("WTF_CSRF_ENABLED = False\n", True),
        ("MIDDLEWARE = []\n", True),
        ("from django.views import View\n", False),
    ],
)
def test_prefilter(text: str, expected: bool) -> None:
    assert CsrfDisabled.may_match(text, text.casefold()) is expected
