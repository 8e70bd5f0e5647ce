"""SEC311 weak-password-hash: password names, digest shapes, KDF pre-hash, Django hashers."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.checks.password_hash import WeakPasswordHash, is_password_name
from tests.checks.support import findings_of


def flagged(catalog: Catalog, source: str, path: str = "example.py") -> list[tuple[int, str]]:
    """``(line, message)`` of every SEC311 finding."""
    return [(f.line, f.message) for f in findings_of(catalog, "SEC311", source, path)]


@pytest.mark.parametrize("name", ["password", "new_pw", "userPass", "pwd", "password_bytes"])
def test_password_names(name: str) -> None:
    assert is_password_name(name)


@pytest.mark.parametrize("name", ["password_hash", "passport", "bypass", "password_reset_at"])
def test_names_that_are_not_passwords(name: str) -> None:
    assert not is_password_name(name)


@pytest.mark.parametrize(
    ("source", "digest"),
    [
        ("import hashlib\nhashlib.md5(password.encode())", "`hashlib.md5`"),
        ("from hashlib import sha1 as s\ns(user.password)", "`hashlib.sha1`"),
        ("import hashlib\nhashlib.sha3_256(string=form['pwd'])", "`hashlib.sha3_256`"),
        ("import hashlib\nhashlib.new('sha256', data.get('password'))", "`hashlib.new('sha256')`"),
        ("import hashlib\nh = hashlib.blake2b()\nh.update(passphrase)", "`hashlib.blake2b`"),
        ("import hashlib\nhashlib.md5(password, usedforsecurity=True)", "`hashlib.md5`"),
    ],
)
def test_flags_one_finding_naming_the_digest(catalog: Catalog, source: str, digest: str) -> None:
    found = flagged(catalog, source)
    assert len(found) == 1, found
    assert digest in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "import hashlib\nhashlib.md5(body)",
        "import hashlib\nhashlib.md5(password, usedforsecurity=False)",
        "import hashlib\nhashlib.pbkdf2_hmac('sha256', password, salt, 600000)",
        "import hashlib, bcrypt\nbcrypt.hashpw(hashlib.sha256(password).digest(), salt)",
        "import hashlib\nh = hashlib.md5(usedforsecurity=False)\nh.update(password)",
        "md5(password)",  # not hashlib
        "hasher.update(password)",  # not a digest made in this file
        "PASSWORD_HASHERS = ['django.contrib.auth.hashers.PBKDF2PasswordHasher',"
        " 'django.contrib.auth.hashers.MD5PasswordHasher']",
    ],
)
def test_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source) == []


def test_weak_first_hasher_is_flagged_outside_test_settings(catalog: Catalog) -> None:
    source = "PASSWORD_HASHERS = ('django.contrib.auth.hashers.SHA1PasswordHasher',)\n"
    [(line, message)] = flagged(catalog, source, "project/settings/production.py")
    assert line == 1
    assert "`SHA1PasswordHasher`" in message
    assert flagged(catalog, source, "project/settings/test.py") == []


def test_local_values_are_followed(catalog: Catalog) -> None:
    source = """
        import hashlib

        def check(salt, password):
            salted = salt + password
            return hashlib.sha256(salted.encode())

        def other(salted):
            return hashlib.sha256(salted)
    """
    assert [line for line, _ in flagged(catalog, source)] == [6]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("import hashlib\n", True), ("PASSWORD_HASHERS = []\n", True), ("import hmac\n", False)],
)
def test_prefilter(text: str, expected: bool) -> None:
    assert WeakPasswordHash.may_match(text, text.casefold()) is expected
