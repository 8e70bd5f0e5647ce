from __future__ import annotations

import datetime as dt

import pytest

from integrity_lint.engine import lint_source
from integrity_lint.suppressions import find_suppressions, parse_directive

from .conftest import make_settings


def lint(catalog, source: str, config: str = 'select = ["SEC306", "INT"]'):
    return lint_source(source, "app.py", make_settings(catalog, config))


def codes(result) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in result.findings]


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# integrity: ignore[SEC306] trusted", ("ignore", ("SEC306",), "trusted", None)),
        ("# integrity: ignore[SEC306, SEC307]", ("ignore", ("SEC306", "SEC307"), "", None)),
        ("#integrity:ignore[SEC306]: why", ("ignore", ("SEC306",), "why", None)),
        (
            "# integrity: fixme[PRV102] until=2027-01-31 migrate",
            ("fixme", ("PRV102",), "migrate", "2027-01-31"),
        ),
        ("# integrity: ignore-file[INC501] legacy", ("ignore-file", ("INC501",), "legacy", None)),
        ("# integrity: ignore", ("ignore", (), "", None)),
        ("# integrity is important", None),
        ("# noqa: S301", None),
    ],
)
def test_parse_directive(comment, expected):
    assert parse_directive(comment) == expected


def test_trailing_comment_on_first_line_covers_the_statement(catalog):
    source = (
        "import pickle\n"
        "data = pickle.loads(  # integrity: ignore[SEC306] our own cache\n"
        "    b''\n"
        ")\n"
    )
    result = lint(catalog, source)
    assert codes(result) == []
    assert [(f.code, f.suppression) for f in result.suppressed] == [("SEC306", "our own cache")]


def test_own_line_comment_covers_the_next_statement_only(catalog):
    source = (
        "import pickle\n"
        "# integrity: ignore[SEC306] our own cache\n"
        "a = pickle.loads(b'')\n"
        "b = pickle.loads(b'')\n"
    )
    assert codes(lint(catalog, source)) == [(4, "SEC306")]


def test_suppression_inside_a_string_is_not_a_comment(catalog):
    source = "import pickle\nx = pickle.loads(b'# integrity: ignore[SEC306] no')\n"
    assert codes(lint(catalog, source)) == [(2, "SEC306")]


def test_suppression_by_rule_name(catalog):
    source = (
        "import pickle\nx = pickle.loads(b'')  # integrity: ignore[unsafe-deserialization] ok\n"
    )
    assert codes(lint(catalog, source)) == []


def test_unused_unknown_blanket_and_reasonless_suppressions(catalog):
    source = (
        "import json, pickle\n"
        "a = json.loads('1')  # integrity: ignore[SEC306] not needed\n"
        "b = json.loads('1')  # integrity: ignore[SEC999] typo\n"
        "c = pickle.loads(b'')  # integrity: ignore\n"
        "d = pickle.loads(b'')  # integrity: ignore[SEC306]\n"
    )
    assert codes(lint(catalog, source)) == [
        (2, "INT002"),
        (3, "INT002"),
        (4, "SEC306"),
        (4, "INT004"),
        (5, "INT003"),
    ]


def test_require_reason_false_turns_off_int003(catalog):
    source = "import pickle\nd = pickle.loads(b'')  # integrity: ignore[SEC306]\n"
    config = 'select = ["SEC306", "INT"]\nrequire-reason = false'
    assert codes(lint(catalog, source, config)) == []


def test_suppression_of_a_code_not_enabled_is_not_judged(catalog):
    source = "import pickle\nx = pickle.loads(b'')  # integrity: ignore[SEC306] trusted\n"
    assert codes(lint(catalog, source, 'select = ["INT"]')) == []


def test_fixme_suppresses_until_its_date_then_int005(catalog):
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    past = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    line = "x = pickle.loads(b'')  # integrity: fixme[SEC306] until={} move to json\n"
    assert codes(lint(catalog, "import pickle\n" + line.format(future))) == []
    expired = lint(catalog, "import pickle\n" + line.format(past))
    assert codes(expired) == [(2, "SEC306"), (2, "INT005")]
    assert "expired" in expired.findings[1].message


def test_fixme_without_date_does_not_suppress(catalog):
    source = "import pickle\nx = pickle.loads(b'')  # integrity: fixme[SEC306] later\n"
    assert codes(lint(catalog, source)) == [(2, "SEC306"), (2, "INT005")]


def test_file_level_suppression_only_in_the_header(catalog):
    header = (
        '"""Docs."""\n# integrity: ignore-file[SEC306] fixtures of pickled data\nimport pickle\n'
    )
    assert codes(lint(catalog, header + "x = pickle.loads(b'')\n")) == []
    late = "import pickle\n# integrity: ignore-file[SEC306] too late\nx = pickle.loads(b'')\n"
    assert codes(lint(catalog, late)) == [(2, "INT002"), (3, "SEC306")]


def test_non_suppressible_codes_stay_reported(catalog):
    config = 'select = ["SEC306", "INT"]\nnon-suppressible = ["SEC306"]'
    source = "import pickle\nx = pickle.loads(b'')  # integrity: ignore[SEC306] please\n"
    assert codes(lint(catalog, source, config)) == [(2, "SEC306"), (2, "INT002")]


def test_find_suppressions_survives_untokenizable_source():
    found = find_suppressions("x = (\n# integrity: ignore[SEC306] why\n")
    assert [(s.line, s.codes) for s in found] == [(2, ("SEC306",))]
