"""The per-file engine under hostile input: the large-stack thread leaves the process as it
found it, and standard input is checked like a file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner

from integrity_lint import filepass
from integrity_lint.catalog import load_catalog
from integrity_lint.checks.base import Check
from integrity_lint.cli import main
from integrity_lint.config import Config, RunOptions, Settings
from integrity_lint.engine import lint_source

from .support import FINDING_LINE, GOOD_FINDING, check, project_with


def test_checking_a_file_leaves_the_recursion_limit_as_it_was() -> None:
    settings = Settings(Config(root=Path(".")), load_catalog(), RunOptions())
    before = sys.getrecursionlimit()
    lint_source(b"import requests\n" + FINDING_LINE, "a.py", settings)
    assert sys.getrecursionlimit() == before


def test_a_deep_manifest_loaded_after_a_check_is_an_error_not_a_segfault(tmp_path: Path) -> None:
    """The raised limit used to stay on for the whole process: the main thread, with its
    ordinary stack, then overflowed it on a deeply nested JSON manifest (exit 139)."""
    (tmp_path / "plan.json").write_text("[" * 100_000 + "]" * 100_000)
    script = (
        "from pathlib import Path\n"
        "from integrity_lint.catalog import load_catalog\n"
        "from integrity_lint.config import Config, RunOptions, Settings\n"
        "from integrity_lint.engine import lint_source\n"
        "from integrity_lint.manifest import ManifestError, load_manifest\n"
        "settings = Settings(Config(root=Path('.')), load_catalog(), RunOptions())\n"
        "lint_source(b'x = 1\\n', 'a.py', settings)\n"
        "try:\n"
        "    load_manifest(('plan.json',), Path('.'))\n"
        "except ManifestError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout) == (0, "plan.json: nested too deeply to load\n")


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"x = 1\x00\n", 1, "syntax error: source code cannot contain null bytes"),
        (b'x = "\xff"\n', 1, "cannot decode file: invalid or missing encoding declaration"),
        (b"x = " + b"[" * 1000 + b"]" * 1000 + b"\n", 1, "syntax error: too many nested"),
        (b'print "py2"\n', 1, "syntax error: Missing parentheses in call to 'print'"),
    ],
    ids=["nul", "undecodable", "deep-brackets", "python-2"],
)
def test_hostile_standard_input_is_int001(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, line: int, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--format", "json", "--stdin-filename", "in.py"], input=data
    )
    assert result.exit_code == 1, result.output
    assert '"code": "INT001"' in result.stdout
    assert f'"line": {line},' in result.stdout
    assert message in result.stdout


def test_odd_but_valid_standard_input_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = b"\xef\xbb\xbfimport requests\r\n" + FINDING_LINE.replace(b"\n", b"\r\n")
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--format", "json", "--stdin-filename", "in.py"], input=data
    )
    assert result.exit_code == 1
    assert '"code": "SEC301"' in result.stdout and '"line": 2,' in result.stdout


def test_a_failure_outside_the_checks_visit_is_int006_for_that_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the checks' visit was guarded: an error reading suppressions, collecting
    telemetry facts or placing findings ended the whole run with a traceback."""
    real = filepass.find_suppressions

    def failing(source: str) -> object:
        if "FAIL HERE" in source:
            raise ValueError("broken on purpose")
        return real(source)

    monkeypatch.setattr(filepass, "find_suppressions", failing)
    root = project_with(tmp_path, {"bad.py": b"import requests\n# FAIL HERE\n" + FINDING_LINE})
    run = check(root)
    assert run.code == 1
    assert [(f["code"], f["message"]) for f in run.findings("bad.py")] == [
        ("INT006", "checking this file failed: ValueError: broken on purpose")
    ]
    assert GOOD_FINDING in run.found


def test_a_check_that_raises_on_hostile_input_is_int006_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Fragile(Check):
        codes = ("SEC306",)

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == "trigger":
                raise RecursionError("too deep for this check")

    checks = filepass.all_checks()
    monkeypatch.setattr(filepass, "all_checks", lambda: (Fragile, *checks))
    root = project_with(tmp_path, {"bad.py": b"import requests\ntrigger = 1\n" + FINDING_LINE})
    run = check(root)
    assert run.code == 1
    findings = [(f["code"], f["line"]) for f in run.findings("bad.py")]
    assert findings == [("INT006", 1), ("SEC301", 3)]  # the other checks still ran
    assert "Fragile (SEC306)" in run.findings("bad.py")[0]["message"]
    assert GOOD_FINDING in run.found
