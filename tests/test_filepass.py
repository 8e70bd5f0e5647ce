"""The per-file pass: its time limit (a file that runs out of time is INT006, the run goes on)
and the parse without node validation."""

from __future__ import annotations

import subprocess
import sys
import time

import libcst as cst
import pytest

from integrity_lint import filepass
from integrity_lint.catalog import Catalog
from integrity_lint.checks.base import Check
from integrity_lint.engine import check_sources
from tests.conftest import make_settings


class Stuck(Check):
    """Spins on files that ask for it, in Python code the stop can interrupt."""

    codes = ("SEC306",)

    def visit_Module(self, node: cst.Module) -> None:
        if "SPIN" in node.code:
            while True:
                time.sleep(0.001)


@pytest.fixture
def stuck(monkeypatch: pytest.MonkeyPatch) -> None:
    checks = filepass.all_checks()
    monkeypatch.setattr(filepass, "all_checks", lambda: (Stuck, *checks))


def test_a_file_out_of_time_is_int006_and_the_others_are_checked(
    catalog: Catalog, stuck: None
) -> None:
    settings = make_settings(catalog, "file-timeout = 0.5")
    sources: list[tuple[str, object]] = [
        ("a.py", b"# SPIN\nx = 1\n"),
        ("b.py", b"import pickle\npickle.loads(b'')\n"),
    ]
    started = time.monotonic()
    report = check_sources(sources, settings)  # type: ignore[arg-type]
    assert time.monotonic() - started < 10
    found = [(f.path, f.code) for f in report.findings]
    assert found == [("a.py", "INT006"), ("b.py", "SEC306")]
    assert "took more than 0.5 s (`file-timeout`)" in report.findings[0].message


def test_a_stopped_file_is_not_cached(catalog: Catalog, stuck: None, tmp_path) -> None:
    from dataclasses import replace

    settings = make_settings(catalog, "file-timeout = 0.3")
    settings = replace(settings, options=replace(settings.options, cache_dir=tmp_path / "c"))
    result = filepass.lint_file(b"# SPIN\n", "a.py", settings)
    assert not result.cacheable
    check_sources([("a.py", b"# SPIN\n")], settings)
    assert not any(p.is_file() and p.name != ".gitignore" for p in (tmp_path / "c").rglob("*"))


def test_no_limit_with_zero(catalog: Catalog) -> None:
    settings = make_settings(catalog, "file-timeout = 0")
    assert settings.config.file_timeout == 0
    result = filepass.lint_file(b"import pickle\npickle.loads(b'')\n", "a.py", settings)
    assert [f.code for f in result.findings] == ["SEC306"]


def test_the_checked_codes_invalid_escapes_print_no_warnings(tmp_path) -> None:
    (tmp_path / "plain.py").write_text('x = "\\}"\n')  # no check needs to parse it
    (tmp_path / "checked.py").write_text('import pickle\nx = "\\}"\npickle.loads(x)\n')
    done = subprocess.run(
        [sys.executable, "-W", "always", "-m", "integrity_lint", "check", "--no-cache", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "SEC306" in done.stdout
    assert done.stderr == ""


def test_nodes_are_validated_again_after_the_parse(catalog: Catalog) -> None:
    """The parse skips libcst's node validation; nodes built later (fixes) are validated."""
    source = b"import pickle\npickle.loads(b'')\n"
    [finding] = check_sources([("a.py", source)], make_settings(catalog)).findings
    assert finding.code == "SEC306"
    with pytest.raises(cst.CSTValidationError):
        cst.Integer("1", lpar=[cst.LeftParen()])


def test_a_parse_that_fails_leaves_validation_on(catalog: Catalog) -> None:
    [finding] = check_sources(
        [("a.py", b"import pickle\nx = (\n")], make_settings(catalog)
    ).findings
    assert finding.code == "INT001"
    with pytest.raises(cst.CSTValidationError):
        cst.Integer("1", lpar=[cst.LeftParen()])


def test_the_telemetry_prefilter_finds_every_sdk_and_wrapper_token() -> None:
    from integrity_lint.analysis.sdks import load_sdk_catalog

    every = (*load_sdk_catalog().import_tokens, "send_event")
    fewest = filepass._telemetry_tokens(("send_event",))
    assert len(fewest) < len(every)
    for token in every:  # a file that names only this one is still collected
        assert any(kept in f"x = '{token}'" for kept in fewest), token
    assert not any(kept in "import requests\n" for kept in fewest)
