"""The pre-commit hook, run by real pre-commit in real git repositories.

pre-commit installs a hook by cloning its git repository at a revision and pip-installing it
into a venv of its own. The projects here point ``repo:`` at this repository and ``rev:`` at
its HEAD commit, so what is tested is the last commit, not uncommitted changes (the rest of the
suite tests the working tree through the editable install); the fixture refuses to run while
``.pre-commit-hooks.yaml`` has uncommitted changes. ``PRE_COMMIT_HOME`` is shared by the
module, so the hook's venv is built once (pip reaches PyPI for libcst, click and hatchling).

Each project installs the hook with ``pre-commit install`` and is driven by ``git commit``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

BAD = "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n"
SUPPRESSED = BAD.replace(
    "pickle.loads(blob)",
    "pickle.loads(blob)  # integrity: ignore[SEC306] blobs come from our signed cache",
)
CLEAN = "import json\n\n\ndef load(blob):\n    return json.loads(blob)\n"


def _git_free_environ() -> dict[str, str]:
    """``os.environ`` without git's and pre-commit's per-run variables (set when the suite
    itself runs inside a git hook), so every command below acts on the repository it is in."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("GIT_") and key not in ("PRE_COMMIT", "SKIP")
    }


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    result = run(["git", *args], cwd, env)
    assert result.returncode == 0, f"git {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout


def git_init(path: Path, env: dict[str, str]) -> None:
    path.mkdir(parents=True, exist_ok=True)
    git(path, env, "init", "-q", "-b", "main")
    git(path, env, "config", "user.name", "integrity-lint tests")
    git(path, env, "config", "user.email", "tests@integrity-lint.invalid")
    git(path, env, "config", "commit.gpgsign", "false")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("precommit-env")
    empty = base / "gitconfig"
    empty.write_text("", encoding="utf-8")
    return {
        **_git_free_environ(),
        "PRE_COMMIT_HOME": str(base / "pre-commit-home"),
        # No user or system git config: a global core.hooksPath or signing setup would
        # otherwise change what `pre-commit install` and `git commit` do.
        "GIT_CONFIG_GLOBAL": str(empty),
        "GIT_CONFIG_NOSYSTEM": "1",
    }


@pytest.fixture(scope="module")
def hook_repo(env: dict[str, str]) -> tuple[str, str]:
    """This repository and its HEAD commit, which pre-commit clones and installs."""
    head = git(ROOT, env, "rev-parse", "HEAD").strip()
    changed = git(ROOT, env, "status", "--porcelain", "--", ".pre-commit-hooks.yaml")
    assert not changed, (
        "pre-commit installs the hook from the last commit: commit .pre-commit-hooks.yaml "
        f"first ({changed.strip()})"
    )
    return str(ROOT), head


@dataclass
class Project:
    path: Path
    env: dict[str, str]

    def write(self, name: str, text: str) -> None:
        file = self.path / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")

    def commit(self, *names: str, skip: bool = False) -> subprocess.CompletedProcess[str]:
        """Stage ``names`` and ``git commit`` them, with the installed pre-commit hook."""
        git(self.path, self.env, "add", "--", *names)
        env = {**self.env, "SKIP": "integrity-lint"} if skip else self.env
        return run(["git", "commit", "-m", f"change {' '.join(names)}"], self.path, env)

    def head(self) -> str:
        return git(self.path, self.env, "rev-parse", "HEAD").strip()


