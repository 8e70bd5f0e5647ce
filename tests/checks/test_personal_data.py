"""PRV301, PRV305, PRV306, PRV307: personal data in logs, URLs, cookies and unkeyed hashes."""

from __future__ import annotations

import textwrap

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.engine import lint_source
from integrity_lint.manifest.native import load_native
from tests.checks.support import findings_of
from tests.conftest import make_settings


def flagged(catalog: Catalog, code: str, source: str, config: str = "") -> list[tuple[int, str]]:
    """``(line, message)`` of every finding of ``code``."""
    return [(f.line, f.message) for f in findings_of(catalog, code, source, "example.py", config)]


# --- PRV301 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("import logging\nlogging.info('x %s', user.email)", "`user.email` (email address)"),
        ("import logging\nlog = logging.getLogger()\nlog.info(user.email)", "`log.info`"),
        ("import logging as lg\nlg.getLogger(__name__).warning(f'{ip_address}')", "ip_address"),
        ("logger.exception('failed for %s', customer.phone)", "`customer.phone`"),
        ("self.logger.error('%s', request.user.email)", "`self.logger.error`"),
        ("app.logger.info(request.remote_addr)", "request.remote_addr"),
        ("import logging\nlogging.log(logging.INFO, user.email)", "user.email"),
        ("logger.info('signup', extra={'email': address_value})", "`email`"),
        ("import structlog\nlog = structlog.get_logger()\nlog.msg('x', ssn=ssn)", "ssn"),
        ("logger.bind(request_id=rid).info('x', phone=phone_value)", "`phone_value`"),
        ("from loguru import logger\nlogger.info('{}', user.first_name)", "user.first_name"),
        ("print(user.email)", "`print`"),
        ("import sys\nprint(user.email, file=sys.stderr)", "`print`"),
        ("import warnings\nwarnings.warn(f'{user.email} is legacy')", "warnings.warn"),
        ("import click\nclick.echo(user.email)", "click.echo"),
        ("import sys\nsys.stderr.write(user.email)", "sys.stderr.write"),
        ("raise ValueError(f'bad address {user.email}')", "`ValueError`"),
        ("raise ValidationError({'email': f'{email} is taken'})", "`ValidationError`"),
        ("raise HTTPException(404, detail=f'{email} unknown')", "`HTTPException`"),
        ("logger.info('%s', message_body)", "message or post"),
        ("logger.info('password %s', password)", "password"),
        ("def f(u):\n    e = u.email\n    logger.info(e)", "`u.email`"),
    ],
)
def test_log_findings(catalog: Catalog, source: str, shown: str) -> None:
    found = flagged(catalog, "PRV301", source)
    assert len(found) == 1, found
    assert shown in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "logger.info('email sent to user')",
        "logger.info('verified: %s', user.email_verified)",
        "logger.info('%d emails', len(emails))",
        "logger.info('user %s', user.id)",
        "logger.info('user %s', user_id)",
        "logger.info('product %s', product.name)",
        "logger.info('file %s', file.name)",
        "logger.info('age %s', cache.max_age)",
        "logger.info('%s', user.city)",
        "logger.info('%s', redact(user.email))",
        "logger.info('%s', mask_email(user.email))",
        "logger.info('%s', settings.DEFAULT_FROM_EMAIL)",
        "logger.info('login', email_verified=True)",
        "logger.info('x', exc_info=user.email)",
        "import math\nmath.log(user.age)",
        "from math import log\nlog.info(user.email)",
        "tracker.error(user.email)",
        "catalog.info(user.email)",
        "print(user.email, file=csv_file)",
        "print('email:', 'hidden')",
        "raise ValueError('email is required')",
        "raise ValidationError({'email': 'Enter a valid email.'})",
        "raise ValidationError({'zipcode': list(errors)})",
        "raise ValidationError(self.error_messages['duplicate_email'])",
        "logger.info('%s', form.fields['email'].label)",
        "raise",
        "raise error from None",
        "logger.info('%s', email.utils.parseaddr(header))",
        "def f(user):\n    email = redact(user.email)\n    logger.info(email)",
    ],
)
def test_log_near_misses(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, "PRV301", source) == []


