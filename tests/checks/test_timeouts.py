"""SUS601 request-without-timeout: which clients, sessions, and what counts as a timeout."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from tests.checks.support import findings_of


def flagged(catalog: Catalog, source: str) -> list[int]:
    """The lines of every SUS601 finding."""
    return [f.line for f in findings_of(catalog, "SUS601", source)]


@pytest.mark.parametrize(
    "source",
    [
        "import requests as rq\nrq.post(url, json={})",
        "from requests import request\nrequest('GET', url)",
        "from requests.api import get\nget(url, timeout=None)",
        "import requests\nrequests.Session().get(url)",
        "import requests\nwith requests.Session() as s:\n    s.put(url)",
        "import requests\nclass A:\n    def __init__(self):\n        self.s = requests.session()\n"
        "    def f(self):\n        return self.s.delete(url)",
        "from urllib.request import urlopen\nurlopen(url, None)",
        "import http.client as hc\nhc.HTTPConnection('h', 80)",
        "import httpx\nhttpx.post(url, timeout=None)",
        "from httpx import AsyncClient\nAsyncClient(timeout=None)",
    ],
)
def test_calls_that_can_wait_forever(catalog, source):
    assert flagged(catalog, source) == [source.count("\n") + 1]


@pytest.mark.parametrize(
    "source",
    [
        "import requests\nrequests.get(url, timeout=5)",
        "import requests\nrequests.get(url, **options)",
        "from urllib.request import urlopen\nurlopen(url, None, 10)",
        "import http.client\nhttp.client.HTTPSConnection('h', 443, 5)",
        "import httpx\nhttpx.get(url)\nhttpx.Client()",
        "import requests\ns = requests.Session()\ns.mount('https://', adapter)\ns.get(url)",
        "session.get(url)",  # not known to be a requests session
        "import aiohttp\naiohttp.ClientSession().get(url)",
        "cache.get(key)",
        "def get(url):\n    return url\nget('x')",
    ],
)
def test_near_misses(catalog, source):
    assert flagged(catalog, source) == []
