"""Hostile file trees (SPEC §12): symlink loops and links out of the project, dangling links,
folders named like Python files, non-Python files named on the command line, broken
``.gitignore`` files, and files that vanish or cannot be read between discovery and checking."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from integrity_lint import run as run_module
from integrity_lint.discovery import SourceFile
from integrity_lint.globs import compile_pattern

from .support import FINDING_LINE, GOOD_FINDING, check, project_with

CHECKED = b"import requests\n" + FINDING_LINE


def test_symlink_loops_end_and_each_file_is_checked_once(tmp_path: Path) -> None:
    root = project_with(tmp_path, {"pkg/mod.py": CHECKED})
    (root / "pkg" / "up").symlink_to("..", target_is_directory=True)
    (root / "pkg" / "self").symlink_to(".", target_is_directory=True)
    (root / "a").symlink_to("b")
    (root / "b").symlink_to("a")  # a loop of file links: neither resolves
    run = check(root)
    assert run.code == 1
    assert run.found == {GOOD_FINDING, ("pkg/mod.py", 2, "SEC301")}
    assert run.report["summary"]["files"] == 2


def test_links_out_of_the_project_are_checked_under_their_own_name(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "shared.py").write_bytes(CHECKED)
    root = project_with(tmp_path, {})
    (root / "linked.py").symlink_to(outside / "shared.py")
    (root / "vendored").symlink_to(outside, target_is_directory=True)
    run = check(root)
    assert run.found == {
        GOOD_FINDING,
        ("linked.py", 2, "SEC301"),
        ("vendored/shared.py", 2, "SEC301"),
    }


def test_a_dangling_link_is_skipped_when_walking_and_int001_when_named(tmp_path: Path) -> None:
    """Walking, a dangling link is not a file (editors leave such links, like Emacs's
    ``.#name.py`` locks); named on the command line, it is a file that cannot be read."""
    root = project_with(tmp_path, {})
    (root / "dangling.py").symlink_to(root / "removed.py")
    walked = check(root)
    assert walked.found == {GOOD_FINDING}
    named = check(root, "dangling.py", "good.py")
    assert named.code == 1
    [finding] = named.findings("dangling.py")
    assert finding["code"] == "INT001"
    assert finding["message"] == "cannot read file: No such file or directory"
    assert GOOD_FINDING in named.found


def test_a_folder_named_like_a_python_file_is_walked_not_read(tmp_path: Path) -> None:
    root = project_with(tmp_path, {"odd.py/inner.py": CHECKED})
    expected = {GOOD_FINDING, ("odd.py/inner.py", 2, "SEC301")}
    assert check(root).found == expected
    assert check(root, "odd.py", "good.py").found == expected


def test_non_python_files_named_on_the_command_line_are_skipped_with_a_note(
    tmp_path: Path,
) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
    root = project_with(tmp_path, {"logo.png": png, "notes.txt": "print 'hello'\n"})
    run = check(root, "logo.png", "notes.txt", "good.py")
    assert run.code == 1
    assert run.found == {GOOD_FINDING}
    assert run.report["summary"]["files"] == 1
    assert run.stderr.splitlines() == [
        "integrity-lint: skipped logo.png: not a Python file (*.py, *.pyi)",
        "integrity-lint: skipped notes.txt: not a Python file (*.py, *.pyi)",
    ]


def test_only_non_python_files_is_a_clean_run_of_no_files(tmp_path: Path) -> None:
    root = project_with(tmp_path, {"notes.txt": "x"})
    run = check(root, "notes.txt")
    assert (run.code, run.report["summary"]["files"], run.found) == (0, 0, set())


BROKEN_GITIGNORES = {
    "invalid-range": b"[z-a].py\n",
    "unclosed-bracket": b"[\n*.py[\n",
    "empty-brackets-and-negations": b"[]\n[!]\n!\n\\\n",
    "regex-set-syntax": b"[[:alpha:]]\n[a&&b]\n[a||b]\n",
    "binary-bytes": b"\x89PNG\r\n\x1a\n\x00\xff\xfe\x00\n",
    "huge-line": b"x" * 100_000 + b"\n",
}


@pytest.mark.parametrize("content", list(BROKEN_GITIGNORES.values()), ids=list(BROKEN_GITIGNORES))
def test_a_broken_gitignore_is_read_as_far_as_git_would(tmp_path: Path, content: bytes) -> None:
    """Invalid patterns are dropped (``[z-a]`` raised re.error before); the valid ones of the
    same file are still honoured."""
    root = project_with(tmp_path, {"ignored.py": CHECKED, "kept.py": CHECKED})
    (root / ".gitignore").write_bytes(content + b"\nignored.py\n")
    run = check(root)
    assert run.found == {GOOD_FINDING, ("kept.py", 2, "SEC301")}


def test_a_gitignore_that_is_a_folder_is_no_gitignore(tmp_path: Path) -> None:
    root = project_with(tmp_path, {".gitignore/x": "", "kept.py": CHECKED})
    assert check(root).found == {GOOD_FINDING, ("kept.py", 2, "SEC301")}


def _remove(path: Path) -> None:
    path.unlink()


def _replace_by_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _replace_by_dangling_link(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.parent / "nowhere.py")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_remove, "cannot read file: No such file or directory"),
        (_replace_by_folder, "cannot read file: Is a directory"),
        (_replace_by_dangling_link, "cannot read file: No such file or directory"),
    ],
    ids=["deleted", "replaced-by-a-folder", "replaced-by-a-dangling-link"],
)
def test_a_file_that_vanishes_after_discovery_is_int001(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Path], None], message: str
) -> None:
    root = project_with(tmp_path, {"vanishing.py": CHECKED})
    discover = run_module.discover

    def discover_then_change(paths: list[Path], *args: object) -> list[SourceFile]:
        files = discover(paths, *args)  # type: ignore[arg-type]
        change(root / "vanishing.py")
        return files

    monkeypatch.setattr(run_module, "discover", discover_then_change)
    run = check(root)
    assert run.code == 1
    assert [(f["code"], f["message"]) for f in run.findings("vanishing.py")] == [
        ("INT001", message)
    ]
    assert GOOD_FINDING in run.found


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root reads files whatever their mode; the vanishing-file cases cover the read error",
)
def test_an_unreadable_file_is_int001(tmp_path: Path) -> None:
    root = project_with(tmp_path, {"secret.py": CHECKED})
    (root / "secret.py").chmod(0)
    try:
        run = check(root)
    finally:
        (root / "secret.py").chmod(0o644)
    assert [(f["code"], f["message"]) for f in run.findings("secret.py")] == [
        ("INT001", "cannot read file: Permission denied")
    ]
    assert GOOD_FINDING in run.found


