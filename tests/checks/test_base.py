"""The check API's prefilter: a file passes a check when its text holds one of its tokens."""

from __future__ import annotations

import random

from integrity_lint.checks.base import Check


class _Tokens(Check):
    codes = ("TST001",)
    tokens = ("alpha", "beta", "gamma", "delta", "epsilon")


class _FoldedTokens(_Tokens):
    codes = ("TST002",)
    tokens = ("cookie", "session")
    casefold_tokens = True


def test_whatever_order_the_searches_take_every_token_still_passes_a_file() -> None:
    picker = random.Random(7)
    for _ in range(500):  # texts with one token each, the frequent ones moving forward
        token = picker.choice(_Tokens.tokens[:3] * 5 + _Tokens.tokens[3:])
        assert _Tokens.may_match(f"x = {token}()", "")
    for token in _Tokens.tokens:
        assert _Tokens.may_match(f"import {token}", "")
    assert not _Tokens.may_match("import zeta", "")


def test_folded_tokens_are_searched_in_the_folded_text() -> None:
    text = "SESSION_COOKIE_SECURE = False"
    assert _FoldedTokens.may_match(text, text.casefold())
    assert not _FoldedTokens.may_match(text, "")
