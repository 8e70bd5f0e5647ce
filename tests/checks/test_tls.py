"""SEC301 tls-verification-disabled: import resolution, session tracking, precision."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.checks.tls import TlsVerificationDisabled
from tests.checks.support import findings_of


def flagged(catalog: Catalog, source: str) -> list[tuple[int, str]]:
    """``(line, message)`` of every SEC301 finding."""
    return [(f.line, f.message) for f in findings_of(catalog, "SEC301", source)]


@pytest.mark.parametrize(
    ("source", "callee"),
    [
        ("import requests as rq\nrq.post(url, verify=False)", "`requests.post`"),
        ("from httpx import get as fetch\nfetch(url, verify=False)", "`httpx.get`"),
        ("from httpx import AsyncClient\nAsyncClient(verify=False)", "`httpx.AsyncClient`"),
        (
            "import requests\nrequests.Session().get(url, verify=False)",
            "`requests.Session().get`",
        ),
        ("from pip._vendor import requests\nrequests.get(url, verify=False)", "`pip._vendor"),
        ("def f():\n    import requests\n    requests.get(url, verify=False)", "`requests.get`"),
        ("import aiohttp\naiohttp.request('GET', url, ssl=False)", "`aiohttp.request`"),
        ("import ssl\nssl._create_stdlib_context()", "`ssl._create_stdlib_context()`"),
        ("import urllib3\nurllib3.PoolManager(cert_reqs='NONE')", "`urllib3.PoolManager`"),
        ("from ssl import CERT_NONE\nsock = wrap(raw, cert_reqs=CERT_NONE)", "`wrap`"),
        ("import ssl\nctx.verify_mode = ssl.VerifyMode.CERT_NONE", "ssl.VerifyMode.CERT_NONE"),
        ("conn.cert_reqs = 'CERT_NONE'", "`conn.cert_reqs = 'CERT_NONE'`"),
        ("s.get(url, verify=False)", "`s.get`"),
        ("get_session().post(url, verify=False)", "`get_session().post`"),
        ("self._http_client.send(prepared, verify=False)", "`self._http_client.send`"),
    ],
)
def test_flags_one_finding_naming_the_callee(catalog: Catalog, source: str, callee: str) -> None:
    found = flagged(catalog, source)
    assert len(found) == 1, found
    assert callee in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "import requests\nrequests.get(url, verify=True)",
        "import requests\nrequests.get(url, verify=None)",
        "import requests\nrequests.get(url, verify=os.environ.get('CA_BUNDLE', True))",
        "import httpx\nhttpx.get(url, verify=ssl_context)",
        "import aiohttp\naiohttp.TCPConnector(ssl=ssl_context)",
        "import urllib3\nurllib3.PoolManager(cert_reqs='CERT_REQUIRED')",
        "import ssl\nctx.verify_mode = ssl.CERT_REQUIRED",
        "ctx.check_hostname = True",
        "label = 'CERT_NONE'",
        # A client-like receiver, but not a method that sends a request.
        "client.validate(verify=False)",
        # A request method, but on something that is not a session or client.
        "registry.get(name, verify=False)",
        "assertion.get(name, verify=False)",
        # `ssl=False` means "no TLS" for database drivers, not "no checks".
        "import asyncpg\nasyncpg.connect(dsn, ssl=False)",
        # `assert_hostname` is urllib3's; elsewhere it means something else.
        "checker.run(assert_hostname=False)",
        # An unverified context only mentioned in a comparison or a string.
        "import ssl\nif factory is ssl._create_unverified_context: pass",
        "label = 'ssl._create_unverified_context'",
    ],
)
def test_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source) == []


def test_sessions_are_tracked_through_assignment_with_and_annotations(catalog: Catalog) -> None:
    source = """
        import httpx
        import requests

        class Api:
            def __init__(self) -> None:
                self.api = requests.Session()
                self.api.verify = False

            def fetch(self, url):
                return self.api.get(url, verify=False)

        def stream(url):
            with httpx.Client() as conn:
                return conn.stream("GET", url, verify=False)

        def upload(pool: requests.Session, url):
            return pool.put(url, verify=False)
    """
    assert [line for line, _ in flagged(catalog, source)] == [8, 11, 15, 18]


def test_unknown_receivers_need_a_session_like_name(catalog: Catalog) -> None:
    source = """
        def fetch(api, url):
            return api.get(url, verify=False)
    """
    assert flagged(catalog, source) == []


def test_one_finding_per_call(catalog: Catalog) -> None:
    source = """
        import ssl
        import urllib3
        urllib3.PoolManager(cert_reqs=ssl.CERT_NONE, assert_hostname=False)
    """
    assert len(flagged(catalog, source)) == 1


def test_message_says_what_to_do(catalog: Catalog) -> None:
    [(_, message)] = flagged(catalog, "import requests\nrequests.get(url, verify=False)")
    assert "`verify=False`" in message
    assert "CA bundle" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("import ssl\n", True),
        ("session.get(url, verify=False)\n", True),
        ("pool = PoolManager(cert_reqs='CERT_NONE')\n", True),
        ("ctx.check_hostname = False\n", True),
        ("import requests\nrequests.get(url)\n", False),
    ],
)
def test_prefilter(text: str, expected: bool) -> None:
    assert TlsVerificationDisabled.may_match(text, text.casefold()) is expected
