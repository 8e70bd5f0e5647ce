"""Reading the project's files: only regular files (and folders, which fail as usual).

A project can hold a link to ``/dev/zero`` or a named pipe under a name the linter reads
(``x.py``, ``.gitignore``, ``data-manifest.toml``): reading it would never end, or block.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path


def read_regular_file(path: Path) -> bytes:
    """The bytes of ``path``; :class:`OSError` ("not a regular file") for a device, pipe or
    socket."""
    mode = path.stat().st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    return path.read_bytes()
