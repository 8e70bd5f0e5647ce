"""SEC203 permissive-cors: django-cors-headers, flask-cors, Starlette, aiohttp-cors, headers."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.checks.cors import PermissiveCors
from tests.checks.support import findings_of


def flagged(catalog: Catalog, source: str, path: str = "example.py") -> list[tuple[int, str]]:
    """``(line, message)`` of every SEC203 finding."""
    return [(f.line, f.message) for f in findings_of(catalog, "SEC203", source, path)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("CORS_ALLOW_ALL_ORIGINS = True", "`CORS_ALLOW_ALL_ORIGINS = True`"),
        ("CORS_ORIGIN_ALLOW_ALL = True", "`CORS_ORIGIN_ALLOW_ALL = True`"),
        ("CORS_ALLOWED_ORIGIN_REGEXES = [r'^https://.*$']", "CORS_ALLOWED_ORIGIN_REGEXES"),
        ("CORS_ORIGIN_REGEX_WHITELIST = ('.*',)", "CORS_ORIGIN_REGEX_WHITELIST"),
        ("class ProductionConfig:\n    CORS_ALLOW_ALL_ORIGINS = True", "every web site"),
        ("from flask_cors import CORS\nCORS(app)", "the default origins `*`"),
        ("import flask_cors\nflask_cors.CORS(app, origins='*')", "`origins` allowing `*`"),
        ("from flask_cors import cross_origin as co\n@co()\ndef v(): ...", "`cross_origin`"),
        ("from flask_cors import CORS\nCORS(app, resources={r'/api/*': {'origins': '*'}})", "`*`"),
        ("from flask_cors import CORS\nCORS(app, resources={r'/api/*': {}})", "`*`"),
        (
            "from starlette.middleware.cors import CORSMiddleware as C\n"
            "app.add_middleware(C, allow_origins=('*',))",
            "`CORSMiddleware` allowing every origin",
        ),
        (
            "from starlette.middleware import Middleware\n"
            "from fastapi.middleware.cors import CORSMiddleware\n"
            "m = [Middleware(CORSMiddleware, allow_origin_regex='https?://.*')]",
            "`CORSMiddleware`",
        ),
        (
            "import aiohttp_cors\n"
            "aiohttp_cors.setup(app, defaults={'*': aiohttp_cors.ResourceOptions()})",
            "aiohttp-cors",
        ),
        ("response['Access-Control-Allow-Origin'] = '*'", "set to `*`"),
        ("resp.headers['access-control-allow-origin'] = request.headers['Origin']", "own `Origin`"),
        (
            "r['Access-Control-Allow-Origin'] = request.META.get('HTTP_ORIGIN')",
            "own `Origin`",
        ),
        ("headers = {'Access-Control-Allow-Origin': '*'}", "set to `*`"),
        ("response.headers.add('Access-Control-Allow-Origin', '*')", "set to `*`"),
        (
            "self.set_header('Access-Control-Allow-Origin', self.request.headers['Origin'])",
            "`Origin`",
        ),
        (
            "from flask_socketio import SocketIO\nio = SocketIO(app, cors_allowed_origins='*')",
            "open a socket",
        ),
        ("import socketio\nsocketio.AsyncServer(cors_allowed_origins=['*'])", "open a socket"),
    ],
)
def test_flags_one_finding(catalog: Catalog, source: str, expected: str) -> None:
    found = flagged(catalog, source)
    assert len(found) == 1, found
    assert expected in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "CORS_ALLOW_ALL_ORIGINS = False",
        "CORS_ALLOW_ALL_ORIGINS = env.bool('CORS_ALLOW_ALL')",
        "CORS_ALLOWED_ORIGINS = ['https://shop.example.org']",
        r"CORS_ALLOWED_ORIGIN_REGEXES = [r'^https://\w+\.example\.org$']",
        "CORS_ALLOWED_ORIGIN_REGEXES = ['[unclosed']",
        "class TestingConfig:\n    CORS_ALLOW_ALL_ORIGINS = True",
        "from flask_cors import CORS\nCORS(app, origins=['https://a.example'])",
        "from flask_cors import CORS\nCORS(app, origins=ALLOWED)",
        "from flask_cors import CORS\nCORS(app, **CORS_OPTIONS)",
        "from flask_cors import CORS\napp.config['CORS_ORIGINS'] = ALLOWED\nCORS(app)",
        "from flask_cors import CORS\nCORS(app, resources={r'/api/*': {'origins': ALLOWED}})",
        "from flask_cors import CORS\nCORS(app, resources=RESOURCES)",
        "from shop.cors import CORS\nCORS(app)",
        "CORS(app)",
        (
            "from starlette.middleware.cors import CORSMiddleware\n"
            "app.add_middleware(CORSMiddleware, allow_origins=['https://a.example'])"
        ),
        (
            "from starlette.middleware.cors import CORSMiddleware\n"
            r"app.add_middleware(CORSMiddleware, allow_origin_regex=r'https://.*\.example\.org')"
        ),
        "from starlette.middleware.cors import CORSMiddleware\napp.add_middleware(CORSMiddleware)",
        "app.add_middleware(CORSMiddleware, allow_origins=['*'])",
        "import aiohttp_cors\naiohttp_cors.setup(app, defaults={'https://a.example': opts})",
        "defaults = {'*': 1}",
        "response['Access-Control-Allow-Origin'] = 'https://shop.example.org'",
        "response['Access-Control-Allow-Origin'] = origin",
        "response['Access-Control-Allow-Methods'] = '*'",
        "response.headers.add('Access-Control-Allow-Origin', 'https://shop.example.org')",
        "response.headers.add('Access-Control-Allow-Headers', '*')",
        "response.headers.add(name, '*')",
        "from flask_socketio import SocketIO\nSocketIO(app)",
        "from flask_socketio import SocketIO\nSocketIO(app, cors_allowed_origins=ORIGINS)",
    ],
)
def test_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source) == []


def test_credentials_later_in_the_settings_are_named(catalog: Catalog) -> None:
    source = """
        CORS_ALLOW_ALL_ORIGINS = True
        CORS_ALLOW_CREDENTIALS = True
    """
    [(line, message)] = flagged(catalog, source)
    assert line == 2
    assert "cookies" in message


@pytest.mark.parametrize(
    ("source", "credentials"),
    [
        ("from flask_cors import CORS\nCORS(app, supports_credentials=True)", True),
        ("from flask_cors import CORS\nCORS(app)", False),
        (
            "from flask_cors import CORS\n"
            "CORS(app, resources={'/a': {'origins': '*', 'supports_credentials': True}})",
            True,
        ),
        (
            "from fastapi.middleware.cors import CORSMiddleware\n"
            "CORSMiddleware(app, allow_origins=['*'], allow_credentials=True)",
            True,
        ),
        (
            "from fastapi.middleware.cors import CORSMiddleware\n"
            "CORSMiddleware(app, allow_origins=['*'])",
            False,
        ),
    ],
)
def test_message_says_whether_cookies_are_sent(
    catalog: Catalog, source: str, credentials: bool
) -> None:
    [(_, message)] = flagged(catalog, source)
    assert ("cookies" in message) is credentials
    assert ("public, anonymous data" in message) is not credentials


def test_settings_under_a_condition_are_decided_at_run_time(catalog: Catalog) -> None:
    assert flagged(catalog, "if DEBUG:\n    CORS_ALLOW_ALL_ORIGINS = True\n") == []


def test_settings_in_development_files_are_silent(catalog: Catalog) -> None:
    assert flagged(catalog, "CORS_ALLOW_ALL_ORIGINS = True\n", "shop/settings/local.py") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CORS_ALLOW_ALL_ORIGINS = True\n", True),
        ("from flask_cors import CORS\n", True),
        ("r['Access-Control-Allow-Origin'] = '*'\n", True),
        ("import flask\n", False),
    ],
)
def test_prefilter(text: str, expected: bool) -> None:
    assert PermissiveCors.may_match(text, text.casefold()) is expected
