"""Fixtures may hold fake keys: per-file-ignores turns SEC313 off for tests."""

FAKE_API_KEY = "sk_live_51EXAMPLEexampleEXAMPLEexample00"


def test_key_is_fake():
    assert FAKE_API_KEY.startswith("sk_live_")
