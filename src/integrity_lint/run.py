"""The ``check`` pipeline: discover files → per-file pass → baseline and diff filters → report."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from integrity_lint.baseline import (
    apply_baseline,
    entries_for,
    load_baseline,
    subtract,
    write_baseline,
)
from integrity_lint.config import Config, Settings
from integrity_lint.discovery import discover, relative_path
from integrity_lint.engine import check_sources, lint_source
from integrity_lint.fixes import Decoded, applicable, fix_text, unified_diff, write_atomically
from integrity_lint.globs import PatternSet
from integrity_lint.manifest import Manifest, load_manifest
from integrity_lint.report.model import Finding, Report


@dataclass(frozen=True)
class CheckRequest:
    paths: tuple[Path, ...] = ()
    stdin: bytes | None = None
    stdin_filename: Path | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    diff_base: str | None = None
    fix: str = "none"  # none | safe | unsafe: which fixes to apply
    preview: bool = False  # with fix: compute the fixes but change no file (--diff)


@dataclass
class Outcome:
    report: Report
    notes: list[str] = field(default_factory=list)  # one-line remarks for stderr
    fixed: int = 0  # findings fixed (or, previewing, that would be)
    diffs: list[str] = field(default_factory=list)  # previewing: the changes, per file
    stdin_fixed: bytes | None = None  # the fixed stdin source, when fixing stdin


# Fixes are applied in rounds until none is left: overlapping fixes wait for the next round,
# and a fix may uncover another (a removed finding leaves its suppression unused). The bound
# stops two fixes that undo each other.
MAX_FIX_ROUNDS = 10


def load_project_manifest(config: Config) -> Manifest | None:
    """The configured manifest sources, merged; ``None`` when none is configured."""
    return load_manifest(config.manifest, config.root) if config.manifest else None


def run_check(settings: Settings, request: CheckRequest) -> Outcome:
    manifest = load_project_manifest(settings.config)
    if request.fix == "none":
        return _run_once(settings, request, manifest, {})
    settings = replace(settings, options=replace(settings.options, build_fixes=True))
    rounds = fix_rounds(
        lambda fixed: _run_once(settings, request, manifest, fixed),
        lambda path: _original(path, request, settings.config.root),
        unsafe=request.fix == "unsafe",
    )
    outcome = rounds.last
    outcome.fixed = rounds.count
    _deliver(outcome, request, settings.config.root, rounds.originals, rounds.fixed)
    return outcome


@dataclass
class FixRounds:
    last: Outcome  # the check of the fixed text
    originals: dict[str, bytes] = field(default_factory=dict)  # of the files that changed
    fixed: dict[str, bytes] = field(default_factory=dict)
    count: int = 0


def fix_rounds(
    check: Callable[[dict[str, bytes]], Outcome],
    read: Callable[[str], bytes],
    unsafe: bool,
    codes: frozenset[str] | None = None,
) -> FixRounds:
    """Check, fix, and check the fixed text again, until no fix is left.

    ``check`` checks the project with the given files' contents replaced; ``read`` reads a
    file's current content; ``codes`` limits the fixes to those rules.
    """
    rounds = FixRounds(check({}))
    for _ in range(MAX_FIX_ROUNDS):
        changed = False
        for path, findings in _fixable(rounds.last.report, unsafe, codes).items():
            data = rounds.fixed.get(path) or read(path)
            decoded = Decoded.of(data)
            if decoded is None:
                continue
            text, applied = fix_text(decoded.text, findings, unsafe)
            if applied:
                rounds.originals.setdefault(path, data)
                rounds.fixed[path] = decoded.encode(text)
                rounds.count += applied
                changed = True
        if not changed:
            break
        rounds.last = check(rounds.fixed)
    return rounds


def _fixable(
    report: Report, unsafe: bool, codes: frozenset[str] | None
) -> dict[str, list[Finding]]:
    by_path: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if applicable(finding, unsafe) and (codes is None or finding.code in codes):
            by_path.setdefault(finding.path, []).append(finding)
    return by_path


def _original(path: str, request: CheckRequest, root: Path) -> bytes:
    if request.stdin is not None:
        return request.stdin
    return (root / path).read_bytes()


def _deliver(
    outcome: Outcome,
    request: CheckRequest,
    root: Path,
    originals: dict[str, bytes],
    fixed: dict[str, bytes],
) -> None:
    """Write the fixed files, or describe the changes when previewing."""
    for path in sorted(fixed):
        if request.preview:
            before, after = Decoded.of(originals[path]), Decoded.of(fixed[path])
            assert before is not None and after is not None
            outcome.diffs.append(unified_diff(path, before.text, after.text))
        elif request.stdin is not None:
            outcome.stdin_fixed = fixed[path]
        else:
            write_atomically(root / path, fixed[path])


def _run_once(
    settings: Settings,
    request: CheckRequest,
    manifest: Manifest | None,
    fixed: dict[str, bytes],
) -> Outcome:
    """One check of the project, with ``fixed`` standing in for those files' contents."""
    root = settings.config.root
    if request.stdin is not None and request.stdin_filename is not None:
        report = _check_stdin(settings, request.stdin, request.stdin_filename, manifest, fixed)
    else:
        paths = list(request.paths) or [Path(".")]
        whole = any(Path(os.path.abspath(p)) == root for p in paths)
        report = _check_tree(settings, paths, root, manifest, whole, fixed)
    outcome = Outcome(report)
    if request.write_baseline is not None:
        entries = entries_for(report.findings)
        write_baseline(request.write_baseline, entries)
        noun = "entry" if len(entries) == 1 else "entries"
        outcome.notes.append(f"wrote {len(entries)} baseline {noun} to {request.write_baseline}")
        report.baselined, report.findings = len(report.findings), []
        return outcome
    if request.diff_base is not None:
        from integrity_lint.diffbase import tree_at

        with tree_at(request.diff_base, root) as base_root:
            base_paths = [base_root / _relative_to_root(p, root) for p in request.paths]
            existing = [p for p in base_paths if p.exists()] or [base_root]
            base = _check_tree(settings, existing, base_root, manifest, whole_project=False)
        report.findings, _ = subtract(
            report.findings, Counter(f.fingerprint for f in base.findings)
        )
        report.base_sites = base.sites
    baseline = request.baseline or _configured_baseline(settings)
    if baseline is not None:
        before = len(report.findings)
        report.findings, stale = apply_baseline(report.findings, load_baseline(baseline))
        report.baselined = before - len(report.findings)
        if stale:
            outcome.notes.append(
                f"{stale} baseline finding(s) in {baseline} no longer occur; "
                "run --write-baseline to prune them"
            )
    return outcome


