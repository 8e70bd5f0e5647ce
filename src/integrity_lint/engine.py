"""The checking pipeline: per-file pass, project pass, suppressions.

The per-file pass (:mod:`integrity_lint.filepass`) runs on every file that is not in the
cache, over many files in a pool of processes. The project pass joins the facts of all files.
Each file's suppressions then filter its findings. Nothing here prints.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, partial
from pathlib import Path
from types import ModuleType

from integrity_lint.analysis.facts import FileFacts, module_name
from integrity_lint.analysis.project import Issue, ProjectPass, ProjectResult
from integrity_lint.analysis.sdks import load_sdk_catalog
from integrity_lint.analysis.vocabulary import vocabulary
from integrity_lint.config import Settings
from integrity_lint.files import read_regular_file
from integrity_lint.manifest import Manifest
from integrity_lint.report import model
from integrity_lint.report.model import Finding
from integrity_lint.results import TELEMETRY_CODES, FileFindings, FileResult


def _read(source: Path | bytes, path: str, settings: Settings) -> bytes | FileResult:
    if isinstance(source, bytes):
        return source
    try:
        return read_regular_file(source)
    except OSError as error:
        linter = FileFindings(path, settings)
        message = f"cannot read file: {error.strerror or error}"
        linter.add(linter.finding("INT001", (1, 1), (1, 1), message, message))
        return FileResult(path, linter.findings)


def check_sources(
    sources: list[tuple[str, Path | bytes]],
    settings: Settings,
    manifest: Manifest | None = None,
    whole_project: bool = False,
) -> model.Report:
    """Check files given as ``(path relative to the root, file or its bytes)``.

    The per-file pass runs on every file, then the project pass over their facts, then each
    file's suppressions filter its findings.
    """
    results = _per_file_pass(sources, settings)
    project = _project_pass(results, dict(sources), settings, manifest, whole_project)
    report = model.Report(files=len(sources), sites=project.sites, fields=project.fields)
    issues: dict[str, list[Issue]] = {}
    for issue in project.issues:
        issues.setdefault(issue.path, []).append(issue)
    for path, result in results.items():
        linter = FileFindings(path, settings)
        linter.findings = result.findings
        for issue in issues.get(path, ()):
            linter.add(_issue_finding(linter, issue))
        checked = linter.apply_suppressions(result.suppressions or [])
        report.findings.extend(checked.findings)
        report.suppressed.extend(checked.suppressed)
    for path, found in issues.items():
        if path not in results:  # the manifest's own findings
            linter = FileFindings(path, settings)
            report.findings.extend(
                f for issue in found if (f := _issue_finding(linter, issue)) is not None
            )
    report.sort()
    return report


# Runs over fewer files stay in this process: starting workers costs more than it saves.
PARALLEL_MIN_FILES = 24
_POOL_SETTINGS: Settings | None = None  # what forked workers check with


def _per_file_pass(
    sources: list[tuple[str, Path | bytes]], settings: Settings
) -> dict[str, FileResult]:
    """Every file's per-file pass: from the cache, or checked now; over many files that are
    not cached, in a pool of forked processes.

    The results do not depend on the pool: each file is checked on its own, and the report
    is sorted afterwards.
    """
    done: dict[str, FileResult] = {}
    todo: list[tuple[str, bytes]] = []
    cache = settings.file_cache
    for path, source in sources:
        if cache is not None and isinstance(source, Path):
            unchanged = cache.get_unchanged(path, source)
            if isinstance(unchanged, FileResult):
                done[path] = unchanged
                continue
        data = _read(source, path, settings)
        if isinstance(data, FileResult):
            done[path] = data
        elif (found := _from_cache(data, path, settings)) is not None:
            done[path] = found
        else:
            todo.append((path, data))
    if cache is not None:
        cache.save_index()
    progress = settings.options.progress or (lambda done, total: None)
    progress(len(done), len(sources))
    for path, result in _check_all(todo, settings):
        done[path] = result
        progress(len(done), len(sources))
    return {path: done[path] for path, _ in sources}


def _check_all(
    todo: list[tuple[str, bytes]], settings: Settings
) -> Iterator[tuple[str, FileResult]]:
    with _few_collections():
        yield from _check_each(todo, settings)


# A syntax tree is millions of objects without cycles (nodes do not point at their parents):
# reference counting frees them, and the cycle collector, run every 700 allocations by
# default, only walks them again. It runs less often during the per-file pass.
FILE_PASS_GC_THRESHOLD = (100_000, 50, 100)


@contextmanager
def _few_collections() -> Iterator[None]:
    previous = gc.get_threshold()
    gc.set_threshold(*FILE_PASS_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _check_each(
    todo: list[tuple[str, bytes]], settings: Settings
) -> Iterator[tuple[str, FileResult]]:
    jobs = settings.options.jobs or os.cpu_count() or 1
    if jobs >= 2 and len(todo) >= PARALLEL_MIN_FILES:
        import multiprocessing  # only for a pool

        if "fork" in multiprocessing.get_all_start_methods():
            yield from _check_in_pool(todo, settings, min(jobs, len(todo)))
            return
    for path, data in todo:
        yield path, _lint_and_store(data, path, settings)


def _check_in_pool(
    todo: list[tuple[str, bytes]], settings: Settings, workers: int
) -> Iterator[tuple[str, FileResult]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _POOL_SETTINGS
    _POOL_SETTINGS = settings
    # Largest files first: the last chunks are the small files, so the workers end together.
    todo = sorted(todo, key=lambda item: len(item[1]), reverse=True)
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
        ) as pool:
            checked = pool.map(_check_in_worker, todo, chunksize=8)
            yield from ((path, result) for (path, _), result in zip(todo, checked, strict=True))
    finally:
        _POOL_SETTINGS = None


def _start_worker() -> None:
    _file_pass().forget_deep_executor()  # the parent's thread is not forked
    gc.set_threshold(*FILE_PASS_GC_THRESHOLD)  # a worker only checks files


def _check_in_worker(item: tuple[str, bytes]) -> FileResult:
    assert _POOL_SETTINGS is not None
    path, data = item
    return _lint_and_store(data, path, _POOL_SETTINGS)


def _cached_lint(
    data: bytes, path: str, settings: Settings, collect_only: bool = False
) -> FileResult:
    """:func:`lint_file`, through the per-file cache when it is on."""
    return _from_cache(data, path, settings, collect_only) or _lint_and_store(
        data, path, settings, collect_only
    )


def _from_cache(
    data: bytes, path: str, settings: Settings, collect_only: bool = False
) -> FileResult | None:
    cache = settings.file_cache
    found = cache.get(path, data, "facts" if collect_only else "") if cache else None
    return found if isinstance(found, FileResult) else None


def _lint_and_store(
    data: bytes, path: str, settings: Settings, collect_only: bool = False
) -> FileResult:
    result = _file_pass().lint_file(data, path, settings, collect_only)
    if settings.file_cache is not None and result.cacheable:
        settings.file_cache.put(path, data, result, "facts" if collect_only else "")
    return result


@cache
def _file_pass() -> ModuleType:
    """:mod:`integrity_lint.filepass`, loaded when a file is to be checked (libcst and the
    checks: a fully cached run does without), with its generated code kept across runs."""
    from integrity_lint.bytecode import kept_compiles

    with kept_compiles("file-pass"):
        from integrity_lint import filepass

        filepass.load()
    return filepass


def _project_pass(
    results: dict[str, FileResult],
    sources: dict[str, Path | bytes],
    settings: Settings,
    manifest: Manifest | None,
    whole_project: bool,
) -> ProjectResult:
    """Cross-file telemetry analysis over the facts of the checked files.

    Files that name no SDK were not collected in the per-file pass (or only for their fields);
    those that may use a project client or wrapper, or define a constant a site refers to, are
    collected now, until nothing new turns up. A project module that a checked file needs but
    that is not being checked (pre-commit passes only changed files) is read for its facts
    too; its own sites are not reported.
    """
    if not settings.enabled.intersection(TELEMETRY_CODES | {"PRV602"}):
        return ProjectResult()
    background: dict[str, FileFacts] = {}
    absent: set[str] = set()  # modules that are not files of this project

    def facts() -> dict[str, FileFacts]:
        checked = {p: r.facts for p, r in results.items() if r.facts is not None}
        return {**background, **checked}

    def project() -> ProjectPass:
        modules = {module_name(path) for path in [*results, *background]}
        config = settings.config
        return ProjectPass(
            facts(),
            load_sdk_catalog,
            manifest,
            modules,
            config.wrappers,
            consent_gated=bool(config.consent_guards) and "PRV203" in settings.enabled,
            personal=partial(vocabulary, config.personal_data_extra, config.not_personal),
        )

    pending = {
        path: result
        for path, result in results.items()
        if (result.facts is None or not result.facts.calls_known)
        and result.suppressions is not None
    }
    while True:
        probe = project()
        referenced = probe.referenced_modules(probe.all_sites())
        wanted = [(a.encode(), b.encode()) for a, b in probe.exported_names()]
        collected = False
        for path in list(pending) if referenced or wanted else ():
            data = _read(sources[path], path, settings)
            if not isinstance(data, bytes):
                del pending[path]
            elif module_name(path) in referenced or any(a in data and b in data for a, b in wanted):
                pending.pop(path).facts = _cached_lint(
                    data, path, settings, collect_only=True
                ).facts
                collected = True
        known = {module_name(path) for path in [*results, *background]} | absent
        for module in sorted((referenced | probe.called_modules()) - known):
            found = _module_file(module, settings.config.root)
            if found is None:
                absent.add(module)
            elif found[0] not in results and found[0] not in background:
                facts_found = _cached_lint(found[1], found[0], settings, collect_only=True).facts
                background[found[0]] = facts_found or FileFacts(found[0], module)
                collected = True
        if not collected:
            break
    result = project().run(whole_project)
    reported = set(results) | set(manifest.sources if manifest else ())
    result.issues = [issue for issue in result.issues if issue.path in reported]
    result.sites = [site for site in result.sites if site.path in results]
    result.fields = [item for item in result.fields if item.path in results]
    return result


def _module_file(module: str, root: Path) -> tuple[str, bytes] | None:
    """The file of a project module under the root, as (relative path, bytes)."""
    relative = module.replace(".", "/")
    for candidate in (f"{relative}.py", f"{relative}/__init__.py"):
        for base in ("", "src/"):
            path = root / (base + candidate)
            try:
                return base + candidate, read_regular_file(path)
            except OSError:
                continue
    return None


def _issue_finding(linter: FileFindings, issue: Issue) -> Finding | None:
    return linter.finding(
        issue.code,
        (issue.line, issue.column),
        (issue.end_line, issue.end_column),
        issue.message,
        issue.text,
        issue.scope,
    )


def lint_source(
    data: bytes | str,
    path: str,
    settings: Settings,
    manifest: Manifest | None = None,
    whole_project: bool = False,
) -> model.Report:
    """Check one file's content, reported under ``path``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return check_sources([(path, raw)], settings, manifest, whole_project)


def lint_paths(files: list[tuple[Path, str]], settings: Settings) -> model.Report:
    """Check files given as ``(absolute path, path relative to the root)`` pairs."""
    return check_sources([(relative, absolute) for absolute, relative in files], settings)
