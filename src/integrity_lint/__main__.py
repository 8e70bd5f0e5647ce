"""The ``integrity-lint`` command (also ``python -m integrity_lint``)."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from integrity_lint.bytecode import kept_compiles


def main() -> NoReturn:
    with kept_compiles("cli"):  # the CLI's modules define dataclasses: see integrity_lint.bytecode
        from integrity_lint.cli import main as cli
    try:
        cli()
    except SystemExit as done:
        end(done.code)
    end(0)


def end(code: object) -> NoReturn:
    """Exit with ``code`` as ``sys.exit`` would, without the interpreter's teardown.

    Freeing every object a run made (a large file's syntax tree, libcst's classes, the
    caches) took 45 to 70 ms after a check of one large file, a tenth of the run (measured);
    the process ends anyway. Everything the run writes is closed by then but the standard
    streams, which are flushed here; a stream that cannot be written gives Python's own
    status for that, 120.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message")
        print(code, file=sys.stderr)
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        status = 120
    os._exit(status)


if __name__ == "__main__":
    main()
