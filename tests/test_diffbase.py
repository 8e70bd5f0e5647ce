"""--diff-base against real git repositories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import run_cli as run

PICKLE = "import pickle\n\ndef load(blob):\n    return pickle.loads(blob)\n"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "t@example.org")
    git(tmp_path, "config", "user.name", "t")
    git(tmp_path, "config", "commit.gpgsign", "false")
    (tmp_path / "old.py").write_text(PICKLE)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "old finding")
    (tmp_path / "new.py").write_text(PICKLE)
    (tmp_path / "old.py").write_text("# moved down\n" + PICKLE)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "new finding")
    return tmp_path


def test_reports_only_what_the_last_commit_introduced(repo):
    result = run("check", "--diff-base", "HEAD~1", cwd=repo)
    assert result.returncode == 1
    assert "new.py:4:12: SEC306" in result.stdout
    assert "old.py" not in result.stdout


def test_uncommitted_changes_count_and_the_tree_is_untouched(repo):
    (repo / "extra.py").write_text(PICKLE)
    status_before = git(repo, "status", "--porcelain")
    result = run("check", "--diff-base", "HEAD", cwd=repo)
    assert "extra.py:4:12: SEC306" in result.stdout
    assert "new.py" not in result.stdout and "old.py" not in result.stdout
    assert git(repo, "status", "--porcelain") == status_before
    assert git(repo, "worktree", "list").count("\n") == 0


def test_nothing_new_exits_0(repo):
    assert run("check", "--diff-base", "HEAD", cwd=repo).returncode == 0


def test_unknown_ref_and_shallow_clone_hint(repo, tmp_path_factory):
    result = run("check", "--diff-base", "no-such-branch", cwd=repo)
    assert result.returncode == 2
    assert "unknown git ref 'no-such-branch'" in result.stderr
    clone = tmp_path_factory.mktemp("shallow") / "c"
    git(repo.parent, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    shallow = run("check", "--diff-base", "HEAD~1", cwd=clone)
    assert shallow.returncode == 2 and "shallow clone" in shallow.stderr


def test_project_in_a_subfolder_of_the_repository(repo):
    sub = repo / "service"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[tool.integrity-lint]\nselect = ["SEC"]\n')
    (sub / "app.py").write_text(PICKLE)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "service")
    (sub / "more.py").write_text(PICKLE)
    result = run("check", "--diff-base", "HEAD", cwd=sub)
    assert result.returncode == 1
    assert "more.py:4:12: SEC306" in result.stdout and "app.py" not in result.stdout


def test_outside_git_is_exit_2(tmp_path):
    (tmp_path / "a.py").write_text(PICKLE)
    result = run("check", "--diff-base", "HEAD", cwd=tmp_path)
    assert result.returncode == 2 and "not inside a git repository" in result.stderr


TRACK = "import segment.analytics as analytics\n\nanalytics.track(uid, {event!r}, {props})\n"


def test_markdown_summary_lists_the_telemetry_events_a_change_adds_removes_or_changes(repo):
    (repo / "pyproject.toml").write_text('[tool.integrity-lint]\nmanifest = ["m.toml"]\n')
    (repo / "m.toml").write_text('[telemetry]\nsdks = ["segment"]\n')
    (repo / "signup.py").write_text(TRACK.format(event="Signed Up", props='{"plan": p}'))
    (repo / "cart.py").write_text(TRACK.format(event="Cart Viewed", props="{}"))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "events")
    (repo / "signup.py").write_text(TRACK.format(event="Signed Up", props='{"plan": p, "ip": i}'))
    (repo / "cart.py").unlink()
    (repo / "search.py").write_text(TRACK.format(event="Searched", props='{"query": q}'))

    result = run("check", "--format", "markdown", "--diff-base", "HEAD", cwd=repo)
    section = result.stdout[result.stdout.index("### Data inventory changes") :]
    assert "- added: segment track **Searched** — undeclared; properties: query" in section
    assert "- removed: segment track **Cart Viewed** — undeclared; properties: none" in section
    assert (
        "- changed: segment track **Signed Up** — undeclared; properties: ip, plan (1 call site)"
        " (was undeclared; properties: plan)"
    ) in section

    plain = run("check", "--format", "markdown", cwd=repo).stdout
    inventory = plain[plain.index("### Data inventory") :]
    assert "- segment track **Searched** — undeclared; properties: query (1 call site)" in (
        inventory
    )
    assert "Cart Viewed" not in inventory
