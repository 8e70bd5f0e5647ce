"""SAF304 user-controlled-url-fetch: request data into a fetch URL, host-aware."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from tests.checks.support import findings_of

FLASK = "import requests\nfrom flask import request\n"


def flagged(catalog: Catalog, source: str) -> list[int]:
    return [f.line for f in findings_of(catalog, "SAF304", source)]


@pytest.mark.parametrize(
    "body",
    [
        "    return requests.get(request.args['u'])",
        "    u = request.get_json()['callback']\n    requests.post(u)",
        "    u = request.form.get('u').strip()\n    requests.get(u + '/x')",
        "    h = request.headers['X-Host']\n    requests.get(f'http://{h}/status')",
        "    u = request.values['u']\n    requests.request('GET', url=u)",
    ],
)
def test_flask_request_data_into_a_fetch(catalog, body):
    assert len(flagged(catalog, f"{FLASK}def view():\n{body}")) == 1


@pytest.mark.parametrize(
    "source",
    [
        "import httpx\ndef view(request):\n    return httpx.get(request.query_params['u'])",
        "from urllib.request import urlopen\ndef view(req):\n    urlopen(req.GET.get('feed'))",
        "import requests\nfrom fastapi import FastAPI\napp = FastAPI()\n@app.post('/x')\n"
        "def hook(target: str, n: int):\n    requests.post(target)",
    ],
)
def test_handler_parameters_and_route_arguments(catalog, source):
    assert len(flagged(catalog, source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        f"{FLASK}def view():\n    requests.get(f'https://api.example.org/u/{{request.args[\"id\"]}}')",
        f"{FLASK}def view():\n    requests.get('https://api.example.org/' + request.args['p'])",
        f"{FLASK}def view():\n    u = request.args['u']\n    if u not in ALLOWED:\n"
        "        return\n    requests.get(u)",
        f"{FLASK}def view():\n    u = request.args['u']\n    if is_safe_url(u):\n"
        "        requests.get(u)",
        f"{FLASK}def view():\n    u = request.args['u']\n    u = CONFIG_URL\n    requests.get(u)",
        "import requests\ndef job(url):\n    requests.get(url)",  # not a route
        # A route decorator in a file that uses no web framework.
        "import requests\n@app.get('/x')\ndef hook(target: str):\n    requests.get(target)",
        "import requests\ndef view(request):\n    requests.get(request.build_absolute_uri())",
        "import requests\ndef view(request):\n    requests.get(request.url)",
    ],
)
def test_near_misses(catalog, source):
    assert flagged(catalog, source) == []
