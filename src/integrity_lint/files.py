"""Reading the project's files: only regular files (and folders, which fail as usual).

A project can hold a link to ``/dev/zero`` or a named pipe under a name the linter reads
(``x.py``, ``.gitignore``, ``data-manifest.toml``): reading it would never end, or block.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def read_regular_file(path: Path) -> bytes:
    """The bytes of ``path``; :class:`OSError` ("not a regular file") for a device, pipe or
    socket."""
    mode = path.stat().st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    return path.read_bytes()


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` (``.NAME.….tmp``) and rename it over
    ``path``: a reader, or a run that writes the same file at the same time, only ever sees a
    whole file. The temporary file is removed when the write fails."""
    import tempfile  # only runs that write pay for it

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
