"""The per-file cache: same results warm and cold, invalidated by content and configuration,
and never trusting an entry it did not sign."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import run_cli

PICKLE = "import pickle\n\ndef load(blob):\n    return pickle.loads(blob)\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.integrity-lint]\n")
    (root / "app" / "store.py").write_text(PICKLE)
    (root / "app" / "clean.py").write_text("x = 1\n")
    return root


def entries(root: Path) -> list[Path]:
    """The cache's entries (in its shard folders, not its own .gitignore and marker)."""
    cache = root / ".integrity-lint-cache"
    return [p for p in cache.rglob("*") if p.is_file() and p.parent != cache]


def test_a_warm_run_reports_the_same_and_changes_are_seen(project):
    cold = run_cli("check", "--format", "json", cwd=project)
    warm = run_cli("check", "--format", "json", cwd=project)
    assert cold.returncode == warm.returncode == 1
    assert cold.stdout == warm.stdout
    cache = project / ".integrity-lint-cache"
    assert (cache / ".gitignore").read_text().endswith("*\n")
    assert len(entries(project)) == 2
    (project / "app" / "store.py").write_text("import json\n")
    assert run_cli("check", cwd=project).returncode == 0
    changed = run_cli("check", "--select", "INT", "--format", "json", cwd=project)
    assert changed.returncode == 0 and '"findings": []' in changed.stdout


def test_no_cache_and_cache_dir(project, tmp_path):
    run_cli("check", "--no-cache", cwd=project)
    assert not (project / ".integrity-lint-cache").exists()
    elsewhere = tmp_path / "cache-elsewhere"
    run_cli("check", "--cache-dir", str(elsewhere), cwd=project)
    assert (elsewhere / ".gitignore").is_file()
    assert not (project / ".integrity-lint-cache").exists()


def test_corrupt_and_planted_entries_are_recomputed_never_loaded(project, tmp_path):
    first = run_cli("check", "--format", "json", cwd=project)
    marker = tmp_path / "planted-code-ran"
    planted = pickle.dumps(_Planted(str(marker)))
    for number, entry in enumerate(entries(project)):
        if number % 2:
            entry.write_bytes(b"garbage")
        else:  # the right header, an entry a repository could carry, but not signed by us
            entry.write_bytes(b"integrity-lint-cache/1\n" + b"\0" * 32 + planted)
    again = run_cli("check", "--format", "json", cwd=project)
    assert again.stdout == first.stdout
    assert not marker.exists()


