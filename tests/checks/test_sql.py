"""SEC308 sql-string-building: sinks, building forms, local variables, fixed parts."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.checks.sql import SqlStringBuilding
from tests.checks.support import findings_of


def flagged(catalog: Catalog, source: str) -> list[tuple[int, str]]:
    """``(line, message)`` of every SEC308 finding."""
    return [(f.line, f.message) for f in findings_of(catalog, "SEC308", source)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("cur.execute(f\"SELECT * FROM t WHERE a = '{a}'\")", "an f-string"),
        ("cur.executemany('DELETE FROM t WHERE a = %s' % a, rows)", "`%` formatting"),
        ("cur.execute('UPDATE t SET a = {}'.format(a))", "`str.format`"),
        ("cur.execute('SELECT * FROM t WHERE a = ' + a)", "string concatenation"),
        ("cur.execute(sql='SELECT * FROM t WHERE a = ' + a)", "string concatenation"),
        (
            "from django.db.models import RawSQL as R\nR('price > %s' % a, [])",
            "`django.db.models.RawSQL`",
        ),
        ("import sqlalchemy as sa\nsa.text(f'id = {a}')", "`sqlalchemy.text`"),
        ("from sqlalchemy.sql import text\ntext(text=f'id = {a}')", "`sqlalchemy.sql.text`"),
        ("import pandas as pd\npd.read_sql_query(f'select {a}', con)", "`pandas.read_sql_query`"),
        ("qs.extra(select={'x': f'a > {a}'})", "`.extra()`"),
        ("qs.extra(order_by=['name', f'{a}'])", "`.extra()`"),
        ("User.objects.raw('SELECT * FROM u WHERE name = ' + a)", "`.raw()`"),
        ("session.prepare(f'DELETE FROM {ks}.t WHERE id = ?')", "`.prepare()`"),
    ],
)
def test_flags_built_queries(catalog: Catalog, source: str, expected: str) -> None:
    found = flagged(catalog, source)
    assert len(found) == 1, found
    assert expected in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "cur.execute('SELECT * FROM t WHERE a = %s', [a])",
        "cur.execute(f'SELECT * FROM t WHERE a = {1}')",
        "TABLE = 't'\ncur.execute(f'SELECT * FROM {TABLE} WHERE a = %s', [a])",
        "cur.execute('SELECT * FROM t LIMIT %d' % int(n))",
        "cur.execute('SELECT * FROM t WHERE id IN (%s)' % ', '.join('?' * len(ids)), ids)",
        "cur.execute('SELECT * FROM %s' % connection.ops.quote_name(t))",
        "cur.execute('SELECT ' + ('DISTINCT ' if d else '') + 'a FROM t')",
        "cur.execute('UPDATE %(t)s SET a = 1' % {'t': self.quote_name(t)})",
        # Not SQL, or not run: no finding.
        "runner.execute(f'deploy {name}')",
        "template.prepare(f'hello {name}')",
        "log.info('SELECT failed for %s' % name)",
        "sql = f'SELECT * FROM t WHERE a = {a}'",
        # `text` that is not SQLAlchemy's, and a RawSQL of fixed text.
        "text(f'hello {name}')",
        "from django.db.models import RawSQL\nRawSQL('price > %s', [a])",
        # A query from a parameter: nothing to judge.
        "def run(cur, sql):\n    cur.execute(sql)",
    ],
)
def test_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source) == []


def test_local_query_variables_are_followed_within_the_function(catalog: Catalog) -> None:
    source = """
        def a(cur, name):
            sql = "SELECT * FROM t WHERE 1 = 1"
            sql += f" AND name = '{name}'"
            cur.execute(sql)

        def b(cur, name):
            sql = "SELECT * FROM t WHERE name = %s"
            sql += " ORDER BY id"
            cur.execute(sql, [name])

        def c(cur):
            cur.execute(sql)

        def d(cur, ids):
            marks = ", ".join(["%s"] * len(ids))
            cur.execute(f"SELECT * FROM t WHERE id IN ({marks})", ids)

        def e(cur, table):
            qn = connection.ops.quote_name
            cur.execute("SELECT * FROM %s" % qn(table))
    """
    found = flagged(catalog, source)
    assert [line for line, _ in found] == [5]
    assert "(through `sql`)" in found[0][1]


def test_message_says_what_to_do(catalog: Catalog) -> None:
    [(_, message)] = flagged(catalog, "cur.execute(f'SELECT {a}')")
    assert "parameters" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cursor.execute(sql)\n", True),
        ("qs.extra(where=w)\n", True),
        ("from sqlalchemy import text\n", True),
        ("print('SELECT 1')\n", False),
    ],
)
def test_prefilter(text: str, expected: bool) -> None:
    assert SqlStringBuilding.may_match(text, text.casefold()) is expected
