"""Side-by-side speed of integrity-lint, Bandit, Fixit and Ruff on a pinned real corpus.

Usage (from the repository root, with integrity-lint installed in .venv):

    .venv/bin/python bench/run.py [--corpus django|stdlib|both] [--skip-fixit] [--runs N]

The script downloads Django's wheel (pinned below) with pip, uses the standard library of the
running Python as the second corpus, installs the peers into a venv of their own
(bench/.peers, never the project's), runs each tool on the same files and prints the
measured seconds and the ratios the speed issue sets as targets. Medians of --runs runs.
Nothing here is part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import venv
import zipfile
from pathlib import Path

DJANGO = "django==5.2.8"
PEERS = ["bandit==1.9.4", "ruff==0.17.6", "fixit==2.1.0"]
HERE = Path(__file__).resolve().parent
TARGETS = {
    "cold / Bandit": 0.5,
    "cold / Fixit": 0.05,
    "warm / Bandit": 0.03,
    "one changed file / Bandit one file": 1.5,
    "peak memory / Bandit": 2.0,
}


def peers() -> Path:
    folder = HERE / ".peers"
    if not (folder / "bin" / "bandit").exists():
        venv.create(folder, with_pip=True)
        subprocess.run([folder / "bin" / "pip", "install", "-q", *PEERS], check=True)
    return folder / "bin"


def django(work: Path) -> Path:
    target = work / "django"
    if not target.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", work, DJANGO],
            check=True,
        )
        wheel = next(work.glob("Django-*.whl"), None) or next(work.glob("django-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(target)
    return target


def stdlib(work: Path) -> Path:
    target = work / "stdlib"
    if not target.exists():
        source = Path(sysconfig.get_paths()["stdlib"])
        shutil.copytree(
            source, target, ignore=shutil.ignore_patterns("site-packages", "test", "__pycache__")
        )
    return target


# Runs a command and prints the peak resident memory (KiB) of its largest process: a fresh
# wrapper per command, so that the figure belongs to that command alone.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def timed(command: list[str | Path], cwd: Path, runs: int) -> tuple[float, int]:
    """Median wall time in seconds and the peak resident memory (KiB) over the runs."""
    times, peak = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, *map(str, command)],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
        peak = max(peak, int(done.stdout.strip() or 0))
    return statistics.median(times), peak


def one_file(corpus: Path) -> Path:
    return max(corpus.rglob("*.py"), key=lambda p: p.stat().st_size)


def compile_package() -> None:
    """Compile integrity-lint's modules to bytecode, as installing its wheel does (and as the
    peers' installs did): an editable install under ``PYTHONDONTWRITEBYTECODE`` would
    otherwise compile them again on every run."""
    import integrity_lint

    package = Path(integrity_lint.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True)


def bench(name: str, corpus: Path, tools: Path, runs: int, fixit: bool) -> dict[str, float]:
    il = [Path(sys.executable).parent / "integrity-lint", "check", "--exit-zero"]
    cache = corpus / ".integrity-lint-cache"
    results: dict[str, float] = {}
    shutil.rmtree(cache, ignore_errors=True)
    results["integrity-lint cold"], il_peak = timed([*il, "--no-cache", "."], corpus, runs)
    timed([*il, "."], corpus, 1)  # fill the cache
    results["integrity-lint warm"], _ = timed([*il, "."], corpus, runs)
    changed = one_file(corpus)
    original = changed.read_bytes()
    times = []
    try:
        for run in range(runs):  # a new change each time: the last one is in the cache
            changed.write_bytes(original + f"\n# changed {run}\n".encode())
            times.append(timed([*il, "."], corpus, 1)[0])
    finally:
        changed.write_bytes(original)
    results["integrity-lint one changed file"] = statistics.median(times)
    bandit = [tools / "bandit", "-q", "-r", "-f", "json", "-o", os.devnull]
    results["bandit"], bandit_peak = timed([*bandit, "."], corpus, runs)
    results["bandit one file"], _ = timed([*bandit, changed], corpus, runs)
    results["ruff --select S"], _ = timed(
        [tools / "ruff", "check", "--isolated", "--no-cache", "--select", "S", "--exit-zero", "."],
        corpus,
        runs,
    )
    if fixit:
        results["fixit"], _ = timed([tools / "fixit", "lint", "."], corpus, 1)
    floor = [sys.executable, HERE / "floor.py"]
    results["libcst parse floor"], floor_peak = timed([*floor, "."], corpus, runs)
    results["libcst parse floor one file"], _ = timed([*floor, changed], corpus, runs)
    results["_il_peak"], results["_bandit_peak"] = il_peak, bandit_peak
    print(f"\n## {name} ({sum(1 for _ in corpus.rglob('*.py'))} files)\n")
    for tool, seconds in results.items():
        if not tool.startswith("_"):
            print(f"{tool:34} {seconds:8.2f} s")
    ratios = {
        "cold / Bandit": results["integrity-lint cold"] / results["bandit"],
        "warm / Bandit": results["integrity-lint warm"] / results["bandit"],
        "one changed file / Bandit one file": results["integrity-lint one changed file"]
        / results["bandit one file"],
    }
    if fixit:
        ratios["cold / Fixit"] = results["integrity-lint cold"] / results["fixit"]
    if bandit_peak:
        ratios["peak memory / Bandit"] = il_peak / bandit_peak
    print("\n| ratio | measured | target |\n|---|---:|---:|")
    for label, value in ratios.items():
        print(f"| {label} | {value:.2f} | ≤ {TARGETS[label]} |")
    # Where the floor of any libcst linter lies on the same targets (bench/floor.py).
    floors = {
        "cold / Bandit": results["libcst parse floor"] / results["bandit"],
        "one changed file / Bandit one file": results["libcst parse floor one file"]
        / results["bandit one file"],
    }
    if bandit_peak:
        floors["peak memory / Bandit"] = floor_peak / bandit_peak
    print("\n| the libcst parse floor alone | measured | target |\n|---|---:|---:|")
    for label, value in floors.items():
        print(f"| {label} | {value:.2f} | ≤ {TARGETS[label]} |")
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=["django", "stdlib", "both"], default="both")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-fixit", action="store_true", help="Fixit takes minutes.")
    args = parser.parse_args()
    tools = peers()
    compile_package()
    work = Path(tempfile.gettempdir()) / "integrity-lint-bench"
    work.mkdir(exist_ok=True)
    corpora = {"django": django, "stdlib": stdlib}
    for name in ("django", "stdlib") if args.corpus == "both" else (args.corpus,):
        bench(name, corpora[name](work), tools, args.runs, not args.skip_fixit)


if __name__ == "__main__":
    main()
