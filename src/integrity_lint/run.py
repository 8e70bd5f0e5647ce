"""The ``check`` pipeline: discover files → per-file pass → baseline and diff filters → report."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
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
from integrity_lint.globs import PatternSet
from integrity_lint.manifest import Manifest, load_manifest
from integrity_lint.report.model import Report


@dataclass(frozen=True)
class CheckRequest:
    paths: tuple[Path, ...] = ()
    stdin: bytes | None = None
    stdin_filename: Path | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    diff_base: str | None = None


@dataclass
class Outcome:
    report: Report
    notes: list[str] = field(default_factory=list)  # one-line remarks for stderr


def load_project_manifest(config: Config) -> Manifest | None:
    """The configured manifest sources, merged; ``None`` when none is configured."""
    return load_manifest(config.manifest, config.root) if config.manifest else None


def run_check(settings: Settings, request: CheckRequest) -> Outcome:
    root = settings.config.root
    manifest = load_project_manifest(settings.config)
    if request.stdin is not None and request.stdin_filename is not None:
        report = _check_stdin(settings, request.stdin, request.stdin_filename, manifest)
    else:
        paths = list(request.paths) or [Path(".")]
        whole = any(Path(os.path.abspath(p)) == root for p in paths)
        report = _check_tree(settings, paths, root, manifest, whole)
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
    settings: Settings, data: bytes, filename: Path, manifest: Manifest | None
) -> Report:
    config = settings.config
    relative = relative_path(Path(os.path.abspath(filename)), config.root)
    report = Report(files=1)
    if not PatternSet(list(config.exclude)).matches(relative):
        result = lint_source(data, relative, settings, manifest)
        report.findings, report.suppressed = result.findings, result.suppressed
        report.sort()
    return report


def _check_tree(
    settings: Settings,
    paths: list[Path],
    root: Path,
    manifest: Manifest | None,
    whole_project: bool,
) -> Report:
    files = discover(paths, root, settings.config.exclude)
    sources: list[tuple[str, Path | bytes]] = [(f.relative, f.absolute) for f in files]
    return check_sources(sources, settings, manifest, whole_project)


def _relative_to_root(path: Path, root: Path) -> str:
    return relative_path(Path(os.path.abspath(path)), root)


def _configured_baseline(settings: Settings) -> Path | None:
    """The ``baseline`` file of the configuration, once it has been written."""
    if settings.config.baseline is None:
        return None
    path = settings.config.root / settings.config.baseline
    return path if path.is_file() else None
