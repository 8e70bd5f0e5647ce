"""The libcst floor: what parsing files with libcst costs, with nothing else done.

Usage: python bench/floor.py PATH

PATH is a folder (every ``.py`` file under it is parsed in a pool of two forked processes,
largest files first, as in ``reference/perf.md``) or one file (parsed in this process). A
file libcst cannot parse counts as parsed. bench/run.py times it beside integrity-lint: no
libcst-based linter that parses these files can be faster, or use less memory, than this.
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

import libcst

JOBS = 2


def parse(path: Path) -> None:
    try:
        libcst.parse_module(path.read_bytes())
    except Exception:  # the floor is the attempt; a linter would report the file
        return


def main() -> None:
    target = Path(sys.argv[1])
    if target.is_file():
        parse(target)
        return
    files = sorted(target.rglob("*.py"), key=lambda path: path.stat().st_size, reverse=True)
    with multiprocessing.get_context("fork").Pool(JOBS) as pool:
        for _ in pool.imap_unordered(parse, files, chunksize=8):
            pass


if __name__ == "__main__":
    main()