def test_the_whole_corpus_in_one_real_process_with_the_process_pool(tmp_path: Path) -> None:
    """The real executable over many hostile files at once, in forked workers (24 files or
    more use the pool): the same report as one process, every file accounted for."""
    cases = [
        (b"def f(:\n", "INT001"),
        (b'print "py2"\n', "INT001"),
        (b"x = `1`\n", "INT001"),
        (b'x = "\xff"\n', "INT001"),
        (b"# coding: klingon\n", "INT001"),
        (b"x = 1\x00\n", "INT001"),
        (b"", None),
        (b"\xef\xbb\xbf" + CHECKED, "SEC301"),
        (b"x = " + b"(" * 1000 + b")" * 1000 + b"\n", "INT001"),
        (b"x = " + b"not " * 300 + b"y\n" + CHECKED, "SEC301"),
    ] * 3
    root = project_with(tmp_path, {f"case{i:02d}.py": data for i, (data, _) in enumerate(cases)})
    (root / ".gitignore").write_bytes(b"[z-a]\n\xff\n")
    (root / "loop").symlink_to(".", target_is_directory=True)
    executable = Path(sys.executable).with_name("integrity-lint")
    pooled = subprocess.run(
        [str(executable), "check", "--no-cache", "--format", "json", "--jobs", "2"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (pooled.returncode, pooled.stderr) == (1, "")
    alone = check(root, "--jobs", "1")
    assert pooled.stdout == alone.stdout
    codes: dict[str, list[str]] = {}
    for finding in alone.report["findings"]:
        codes.setdefault(finding["path"], []).append(finding["code"])
    assert codes.pop("good.py") == ["SEC301"]
    for index, (_, code) in enumerate(cases):
        assert codes.pop(f"case{index:02d}.py", [None]) == [code], index
    assert codes == {}
    assert alone.report["summary"]["files"] == 31


def test_a_gitignore_pattern_with_many_stars_does_not_hang(tmp_path: Path) -> None:
    """``re`` backtracked exponentially on it: 20 s for 10 stars and a 40-letter name."""
    root = project_with(tmp_path, {"a" * 40 + ".py": CHECKED, "ignored.py": CHECKED})
    (root / ".gitignore").write_text("*a" * 30 + "c\n" + "*i*g*n*o*r*e*d*.py\n")
    started = time.monotonic()
    run = check(root)
    assert time.monotonic() - started < 5
    assert run.found == {GOOD_FINDING, ("a" * 40 + ".py", 2, "SEC301")}


def test_patterns_with_many_gaps_match_as_their_regular_expressions() -> None:
    """Such patterns are matched step by step, not by ``re``; on short paths, where ``re``
    is fast, both must agree."""
    pieces = ["a", "b", "/", "*", "**/", "?", "[ab]", "[!a]", "**", "/**"]
    chooser = random.Random(20261203)
    compared = 0
    for _ in range(3000):
        text = "".join(chooser.choice(pieces) for _ in range(chooser.randint(3, 7)))
        pattern = compile_pattern(text)
        if pattern.steps is None:
            continue
        for _ in range(10):
            path = "".join(chooser.choice("ab/") for _ in range(chooser.randint(0, 9)))
            assert pattern.match(path) is bool(pattern.regex.match(path)), (text, path)
            compared += 1
    assert compared > 5000


def _real_check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real executable, with a timeout: these cases used to read forever."""
    executable = Path(sys.executable).with_name("integrity-lint")
    return subprocess.run(
        [str(executable), "check", "--no-cache", "--format", "json", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero and named pipes")
def test_links_to_devices_and_named_pipes_are_not_read_forever(tmp_path: Path) -> None:
    """A link to /dev/zero named like a Python file or a .gitignore, and a named pipe, made
    the run read (or wait) forever; walking skips them, naming them is INT001."""
    root = project_with(tmp_path, {"kept.py": CHECKED})
    (root / "zero.py").symlink_to("/dev/zero")
    (root / ".gitignore").symlink_to("/dev/zero")
    os.mkfifo(root / "pipe.py")
    walked = _real_check(root)
    assert (walked.returncode, walked.stderr) == (1, "")
    findings = json.loads(walked.stdout)["findings"]
    assert {(f["path"], f["code"]) for f in findings} == {
        ("good.py", "SEC301"),
        ("kept.py", "SEC301"),
    }
    named = _real_check(root, "zero.py", "pipe.py", "good.py")
    assert named.returncode == 1
    findings = json.loads(named.stdout)["findings"]
    assert {(f["path"], f["code"], f["message"]) for f in findings if f["code"] == "INT001"} == {
        ("zero.py", "INT001", "cannot read file: not a regular file"),
        ("pipe.py", "INT001", "cannot read file: not a regular file"),
    }
    assert ("good.py", "SEC301") in {(f["path"], f["code"]) for f in findings}


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_manifest_that_links_to_a_device_is_an_error(tmp_path: Path) -> None:
    root = project_with(tmp_path, {"integrity-lint.toml": 'manifest = ["m.toml"]\n'})
    (root / "m.toml").symlink_to("/dev/zero")
    result = _real_check(root)
    assert (result.returncode, result.stdout) == (2, "")
    assert (
        result.stderr == "integrity-lint: error: m.toml: cannot read manifest: not a regular file\n"
    )


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "gitlab", "junit", "markdown"])
def test_file_names_that_are_not_utf8_or_hold_newlines_are_reported(
    tmp_path: Path, fmt: str
) -> None:
    """A name with bytes that are not UTF-8 crashed every format (UnicodeEncodeError in the
    fingerprint); it is reported with those bytes written ``\\xNN``."""
    root = project_with(tmp_path, {"new\nline.py": CHECKED, "tab\there.py": CHECKED})
    try:
        (root / os.fsdecode(b"\xff\xfe.py")).write_bytes(CHECKED)
    except OSError as error:  # some file systems (APFS) refuse such names
        pytest.skip(f"the file system refuses a name that is not UTF-8: {error}")
    run = check(root, "--format", fmt, json_report=False)
    assert run.code == 1
    if fmt == "json":
        assert run.found == {
            GOOD_FINDING,
            ("\\xff\\xfe.py", 2, "SEC301"),
            ("new\nline.py", 2, "SEC301"),
            ("tab\there.py", 2, "SEC301"),
        }
    else:
        assert "xff" in run.stdout


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_diff_base_over_a_commit_with_links_out_of_the_tree(tmp_path: Path) -> None:
    """A committed link to an absolute path made tarfile's filter raise AbsoluteLinkError:
    a traceback. The base leaves such links out; the rest is compared as usual."""
    root = project_with(tmp_path, {"loop/keep.py": b"x = 1\n"})
    (root / "absolute.py").symlink_to("/etc/hostname")
    (root / "escaping.py").symlink_to("../../outside.py")
    (root / "loop" / "up").symlink_to("..", target_is_directory=True)
    _git(root, "init", "-q")
    _git(root, "-c", "user.email=t@example.org", "-c", "user.name=t", "add", ".")
    _git(
        root,
        *("-c", "user.email=t@example.org", "-c", "user.name=t", "-c", "commit.gpgsign=false"),
        *("commit", "-q", "-m", "base"),
    )
    with (root / "good.py").open("ab") as handle:
        handle.write(FINDING_LINE)
    run = check(root, "--diff-base", "HEAD")
    assert run.code == 1
    assert ("good.py", 4, "SEC301") in run.found
    assert GOOD_FINDING not in run.found  # in the base too: not new
