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
    """The ``.gitignore`` files of the folders walked so far.

    Paths are strings relative to the top of the walk. A file in a folder below the top
    applies to the paths under that folder; one in a folder above the top, to every path,
    spelt from its own folder.
    """

    def __init__(self) -> None:
        # (prefix a path must have, what replaces it for matching, the file's patterns)
        self.files: list[tuple[str, str, PatternSet]] = []

    def load(self, folder: Path, below: str = "", above: str = "") -> None:
        """Load ``folder``'s file: ``below`` is the folder relative to the top (``a/b/``),
        ``above`` the top relative to the folder when the folder is above it."""
        try:
            lines = read_regular_file(folder / ".gitignore").decode("utf-8", errors="replace")
        except OSError:
            return
        patterns = PatternSet(lines.splitlines(), skip_invalid=True)
        if patterns:
            self.files.append((below, above, patterns))

    def ignored(self, path: str, is_dir: bool) -> bool:
        for below, above, patterns in self.files:
            if path.startswith(below) and patterns.matches(above + path[len(below) :], is_dir):
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
                found.setdefault(file.relative, file)
        elif not is_excluded(path, False) and (path.suffix in PYTHON_SUFFIXES):
            found.setdefault(relative_path(path, root), SourceFile(path, ""))
    return [SourceFile(f.absolute, rel) for rel, f in sorted(found.items())]


def _walk(top: Path, root: Path, excluded: PatternSet) -> list[SourceFile]:
    """The Python files under ``top``, links followed; a folder is checked before the walk
    enters it, so each entry is matched on its own, not with its parent folders again.

    Paths are strings until a Python file is found, and an entry's kind is the one its
    folder listing gives (no ``stat`` per file): the walk sees every folder of the tree
    (Django's has 2,500, most of them translations), and ``os.walk`` or pathlib's objects
    cost more than the rest of the walk.
    """
    top_relative = relative_path(top, root)
    outside = top_relative.startswith("../")  # the configuration's excludes do not apply
    shown_top = "" if top_relative == "." else f"{top_relative}/"
    gitignores = _GitIgnores()

    def kept(below: str, name: str, is_dir: bool) -> bool:
        shown = shown_top + _shown(below + name)
        return (outside or not excluded.matches_entry(shown, is_dir)) and (
            not gitignores.files or not gitignores.ignored(below + name, is_dir)
        )

    above = ""
    for folder in (top, *top.parents):
        if folder != top:
            above = f"{top.relative_to(folder).as_posix()}/"
        gitignores.load(folder, above=above)
        if (folder / ".git").exists():
            break
    files: list[SourceFile] = []
    seen: set[tuple[int, int]] = set()
    pending = [(os.fspath(top), "")]  # folders to walk, the next last: depth first, sorted
    while pending:
        folder, below = pending.pop()
        try:
            status = os.stat(folder)
            if (status.st_dev, status.st_ino) in seen:  # a symlink loop
                continue
            seen.add((status.st_dev, status.st_ino))
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=_name)
        except OSError:
            continue
        if below and any(e.name == ".gitignore" and not _is_dir(e) for e in entries):
            gitignores.load(Path(folder), below=below)
        folders = []
        for entry in entries:
            name = entry.name
            if _is_dir(entry):
                if kept(below, name, True):
                    folders.append((entry.path, f"{below}{name}/"))
            elif name.endswith(PYTHON_SUFFIXES) and kept(below, name, False) and _is_file(entry):
                files.append(SourceFile(Path(entry.path), shown_top + _shown(below + name)))
        pending.extend(reversed(folders))
    return files


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False
