"""Import resolution: what a name in the file stands for, as the visit reaches imports."""

from __future__ import annotations

import libcst as cst

from integrity_lint.analysis.imports import ImportTracker


def test_an_answer_changes_when_an_import_rebinds_the_name() -> None:
    tracker = ImportTracker()
    callee = cst.parse_expression("sp.run")
    assert tracker.qualify(callee) is None
    statement = cst.parse_statement("import subprocess as sp")
    assert isinstance(statement, cst.SimpleStatementLine)
    tracker.visit_Import(statement.body[0])  # type: ignore[arg-type]
    assert tracker.qualify(callee) == "subprocess.run"
    statement = cst.parse_statement("from shlex import quote as sp")
    assert isinstance(statement, cst.SimpleStatementLine)
    tracker.visit_ImportFrom(statement.body[0])  # type: ignore[arg-type]
    assert tracker.qualify(callee) == "shlex.quote.run"


def test_builtins_and_unknown_names() -> None:
    tracker = ImportTracker()
    assert tracker.qualify(cst.parse_expression("eval")) == "builtins.eval"
    assert tracker.qualify(cst.parse_expression("eval.x")) is None
    assert tracker.qualify(cst.parse_expression("f()")) is None
