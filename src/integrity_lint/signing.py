"""The user's signing key, and files signed with it.

What integrity-lint stores to read back later (the per-file cache's entries, the compiled
code of :mod:`integrity_lint.bytecode`) is signed with a key kept outside any project, in the
user's cache folder: a file planted in a repository, or left half written, is never loaded.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from contextlib import suppress
from functools import cache
from pathlib import Path

from integrity_lint.files import replace_file

SIGNATURE_BYTES = 32  # HMAC-SHA256


def user_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/integrity-lint`` (``~/.cache/integrity-lint`` by default)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "integrity-lint"


@cache
def _secret() -> bytes:
    """This user's signing key: ``key`` in :func:`user_cache_dir`, made at the first run."""
    path = user_cache_dir() / "key"
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    import secrets  # only the first run makes a key

    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, key)
        return path.read_bytes()  # another run may have won the race: use what is there
    except OSError:
        return key  # no place for a key: what this run signs is good for this run only


def sign(body: bytes) -> bytes:
    return hmac.new(_secret(), body, hashlib.sha256).digest()


def signed(header: bytes, body: bytes) -> bytes:
    """A file's bytes: ``header``, the body's signature, the body."""
    return header + sign(body) + body


def signed_body(header: bytes, raw: bytes) -> bytes | None:
    """The body of a file :func:`signed` wrote with this header, or None when the file has
    another header or its signature does not match."""
    signature = raw[len(header) : len(header) + SIGNATURE_BYTES]
    body = raw[len(header) + SIGNATURE_BYTES :]
    if raw[: len(header)] != header or not hmac.compare_digest(signature, sign(body)):
        return None
    return body


def read_signed(path: Path, header: bytes) -> bytes | None:
    """The body of the file at ``path`` that :func:`write_signed` wrote with ``header``, or
    None when it is missing, unreadable, or not signed with this user's key."""
    try:
        return signed_body(header, path.read_bytes())
    except OSError:
        return None


def write_signed(path: Path, header: bytes, body: bytes) -> None:
    """Write ``body`` signed, in one step; a folder that cannot be written only costs the
    next run the time the file would have saved."""
    with suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, signed(header, body))
