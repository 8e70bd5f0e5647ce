"""SEC313 hardcoded-secret: key formats, secret names, placeholders, public telemetry keys."""

from __future__ import annotations

import copy

import libcst
import pytest

from integrity_lint.catalog import Catalog, CatalogError
from integrity_lint.checks.secrets import (
    HardcodedSecret,
    _literal_value,
    load_knowledge,
    parse_knowledge,
    preview,
    split_words,
)
from integrity_lint.resources import load_data
from tests.checks.support import findings_of

FORMATS = load_knowledge().formats


def flagged(catalog: Catalog, source: str) -> list[tuple[int, str]]:
    """``(line, message)`` of every SEC313 finding."""
    return [(f.line, f.message) for f in findings_of(catalog, "SEC313", source)]


def messages(catalog: Catalog, source: str) -> list[str]:
    return [message for _, message in flagged(catalog, source)]


# Known formats.


@pytest.mark.parametrize("fmt", FORMATS, ids=[fmt.what for fmt in FORMATS])
def test_every_documented_format_is_found_under_a_neutral_name(catalog, fmt):
    found = messages(catalog, f"value = {fmt.example!r}\n")
    assert len(found) == 1, found
    assert found[0].startswith(f"{fmt.what} hardcoded in `value`")


@pytest.mark.parametrize(
    "source",
    [
        '"""Docs: the key is AKIAIOSFODNN7EXAMPLE."""',
        'if key == "AKIAIOSFODNN7EXAMPLE":\n    pass',
        'client = make("AKIAIOSFODNN7EXAMPLE")',
        'KEY = b"AKIAIOSFODNN7EXAMPLE"',
        'KEY = "AKIAIOSF" "ODNN7EXAMPLE"',
        'url = f"https://x.test/?k=AKIAIOSFODNN7EXAMPLE&u={user}"',
        'LABELS = {"name": "AKIAIOSFODNN7EXAMPLE"}',
    ],
)
def test_formats_are_found_in_any_literal(catalog, source):
    found = messages(catalog, source)
    assert len(found) == 1, found
    assert found[0].startswith("AWS access key ID hardcoded")


def test_a_private_key_needs_key_material(catalog):
    source = '''
    HEADER = "-----BEGIN RSA PRIVATE KEY-----"
    KEY = b"""-----BEGIN OPENSSH PRIVATE KEY-----
    b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
    -----END OPENSSH PRIVATE KEY-----"""
    '''
    found = flagged(catalog, source)
    assert [line for line, _ in found] == [3]
    assert found[0][1].startswith("private key hardcoded in `KEY`")


@pytest.mark.parametrize(
    "value",
    [
        "AKIAXXXXXXXXXXXXXXXX",
        "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
        "ghp_" + "0" * 36,
        "ASIAPACIFICSOUTHEAST",  # no digit: a word, not a temporary key ID
        "sk-this-is-a-very-long-kebab-case-slug-name",
        "pk_live_EXAMPLEexample0000000000",  # Stripe publishable key
        "phc_EXAMPLEexampleEXAMPLEexample000000",  # PostHog project key
    ],
)
def test_masked_or_public_format_lookalikes_are_silent(catalog, value):
    assert flagged(catalog, f"value = {value!r}\n") == []


def test_an_escaped_key_is_not_found_where_the_prefilter_cannot_see_it(catalog):
    # The file's text holds no token of the format, so the prefilter may skip the file:
    # the check must not find it either, or results would depend on unrelated words.
    source = 'password_hint = "see vault"\nKEY = "\\x41KIAIOSFODNN7EXAMPLE"\n'
    assert HardcodedSecret.may_match(source, source.casefold())
    assert flagged(catalog, source) == []


