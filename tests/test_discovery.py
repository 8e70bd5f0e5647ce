from __future__ import annotations

import os
from pathlib import Path

from integrity_lint.discovery import discover


def touch(path: Path, text: str = "x = 1\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def relative(files) -> list[str]:
    return [f.relative for f in files]


def test_walks_python_files_honouring_gitignore_and_exclude(tmp_path):
    (tmp_path / ".git").mkdir()
    touch(tmp_path / ".gitignore", "generated/\n*.gen.py\n")
    touch(tmp_path / "app" / "a.py")
    touch(tmp_path / "app" / "stubs.pyi")
    touch(tmp_path / "app" / "notes.txt")
    touch(tmp_path / "app" / "b.gen.py")
    touch(tmp_path / "generated" / "c.py")
    touch(tmp_path / "app" / "migrations" / "0001.py")
    touch(tmp_path / ".venv" / "lib" / "d.py")
    touch(tmp_path / "app" / "sub" / ".gitignore", "local.py\n")
    touch(tmp_path / "app" / "sub" / "local.py")
    touch(tmp_path / "app" / "sub" / "kept.py")
    files = discover([tmp_path], tmp_path, ("migrations/",))
    assert relative(files) == ["app/a.py", "app/stubs.pyi", "app/sub/kept.py"]


def test_explicit_files_skip_excludes_and_non_python(tmp_path):
    touch(tmp_path / "a.py")
    touch(tmp_path / "vendor" / "b.py")
    touch(tmp_path / "README.md")
    given = [tmp_path / "a.py", tmp_path / "vendor" / "b.py", tmp_path / "README.md"]
    assert relative(discover(given, tmp_path, ("vendor/",))) == ["a.py"]


def test_symlink_loops_terminate_and_duplicates_collapse(tmp_path):
    touch(tmp_path / "pkg" / "a.py")
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "loop")
    files = discover([tmp_path, tmp_path / "pkg" / "a.py"], tmp_path, ())
    assert relative(files)[0] == "pkg/a.py"
    assert len(relative(files)) == len(set(relative(files)))


def test_directory_named_like_a_python_file_is_walked_not_read(tmp_path):
    touch(tmp_path / "weird.py" / "inner.py")
    assert relative(discover([tmp_path], tmp_path, ())) == ["weird.py/inner.py"]