def committed(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def blocked(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "integrity-lint" in output and "Failed" in output, output
    return output


def make_project(
    path: Path, env: dict[str, str], hook_repo: tuple[str, str], hooks: str
) -> Project:
    """A git repository whose pre-commit hook runs ``hooks`` (YAML) from ``hook_repo``."""
    url, rev = hook_repo
    git_init(path, env)
    project = Project(path, env)
    project.write(
        ".pre-commit-config.yaml",
        f"repos:\n  - repo: {url}\n    rev: {rev}\n    hooks:\n{hooks}",
    )
    installed = run([sys.executable, "-m", "pre_commit", "install"], path, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return project


@pytest.fixture
def project(tmp_path: Path, env: dict[str, str], hook_repo: tuple[str, str]) -> Project:
    # verbose: show the hook's output when it passes too, to see what it checked.
    hooks = "      - id: integrity-lint\n        verbose: true\n"
    return make_project(tmp_path / "project", env, hook_repo, hooks)


def test_a_finding_blocks_the_commit_until_it_is_suppressed(project: Project) -> None:
    # The first commit has no Python file: the hook still runs (always_run), on the whole
    # project, and finds nothing.
    output = committed(project.commit(".pre-commit-config.yaml"))
    assert "No findings in 0 files." in output

    project.write("app.py", BAD)
    project.write("lib/util.py", CLEAN)
    head = project.head()
    output = blocked(project.commit("app.py", "lib/util.py"))
    assert "app.py:5:12: SEC306 [error]" in output
    assert "Found 1 finding (1 error; security 1) in 2 files." in output
    assert project.head() == head

    project.write("app.py", SUPPRESSED)
    output = committed(project.commit("app.py", "lib/util.py"))
    assert "No findings in 2 files, 1 suppressed." in output
    assert project.head() != head


def test_excludes_apply_to_the_file_names_pre_commit_passes(project: Project) -> None:
    project.write("integrity-lint.toml", 'exclude = ["vendor/"]\n')
    project.write("vendor/lib.py", BAD)
    project.write("app.py", CLEAN)
    # pre-commit passes both staged files; the configured exclude drops vendor/lib.py.
    output = committed(
        project.commit(".pre-commit-config.yaml", "integrity-lint.toml", "vendor/lib.py", "app.py")
    )
    assert "No findings in 1 file." in output
    assert "SEC306" not in output

    # 0 files: the name was passed and excluded (with no names, app.py would be checked).
    project.write("vendor/lib.py", BAD + "\n\nDATA = pickle.loads(b'')\n")
    output = committed(project.commit("vendor/lib.py"))
    assert "No findings in 0 files." in output

    # A commit that changes only the configuration re-runs the checks on the whole project.
    project.write("integrity-lint.toml", "exclude = []\n")
    output = blocked(project.commit("integrity-lint.toml"))
    assert "vendor/lib.py:5:12: SEC306" in output
    assert "vendor/lib.py:8:8: SEC306" in output
    assert "in 2 files." in output


def test_config_or_manifest_only_commits_rerun_the_checks(project: Project) -> None:
    project.write(
        "pyproject.toml",
        '[project]\nname = "shop"\n\n'
        '[tool.integrity-lint]\nmanifest = ["data-manifest.toml"]\nignore = ["SEC306"]\n',
    )
    project.write("data-manifest.toml", "[telemetry]\nsdks = []\n")
    project.write("app.py", BAD)
    output = committed(
        project.commit(".pre-commit-config.yaml", "pyproject.toml", "data-manifest.toml", "app.py")
    )
    assert "No findings in 1 file." in output

    # Enabling a rule in the configuration alone re-runs the checks and blocks the commit.
    project.write("pyproject.toml", '[project]\nname = "shop"\n\n[tool.integrity-lint]\n')
    output = blocked(project.commit("pyproject.toml"))
    assert "app.py:5:12: SEC306" in output

    # Someone commits it anyway, skipping the hook ...
    committed(project.commit("pyproject.toml", skip=True))
    # ... and the next commit that changes only the data manifest re-runs the checks.
    project.write("data-manifest.toml", "[telemetry]\nsdks = []  # none yet\n")
    output = blocked(project.commit("data-manifest.toml"))
    assert "app.py:5:12: SEC306" in output


TRACKING = (
    "import segment.analytics as analytics\n\n\n"
    "def signed_up(user_id: str) -> None:\n"
    '    analytics.track(user_id, "Signup Completed", {"plan": "pro"})\n'
)
MANIFEST = """[telemetry]
sdks = ["segment"]
"""
DECLARED = f"""
[[event]]
name = "Signup Completed"
sdk = "segment"
kind = "track"
properties = ["plan"]
purpose = "Measure the signup funnel"
owner = ["growth@shop.example"]
review = ["https://shop.example/data-review/12"]
sensitivity = "interaction"
expires = "{dt.date.today() + dt.timedelta(days=365)}"
"""


def test_an_unlisted_telemetry_event_is_blocked_until_it_is_declared(project: Project) -> None:
    project.write(
        "pyproject.toml",
        '[project]\nname = "shop"\n\n[tool.integrity-lint]\nmanifest = ["data-manifest.toml"]\n',
    )
    project.write("data-manifest.toml", MANIFEST)
    committed(project.commit(".pre-commit-config.yaml", "pyproject.toml", "data-manifest.toml"))

    project.write("shop/signup.py", TRACKING)
    output = blocked(project.commit("shop/signup.py"))
    assert "shop/signup.py:5:5: PRV102" in output
    assert "Signup Completed" in output

    # Declaring the event in the manifest, in the same commit, lets it through.
    project.write("data-manifest.toml", MANIFEST + DECLARED)
    output = committed(project.commit("shop/signup.py", "data-manifest.toml"))
    assert "No findings in 1 file." in output


def test_the_fix_hook_applies_safe_fixes_and_fails_while_findings_remain(
    tmp_path: Path, env: dict[str, str], hook_repo: tuple[str, str]
) -> None:
    hooks = "      - id: integrity-lint-fix\n"
    project = make_project(tmp_path / "project", env, hook_repo, hooks)
    committed(project.commit(".pre-commit-config.yaml"))
    stale = CLEAN.replace("json.loads(blob)", "json.loads(blob)  # integrity: ignore[SEC306] old")
    project.write("app.py", stale)
    # The fix changes the file: pre-commit fails the commit so the change is reviewed.
    output = blocked(project.commit("app.py"))
    assert "files were modified by this hook" in output
    assert (project.path / "app.py").read_text(encoding="utf-8") == CLEAN
    committed(project.commit("app.py"))

    # A finding without a safe fix is left for a person, and blocks the commit.
    project.write("app.py", BAD)
    output = blocked(project.commit("app.py"))
    assert "app.py:5:12: SEC306" in output
    assert (project.path / "app.py").read_text(encoding="utf-8") == BAD


def readme_recipe() -> str:
    """The hooks of the README's large-project recipe (the YAML block with ``alias:``)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "alias:" in b]
    assert len(blocks) == 1, "README: the pre-commit section's large-project recipe is missing"
    lines = blocks[0].splitlines(keepends=True)
    assert lines[0].strip() == "hooks:", blocks[0]
    return "".join(lines[1:])


def test_the_readme_recipe_runs_on_python_files_and_on_config_changes_only(
    tmp_path: Path, env: dict[str, str], hook_repo: tuple[str, str]
) -> None:
    project = make_project(tmp_path / "project", env, hook_repo, readme_recipe())
    project.write("pyproject.toml", '[project]\nname = "shop"\n\n[tool.integrity-lint]\n')
    project.write("app.py", CLEAN)
    output = committed(project.commit(".pre-commit-config.yaml", "pyproject.toml", "app.py"))
    assert re.search(r"integrity-lint \(configuration changed\)\.+Passed", output), output

    # A Python file is checked by the first entry; the configuration entry does not run.
    project.write("app.py", BAD)
    output = blocked(project.commit("app.py"))
    assert "app.py:5:12: SEC306" in output
    assert re.search(
        r"integrity-lint \(configuration changed\)\.+\(no files to check\)Skipped", output
    )

    # Documentation alone skips both entries, even with a finding in the project.
    committed(project.commit("app.py", skip=True))
    project.write("README.md", "# shop\n")
    output = committed(project.commit("README.md"))
    assert output.count("(no files to check)Skipped") == 2, output

    # A configuration change checks the whole project.
    project.write(
        "pyproject.toml", '[project]\nname = "shop"\nversion = "1"\n\n[tool.integrity-lint]\n'
    )
    output = blocked(project.commit("pyproject.toml"))
    assert "app.py:5:12: SEC306" in output