# Secret names.


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ('DB_PASSWORD = "Xk29dk3Ld"', "in `DB_PASSWORD`"),
        ('dbPassword = "Xk29dk3Ld"', "in `dbPassword`"),
        ('settings.SECRET_KEY = "Xk29dk3Ld"', "in `settings.SECRET_KEY`"),
        ('self.api_key = "Xk29dk3Ld"', "in `self.api_key`"),
        ('app.config["SECRET_KEY"] = "Xk29dk3Ld"', 'in `app.config["SECRET_KEY"]`'),
        ('os.environ["STRIPE_API_KEY"] = "Xk29dk3Ld"', 'in `os.environ["STRIPE_API_KEY"]`'),
        ('conf = {"client_secret": "Xk29dk3Ld"}', 'in `"client_secret"`'),
        ('headers = {"X-Auth-Token": "Xk29dk3Ld"}', 'in `"X-Auth-Token"`'),
        ('connect(host, password="Xk29dk3Ld")', "in `password=`"),
        ('def login(user, passwd="Xk29dk3Ld"): ...', "parameter `passwd`"),
        ('api_token: str = "Xk29dk3Ld"', "in `api_token`"),
        ('user, pwd = "admin", "Xk29dk3Ld"', "in `pwd`"),
        ('ACCESS_TOKEN = "Xk29dk3Ld" if PROD else ""', "in `ACCESS_TOKEN`"),
        ('SECRET = os.environ.get("SECRET") or "Xk29dk3Ld"', "in `SECRET`"),
        ('import os\nkey = os.getenv("AUTH_TOKEN", "Xk29dk3Ld")', "variable `AUTH_TOKEN`"),
        ('from os import environ\nenviron.setdefault("DB_PASS", "Xk29dk3Ld")', "`DB_PASS`"),
        ('requests.get(url, auth=("me", "Xk29dk3Ld"))', "in `auth=`"),
        ('APIKey = "Xk29dk3Ld"', "in `APIKey`"),
        ('PRIVATE_KEY_2 = "Xk29dk3Ld"', "in `PRIVATE_KEY_2`"),
        ('headers = {"Authorization": "Bearer Xk29dk3Ld"}', 'in `"Authorization"`'),
    ],
)
def test_secret_named_targets_are_flagged(catalog, source, where):
    found = messages(catalog, source)
    assert len(found) == 1, found
    assert where in found[0]
    assert found[0].endswith("load it from the environment or a secret store")


@pytest.mark.parametrize(
    "name",
    [
        "token_url",
        "tokenizer",
        "max_tokens",
        "csrf_token_name",
        "csrf_token",
        "next_page_token",
        "pad_token",
        "password_field",
        "password_reset_url",
        "reset_password",
        "PASSWORD_MIN_LENGTH",
        "primary_key",
        "cache_key",
        "public_key",
        "first_pass",
        "secret_name",
        "token_type",
        "passwords",
        "keyboard",
        "bypass",
    ],
)
def test_names_that_only_mention_a_secret_word_are_silent(catalog, name):
    assert flagged(catalog, f'{name} = "Xk29dk3Ld"\n') == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("APIKey", ["api", "key"]),
        ("oauth2AccessToken", ["oauth", "2", "access", "token"]),
        ("X-API-Key", ["x", "api", "key"]),
        ("DB_PASS2", ["db", "pass", "2"]),
    ],
)
def test_names_split_into_words(name, words):
    assert split_words(name) == words


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "short",
        "changeme",
        "xxxxxxxx",
        "********",
        "${API_KEY}",
        "{password}",
        "%(password)s",
        "$DB_PASSWORD",
        "<your-api-key>",
        "[REDACTED]",
        "__SECRET__",
        "your-secret-here",
        "YOUR_API_KEY",
        "dummy",
        "test",
        "testpass123",
        "MySecretPassword1",
        "not-a-real-secret",
        "Bearer your-token",
        "123456789",
        "qwerty",
        "session_id",
        "PasswordInput",
        "Passwort",
        "Enter your password",
        "/run/secrets/db_password",
        "certs/client.pem",
        "https://auth.example.org/oauth/token",
        "vault:secret/data/db#password",
        "arn:aws:secretsmanager:eu-west-1:000000000000:secret:db",
        r"[^\W\d]\w*",
    ],
)
def test_placeholders_and_non_secrets_are_silent(catalog, value):
    assert flagged(catalog, f"PASSWORD = {value!r}\n") == []


def test_values_read_at_run_time_and_comparisons_are_silent(catalog):
    source = """
    import os
    API_KEY = os.environ["API_KEY"]
    TOKEN = os.getenv("TOKEN")
    password = getpass.getpass("Password: ")
    SECRET_KEY = get_random_secret_key()
    form = {"name": "password", "type": "password", "label": "Password"}
    if password == "Xk29dk3Ld":
        pass
    assert user.token != "Xk29dk3Ld"
    db_password = f"{prefix}Xk29dk3Ld"
    """
    assert flagged(catalog, source) == []


def test_one_finding_per_literal_and_the_format_wins(catalog):
    found = messages(catalog, 'GITHUB_TOKEN = "ghp_EXAMPLEexampleEXAMPLEexample00000000"\n')
    assert len(found) == 1
    assert found[0].startswith("GitHub token hardcoded in `GITHUB_TOKEN`")


def test_a_concatenated_secret_is_reported_once_on_the_whole_literal(catalog):
    source = 'DB_PASSWORD = (\n    "Xk29"\n    "dk3Ld"\n)\n'
    assert [line for line, _ in flagged(catalog, source)] == [2]


# Messages.


