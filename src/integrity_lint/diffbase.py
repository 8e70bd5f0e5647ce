"""``--diff-base REF``: the tree at a git ref, exported read-only to a temporary folder.

``git archive`` reads the ref from the object store, so neither the working tree, the index
nor ``.git`` is touched, and uncommitted changes in the working tree stay where they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess
    import tarfile


class DiffBaseError(Exception):
    """The ref cannot be resolved or exported: exit 2 with this one-line message."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    import subprocess  # only for runs with --diff-base, as the imports of tree_at

    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except FileNotFoundError:
        raise DiffBaseError("--diff-base needs git, which is not installed") from None


@contextmanager
def tree_at(ref: str, root: Path) -> Iterator[Path]:
    """The project root as it was at ``ref``, in a temporary folder removed afterwards."""
    import shutil  # these only for runs with --diff-base
    import subprocess
    import tarfile
    import tempfile

    toplevel = _git(root, "rev-parse", "--show-toplevel")
    if toplevel.returncode != 0:
        raise DiffBaseError(f"--diff-base: {root} is not inside a git repository")
    top = Path(toplevel.stdout.decode().strip()).resolve()
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if commit.returncode != 0:
        shallow = _git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"
        hint = " (this is a shallow clone: fetch more history, e.g. fetch-depth: 0)"
        raise DiffBaseError(f"--diff-base: unknown git ref {ref!r}{hint if shallow else ''}")
    sha = commit.stdout.decode().strip()
    prefix = root.resolve().relative_to(top).as_posix()
    folder = Path(tempfile.mkdtemp(prefix="integrity-lint-base-"))
    try:
        archive = folder / "tree.tar"
        with archive.open("wb") as stream:
            exported = subprocess.run(
                ["git", "archive", "--format=tar", sha, "--", "." if prefix == "." else prefix],
                cwd=top,
                stdout=stream,
                stderr=subprocess.PIPE,
                check=False,
            )
        if exported.returncode != 0:
            message = exported.stderr.decode(errors="replace").strip().splitlines()
            raise DiffBaseError(f"--diff-base: git archive {ref} failed: {message[-1:]}")
        tree = folder / "tree"
        with tarfile.open(archive) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(tree, filter=_inside_tree)
            else:  # pragma: no cover - Python without extraction filters
                tar.extractall(tree)
        archive.unlink()
        base_root = tree if prefix == "." else tree / prefix
        base_root.mkdir(parents=True, exist_ok=True)
        yield base_root
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _inside_tree(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """tarfile's ``data`` filter, leaving out what it refuses instead of stopping: a committed
    link to an absolute path or out of the tree (``outside.py -> /etc/passwd``) raised
    AbsoluteLinkError and ended the run with a traceback."""
    import tarfile

    try:
        return tarfile.data_filter(member, path)
    except tarfile.FilterError:
        return None
