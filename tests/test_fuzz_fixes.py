"""``--fix --unsafe-fixes`` on the rule examples and their mutations, in every kind of file.

Whatever the program, a fix run writes only files that parse, keeps the file's mode bits,
line endings (CRLF stays CRLF, LF stays LF), BOM and encoding cookie, and a second run
changes nothing. Writes are atomic: an interrupted write leaves the original and no
temporary file.
"""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from integrity_lint.fixes import write_atomically
from integrity_lint.run import CheckRequest, run_check

from .conftest import make_settings
from .fuzzing import FULL_CONFIG, budget, catalog, example_sources, mutated_examples, parses

# Rule examples with fixes come first in the pool, so that most programs have something to fix.
FIXABLE = tuple(
    example.source
    for rule in catalog().rules
    if rule.fix != "none" or rule.code == "INT002"
    for example in rule.examples()
    if parses(example.source)
)
# Suppressions whose codes are partly or wholly unused: INT002's safe fix edits them.
SUPPRESSIONS = (
    "value = 1  # integrity: ignore[SEC306,SEC313] left over from a refactor\n",
    "# integrity: ignore[SEC306]\nvalue = 1\n",
    "value = 1  # integrity: ignore[ SEC306 , unsafe-deserialization ]\n",
    "value = 1  # integrity: fixme[SEC306] until=2099-01-01 waiting on the vendor\n",
    "value = 1  # noqa: E501  # integrity: ignore[SEC306]\n",
    "value = '#'  # integrity: ignore[SEC306,INC501] é\n",
    "if True:\n    value = 1  # integrity: ignore[SEC306]\n",
)


def _fix(root: Path, path: Path) -> int:
    settings = make_settings(catalog(), FULL_CONFIG, select=tuple(catalog().codes), root=root)
    return run_check(settings, CheckRequest(paths=(path,), fix="unsafe")).fixed


@st.composite
def source_files(draw: st.DrawFn) -> tuple[bytes, str, bool, str | None]:
    """A program as file bytes, with its newline, BOM and encoding cookie."""
    source = draw(
        st.one_of(st.sampled_from(FIXABLE), mutated_examples(), st.sampled_from(example_sources()))
    )
    if draw(st.booleans()):
        source += draw(st.sampled_from(SUPPRESSIONS))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    cookie = draw(st.sampled_from([None, "utf-8", "latin-1"]))
    if cookie == "latin-1" and not source.isascii():
        cookie = "utf-8"
    bom = cookie != "latin-1" and draw(st.booleans())
    if cookie is not None:
        source = f"# -*- coding: {cookie} -*-\n{source}"
    text = newline.join(source.splitlines()) + (newline if draw(st.booleans()) else "")
    data = text.encode(cookie or "utf-8")
    return (codecs.BOM_UTF8 + data if bom else data), newline, bom, cookie


@budget(ci_examples=60)
@given(source_files(), st.sampled_from([0o644, 0o600, 0o755, 0o640]))
def test_fix_keeps_the_file_kind_and_is_idempotent(
    file: tuple[bytes, str, bool, str | None], mode: int
) -> None:
    data, newline, bom, cookie = file
    note(data.decode("latin-1"))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / "app.py"
        path.write_bytes(data)
        path.chmod(mode)
        fixed = _fix(root, path)
        after = path.read_bytes()
        assert stat.S_IMODE(path.stat().st_mode) == mode
        assert sorted(p.name for p in root.iterdir()) == ["app.py"]  # no temporary file left
        if after != data:
            assert fixed > 0
            assert parses(after)
        if not parses(data):
            assert after == data
        if newline == "\r\n":
            assert after.count(b"\n") == after.count(b"\r\n")
        else:
            assert b"\r" not in after
        assert after.startswith(codecs.BOM_UTF8) == bom
        if cookie is not None:
            first = after.removeprefix(codecs.BOM_UTF8).split(newline.encode(), 1)[0]
            assert first == f"# -*- coding: {cookie} -*-".encode()
        assert _fix(root, path) == 0
        assert path.read_bytes() == after


def _failing(*_: object) -> None:
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("step", ["replace", "fsync", "chmod"])
def test_an_interrupted_write_keeps_the_original_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    path = tmp_path / "app.py"
    path.write_bytes(b"import requests\nrequests.get(url, verify=False, timeout=5)\n")
    monkeypatch.setattr(os, step, _failing)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(path, b"half")
    monkeypatch.undo()
    assert path.read_bytes() == b"import requests\nrequests.get(url, verify=False, timeout=5)\n"
    assert [p.name for p in tmp_path.iterdir()] == ["app.py"]


def test_a_fix_run_whose_write_fails_keeps_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = b"import requests\r\nrequests.get(url, verify=False, timeout=5)\r\n"
    path = tmp_path / "app.py"
    path.write_bytes(original)
    monkeypatch.setattr(os, "replace", _failing)
    with pytest.raises(OSError):
        _fix(tmp_path, path)
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["app.py"]
    assert _fix(tmp_path, path) == 1  # the same run, once the disk has room, fixes it
    assert b"verify=False" not in path.read_bytes()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_fix_run_as_root_keeps_the_files_owner(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_bytes(b"import requests\nrequests.get(url, verify=False, timeout=5)\n")
    os.chown(path, 4321, 8765)
    assert _fix(tmp_path, path) == 1
    assert (path.stat().st_uid, path.stat().st_gid) == (4321, 8765)