class _Planted:
    """Unpickling this runs code: what a malicious cache entry would do."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (os.mkdir, (self.path,))


def test_the_key_follows_the_configuration(project):
    run_cli("check", cwd=project)
    (project / "pyproject.toml").write_text('[tool.integrity-lint]\nignore = ["SEC306"]\n')
    assert run_cli("check", cwd=project).returncode == 0


def test_a_cached_run_in_another_process_does_not_load_libcst(project):
    run_cli("check", cwd=project)
    probe = (  # the command, told to say at its end whether libcst was loaded
        "import sys\nimport integrity_lint.__main__ as command\nend = command.end\n"
        "command.end = lambda code: (print('libcst loaded' if 'libcst' in sys.modules"
        " else 'no libcst'), end(code))\n"
        "sys.argv = ['integrity-lint', 'check']\ncommand.main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stderr
    assert "SEC306" in result.stdout
    assert result.stdout.rstrip().endswith("no libcst")
    store = project / "app" / "store.py"
    store.write_text(store.read_text() + "\n# changed\n")
    changed = subprocess.run(
        [sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, check=False
    )
    assert changed.stdout.rstrip().endswith("libcst loaded")  # a changed file is parsed


def test_entries_unused_for_two_weeks_are_swept_and_used_ones_renewed(project):
    run_cli("check", cwd=project)
    cache = project / ".integrity-lint-cache"
    weeks_ago = time.time() - 15 * 24 * 3600
    used = entries(project)
    for entry in used:
        os.utime(entry, (weeks_ago, weeks_ago))
    stale = cache / "ab" / ("ab" + "0" * 62)
    stale.parent.mkdir()
    stale.write_bytes(b"integrity-lint-cache/1\n" + b"\0" * 32 + b"of code no file has now")
    os.utime(stale, (weeks_ago, weeks_ago))
    run_cli("check", cwd=project)  # reads, so renews, the entries it uses
    assert all(time.time() - p.stat().st_mtime < 3600 for p in used)
    assert stale.exists()  # a run that writes nothing does not sweep
    (project / "app" / "new.py").write_text("y = 2\n")
    os.utime(cache / ".swept", (weeks_ago, weeks_ago))
    run_cli("check", cwd=project)
    assert not stale.exists() and not stale.parent.exists()
    assert all(entry.exists() for entry in used) and len(entries(project)) == 3


def test_the_sweep_removes_only_its_own_entries_and_follows_no_link(project, tmp_path):
    """A repository could carry the cache folder or a shard as a link to the user's files,
    or files of its own in the cache: none of them is removed, however old."""
    run_cli("check", cwd=project)
    cache = project / ".integrity-lint-cache"
    weeks_ago = time.time() - 15 * 24 * 3600
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    precious = elsewhere / ("cd" + "0" * 62)
    precious.write_bytes(b"integrity-lint-cache/1\n" + b"not in the cache")
    (cache / "cd").symlink_to(elsewhere)
    foreign = cache / "ef" / ("ef" + "1" * 62)
    foreign.parent.mkdir()
    foreign.write_bytes(b"not an entry: no header")
    notes = cache / "ef" / "notes.txt"
    notes.write_bytes(b"integrity-lint-cache/1\n")
    for path in (precious, foreign, notes):
        os.utime(path, (weeks_ago, weeks_ago))
    (project / "app" / "new.py").write_text("y = 2\n")
    os.utime(cache / ".swept", (weeks_ago, weeks_ago))
    run_cli("check", cwd=project)
    assert precious.exists() and foreign.exists() and notes.exists()
    assert time.time() - (cache / ".swept").stat().st_mtime < 3600  # it did sweep

    linked = tmp_path / "linked-project"
    linked.mkdir()
    (linked / "pyproject.toml").write_text("[tool.integrity-lint]\n")
    (linked / "a.py").write_text("x = 1\n")
    (linked / ".integrity-lint-cache").symlink_to(elsewhere)
    run_cli("check", cwd=linked)
    assert precious.exists()
    assert not (elsewhere / ".gitignore").exists()  # it would hide the user's files from git
    assert sorted(elsewhere.iterdir()) == [precious]  # no entries written there either


def test_no_entry_is_written_through_a_linked_shard(project, tmp_path):
    run_cli("check", cwd=project)
    cache = project / ".integrity-lint-cache"
    shards = sorted(path for path in cache.iterdir() if path.is_dir())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for shard in shards:  # every shard the run used is now a link to a folder of the user's
        for entry in shard.iterdir():
            entry.unlink()
        shard.rmdir()
        shard.symlink_to(elsewhere)
    result = run_cli("check", cwd=project)
    assert result.returncode in (0, 1), result.stderr
    assert not list(elsewhere.iterdir())


def test_the_cache_is_swept_at_most_once_a_day(project):
    run_cli("check", cwd=project)
    cache = project / ".integrity-lint-cache"
    weeks_ago = time.time() - 15 * 24 * 3600
    stale = cache / "ab" / ("ab" + "0" * 62)
    stale.parent.mkdir()
    stale.write_bytes(b"integrity-lint-cache/1\n" + b"old")
    os.utime(stale, (weeks_ago, weeks_ago))
    (project / "app" / "new.py").write_text("y = 2\n")
    run_cli("check", cwd=project)  # the first run swept an hour ago at most
    assert stale.exists()


def in_process(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[Path]]:
    """``check --format json`` in this process, and the source files it read."""
    from click.testing import CliRunner

    from integrity_lint import engine
    from integrity_lint.cli import main

    read: list[Path] = []
    real = engine.read_regular_file
    monkeypatch.setattr(engine, "read_regular_file", lambda p: (read.append(p), real(p))[1])
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["check", "--format", "json"])
    return result.output, read


def test_an_unchanged_file_is_known_by_its_status_and_not_read(project, monkeypatch):
    from integrity_lint import cache

    monkeypatch.setattr(cache, "_SETTLED_NS", 0)
    cold, _ = in_process(project, monkeypatch)
    warm, read = in_process(project, monkeypatch)
    assert warm == cold and "SEC306" in warm
    assert read == []
    store = project / "app" / "store.py"
    same_size = store.read_text().replace("blob", "blab")
    times = store.stat()
    store.write_text(same_size)
    os.utime(store, ns=(times.st_atime_ns, times.st_mtime_ns))  # size and time as before
    changed, read = in_process(project, monkeypatch)
    assert [p.name for p in read] == ["store.py"]  # its change time tells it changed
    assert "SEC306" in changed


def test_a_file_changed_just_now_is_read_whatever_its_status(project, monkeypatch):
    in_process(project, monkeypatch)
    _, read = in_process(project, monkeypatch)
    assert sorted(p.name for p in read) == ["clean.py", "store.py"]


def test_a_damaged_index_only_costs_the_reads(project, monkeypatch):
    from integrity_lint import cache

    monkeypatch.setattr(cache, "_SETTLED_NS", 0)
    cold, _ = in_process(project, monkeypatch)
    [index] = (project / ".integrity-lint-cache").glob("index-*")
    raw = index.read_bytes()
    index.write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))
    warm, read = in_process(project, monkeypatch)
    assert warm == cold
    assert len(read) == 2
