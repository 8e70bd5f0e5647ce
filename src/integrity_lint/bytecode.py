"""Compiled code kept across runs, for the source that is generated while modules load.

:mod:`dataclasses` builds the methods of every dataclass by compiling generated source
(``__init__``, ``__repr__``, ``__eq__``, and for a frozen class ``__setattr__`` and
``__delattr__``). libcst's node classes are some 250 frozen dataclasses: compiling their
methods, and those of integrity-lint's own dataclasses, took 90 ms of the 213 ms that loading
what a file's check needs took (measured), more than parsing a large file. Python keeps
the compiled code of modules in ``__pycache__``, but not that of generated source.

Within :func:`kept_compiles`, the source that :mod:`dataclasses` executes, and that
:func:`compiled` is given, is looked up in a store of the code that an earlier run compiled
from the same source; only new source is compiled. The source is the key and is compiled
as ``exec`` compiles it, so the functions are the ones ``exec`` would make: only the time
changes.

A store is a file in the user's cache folder per block, Python build and environment, and
holds what the block compiled the last time it had to compile anything. It is signed with
the user's key (:mod:`integrity_lint.signing`): a store that is missing, from another
Python, corrupt or not signed is not read, and the block compiles and writes it anew.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import marshal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

from integrity_lint.signing import read_signed, user_cache_dir, write_signed

# Code objects are only good for the interpreter that compiled them: its bytecode magic
# number is part of the header, as in a ``.pyc`` file.
_HEADER = b"integrity-lint-code/1\n" + MAGIC_NUMBER


class _Store:
    """The code of one block: what an earlier run left, and what this run used."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kept = _load(path)
        self.used: dict[str, CodeType] = {}
        self.compiled = False

    def code(self, source: str) -> CodeType:
        code = self.kept.get(source)
        if code is None:
            code = _compile(source)
            self.compiled = True
        self.used[source] = code
        return code

    def save(self) -> None:
        """Write what this run used, when it had to compile some of it (a store never grows
        with the sources of versions no longer installed)."""
        if self.compiled:
            write_signed(self.path, _HEADER, marshal.dumps(self.used))


_ACTIVE: list[_Store] = []


def compiled(source: str) -> CodeType:
    """``source`` compiled as ``exec`` compiles a string, from the store of the current
    :func:`kept_compiles` block if it holds it."""
    return _ACTIVE[-1].code(source) if _ACTIVE else _compile(source)


@contextmanager
def kept_compiles(block: str) -> Iterator[None]:
    """Within the block, :mod:`dataclasses` and :func:`compiled` use the store named
    ``block``; it is saved at the end. The cycle collector pauses too: loading modules
    allocates much and leaves next to no garbage (9 ms of 130 ms, measured)."""
    store = _Store(_store_path(block))
    previous = vars(dataclasses).get("exec", _ABSENT)
    collecting = gc.isenabled()
    _ACTIVE.append(store)
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # looked up before the builtin
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        _ACTIVE.remove(store)
        if previous is _ABSENT:
            del dataclasses.exec  # type: ignore[attr-defined]
        else:
            dataclasses.exec = previous  # type: ignore[attr-defined]
        store.save()


_ABSENT = object()


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    """``exec``, with a string compiled through :func:`compiled`."""
    exec(compiled(source) if isinstance(source, str) else source, globals, locals)


def _compile(source: str) -> CodeType:
    # What ``exec`` does with a string from dataclasses, which has no ``__future__`` imports:
    # file name "<string>", no inherited future flags, the interpreter's optimization level.
    return compile(source, "<string>", "exec", dont_inherit=True)


def _store_path(block: str) -> Path:
    environment = hashlib.sha256(sys.prefix.encode("utf-8", "surrogateescape")).hexdigest()
    tag = f"{sys.implementation.cache_tag}-O{sys.flags.optimize}-{environment[:16]}"
    return user_cache_dir() / "code" / f"{block}-{tag}.bin"


def _load(path: Path) -> dict[str, CodeType]:
    body = read_signed(path, _HEADER)
    try:
        kept = marshal.loads(body) if body is not None else None
    except (ValueError, EOFError, TypeError):
        return {}
    if not isinstance(kept, dict):
        return {}
    return {
        source: code
        for source, code in kept.items()
        if isinstance(source, str) and isinstance(code, CodeType)
    }
