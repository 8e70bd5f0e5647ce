"""Running the real command line in-process over a project in tmp_path, and reading its JSON."""

from __future__ import annotations

import json
import os
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from integrity_lint.cli import main

# A file with one known finding, put beside every hostile file: it must still be reported.
GOOD = b'import requests\n\nrequests.get("https://api.example.org", verify=False, timeout=5)\n'
GOOD_FINDING = ("good.py", 3, "SEC301")
# The same finding on one line, to append to a hostile file that should still be checked.
FINDING_LINE = b'requests.get("https://api.example.org", verify=False, timeout=5)\n'


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict[str, Any]:
        return json.loads(self.stdout)

    @property
    def found(self) -> set[tuple[str, int, str]]:
        """``(path, line, code)`` of every finding."""
        return {(f["path"], f["line"], f["code"]) for f in self.report["findings"]}

    def findings(self, path: str) -> list[dict[str, Any]]:
        return [f for f in self.report["findings"] if f["path"] == path]

    def error_line(self) -> str:
        """The one line a configuration or manifest error prints, checked to be alone."""
        lines = self.stderr.splitlines()
        assert self.code == 2, (self.code, self.stdout, self.stderr)
        assert len(lines) == 1, self.stderr
        assert lines[0].startswith("integrity-lint: error: "), self.stderr
        assert self.stdout == ""
        return lines[0].removeprefix("integrity-lint: error: ")


def check(project: Path, *args: str, json_report: bool = True) -> Run:
    """``integrity-lint check --no-cache [--format json] ARGS`` run in ``project``."""
    options = ["--no-cache", *(["--format", "json"] if json_report else []), *args]
    previous = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["check", *options])
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("".join(traceback.format_exception(*result.exc_info)))
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return Run(result.exit_code, result.stdout, result.stderr)


def project_with(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    """A project folder holding ``good.py`` and ``files``."""
    root = tmp_path / "project"
    root.mkdir(exist_ok=True)
    (root / "good.py").write_bytes(GOOD)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root
