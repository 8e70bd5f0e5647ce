"""The per-file cache: a file's per-file pass is done once per content and configuration.

An entry is the pickled :class:`~integrity_lint.engine.FileResult` of one file, stored under
``.integrity-lint-cache/`` (with a ``.gitignore`` that ignores it all) and keyed by a hash of
the file's path and bytes, the resolved configuration, the rule catalog and the tool
version. The manifest is not part of the key: it is only read by the project pass, which
runs on every check.

Entries are signed with a key kept outside the project (in the user's cache folder), so an
entry planted in a repository is never unpickled: integrity-lint does not run code it did
not write. A missing, unreadable, corrupt or unsigned entry is recomputed, and entries are
written to a temporary file and renamed, so concurrent runs only ever read whole entries. A
cache folder or shard that is a symbolic link is only read, never written to.

Beside the entries, an index per configuration holds each file's status (size, modification
and change times, inode) and key as the last run found them: a file whose status is the same
is not read again, as git's index does it. Only a status taken two seconds or more after the
file's last change is kept, so that a second change within a tick of a coarse clock is not
missed; a file changed since has another change time, whatever its size or modification
time say.

Every edit of a file, configuration or version leaves its old entries behind. An entry's
modification time says when a run last used it (a read older than a day renews it), and a
run that writes entries sweeps, at most once a day, those (and indexes) unused for two
weeks; a run that still wanted one only recomputes it.
"""

from __future__ import annotations

import errno
import hashlib
import marshal
import os
import pickle
import re
import stat
import time
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from integrity_lint import __version__
from integrity_lint.files import replace_file
from integrity_lint.resources import rules_dir
from integrity_lint.signing import signed, signed_body

if TYPE_CHECKING:
    from integrity_lint.config import Settings

CACHE_DIR = ".integrity-lint-cache"
_FORMAT = b"integrity-lint-cache/1\n"
DAY = 24 * 60 * 60
STALE_SECONDS = 14 * DAY  # unused this long, an entry is swept
RENEW_SECONDS = DAY  # a read renews an entry's time when it is older than this
_SWEPT = ".swept"  # its modification time: when the cache was last swept
_INDEX_PREFIX = "index-"  # and a hash of the context: per configuration, the files' keys
_INDEX_FORMAT = b"integrity-lint-index/1\n"
_SETTLED_NS = 2_000_000_000
# A file's size, modification and change times and inode; with the key of its bytes.
Stamp = tuple[int, int, int, int]
_Indexed = tuple[int, int, int, int, str]


class FileCache:
    """Cached per-file results of one run's settings."""

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.folder = folder
        self.context = _context(settings)
        self._hashed_context = hashlib.sha256(self.context)  # copied for every key
        self.ready = False
        self.writable = True
        context_name = hashlib.sha256(self.context).hexdigest()[:32]
        self._index_path = folder / f"{_INDEX_PREFIX}{context_name}"
        self._index: dict[str, _Indexed] | None = None  # read at the first use
        self._stamps: dict[str, Stamp] = {}  # files looked up in this run, as they were
        self._seen: dict[str, _Indexed] = {}  # what the index will hold after this run

    def key(self, path: str, data: bytes, kind: str = "") -> str:
        digest = self._hashed_context.copy()
        digest.update(f"{kind}\0{path}\0".encode("utf-8", "surrogateescape"))
        digest.update(data)
        return digest.hexdigest()

    def get_unchanged(self, path: str, file: Path) -> Any | None:
        """The entry of ``file``'s result when the file has not changed since a run read
        it, told by its status (size, times, inode) as git's index does; the file is not
        read. None when it may have changed: read it and :meth:`get` the entry.

        A status is only kept when the file was last changed two seconds or more before it
        was taken: a change in the same tick of a coarse file system clock could otherwise
        leave the status as it was."""
        try:
            status = os.stat(file)
        except OSError:
            return None
        stamp = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
        if time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) >= _SETTLED_NS:
            self._stamps[path] = stamp
        indexed = self._read_index().get(path)
        if indexed is None or indexed[:4] != stamp or path not in self._stamps:
            return None
        found = self._entry(indexed[4])
        if found is not None:
            self._seen[path] = indexed
        return found

    def get(self, path: str, data: bytes, kind: str = "") -> Any | None:
        """The entry of a file's result (``kind`` tells results of other passes apart)."""
        key = self.key(path, data, kind)
        stamp = self._stamps.get(path) if not kind else None
        if stamp is not None:  # the status was taken before the bytes were read
            self._seen[path] = (*stamp, key)
        return self._entry(key)

    def save_index(self) -> None:
        """Keep the status and key of every file this run looked up, for the next run."""
        if self._seen == self._read_index() or not self._seen:
            return
        try:
            self._prepare()
            if self.writable:
                replace_file(self._index_path, signed(_INDEX_FORMAT, marshal.dumps(self._seen)))
        except (OSError, ValueError):
            return

    def _read_index(self) -> dict[str, _Indexed]:
        if self._index is None:
            self._index = {}
            try:
                body = signed_body(_INDEX_FORMAT, _read_entry(os.fspath(self._index_path)))
                index = marshal.loads(body) if body is not None else None
            except (OSError, ValueError, EOFError, TypeError):
                index = None
            if isinstance(index, dict):
                self._index = index
        return self._index

    def _entry(self, key: str) -> Any | None:
        try:
            raw = _read_entry(os.path.join(self.folder, key[:2], key))
        except OSError:
            return None
        body = signed_body(_FORMAT, raw)
        if body is None:
            return None
        try:
            return pickle.loads(body)  # signed by this user's key: written by integrity-lint
        except Exception:  # a truncated or stale entry is recomputed, never trusted
            return None

    def put(self, path: str, data: bytes, result: Any, kind: str = "") -> None:
        key = self.key(path, data, kind)
        try:
            self._prepare()
            if not self.writable:
                return
            body = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            folder = self.folder / key[:2]
            folder.mkdir(exist_ok=True)
            if folder.is_symlink():  # a shard is a folder of its own, never a link
                return
            replace_file(folder / key, signed(_FORMAT, body))
        except (OSError, pickle.PicklingError, RecursionError):
            return  # a cache that cannot be written only costs time

    def _prepare(self) -> None:
        if self.ready:
            return
        self.ready = True
        self.folder.mkdir(parents=True, exist_ok=True)
        # Nothing is written through a link: a repository could carry the cache folder as a
        # link to a folder of the user's, which entries would fill and a `*` .gitignore
        # would hide from git.
        if self.folder.is_symlink():
            self.writable = False
            return
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text(
                "# Written by integrity-lint: its cache, not for version control.\n*\n"
            )
        _sweep(self.folder)