def test_configured_sanitizers_and_vocabulary(catalog: Catalog) -> None:
    config = """
    [personal-data]
    sanitizers = ["myapp.privacy.tidy"]
    extra = { "member_no" = "identifier" }
    not-personal = ["support_phone"]
    """
    source = """
    from myapp.privacy import tidy
    logger.info("%s", tidy(user.email))
    logger.info("%s", user.member_no)
    logger.info("%s", settings.support_phone)
    logger.info("%s", user.email)
    """
    lines = [line for line, _ in flagged(catalog, "PRV301", source, textwrap.dedent(config))]
    assert lines == [4, 6]


# --- PRV306 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ("f'https://x.org/u?email={user.email}'", "this URL"),
        ("f'{base}/users/{user.email}/'", "this URL"),
        ("f'/profile/{customer.phone}'", "this URL"),
        ("'https://x.org/?ip=' + request.remote_addr", "this URL"),
        ("'https://x.org/?e=%s' % email", "this URL"),
        ("'https://x.org/?e={}'.format(email)", "this URL"),
        ("f'{base}?{urlencode(dict(email=user.email))}'", "this URL"),
        ("import requests\nrequests.get(u, params={'email': e})", "`requests.get`"),
        ("import httpx\nhttpx.request('GET', u, params={'ssn': user.ssn})", "`httpx.request`"),
        ("self.session.head(u, params=dict(phone=p))", "`self.session.head`"),
        ("api_client.get(base + user.email)", "the URL of `api_client.get`"),
        ("from flask import url_for\nurl_for('x', email=user.email)", "`flask.url_for`"),
        ("from django.shortcuts import redirect\nredirect('x', email=e)", "redirect"),
        ("from django.urls import reverse\nreverse('x', args=[user.email])", "reverse"),
        ("url.with_query(email=user.email)", "`url.with_query`"),
    ],
)
def test_url_findings(catalog: Catalog, source: str, where: str) -> None:
    found = flagged(catalog, "PRV306", "from urllib.parse import urlencode\n" + source)
    assert len(found) == 1, found
    assert where in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "f'https://x.org/users/{user.id}'",
        "f'mailto:{user.email}'",
        "f'/tmp/{user.username}/x'",
        "f'/home/{user.username}/.cache'",
        "f'Dear {user.first_name}, see /help'",
        "f'{user.email}'",
        "f'{first_name}/{last_name}'",
        "import requests\nrequests.post(u, data={'email': e})",
        "import requests\nrequests.get(u, params={'q': query})",
        "import requests\nrequests.request('POST', u, params={'email': e})",
        "cache.get(key, params={'email': e})",
        "from flask import url_for\nurl_for('x', user_id=user.id, _anchor=user.email)",
        "f'/users?verified={user.email_verified}'",
        "f'otpauth://totp/{label}:{user.email}?secret={secret}'",
        "'bank://pay?' + urlencode({'name': holder_name, 'iban': iban})",
        "'https://x.org/?count=%d' % len(emails)",
        "f'https://x.org/avatar/{hash_email(user.email)}'",
        "import requests\ndef f(u):\n    url = f'/?e={u.email}'\n    requests.get(url)",
    ],
)
def test_url_near_misses(catalog: Catalog, source: str) -> None:
    found = flagged(catalog, "PRV306", source)
    if "requests.get(url)" in source:
        assert [line for line, _ in found] == [3]  # the URL, once, where it is built
    else:
        assert found == []


# --- PRV307 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ("response.set_cookie('e', user.email)", "`response.set_cookie`"),
        ("resp.set_cookie(key='who', value=user.username)", "`resp.set_cookie`"),
        ("resp.set_cookie('email', value)", "`email`"),
        ("resp.set_signed_cookie('p', phone)", "signed cookies are readable"),
        ("response.cookies['dob'] = user.date_of_birth", "a cookie"),
        ("from flask import session\nsession['email'] = form.email.data", "Flask's session"),
        ("import flask\nflask.session['ip'] = request.remote_addr", "Flask's session"),
        ("import http.cookies\nc = http.cookies.SimpleCookie()\nc['ssn'] = ssn", "a cookie"),
        ("resp.headers['Set-Cookie'] = f'n={user.last_name}'", "Set-Cookie"),
        ("resp.set_cookie('pw', password)", "password"),
    ],
)
def test_cookie_findings(catalog: Catalog, source: str, where: str) -> None:
    found = flagged(catalog, "PRV307", source)
    assert len(found) == 1, found
    assert where in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "response.set_cookie('sessionid', session_key)",
        "response.set_cookie('sessionid', request.session.session_key)",
        "response.set_cookie('access_token', access_token, httponly=True)",
        "response.set_cookie('uid', user.id)",
        "response.set_cookie('email', '')",
        "response.set_cookie('email_seen', True)",
        "response.set_cookie('email')",
        "response.delete_cookie('email')",
        "request.session['email'] = user.email",
        "session['email'] = user.email",  # not Flask's session
        "cache['email'] = user.email",
        "response.cookies['theme'] = 'dark'",
        "response.headers['X-Email'] = user.email",
        "response.set_cookie('h', hashlib.sha256(user.email.encode()).hexdigest())",
    ],
)
def test_cookie_near_misses(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, "PRV307", source) == []