def test_the_message_shows_at_most_four_characters(catalog):
    secret = "n8fK2pQ9vX7mL4wR8tY3uZ6bC1dE5gH"
    found = messages(catalog, f'CLIENT_SECRET = "{secret}"\n')
    assert len(found) == 1
    assert "(`n8fK…`)" in found[0]
    assert secret[:5] not in found[0]


@pytest.mark.parametrize(
    ("secret", "shown"),
    [("Xk29dk3Ld", "`Xk…`"), ("hunter2", "`h…`"), ("AKIAIOSFODNN7EXAMPLE", "`AKIA…`")],
)
def test_preview_never_shows_more_than_a_quarter(secret, shown):
    assert preview(secret) == shown


# Telemetry keys.


def test_public_telemetry_client_keys_are_silent(catalog):
    source = """
    import posthog
    import sentry_sdk
    import segment.analytics as analytics
    import rudderstack.analytics as rudder_analytics
    from amplitude import Amplitude, Config
    from mixpanel import Mixpanel
    from posthog import Posthog

    analytics.write_key = "Wk9dk3kdl20dkFkEXAMPLE"
    rudder_analytics.write_key = "Wk9dk3kdl20dkFkEXAMPLE"
    mp = Mixpanel("0f9e8d7c6b5a0f9e8d7c6b5a0f9e8d7c")
    mp2 = Mixpanel(token="0f9e8d7c6b5a0f9e8d7c6b5a0f9e8d7c")
    MIXPANEL_TOKEN = "0f9e8d7c6b5a0f9e8d7c6b5a0f9e8d7c"
    sentry_sdk.init(dsn="https://0f9e8d7c6b5a@o1.ingest.sentry.io/1")
    sentry_sdk.init("https://pub:0f9e8d7c6b5a@sentry.corp.net/2")
    SENTRY_DSN = "https://pub:0f9e8d7c6b5a@sentry.corp.net/2"
    posthog.project_api_key = "Kd93kdLx02kdlQ"
    posthog.api_key = "phc_EXAMPLEexampleEXAMPLEexample000000"
    ph = Posthog("phc_EXAMPLEexampleEXAMPLEexample000000", host="https://eu.i.posthog.com")
    ph2 = Posthog(project_api_key="Kd93kdLx02kdlQ")
    POSTHOG_API_KEY = "Kd93kdLx02kdlQ"
    client = Amplitude("API_KEY")
    client2 = Amplitude(api_key="Kd93kdLx02kdlQ")
    config = Config(api_key="Kd93kdLx02kdlQ")
    AMPLITUDE_API_KEY = "Kd93kdLx02kdlQ"
    """
    assert flagged(catalog, source) == []


def test_telemetry_keys_that_read_data_or_act_on_the_account_are_secrets(catalog):
    source = """
    import posthog
    from datadog import initialize
    from intercom import Intercom
    from mixpanel import Mixpanel, ServiceAccountCredentials
    from posthog import Posthog

    MIXPANEL_API_SECRET = "Kd93kdLx02kdlQ"
    creds = ServiceAccountCredentials("svc.user", "Kd93kdLx02kdlQ", "1234")
    mp = Mixpanel("0f9e8d7c6b5a", credentials=creds)
    mp.import_data("key", "id", "Signup", 0, api_secret="Kd93kdLx02kdlQ")
    posthog.personal_api_key = "Kd93kdLx02kdlQ"
    ph = Posthog("phc_abc", secret_key="Kd93kdLx02kdlQ")
    POSTHOG_PERSONAL_API_KEY = "Kd93kdLx02kdlQ"
    initialize(api_key="Kd93kdLx02kdlQ", app_key="Lx02kdlQKd93kd")
    intercom = Intercom(token="Kd93kdLx02kdlQ")
    AMPLITUDE_SECRET_KEY = "Kd93kdLx02kdlQ"
    """
    found = flagged(catalog, source)
    assert [line for line, _ in found] == [8, 9, 11, 12, 13, 14, 15, 15, 16, 17]
    assert (
        "Mixpanel service account secret passed to `mixpanel.ServiceAccountCredentials`"
        in (found[1][1])
    )
    assert "Datadog application key" in found[7][1]


# Known APIs, URLs and connection strings.


def test_arguments_that_known_apis_take_as_secrets(catalog):
    source = """
    import hmac
    import jwt
    from requests.auth import HTTPBasicAuth as Basic
    from twilio.rest import Client

    client = Client("AC0000", "0f9e8d7c6b5a4f3e")
    auth = Basic("me", "Kd93kdLx02kdlQ")
    token = jwt.encode(payload, "Kd93kdLx02kdlQ", algorithm="HS256")
    mac = hmac.new(b"Kd93kdLx02kdlQ", body, "sha256")
    """
    found = flagged(catalog, source)
    assert [line for line, _ in found] == [7, 8, 9, 10]
    assert "Twilio auth token passed to `twilio.rest.Client`" in found[0][1]
    assert "`requests.auth.HTTPBasicAuth`" in found[1][1]
    assert "JWT signing key" in found[2][1]
    assert "HMAC key" in found[3][1]


