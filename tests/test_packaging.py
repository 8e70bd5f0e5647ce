"""The rule catalog ships inside the wheel and works from an editable install (SPEC §2)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from integrity_lint.resources import rules_dir

ROOT = Path(__file__).resolve().parent.parent


def test_editable_install_reads_the_repository_catalog():
    assert rules_dir() == ROOT / "rules"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("integrity_lint-*.whl")
    return built


def test_wheel_contains_every_rule_file_and_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        f"integrity_lint/rules/{p.relative_to(ROOT / 'rules').as_posix()}"
        for p in (ROOT / "rules").rglob("*")
        if p.is_file()
    }
    assert shipped and shipped <= names
    assert "integrity_lint/cli.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert (
        "integrity-lint = integrity_lint.__main__:main"
        in zipfile.ZipFile(wheel).read(entry_points).decode()
    )


def test_unpacked_wheel_explains_rules_from_its_own_catalog(wheel, tmp_path):
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "from integrity_lint.resources import rules_dir; print(rules_dir())",
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(probe.stdout.strip()) == target / "integrity_lint" / "rules"
    explained = subprocess.run(
        [sys.executable, "-m", "integrity_lint", "explain", "SEC306"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert explained.returncode == 0, explained.stderr
    assert "unsafe-deserialization" in explained.stdout