# --- PRV305 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "hashing"),
    [
        ("import hashlib\nhashlib.sha256(user.email.encode())", "`hashlib.sha256`"),
        ("from hashlib import md5\nmd5(email.lower().encode())", "`hashlib.md5`"),
        ("import hashlib as h\nh.sha1(f'{user.phone}'.encode())", "`hashlib.sha1`"),
        ("import hashlib\nhashlib.new('sha256', ip_address.encode())", "`hashlib.new`"),
        ("import hashlib\nhashlib.blake2b(user.ssn.encode())", "`hashlib.blake2b`"),
        ("import uuid\nuuid.uuid3(uuid.NAMESPACE_DNS, customer.email)", "`uuid.uuid3`"),
        ("import zlib\nzlib.crc32(user.email.encode())", "`zlib.crc32`"),
        (
            "import hashlib\ndef f(u):\n    d = hashlib.sha256()\n    d.update(u.email.encode())",
            "`d`",
        ),
    ],
)
def test_hash_findings(catalog: Catalog, source: str, hashing: str) -> None:
    found = flagged(catalog, "PRV305", source)
    assert len(found) == 1, found
    assert found[0][1].startswith(hashing)


@pytest.mark.parametrize(
    "source",
    [
        "import hmac, hashlib\nhmac.new(key, user.email.encode(), hashlib.sha256)",
        "import hashlib\nhashlib.blake2b(user.email.encode(), key=KEY)",
        "import hashlib\nhashlib.blake2b(user.email.encode(), salt=salt)",
        "import hashlib\nhashlib.sha256((SECRET_KEY + user.email).encode())",
        "import hashlib\nhashlib.sha256(f'{settings.PSEUDONYM_SALT}:{email}'.encode())",
        "import hashlib\nhashlib.sha256(user.password.encode())",
        "import hashlib\nhashlib.sha256(str(user.id).encode())",
        "import hashlib\nhashlib.md5(upload.read())",
        "import hashlib\nhashlib.sha256(b'email')",
        "import hashlib\nhashlib.pbkdf2_hmac('sha256', user.email.encode(), salt, 100_000)",
        "import uuid\nuuid.uuid4()",
        "import uuid\nuuid.uuid5(uuid.NAMESPACE_URL, url)",
        "md5(user.email)",  # not hashlib's
        "import hashlib\nd = hashlib.sha256()\nd.update(SALT)\nd.update(user.email.encode())",
        "import hashlib\nd = hashlib.sha256(salt=s)\nd.update(user.email.encode())",
        "digest.update(user.email.encode())",  # not a hash made here
    ],
)
def test_hash_near_misses(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, "PRV305", source) == []


# --- PRV304 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("import posthog\nposthog.capture('e', distinct_id=user.email)", "email address"),
        ("from posthog import Posthog\nph = Posthog('k')\nph.capture('e', distinct_id=email)", ""),
        ("import analytics\nanalytics.write_key = 'k'\nanalytics.track(email, 'e')", "email"),
        ("from segment import analytics\nanalytics.identify(user.phone_number)", "phone"),
        ("from segment import analytics\nanalytics.track(user_id=user.full_name, event='e')", ""),
        ("import mixpanel\nmixpanel.Mixpanel('t').track(request.remote_addr, 'e')", "IP"),
        (
            "from amplitude import Amplitude, BaseEvent\nc = Amplitude('k')\n"
            "c.track(BaseEvent(event_type='e', user_id=user.username))",
            "username",
        ),
    ],
)
def test_analytics_id_findings(catalog: Catalog, source: str, what: str) -> None:
    found = flagged(catalog, "PRV304", source)
    assert len(found) == 1, found
    assert what in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "import posthog\nposthog.capture('e', distinct_id=str(user.id))",
        "import posthog\nposthog.capture('e', distinct_id=user.distinct_id)",
        "import posthog\nposthog.capture('e', distinct_id=device.device_id)",
        "import posthog\nposthog.capture('e', distinct_id=hmac_email(user.email))",
        "from segment import analytics\nanalytics.identify(user.id, {'email': user.email})",
        "from segment import analytics\nanalytics.track(user.pk, 'e', {'name': user.name})",
        "import sentry_sdk\nsentry_sdk.set_user({'email': user.email})",
        "tracker.capture('e', distinct_id=user.email)",  # not a telemetry SDK
    ],
)
def test_analytics_id_near_misses(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, "PRV304", source) == []


