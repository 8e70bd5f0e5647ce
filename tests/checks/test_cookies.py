"""SEC304 insecure-cookie: settings, set_cookie flags by cookie name, positions, fixes."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.checks.cookies import InsecureCookie
from tests.checks.support import findings_of, fixed_by


def flagged(catalog: Catalog, source: str, path: str = "example.py") -> list[tuple[int, str]]:
    """``(line, message)`` of every SEC304 finding."""
    return [(f.line, f.message) for f in findings_of(catalog, "SEC304", source, path)]


def fixed(catalog: Catalog, source: str) -> str:
    """``source`` after every SEC304 fix."""
    return fixed_by(catalog, "SEC304", source)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("SESSION_COOKIE_SECURE = False", "`SESSION_COOKIE_SECURE = False` leaves the `Secure`"),
        ("SESSION_COOKIE_HTTPONLY: bool = False", "`HttpOnly`"),
        ("app.config['REMEMBER_COOKIE_SECURE'] = False", "`Secure`"),
        ("app.config.update({'CSRF_COOKIE_SECURE': False})", "`Secure`"),
        ("CSRF_COOKIE_SAMESITE = 'None'", "`SameSite=None`"),
        ("class Config:\n    SESSION_COOKIE_SECURE = False", "`Secure`"),
        ("resp.set_cookie('sessionid', sid)", "without `secure=True` and without `httponly=True`"),
        ("resp.set_cookie(key='jwt', value=t, secure=True)", "without `httponly=True`"),
        ("resp.set_cookie('connect.sid', v, httponly=True)", "without `secure=True`"),
        ("resp.set_cookie('XSRF-TOKEN', v)", '"XSRF-TOKEN" without `secure=True`:'),
        ("resp.set_cookie('remember_me', v, secure=True, httponly=None)", "`httponly=None`"),
        ("resp.set_signed_cookie('login', v, secure=True, httponly=True, samesite='none')", "None"),
        ("self.set_secure_cookie('user_session', v)", "`self.set_secure_cookie`"),
        ("resp.set_cookie(AUTH_COOKIE, v)", '"AUTH_COOKIE"'),
        # Positional flags: key, value, max_age, expires, path, domain, secure, httponly.
        ("resp.set_cookie('sessionid', v, 60, None, '/', None, False, True)", "`secure=False`"),
        # A name the rule cannot read: only explicit insecure values count.
        ("resp.set_cookie(name_for(user), v, secure=False)", "sets a cookie with `secure=False`"),
    ],
)
def test_flags_one_finding(catalog: Catalog, source: str, expected: str) -> None:
    found = flagged(catalog, source)
    assert len(found) == 1, found
    assert expected in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "SESSION_COOKIE_SECURE = True",
        "SESSION_COOKIE_SECURE = env.bool('HTTPS', default=True)",
        "CSRF_COOKIE_HTTPONLY = False",
        "SESSION_COOKIE_SAMESITE = 'Lax'",
        "SESSION_COOKIE_SAMESITE = None",
        "LANGUAGE_COOKIE_SECURE = False",
        "class DevelopmentConfig:\n    SESSION_COOKIE_SECURE = False",
        "def f():\n    SESSION_COOKIE_SECURE = False",
        "resp.set_cookie('sessionid', v, secure=True, httponly=True)",
        "resp.set_cookie('sessionid', v, secure=https, httponly=True)",
        "resp.set_cookie('sessionid', v, **COOKIE_OPTIONS)",
        "resp.set_cookie('csrftoken', v, secure=True)",
        "resp.set_cookie('theme', 'dark')",
        "resp.set_cookie('theme', 'dark', httponly=False)",
        "resp.set_cookie('theme', 'dark', samesite='None', secure=True)",
        "resp.set_cookie(name_for(user), v)",
        "client.set_cookie('sessionid', 'abc')",
        "self.client.set_cookie('sessionid', 'abc')",
        "jar.set('sessionid', 'abc')",
    ],
)
def test_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source) == []


def test_settings_under_a_condition_are_decided_at_run_time(catalog: Catalog) -> None:
    source = """
        if not DEBUG:
            SESSION_COOKIE_SECURE = True
        else:
            SESSION_COOKIE_SECURE = False
            CSRF_COOKIE_SECURE = False
    """
    assert flagged(catalog, source) == []


@pytest.mark.parametrize("path", ["shop/settings/dev.py", "local_settings.py", "tests/app.py"])
def test_settings_in_development_files_are_silent(catalog: Catalog, path: str) -> None:
    assert flagged(catalog, "SESSION_COOKIE_SECURE = False\n", path) == []


def test_set_cookie_is_judged_in_any_file(catalog: Catalog) -> None:
    assert len(flagged(catalog, "resp.set_cookie('sessionid', v)\n", "tests/app.py")) == 1


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("SESSION_COOKIE_SECURE = False", "SESSION_COOKIE_SECURE = True"),
        ("CSRF_COOKIE_SAMESITE = 'None'", 'CSRF_COOKIE_SAMESITE = "Lax"'),
        (
            "app.config.update(SESSION_COOKIE_HTTPONLY=False)",
            "update(SESSION_COOKIE_HTTPONLY=True)",
        ),
        (
            "resp.set_cookie('sessionid', v)",
            "resp.set_cookie('sessionid', v, secure=True, httponly=True)",
        ),
        (
            "resp.set_cookie('sessionid', v, 60, None, '/', None, False, True)",
            "resp.set_cookie('sessionid', v, 60, None, '/', None, True, True)",
        ),
        (
            "resp.set_cookie(\n    'sessionid',\n    v,\n    samesite='None',\n)",
            "resp.set_cookie(\n    'sessionid',\n    v,\n    samesite=\"Lax\",\n"
            "    secure=True,\n    httponly=True,\n)",
        ),
    ],
)
def test_fix_sets_the_flags(catalog: Catalog, source: str, expected: str) -> None:
    assert expected in fixed(catalog, source)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SESSION_COOKIE_SECURE = False\n", True),
        ("response.set_cookie('a', 'b')\n", True),
        ("DEBUG = False\n", False),
    ],
)
def test_prefilter(text: str, expected: bool) -> None:
    assert InsecureCookie.may_match(text, text.casefold()) is expected
