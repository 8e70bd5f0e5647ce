from __future__ import annotations

import json
from collections import Counter

import pytest

from integrity_lint.baseline import (
    BaselineError,
    apply_baseline,
    entries_for,
    load_baseline,
    subtract,
    write_baseline,
)
from integrity_lint.report.model import Finding

from .conftest import run_cli as run


def finding(fingerprint: str, line: int = 1, path: str = "a.py") -> Finding:
    return Finding(
        code="SEC306", name="unsafe-deserialization", pillar="security", severity="error",
        path=path, line=line, column=1, end_line=line, end_column=2, message="m",
        fingerprint=fingerprint, help_uri="u",
    )  # fmt: skip


def test_n_identical_findings_baselined_hide_exactly_n():
    entries = entries_for([finding("x", 1), finding("x", 2)])
    assert [(e.fingerprint, e.count) for e in entries] == [("x", 2)]
    kept, stale = apply_baseline([finding("x", 1), finding("x", 5), finding("x", 9)], entries)
    assert [f.line for f in kept] == [9] and stale == 0


def test_stale_entries_are_counted():
    entries = entries_for([finding("x"), finding("gone"), finding("gone", 3)])
    kept, stale = apply_baseline([finding("x")], entries)
    assert kept == [] and stale == 2


def test_subtract_keeps_report_order():
    kept, left = subtract([finding("a", 1), finding("b", 2), finding("a", 3)], Counter(a=1, c=1))
    assert [f.line for f in kept] == [2, 3] and left == Counter(c=1)


def test_file_is_sorted_without_timestamps_and_round_trips(tmp_path):
    path = tmp_path / "baseline.json"
    write_baseline(path, entries_for([finding("b", path="z.py"), finding("a", path="a.py")]))
    document = json.loads(path.read_text())
    assert set(document) == {"tool", "version", "findings"}
    assert [e["path"] for e in document["findings"]] == ["a.py", "z.py"]
    assert "line" not in document["findings"][0]
    assert load_baseline(path) == entries_for(
        [finding("a", path="a.py"), finding("b", path="z.py")]
    )


@pytest.mark.parametrize("text", ["{", "[]", '{"findings": [{"code": "X"}]}'])
def test_bad_baseline_files_are_errors(tmp_path, text):
    path = tmp_path / "baseline.json"
    path.write_text(text)
    with pytest.raises(BaselineError, match="baseline"):
        load_baseline(path)


PICKLE = "import pickle\n\ndef load(blob):\n    return pickle.loads(blob)\n"


def test_write_baseline_then_only_new_findings_fail(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.integrity-lint]\nbaseline = ".integrity-baseline.json"\n'
    )
    (tmp_path / "a.py").write_text(PICKLE)
    written = run("check", "--write-baseline", ".integrity-baseline.json", cwd=tmp_path)
    assert written.returncode == 0
    assert "wrote 1 baseline entry" in written.stderr
    clean = run("check", cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout
    assert "1 in the baseline" in clean.stdout
    # Lines added above do not change the fingerprint.
    (tmp_path / "a.py").write_text("# header\n\n" + PICKLE)
    assert run("check", cwd=tmp_path).returncode == 0
    # A second identical finding is new.
    (tmp_path / "a.py").write_text(PICKLE + "\ndef again(blob):\n    return pickle.loads(blob)\n")
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1 and "a.py:7:12: SEC306" in result.stdout


def test_stale_baseline_is_reported_and_pruned(tmp_path):
    (tmp_path / "a.py").write_text(PICKLE)
    run("check", "--write-baseline", "base.json", cwd=tmp_path)
    (tmp_path / "a.py").write_text("x = 1\n")
    result = run("check", "--baseline", "base.json", cwd=tmp_path)
    assert result.returncode == 0
    assert "1 baseline finding(s) in base.json no longer occur" in result.stderr
    run("check", "--write-baseline", "base.json", cwd=tmp_path)
    assert json.loads((tmp_path / "base.json").read_text())["findings"] == []


def test_missing_explicit_baseline_is_exit_2(tmp_path):
    result = run("check", "--baseline", "nope.json", cwd=tmp_path)
    assert result.returncode == 2 and "--write-baseline" in result.stderr