def test_analytics_id_through_a_wrapper_is_reported_at_the_call_site(catalog: Catalog) -> None:
    source = """
    import posthog

    def emit(event, who):
        posthog.capture(event, distinct_id=who)

    def emit_email(event, email):
        posthog.capture(event, distinct_id=email)

    emit("signup", user.email)
    emit("signup", user.id)
    """
    assert [line for line, _ in flagged(catalog, "PRV304", source)] == [10]


# --- PRV303 ----------------------------------------------------------------------------------

FIELD = """
[[field]]
name = "{name}"
{category}
sensitivity = "highly_sensitive"
purpose = "Receipts"
owner = ["privacy@example.org"]
{review}
retention = "1 year"
"""


def third_party(catalog: Catalog, source: str, fields: str = "") -> list[str]:
    manifest = load_native('[telemetry]\nsdks = ["segment", "sentry"]\n' + fields, "m.toml")
    settings = make_settings(catalog, select=("PRV303",))
    result = lint_source(textwrap.dedent(source), "example.py", settings, manifest)
    return [f.message for f in result.findings if f.code == "PRV303"]


SENDS = """
import sentry_sdk
from segment import analytics
analytics.identify(str(user.id), {"email": user.email, "plan": plan})
analytics.track(str(user.id), "Paid", {"buyer": customer.email})
sentry_sdk.set_tag("user.email", user.email)
sentry_sdk.set_user({"id": user.id, "username": user.username})
"""


def test_personal_properties_need_a_declared_field(catalog: Catalog) -> None:
    found = third_party(catalog, SENDS)
    assert len(found) == 4
    assert '"email" (email address)' in found[0]
    assert "`customer.email` (email address)" in found[1]
    assert 'name = "username"' in found[3]


def test_declared_fields_by_name_or_category_pass(catalog: Catalog) -> None:
    review = 'review = ["https://example.org/review/1"]'
    fields = FIELD.format(name="email", category="", review=review)
    fields += FIELD.format(name="login", category='category = "identifier.username"', review=review)
    assert third_party(catalog, SENDS, fields) == []


def test_a_field_without_a_review_does_not_declare(catalog: Catalog) -> None:
    fields = FIELD.format(name="email", category="", review="")
    found = third_party(catalog, SENDS, fields)
    assert "without a sensitivity and review link" in found[0]


@pytest.mark.parametrize(
    "source",
    [
        "from segment import analytics\nanalytics.track(str(u.id), 'E', {'plan': u.plan})",
        "from segment import analytics\nanalytics.track(str(u.id), 'E', {'user_id': u.id})",
        "from segment import analytics\nanalytics.track(u.pk, 'E', {'ok': u.email_verified})",
        "import sentry_sdk\nsentry_sdk.set_user({'id': user.id})",
        "tracker.track('E', {'email': user.email})",  # not a telemetry SDK
    ],
)
def test_third_party_near_misses(catalog: Catalog, source: str) -> None:
    assert third_party(catalog, source) == []


def test_bindings_that_refer_to_themselves_through_a_dict_end(catalog: Catalog) -> None:
    """Following ``options = {"parent": options}`` once per step, not for ever (INT006)."""
    source = (
        "import logging\n\n"
        "def f(options, email):\n"
        '    options = {"parent": options}\n'
        "    options = dict(child=options)\n"
        '    logging.info("%s %s", options, email)\n'
    )
    settings = make_settings(catalog, select=("PRV301",))
    found = lint_source(source, "example.py", settings).findings
    assert [(f.line, f.code) for f in found] == [(6, "PRV301")]
