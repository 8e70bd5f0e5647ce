"""SEC302 debug-enabled: settings modules, dev/test files, app objects, resolution."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.checks.debug import DebugEnabled
from tests.checks.support import findings_of


def flagged(catalog: Catalog, source: str, path: str = "example.py") -> list[tuple[int, str]]:
    """``(line, message)`` of every SEC302 finding."""
    return [(f.line, f.message) for f in findings_of(catalog, "SEC302", source, path)]


@pytest.mark.parametrize(
    "path",
    [
        "shop/settings.py",
        "shop/settings/production.py",
        "shop/settings/base.py",
        "config/prod_settings.py",
    ],
)
def test_debug_in_settings_modules(catalog: Catalog, path: str) -> None:
    assert [line for line, _ in flagged(catalog, "DEBUG = True\n", path)] == [1]


@pytest.mark.parametrize(
    "path",
    [
        "shop/settings/dev.py",
        "shop/settings/development.py",
        "shop/local_settings.py",
        "shop/settings_local.py",
        "tests/settings.py",
        "shop/test_settings.py",
        "shop/settings/ci.py",
        # Not a settings module at all.
        "shop/constants.py",
    ],
)
def test_debug_in_development_or_ordinary_modules_is_silent(catalog: Catalog, path: str) -> None:
    assert flagged(catalog, "DEBUG = True\n", path) == []


def test_django_markers_make_a_settings_module(catalog: Catalog) -> None:
    source = "DEBUG: bool = True\nMIDDLEWARE = []\n"
    assert [line for line, _ in flagged(catalog, source)] == [1]


def test_debug_under_a_condition_is_decided_at_run_time(catalog: Catalog) -> None:
    source = """
        import os
        if os.environ.get("STAGE") == "dev":
            DEBUG = True
        else:
            DEBUG = False
        if LOCAL:
            app.config["DEBUG"] = True
    """
    assert flagged(catalog, source, "shop/settings.py") == []


def test_debug_inside_a_function_of_a_settings_module_is_silent(catalog: Catalog) -> None:
    source = """
        def configure():
            DEBUG = True
            return DEBUG
    """
    assert flagged(catalog, source, "shop/settings.py") == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from django.conf import settings\nsettings.configure(DEBUG=True)", "configure(DEBUG"),
        ("import flask\napp = flask.Flask(__name__)\napp.run(debug=True)", "`app.run(debug"),
        ("from flask import Flask as F\nsite = F(__name__)\nsite.run(debug=True)", "`site.run"),
        ("import flask\nflask.Flask(__name__).run(debug=True)", "debug mode"),
        ("from shop import create_app\ncreate_app().run(debug=True)", "debug mode"),
        ("from shop import app\napp.run(port=5000, debug=True)", "`app.run(debug"),
        ("self.app.debug = True", "`self.app.debug = True`"),
        ("import dash\nboard = dash.Dash()\nboard.run_server(debug=True)", "`board.run_server"),
        ("from flask_socketio import SocketIO\nio = SocketIO(a)\nio.run(a, debug=True)", "io.run"),
        ("import fastapi\nfastapi.FastAPI(debug=True)", "`fastapi.FastAPI(debug=True)`"),
        (
            "from starlette.applications import Starlette\nStarlette(debug=True, routes=r)",
            "`starlette.applications.Starlette(debug=True)`",
        ),
        ("import tornado.web\ntornado.web.Application(h, debug=True)", "tornado.web.Application"),
        ("from werkzeug import debug\nw = debug.DebuggedApplication(app)", "Werkzeug debugger"),
        (
            "from werkzeug.serving import run_simple\nrun_simple(h, p, a, use_debugger=True)",
            "use_debugger=True",
        ),
        ("app.config['DEBUG'] = True", "`app.config['DEBUG'] = True`"),
        ("app.config.update(DEBUG=True, TESTING=False)", "`app.config.update(DEBUG=True)`"),
        ("app.config.from_mapping({'DEBUG': True})", "`app.config.from_mapping(DEBUG=True)`"),
        ("app.config.update(dict(SECRET=s, DEBUG=True))", "`app.config.update(DEBUG=True)`"),
        ("class Config(object):\n    DEBUG = True", "`DEBUG = True`"),
    ],
)
def test_flags_one_finding(catalog: Catalog, source: str, expected: str) -> None:
    found = flagged(catalog, source)
    assert len(found) == 1, found
    assert expected in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "app.run(debug=False)",
        "app.run(debug=settings.DEBUG)",
        "import os\napp.run(debug=os.environ.get('FLASK_DEBUG') == '1')",
        # `run(debug=True)` on objects that are not applications.
        "pipeline.run(debug=True)",
        "import subprocess\nsubprocess.run(cmd, debug=True)",
        "import asyncio\nasyncio.run(main(), debug=True)",
        "loop.debug = True",
        # `debug=True` for something that is not a web framework.
        "from shop import FastAPI\nFastAPI(debug=True)",
        "from werkzeug.serving import run_simple\nrun_simple(h, p, a, use_reloader=True)",
        "import fastapi\nfastapi.FastAPI(debug=False)",
        # Config classes for development and tests, and classes that are not config.
        "class DevConfig:\n    DEBUG = True",
        "class TestingSettings(BaseSettings):\n    DEBUG = True",
        "class Toolbar:\n    DEBUG = True",
        "class Config:\n    debug = True",
        "class Config:\n    DEBUG = False",
        "app.config['TESTING'] = True",
        "config = {}\nconfig['DEBUG'] = True",
        "app.config.update(dict(DEBUG=False))",
        "app.config.update(**overrides)",
        "from django.test import override_settings\n@override_settings(DEBUG=True)\ndef t(): ...",
    ],
)
def test_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source) == []


def test_development_files_are_silent_for_settings_but_not_for_servers(catalog: Catalog) -> None:
    source = """
        from flask import Flask
        app = Flask(__name__)
        app.config["DEBUG"] = True
        app.run(debug=True)
    """
    assert [line for line, _ in flagged(catalog, source, "tests/conftest.py")] == [5]


def test_message_says_what_to_do(catalog: Catalog) -> None:
    [(_, message)] = flagged(catalog, "DEBUG = True\nROOT_URLCONF = 'shop.urls'\n")
    assert "`DEBUG = True`" in message
    assert "environment" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DEBUG = True\n", True),
        ("app.run(debug=True)\n", True),
        ("from werkzeug.debug import DebuggedApplication\n", True),
        ("run_simple(h, p, a, use_debugger=flag)\n", True),
        ("app.config['DEBUG'] = True\n", True),
        ("app.run()\n", False),
        ("import logging\nlogging.basicConfig(level=logging.DEBUG)\nlog.debug('x')\n", False),
        ("DEBUG = False\n", False),
    ],
)
def test_prefilter(text: str, expected: bool) -> None:
    assert DebugEnabled.may_match(text, text.casefold()) is expected
