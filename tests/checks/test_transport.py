"""SEC309 plaintext-transport and SEC402 undeclared-outbound-host: URLs, hosts, clients."""

from __future__ import annotations

from dataclasses import replace

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.checks.transport import PlaintextTransport, is_local
from integrity_lint.engine import lint_source
from integrity_lint.run import Outcome, fix_rounds
from tests.checks.support import findings_of
from tests.conftest import make_settings


def flagged(
    catalog: Catalog, source: str, code: str = "SEC309", config: str = ""
) -> list[tuple[int, str]]:
    """``(line, message)`` of every finding of ``code``."""
    return [(f.line, f.message) for f in findings_of(catalog, code, source, "example.py", config)]


def fixed(catalog: Catalog, source: str) -> str:
    """``source`` after every SEC309 fix, unsafe ones included."""
    settings = make_settings(catalog, select=("SEC309",))
    settings = replace(settings, options=replace(settings.options, build_fixes=True))
    original = source.encode()

    def check(files: dict[str, bytes]) -> Outcome:
        return Outcome(lint_source(files.get("example.py", original), "example.py", settings))

    rounds = fix_rounds(check, lambda _: original, unsafe=True, codes=frozenset({"SEC309"}))
    return rounds.fixed.get("example.py", original).decode()


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "127.0.0.1",
        "[::1]",
        "0.0.0.0",
        "api.example.com",
        "db.test",
        "x.localhost",
        "testserver",
    ],
)
def test_local_hosts(host: str) -> None:
    assert is_local(host)


@pytest.mark.parametrize("host", ["api.partner.net", "10.0.0.5", "example.co", "notexample.com"])
def test_remote_hosts(host: str) -> None:
    assert not is_local(host)


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("import requests as r\nr.get('http://api.partner.net')", "`requests.get`"),
        ("from httpx import post\npost(url='http://a.partner.net/x')", "`httpx.post`"),
        ("import requests\nrequests.request('GET', 'http://a.io:81/')", "`requests.request`"),
        ("from urllib.request import urlopen\nurlopen(f'http://a.io/{p}')", "`urllib.request"),
        ("import aiohttp\naiohttp.request('GET', 'http://a.io/' + p)", "`aiohttp.request`"),
        ("import websockets\nwebsockets.connect('ws://feed.io/live')", "`websockets.connect`"),
        ("import requests\nrequests.Session().get('http://a.io')", "`requests.Session().get`"),
        ("self.http_client.post('http://a.io/x')", "`self.http_client.post`"),
        ("import requests\nBASE = 'http://a.io'\nrequests.get(BASE + path)", "`requests.get`"),
        ("import requests\nrequests.get('http://a.io/{}'.format(p))", "`requests.get`"),
        ("import httpx\nwith httpx.Client() as c:\n    c.get('http://a.io')", "`c.get`"),
        ("import ftplib\nftplib.FTP()", "`ftplib.FTP`"),
        ("from telnetlib import Telnet\nTelnet('switch.lan')", "`telnetlib.Telnet`"),
        ("import http.client\nhttp.client.HTTPConnection('a.io')", "`http.client.HTTPConn"),
        ("import smtplib\nsmtplib.SMTP('mail.a.io')", "`smtplib.SMTP`"),
    ],
)
def test_flags_one_finding(catalog: Catalog, source: str, shown: str) -> None:
    found = flagged(catalog, source)
    assert len(found) == 1, found
    assert shown in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "import requests\nrequests.get('https://api.partner.net')",
        "import requests\nrequests.get('http://localhost:8000')",
        "import requests\nrequests.get(f'http://{host}/x')",
        "import requests\nrequests.get('http://api.' + domain)",
        "import requests\nrequests.get(url)",
        "import requests\nBASE = 'http://a.io'\nBASE += '/v2'\nrequests.get(BASE)",
        "NS = 'http://www.w3.org/2000/svg'\nel.set('xmlns', NS)",
        "registry.get('http://a.io')",  # not a session or client
        "import ftplib\nftplib.FTP_TLS('ftp.a.io')",
        "import ftplib\nftplib.FTP('localhost')",
        "import smtplib\ns = smtplib.SMTP('mail.a.io')\ns.starttls()",
        "import smtplib\nsmtplib.SMTP_SSL('mail.a.io')",
        "import http.client\nhttp.client.HTTPConnection('localhost:8080')",
    ],
)
def test_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source) == []


def test_local_url_variables_assigned_once(catalog: Catalog) -> None:
    source = """
        import requests

        def a():
            url = "http://api.partner.net/v1"
            return requests.get(url)

        def b(secure):
            url = "http://api.partner.net/v1"
            if secure:
                url = "https://api.partner.net/v1"
            return requests.get(url)

        def c(url):
            url = url + "/v1"
            return requests.get(url)

        def d():
            return requests.get(url)
    """
    assert [line for line, _ in flagged(catalog, source)] == [6]


def test_fix_upgrades_literal_urls_without_a_port(catalog: Catalog) -> None:
    source = (
        "import requests\n"
        "requests.get('http://a.io/x')\n"
        'requests.get("ws://a.io/x")\n'
        "requests.get('http://a.io:8080/x')\n"
    )
    assert fixed(catalog, source) == (
        "import requests\n"
        "requests.get('https://a.io/x')\n"
        'requests.get("wss://a.io/x")\n'
        "requests.get('http://a.io:8080/x')\n"
    )


ALLOWED = '[network]\nallowed-hosts = ["api.partner.net", "*.cdn.partner.net"]\n'


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import requests\nrequests.get('https://api.partner.net/v1')", []),
        ("import requests\nrequests.get('https://img.cdn.partner.net/a.png')", []),
        ("import requests\nrequests.get('https://cdn.partner.net/a.png')", [2]),
        ("import requests\nrequests.get('https://www.google-analytics.com/collect')", [2]),
        ("import requests\nrequests.get('http://localhost:8000')", []),
        ("import requests\nrequests.get(url)", []),
        ("import httpx\nhttpx.post(f'https://evil.io/{x}')", [2]),
        ("link = 'https://evil.io/'", []),
    ],
)
def test_undeclared_hosts(catalog: Catalog, source: str, expected: list[int]) -> None:
    found = flagged(catalog, source, "SEC402", ALLOWED)
    assert [line for line, _ in found] == expected


def test_undeclared_hosts_need_configuration(catalog: Catalog) -> None:
    source = "import requests\nrequests.get('https://evil.io/')"
    assert flagged(catalog, source, "SEC402") == []
    [(_, message)] = flagged(catalog, source, "SEC402", ALLOWED)
    assert "`evil.io`" in message
    assert "allowed-hosts" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x = 'http://a.io'\n", True),
        ("import ftplib\n", True),
        ("import smtplib\n", True),
        ("requests.get('https://a.io')\n", False),
    ],
)
def test_prefilter(text: str, expected: bool) -> None:
    assert PlaintextTransport.may_match(text, text.casefold()) is expected
