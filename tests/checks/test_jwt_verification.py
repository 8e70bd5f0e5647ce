"""SEC314 jwt-verification-disabled: PyJWT and python-jose call shapes, precision."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.checks.jwt_verification import JwtVerificationDisabled
from tests.checks.support import findings_of


def flagged(catalog: Catalog, source: str) -> list[tuple[int, str]]:
    """``(line, message)`` of every SEC314 finding."""
    return [(f.line, f.message) for f in findings_of(catalog, "SEC314", source)]


@pytest.mark.parametrize(
    ("source", "callee"),
    [
        ("import jwt\njwt.decode(t, options={'verify_signature': False})", "`jwt.decode`"),
        (
            "import jwt as pyjwt\npyjwt.decode_complete(t, options=dict(verify_signature=False))",
            "`jwt.decode_complete`",
        ),
        ("from jwt import decode\ndecode(t, k, verify=False)", "`jwt.decode`"),
        ("from jwt.api_jws import decode\ndecode(t, k, algorithms='none')", "`jwt.api_jws"),
        ("import jwt\njwt.PyJWT().decode(t, verify=False)", "`jwt.PyJWT().decode`"),
        ("import jwt\nd = jwt.PyJWS()\nd.decode(t, algorithms=('NONE',))", "`d.decode`"),
        (
            "from jose import jwt\njwt.decode(t, k, options={'verify_signature': False})",
            "`jose.jwt.decode`",
        ),
        ("from jose import jws\njws.verify(t, k, ['HS256'], False)", "`jose.jws.verify`"),
        (
            "import jwt\nOPTS = {'verify_signature': False}\ndef f(t):\n"
            "    return jwt.decode(t, options=OPTS)",
            "`jwt.decode`",
        ),
    ],
)
def test_flags_one_finding_naming_the_callee(catalog: Catalog, source: str, callee: str) -> None:
    found = flagged(catalog, source)
    assert len(found) == 1, found
    assert callee in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "import jwt\njwt.decode(t, k, algorithms=['HS256'])",
        "import jwt\njwt.decode(t, k, algorithms=['HS256'], options={'verify_exp': False})",
        "import jwt\njwt.decode(t, k, algorithms=['HS256'], verify=True)",
        "import jwt\njwt.decode(t, options={'verify_signature': True})",
        "import jwt\njwt.decode(t, options={'verify_signature': settings.VERIFY})",
        "import jwt\njwt.get_unverified_header(t)",
        "from jose import jwt\njwt.get_unverified_claims(t)",
        # python-jose's jwt.decode has no `verify` parameter; jws.verify with verify=True.
        "from jose import jws\njws.verify(t, k, ['HS256'], True)",
        # Not PyJWT or python-jose.
        "codec.decode(t, verify=False)",
        "decode(t, options={'verify_signature': False})",
        "import base64\nbase64.b64decode(t, validate=False)",
        "algorithms = ['none']",
    ],
)
def test_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source) == []


def test_message_says_what_to_do(catalog: Catalog) -> None:
    [(_, message)] = flagged(catalog, "import jwt\njwt.decode(t, k, verify=False)")
    assert "`verify=False`" in message
    assert "algorithms" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [("import jwt\n", True), ("from jose import jws\n", True), ("import json\n", False)],
)
def test_prefilter(text: str, expected: bool) -> None:
    assert JwtVerificationDisabled.may_match(text, text.casefold()) is expected