def _read_entry(path: str) -> bytes:
    """An entry's bytes; its time is renewed when the last renewal is more than a day old.

    Opened without blocking and read only if it is a regular file: a repository could carry
    a named pipe or a link to a device where an entry would be."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        raw = file.read()
    if time.time() - status.st_mtime > RENEW_SECONDS:
        with suppress(OSError):  # a read-only cache is still read
            os.utime(path)
    return raw


def _sweep(folder: Path) -> None:
    """Remove the entries no run used for :data:`STALE_SECONDS`, at most once a day.

    Only what integrity-lint writes goes: regular files named like its entries (or its
    temporary files) in folders named like its shards, never through a symbolic link (a
    repository could carry the cache folder, or a shard, as a link to somewhere else)."""
    marker = folder / _SWEPT
    now = time.time()
    try:
        if folder.is_symlink() or now - marker.stat().st_mtime < DAY:
            return
    except OSError:
        pass  # never swept
    try:
        marker.touch()
        listed = list(folder.iterdir())
    except OSError:
        return
    shards = [s for s in listed if _SHARD.fullmatch(s.name) and not s.is_symlink()]
    for index in (i for i in listed if _INDEX.fullmatch(i.name)):  # of configurations gone
        with suppress(OSError):
            status = index.lstat()
            if stat.S_ISREG(status.st_mode) and now - status.st_mtime > STALE_SECONDS:
                index.unlink()
    for shard in shards:
        try:
            for entry in shard.iterdir():
                if _stale(entry, shard.name, now):
                    entry.unlink()
            shard.rmdir()  # only when it is empty now
        except OSError:
            continue  # another run at work in it, or a shard still in use


_SHARD = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"[0-9a-f]{64}")
_TEMPORARY = re.compile(r"\..*\.tmp")
_INDEX = re.compile(rf"{_INDEX_PREFIX}[0-9a-f]{{32}}")


def _stale(entry: Path, shard: str, now: float) -> bool:
    """Whether ``entry`` is an entry (or temporary file) of this cache unused for long."""
    ours = _ENTRY.fullmatch(entry.name) and entry.name.startswith(shard)
    if not ours and not _TEMPORARY.fullmatch(entry.name):
        return False
    status = entry.lstat()
    if not stat.S_ISREG(status.st_mode) or now - status.st_mtime <= STALE_SECONDS:
        return False
    if ours:
        with open(entry, "rb") as file:
            return file.read(len(_FORMAT)) == _FORMAT
    return True


def _context(settings: Settings) -> bytes:
    """What besides a file's bytes decides its per-file result."""
    parts = [
        __version__,
        repr(settings.config),
        repr(sorted(settings.enabled)),
        repr(settings.options.build_fixes),  # not --jobs or the cache's own place
        _catalog_digest(),
        _code_digest(),
    ]
    return "\0".join(parts).encode("utf-8", "surrogateescape")


@cache
def _catalog_digest() -> str:
    """A hash of the rule catalog and its data files (a changed word list changes results)."""
    digest = hashlib.sha256()
    root = rules_dir()
    for file in sorted(root.rglob("*")):
        if file.is_file():
            digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


@cache
def _code_digest() -> str:
    """Which build of the code wrote an entry: in an editable install the code changes
    under one version number, and an entry of other code must not be read."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for file in sorted(package.rglob("*.py")):
        status = file.stat()
        digest.update(
            f"{file.relative_to(package)}\0{status.st_size}\0{status.st_mtime_ns}\0".encode()
        )
    return digest.hexdigest()