def test_calls_that_do_not_resolve_to_a_known_api_are_silent(catalog):
    source = """
    client = Client("AC0000", "0f9e8d7c6b5a4f3e")
    token = encode(payload, "Kd93kdLx02kdlQ")
    digest = hashlib.new("sha256", b"Kd93kdLx02kdlQ")
    """
    assert flagged(catalog, source) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('DATABASE_URL = "postgres://app:Kd93kdLx02@db.prod.internal/app"', "`db.prod.internal`"),
        ('engine = create_engine("mysql://root:Kd93kdLx02@10.0.0.5/shop")', "`10.0.0.5`"),
        ('broker = "redis://:Kd93kdLx02@cache.prod.net:6379/0"', "`cache.prod.net`"),
        ('DSN = "host=db.prod user=app password=Kd93kdLx02"', "`password=`"),
        ('cmd = ["mysql", "--password=Kd93kdLx02", "shop"]', "`password=`"),
        ('URL = "https://api.vendor.io/v1?api_key=Kd93kdLx02kdlQ"', "`api_key=`"),
    ],
)
def test_passwords_inside_urls_and_connection_strings(catalog, source, expected):
    found = messages(catalog, source)
    assert len(found) == 1, found
    assert expected in found[0]
    assert "Kd93kdLx02" not in found[0]


@pytest.mark.parametrize(
    "source",
    [
        'URL = "postgres://postgres:postgres@localhost/app"',
        'URL = "postgres://app:Kd93kdLx02@db/app"',  # a compose service name
        'URL = "postgres://app:Kd93kdLx02@db.example.com/app"',
        'URL = "https://example.com/api/flags?token=Kd93kdLx02kdlQ"',
        'URL = "amqp://guest:guest@rabbit.prod.net//"',
        'URL = "postgres://{user}:{password}@{host}/app"',
        'URL = "https://user@github.com/org/repo.git"',
        'URL = "https://api.vendor.io/v1/token"',
        'DSN = "host=db.prod user=app password=%s"',
        'Q = "grant_type=password&username=me"',
        'def connect():\n    """Connect: postgres://app:Kd93kdLx02@db.prod.net/app."""',
    ],
)
def test_urls_without_real_credentials_are_silent(catalog, source):
    assert flagged(catalog, source) == []


# The data file and the prefilter.


def test_the_prefilter_covers_every_word_the_check_reports_on():
    knowledge = load_knowledge()
    tokens = HardcodedSecret.tokens
    words = [
        *(token for fmt in knowledge.formats for token in fmt.tokens),
        *knowledge.secret_words,
        *knowledge.after,
        *knowledge.pair_words,
        *(call.split(".")[0].lower() for arg in knowledge.arguments for call in arg.calls),
    ]
    assert all(any(token in word for token in tokens) for word in words)
    assert HardcodedSecret.casefold_tokens


def test_a_file_without_any_token_is_skipped():
    source = 'value = compute("abc")\n'
    assert not HardcodedSecret.may_match(source, source.casefold())


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (lambda d: d["format"][0].update(pattern="(unclosed"), "invalid pattern"),
        (lambda d: d["format"][0].update(example="nothing like a key"), "does not match"),
        (lambda d: d["format"][0].update(tokens=["AKIA"]), "lower case"),
        (lambda d: d["argument"][0].pop("position") and d["argument"][0].pop("keyword"), "needs"),
        (lambda d: d["placeholders"].update(min_length=0), "min_length"),
        (lambda d: d.pop("urls"), "missing or malformed"),
    ],
)
def test_a_malformed_data_file_is_a_catalog_error(edit, error):
    data = copy.deepcopy(load_data("secrets.toml"))
    edit(data)
    with pytest.raises(CatalogError, match=error):
        parse_knowledge(data)


@pytest.mark.parametrize(
    "literal",
    [
        '"a" "b"',
        '"line\\n" \'it\\\'s\\t\' u"\\\\"',
        '"a\\\\" "n"',  # an escaped backslash at the end of one string, a letter after it
        '"\\x41" "b"',
        'r"\\d" "\\n"',
        '"a" r"\\\\"',
        '"""long\\\ntext""" "x"',
    ],
)
def test_a_concatenated_literal_has_the_value_python_gives_it(literal):
    node = libcst.parse_expression(literal)
    assert isinstance(node, libcst.ConcatenatedString)
    assert _literal_value(node) == node.evaluated_value
