"""Inputs the fuzz tests found that broke the run, kept as explicit cases."""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from integrity_lint.report.formats import FORMATS

from .conftest import run_cli
from .report.test_sarif import validate

pytestmark = pytest.mark.skipif(
    sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8"
)


@pytest.fixture
def undecodable(tmp_path: Path) -> Path:
    """A project whose one file's name is not valid UTF-8 (byte 0xFF)."""
    (tmp_path / "integrity-lint.toml").write_text("")
    name = os.fsdecode(b"bad\xffname.py")
    (tmp_path / name).write_text("import pickle\npickle.loads(data)\n")
    return tmp_path


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_undecodable_file_name_is_reported_in_every_format(undecodable: Path, fmt: str):
    # It crashed while hashing the fingerprint, then while printing or writing the report.
    result = run_cli("check", "--no-cache", "--format", fmt, "--output", "out", cwd=undecodable)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    data = (undecodable / "out").read_bytes()
    text = data.decode("utf-8")  # the report is valid UTF-8
    if fmt == "json":
        (item,) = json.loads(text)["findings"]
        assert os.fsencode(item["path"]) == b"bad\xffname.py"
    elif fmt == "sarif":
        document = json.loads(text)
        validate(document)
        location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "bad%FFname.py"
    elif fmt == "gitlab":
        assert json.loads(text)[0]["location"]["path"] == os.fsdecode(b"bad\xffname.py")
    elif fmt == "junit":
        assert ET.fromstring(data).find("testsuite/testcase").get("file") == "badname.py"
    elif fmt == "text":
        # Shown with the byte escaped, and without the terminal's colours in a file.
        assert text.startswith("bad\\xffname.py:2:1: SEC306 [error]")
    else:
        assert "bad\ufffdname.py" in text


def test_an_undecodable_file_name_prints_to_stdout(undecodable: Path):
    result = run_cli("check", "--no-cache", "--format", "json", cwd=undecodable)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["summary"]["findings"] == 1
