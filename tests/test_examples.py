"""The bundled example project: what the README's quick start shows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import run_cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_the_quick_start_shows_every_pillar_and_the_declared_data_checks(tmp_path):
    project = tmp_path / "examples"
    shutil.copytree(EXAMPLES, project)
    result = run_cli("check", "--format", "json", cwd=project)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    found = {(f["path"], f["code"]) for f in report["findings"]}
    assert found == {
        ("data-manifest.toml", "PRV604"),
        ("shop/accounts.py", "PRV102"),
        ("shop/cache.py", "SEC306"),
        ("shop/export.py", "SEC307"),
        ("shop/models.py", "PRV601"),
        ("shop/models.py", "INC502"),
        ("shop/payments.py", "SEC301"),
        ("shop/settings.py", "SEC313"),
        ("shop/settings.py", "INC501"),
    }
    assert len(report["suppressed"]) == 1
