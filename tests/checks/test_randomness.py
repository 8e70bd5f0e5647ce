"""SEC312 insecure-random-for-secret: secret names, where the value goes, the fix."""

from __future__ import annotations

from dataclasses import replace

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.checks.randomness import InsecureRandomForSecret, is_secret_name
from integrity_lint.engine import lint_source
from integrity_lint.run import Outcome, fix_rounds
from tests.checks.support import findings_of
from tests.conftest import make_settings


def flagged(catalog: Catalog, source: str) -> list[tuple[int, str]]:
    """``(line, message)`` of every SEC312 finding."""
    return [(f.line, f.message) for f in findings_of(catalog, "SEC312", source)]


@pytest.mark.parametrize(
    "name",
    [
        "token",
        "reset_token",
        "apiKey",
        "API_KEY",
        "OTP",
        "password_str",
        "salt_hex",
        "verification_code",
        "session_id",
        "csrf",
        "pin",
        "client_secret",
    ],
)
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "token_count",
        "cache_key",
        "key",
        "country_code",
        "user_id",
        "id",
        "tokenizer",
        "password_length",
        "str",
    ],
)
def test_names_that_are_not_secrets(name: str) -> None:
    assert not is_secret_name(name)


@pytest.mark.parametrize(
    ("source", "callee"),
    [
        ("import random as r\ntoken = r.random()", "`random.random`"),
        ("from random import randint\nself.otp = randint(0, 9999)", "`random.randint`"),
        ("import random\nd['api_key'] = random.randbytes(16)", "`random.randbytes`"),
        ("import random\nsave(salt=random.getrandbits(64))", "`random.getrandbits`"),
        ("import random\nx = {'nonce': random.choices('ab', k=8)}", "`random.choices`"),
        (
            "import random\ndef new_password():\n    return random.sample('abc', 3)",
            "`random.sample`",
        ),
        ("import uuid\ninvite_token = uuid.uuid1().hex", "`uuid.uuid1()`"),
        ("import random\nsecret: str = str(random.randrange(10**6))", "`random.randrange`"),
    ],
)
def test_flags_one_finding_naming_the_callee(catalog: Catalog, source: str, callee: str) -> None:
    found = flagged(catalog, source)
    assert len(found) == 1, found
    assert callee in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "import random\ndelay = random.uniform(0, 1)",
        "import random\ntoken_count = random.randint(1, 9)",
        "import secrets\ntoken = secrets.token_hex(16)",
        "import random\nrng = random.SystemRandom()\ntoken = rng.choice('ab')",
        "import random\ntoken = random.SystemRandom().choice('ab')",
        "import uuid\ntoken = uuid.uuid4().hex",
        "token = choice('ab')",  # not the random module
        "import random\ndef get_user():\n    return random.choice(users)",
        # A random call inside a lambda is not the stored value.
        "import random\ntoken_factory = lambda: random.random()",
    ],
)
def test_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source) == []


def test_a_call_is_reported_once(catalog: Catalog) -> None:
    source = "import random\ntoken = make(token=random.random())"
    assert len(flagged(catalog, source)) == 1


def fixed(catalog: Catalog, source: str) -> str:
    """``source`` after every SEC312 fix, unsafe ones included."""
    settings = make_settings(catalog, select=("SEC312",))
    settings = replace(settings, options=replace(settings.options, build_fixes=True))
    original = source.encode()

    def check(files: dict[str, bytes]) -> Outcome:
        return Outcome(lint_source(files.get("example.py", original), "example.py", settings))

    rounds = fix_rounds(check, lambda _: original, unsafe=True, codes=frozenset({"SEC312"}))
    return rounds.fixed.get("example.py", original).decode()


def test_fix_uses_the_local_name_of_secrets(catalog: Catalog) -> None:
    source = "import random\nimport secrets as s\ntoken = random.choice(ALPHABET)\n"
    assert fixed(catalog, source).endswith("token = s.choice(ALPHABET)\n")


@pytest.mark.parametrize(
    "source",
    [
        "import random\ntoken = random.choice(ALPHABET)\n",  # secrets is not imported
        "import random, secrets\ntoken = random.randint(0, 9)\n",  # no one-for-one function
    ],
)
def test_no_fix(catalog: Catalog, source: str) -> None:
    assert fixed(catalog, source) == source


@pytest.mark.parametrize(
    ("text", "expected"),
    [("import random\n", True), ("uuid.uuid1()\n", True), ("import uuid\nuuid.uuid4()\n", False)],
)
def test_prefilter(text: str, expected: bool) -> None:
    assert InsecureRandomForSecret.may_match(text, text.casefold()) is expected
