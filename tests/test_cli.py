"""The command line as users run it: real processes, real files in tmp_path."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import run_cli as run

PICKLE = "import pickle\n\ndef load(blob):\n    return pickle.loads(blob)\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "store.py").write_text(PICKLE)
    (tmp_path / "app" / "clean.py").write_text("x = 1\n")
    (tmp_path / "pyproject.toml").write_text('[tool.integrity-lint]\nselect = ["SEC", "INT"]\n')
    return tmp_path


def test_check_reports_findings_and_exits_1(project):
    result = run("check", cwd=project)
    assert result.returncode == 1, result.stderr
    assert "app/store.py:4:12: SEC306 [error]" in result.stdout
    assert "Found 1 finding (1 error; security 1) in 2 files." in result.stdout
    assert result.stderr == ""


def test_clean_project_exits_0(project):
    result = run("check", "app/clean.py", cwd=project)
    assert (result.returncode, result.stdout) == (0, "No findings in 1 file.\n")


def test_json_report_matches_the_spec_field_for_field(project):
    result = run("check", "--format", "json", cwd=project)
    document = json.loads(result.stdout)
    assert list(document) == ["tool", "findings", "suppressed", "summary"]
    assert document["tool"]["name"] == "integrity-lint"
    [finding] = document["findings"]
    assert list(finding) == [
        "code", "name", "pillar", "severity", "path", "line", "column", "end_line",
        "end_column", "message", "fingerprint", "fix", "help_uri",
    ]  # fmt: skip
    assert (finding["path"], finding["line"], finding["column"]) == ("app/store.py", 4, 12)
    assert finding["fix"] is None
    assert document["summary"] == {
        "files": 2,
        "findings": 1,
        "by_severity": {"error": 1},
        "by_pillar": {"security": 1},
    }


def test_output_file_fail_on_and_exit_zero(project):
    report = project / "report.json"
    result = run("check", "--format", "json", "--output", str(report), cwd=project)
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads(report.read_text())["summary"]["findings"] == 1
    (project / "pyproject.toml").write_text(
        '[tool.integrity-lint]\nselect = ["SEC"]\n[tool.integrity-lint.severity]\nSEC306 = "info"\n'
    )
    assert run("check", cwd=project).returncode == 0
    assert run("check", "--fail-on", "info", cwd=project).returncode == 1
    assert run("check", "--fail-on", "info", "--exit-zero", cwd=project).returncode == 0


def test_select_ignore_and_statistics_flags(project):
    assert run("check", "--ignore", "SEC306", cwd=project).returncode == 0
    assert run("check", "--select", "INT", cwd=project).returncode == 0
    result = run("check", "--statistics", cwd=project)
    assert "     1  SEC306  unsafe-deserialization" in result.stdout


def test_unknown_code_on_the_command_line_is_exit_2_with_a_hint(project):
    result = run("check", "--select", "SEC36", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "integrity-lint: error: --select: unknown rule code or name 'SEC36' "
        "(did you mean 'SEC306'?)"
    ]


def test_bad_config_is_exit_2_one_line_no_traceback(project):
    (project / "pyproject.toml").write_text('[tool.integrity-lint]\nselekt = ["SEC"]\n')
    result = run("check", cwd=project)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "pyproject.toml:2: [tool.integrity-lint] selekt: unknown key" in lines[0]


def test_explicit_config_and_missing_paths(project, tmp_path):
    other = project / "strict.toml"
    other.write_text('select = ["INT"]\n')
    assert run("check", "--config", str(other), cwd=project).returncode == 0
    missing = run("check", "--config", "nope.toml", cwd=project)
    assert missing.returncode == 2 and "configuration file not found" in missing.stderr
    result = run("check", "no/such/dir", cwd=project)
    assert result.returncode == 2 and "no such file or folder: no/such/dir" in result.stderr


def test_syntax_error_does_not_stop_other_files(project):
    (project / "app" / "broken.py").write_text("def f(:\n    pass\n")
    result = run("check", cwd=project)
    assert "app/broken.py:1:7: INT001" in result.stdout
    assert "app/store.py:4:12: SEC306" in result.stdout


def test_exclude_applies_to_files_named_explicitly(project):
    (project / "pyproject.toml").write_text(
        '[tool.integrity-lint]\nselect = ["SEC"]\nexclude = ["app/store.py"]\n'
    )
    result = run("check", "app/store.py", cwd=project)
    assert (result.returncode, result.stdout) == (0, "No findings in 0 files.\n")


def test_stdin_filename(project):
    result = run("check", "--stdin-filename", "app/new.py", cwd=project, stdin=PICKLE)
    assert result.returncode == 1
    assert "app/new.py:4:12: SEC306" in result.stdout


def test_show_suppressed_lists_reasons(project):
    (project / "app" / "store.py").write_text(
        "import pickle\nx = pickle.loads(b'')  # integrity: ignore[SEC306] our own cache file\n"
    )
    result = run("check", "--show-suppressed", cwd=project)
    assert result.returncode == 0
    assert "Suppressed findings:" in result.stdout
    assert "reason: our own cache file" in result.stdout
    data = json.loads(run("check", "--format", "json", cwd=project).stdout)
    assert data["suppressed"][0]["reason"] == "our own cache file"


def test_explain_by_code_and_name_and_unknown(tmp_path):
    by_code = run("explain", "SEC306", cwd=tmp_path)
    assert by_code.returncode == 0
    assert "SEC306 unsafe-deserialization" in by_code.stdout
    assert "best practice 3" in by_code.stdout and "Why it matters" in by_code.stdout
    assert "return yaml.safe_load(text)" in by_code.stdout
    assert run("explain", "unsafe-deserialization", cwd=tmp_path).stdout == by_code.stdout
    unknown = run("explain", "SEC3066", cwd=tmp_path)
    assert unknown.returncode == 2 and "did you mean 'SEC306'" in unknown.stderr


def test_rules_formats_and_pillar_filter(tmp_path):
    data = json.loads(run("rules", "--format", "json", cwd=tmp_path).stdout)
    assert {"code": "SEC306", "pillar": "security", "severity": "error"}.items() <= next(
        r for r in data if r["code"] == "SEC306"
    ).items()
    table = run("rules", "--pillar", "linter", cwd=tmp_path).stdout
    assert "INT001" in table and "SEC306" not in table
    markdown = run("rules", "--format", "markdown", cwd=tmp_path).stdout
    assert "### Security" in markdown and "[SEC306](" in markdown


def test_version(tmp_path):
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("integrity-lint, version ")


def test_a_process_pool_gives_byte_identical_reports(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.integrity-lint]\nmanifest = ["m.toml"]\n')
    (tmp_path / "m.toml").write_text('[telemetry]\nsdks = ["segment"]\n')
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "t.py").write_text(
        "import segment.analytics as analytics\n\n\ndef emit(event, props):\n"
        "    analytics.track('u', event, props)\n"
    )
    for n in range(40):
        (tmp_path / "app" / f"m{n:02d}.py").write_text(
            f"{PICKLE}\nfrom app.t import emit\n\nemit('Event {n % 3}', {{'k{n}': 1}})\n"
            + ("def f(:\n" if n == 7 else "")
        )
    one = run("check", "--format", "json", "--jobs", "1", cwd=tmp_path)
    two = run("check", "--format", "json", "--jobs", "2", cwd=tmp_path)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    codes = {f["code"] for f in json.loads(one.stdout)["findings"]}
    assert {"SEC306", "PRV102", "INT001"} <= codes


def _check_in_a_terminal(project: Path) -> tuple[str, str]:
    """``check`` with stderr on a pseudo-terminal: (stdout, what the terminal showed)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "integrity_lint", "check", "--no-cache", "--jobs", "1"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=terminal,
    )
    os.close(terminal)
    shown = b""
    while chunk := _read_terminal(controller):  # read as it comes: a full terminal blocks
        shown += chunk
    os.close(controller)
    stdout = process.stdout.read() if process.stdout else b""
    process.wait(timeout=60)
    return stdout.decode(), shown.decode(errors="replace")


def _read_terminal(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # the program ended and closed its side
        return b""


def test_a_progress_bar_on_a_terminal_for_many_files_only(tmp_path: Path) -> None:
    for n in range(120):
        (tmp_path / f"m{n}.py").write_text("x = 1\n")
    (tmp_path / "pyproject.toml").write_text("[tool.integrity-lint]\n")
    stdout, shown = _check_in_a_terminal(tmp_path)
    assert "checking" in shown and "100%" in shown
    assert "checking" not in stdout
    assert run("check", "--no-cache", cwd=tmp_path).stderr == ""
    for n in range(30, 120):
        (tmp_path / f"m{n}.py").unlink()
    _, few = _check_in_a_terminal(tmp_path)
    assert "checking" not in few
