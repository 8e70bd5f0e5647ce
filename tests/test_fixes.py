"""Fixes as users run them: `check --fix`, `--unsafe-fixes`, `--diff`, on real files."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from integrity_lint.catalog import load_catalog
from integrity_lint.fixes import Decoded, edit, fix_text, write_atomically
from integrity_lint.report.model import Finding

from .conftest import run_cli
from .report.factories import finding

YAML = (
    "import pickle\n"
    "import yaml\n"
    "\n"
    "\n"
    "def settings(text):\n"
    "    return yaml.load(text)\n"
    "\n"
    "\n"
    "def restore(blob):\n"
    "    return pickle.loads(blob)  # integrity: ignore[SEC306, SEC307] our own cache\n"
)


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli("check", *args, cwd=cwd, stdin=stdin)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.integrity-lint]\nselect = ["SEC", "INT"]\n')
    (tmp_path / "app.py").write_text(YAML)
    return tmp_path


def test_fix_applies_safe_fixes_only_and_exits_1_while_findings_remain(project):
    result = run("--fix", cwd=project)
    assert result.returncode == 1, result.stderr
    text = (project / "app.py").read_text()
    assert "ignore[SEC306] our own cache" in text  # the unused SEC307 went (safe)
    assert "yaml.load(text)" in text  # unsafe: left alone
    assert "fixed 1 finding" in result.stderr
    assert "SEC306" in result.stdout and "INT002" not in result.stdout


def test_unsafe_fixes_and_a_second_run_changes_nothing(project):
    first = run("--fix", "--unsafe-fixes", cwd=project)
    assert first.returncode == 0, first.stdout + first.stderr
    fixed = (project / "app.py").read_bytes()
    assert b"yaml.safe_load(text)" in fixed
    second = run("--fix", "--unsafe-fixes", cwd=project)
    assert second.returncode == 0
    assert "fixed 0 findings" in second.stderr
    assert (project / "app.py").read_bytes() == fixed


def test_diff_prints_the_change_and_writes_nothing(project):
    result = run("--diff", "--unsafe-fixes", cwd=project)
    assert result.returncode == 1
    assert "--- a/app.py\n+++ b/app.py\n" in result.stdout
    assert "-    return yaml.load(text)\n+    return yaml.safe_load(text)\n" in result.stdout
    assert (project / "app.py").read_text() == YAML
    safe_only = run("--diff", cwd=project)
    assert safe_only.returncode == 1
    assert "yaml.safe_load" not in safe_only.stdout
    assert "+    return pickle.loads(blob)  # integrity: ignore[SEC306] our own cache" in (
        safe_only.stdout
    )


def test_unsafe_fixes_alone_and_with_write_baseline_are_usage_errors(project):
    assert run("--unsafe-fixes", cwd=project).returncode == 2
    result = run("--fix", "--write-baseline", "b.json", cwd=project)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1


def test_stdin_fix_prints_the_fixed_source(project):
    result = run("--fix", "--unsafe-fixes", "--stdin-filename", "app.py", cwd=project, stdin=YAML)
    assert result.stdout == YAML.replace("yaml.load", "yaml.safe_load").replace(", SEC307", "")
    assert "No findings" in result.stderr
    assert (project / "app.py").read_text() == YAML


def test_fixes_compose_in_one_file_nested_and_side_by_side(project):
    source = (
        "import requests\n"
        "import yaml\n"
        "\n"
        "a = requests.post(url, verify=False, json=yaml.load(body))\n"
        "b = yaml.load(doc, Loader=yaml.Loader)\n"
        "c = requests.get(url, verify=False,)\n"
    )
    (project / "app.py").write_text(source)
    result = run("--fix", "--unsafe-fixes", cwd=project)
    assert result.returncode == 0, result.stdout
    assert (project / "app.py").read_text() == (
        "import requests\n"
        "import yaml\n"
        "\n"
        "a = requests.post(url, json=yaml.safe_load(body))\n"
        "b = yaml.safe_load(doc)\n"
        "c = requests.get(url,)\n"
    )


def test_fix_keeps_crlf_encoding_bom_and_mode(project):
    source = YAML.replace("\n", "\r\n")
    data = b"\xef\xbb\xbf" + source.encode()
    path = project / "app.py"
    path.write_bytes(data)
    os.chmod(path, 0o640)
    latin = project / "legacy.py"
    latin.write_bytes(
        b"# -*- coding: latin-1 -*-\nname = '\xe9'\nx = 1  # integrity: ignore[SEC306] old\n"
    )
    assert run("--fix", "--unsafe-fixes", cwd=project).returncode == 0
    fixed = path.read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbf")
    assert fixed.count(b"\r\n") == source.count("\r\n") and b"\n" not in fixed.replace(b"\r\n", b"")
    assert b"yaml.safe_load(text)" in fixed
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert latin.read_bytes() == b"# -*- coding: latin-1 -*-\nname = '\xe9'\nx = 1\n"


def test_own_line_suppression_goes_with_its_line(project):
    (project / "app.py").write_text(
        "def f(x):\n    # integrity: ignore[SEC306] trusted\n    return x\n"
    )
    run("--fix", cwd=project)
    assert (project / "app.py").read_text() == "def f(x):\n    return x\n"


def test_symlinked_file_is_fixed_through_the_link(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("real") / "real.py"
    outside.write_text("x = 1  # integrity: ignore[SEC306] old\n")
    (project / "app.py").unlink()
    (project / "link.py").symlink_to(outside)
    run("--fix", "link.py", cwd=project)
    assert (project / "link.py").is_symlink()
    assert outside.read_text() == "x = 1\n"


def _finding(edits: list[dict], applicability: str = "safe") -> Finding:
    return finding(load_catalog(), fix={"applicability": applicability, "edits": edits})


def test_overlapping_fixes_wait_for_the_next_round():
    text = "x = foo(bar(1))\n"
    outer = _finding([edit(1, 5, 1, 16, "baz(1)")])
    inner = _finding([edit(1, 9, 1, 15, "qux")])
    fixed, count = fix_text(text, [outer, inner], unsafe=False)
    assert (fixed, count) == ("x = baz(1)\n", 1)


def test_a_fix_that_breaks_the_syntax_is_dropped_and_the_others_kept():
    text = "a = 1\nb = 2\n"
    broken = _finding([edit(1, 1, 1, 2, "(")])
    good = _finding([edit(2, 5, 2, 6, "3")])
    assert fix_text(text, [broken, good], unsafe=False) == ("a = 1\nb = 3\n", 1)


def test_unsafe_fixes_need_the_unsafe_flag():
    finding = _finding([edit(1, 5, 1, 6, "2")], applicability="unsafe")
    assert fix_text("a = 1\n", [finding], unsafe=False) == ("a = 1\n", 0)
    assert fix_text("a = 1\n", [finding], unsafe=True) == ("a = 2\n", 1)


def test_decoded_round_trips_bytes():
    for data in (b"x = 1\r\n", b"\xef\xbb\xbfx = 1\n", b"# coding: latin-1\ns = '\xe9'\n"):
        decoded = Decoded.of(data)
        assert decoded is not None and decoded.encode(decoded.text) == data
    assert Decoded.of(b"# coding: nonsense\n") is None


def test_write_atomically_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "a.py"
    path.write_text("old\n")
    write_atomically(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.py"]


def test_a_fix_inside_an_indented_multi_line_call_keeps_the_layout(project):
    source = (
        "import requests\n\n\n"
        "def charge(url):\n"
        "    if url:\n"
        "        return requests.post(\n"
        "            url,\n"
        "            timeout=10,\n"
        "            verify=False,\n"
        "        )\n"
    )
    (project / "app.py").write_text(source)
    result = run("--fix", "--unsafe-fixes", cwd=project)
    assert result.returncode == 0, result.stdout
    assert (project / "app.py").read_text() == source.replace("            verify=False,\n", "")
