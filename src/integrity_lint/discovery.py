"""Which files a run checks: folders are walked for ``*.py``/``*.pyi`` files, honouring
``.gitignore`` files and the configured ``exclude``; files named explicitly are checked if they
are Python files and not excluded (pre-commit passes file names, so ``exclude`` must apply).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from integrity_lint.files import read_regular_file
from integrity_lint.globs import PatternSet

PYTHON_SUFFIXES = (".py", ".pyi")
DEFAULT_EXCLUDES = (
    ".git/",
    ".hg/",
    ".svn/",
    ".tox/",
    ".nox/",
    ".venv/",
    "venv/",
    ".eggs/",
    "*.egg-info/",
    "__pycache__/",
    "__pypackages__/",
    ".mypy_cache/",
    ".pytest_cache/",
    ".ruff_cache/",
    ".integrity-lint-cache/",
    "node_modules/",
    "site-packages/",
    "_build/",
    "buck-out/",
)


@dataclass(frozen=True)
class SourceFile:
    absolute: Path
    relative: str  # relative to the project root, with '/' separators


def relative_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators (``..`` when it lies outside).

    Bytes of a name that are not UTF-8 are written ``\\xff``: Python reads them as lone
    surrogates, which no report (nor the fingerprint's hash) can encode.
    """
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        relative = Path(os.path.relpath(path, root)).as_posix()
    return _shown(relative)


def _shown(name: str) -> str:
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class _GitIgnores:
    """The ``.gitignore`` files of the folders walked so far, each relative to its folder."""

    def __init__(self) -> None:
        self.by_folder: dict[Path, PatternSet] = {}

    def load(self, folder: Path) -> None:
        file = folder / ".gitignore"
        try:
            lines = read_regular_file(file).decode("utf-8", errors="replace").splitlines()
        except OSError:
            return
        patterns = PatternSet(lines, skip_invalid=True)
        if patterns:
            self.by_folder[folder] = patterns

    def ignored(self, path: Path, is_dir: bool) -> bool:
        for folder, patterns in self.by_folder.items():
            if folder in path.parents and patterns.matches(
                path.relative_to(folder).as_posix(), is_dir
            ):
                return True
        return False


def discover(paths: list[Path], root: Path, exclude: tuple[str, ...]) -> list[SourceFile]:
    """The files to check under ``paths``, sorted by relative path, without duplicates."""
    excluded = PatternSet([*DEFAULT_EXCLUDES, *exclude])
    found: dict[str, SourceFile] = {}

    def is_excluded(path: Path, is_dir: bool) -> bool:
        relative = relative_path(path, root)
        return not relative.startswith("../") and excluded.matches(relative, is_dir)

    for given in paths:
        path = Path(os.path.abspath(given))
        if path.is_dir():
            if path != root and is_excluded(path, True):
                continue
            for file in _walk(path, root, excluded):
                found.setdefault(relative_path(file, root), SourceFile(file, ""))
        elif not is_excluded(path, False) and (path.suffix in PYTHON_SUFFIXES):
            found.setdefault(relative_path(path, root), SourceFile(path, ""))
    return [SourceFile(f.absolute, rel) for rel, f in sorted(found.items())]


def _walk(top: Path, root: Path, excluded: PatternSet) -> list[Path]:
    """The Python files under ``top``; a folder is checked before the walk enters it, so
    each entry is matched on its own, not with its parent folders again."""
    outside = relative_path(top, root).startswith("../")  # the configuration's excludes
    gitignores = _GitIgnores()

    def kept(folder: Path, prefix: str, name: str, is_dir: bool) -> bool:
        return (outside or not excluded.matches_entry(prefix + _shown(name), is_dir)) and (
            not gitignores.by_folder or not gitignores.ignored(folder / name, is_dir)
        )

    for folder in (top, *top.parents):
        gitignores.load(folder)
        if (folder / ".git").exists():
            break
    files: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for folder, dirs, names in os.walk(top, followlinks=True):
        current = Path(folder)
        try:
            stat = current.stat()
        except OSError:
            dirs[:] = []
            continue
        if (stat.st_dev, stat.st_ino) in seen:  # a symlink loop
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        if current != top:
            gitignores.load(current)
        relative = relative_path(current, root)
        prefix = "" if relative == "." else f"{relative}/"
        dirs[:] = sorted(d for d in dirs if kept(current, prefix, d, True))
        for name in sorted(names):
            if (
                name.endswith(PYTHON_SUFFIXES)
                and kept(current, prefix, name, False)
                and os.path.isfile(os.path.join(folder, name))
            ):
                files.append(current / name)
    return files