def _check_stdin(
    settings: Settings,
    data: bytes,
    filename: Path,
    manifest: Manifest | None,
    fixed: dict[str, bytes],
) -> Report:
    config = settings.config
    relative = relative_path(Path(os.path.abspath(filename)), config.root)
    report = Report(files=1)
    if not PatternSet(list(config.exclude)).matches(relative):
        result = lint_source(fixed.get(relative, data), relative, settings, manifest)
        report.findings, report.suppressed = result.findings, result.suppressed
        report.sort()
    return report


def _check_tree(
    settings: Settings,
    paths: list[Path],
    root: Path,
    manifest: Manifest | None,
    whole_project: bool,
    fixed: dict[str, bytes] | None = None,
) -> Report:
    files = discover(paths, root, settings.config.exclude)
    fixed = fixed or {}
    sources: list[tuple[str, Path | bytes]] = [
        (f.relative, fixed.get(f.relative, f.absolute)) for f in files
    ]
    return check_sources(sources, settings, manifest, whole_project)


def _relative_to_root(path: Path, root: Path) -> str:
    return relative_path(Path(os.path.abspath(path)), root)


def _configured_baseline(settings: Settings) -> Path | None:
    """The ``baseline`` file of the configuration, once it has been written."""
    if settings.config.baseline is None:
        return None
    path = settings.config.root / settings.config.baseline
    return path if path.is_file() else None
