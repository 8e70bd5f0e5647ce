"""The checking pipeline: per-file pass, project pass, suppressions.

The per-file pass decodes, prefilters, parses once and runs every enabled check (and the
telemetry fact collector) in one batched visit. The project pass joins the facts of all files.
Each file's suppressions then filter its findings. Nothing here prints. A file that cannot be
decoded or parsed gives INT001; a check that raises gives INT006 for that file and the other
checks still run.
"""

from __future__ import annotations

import ast
import bisect
import hashlib
import io
import multiprocessing
import os
import re
import sys
import threading
import tokenize
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.metadata import (
    CodeRange,
    MetadataWrapper,
    PositionProvider,
)

from integrity_lint.analysis.facts import FileFacts, module_name
from integrity_lint.analysis.imports import ImportTracker
from integrity_lint.analysis.personal import ExpressionClassifier, vocabulary
from integrity_lint.analysis.project import Issue, ProjectPass, ProjectResult
from integrity_lint.analysis.sdks import load_sdk_catalog
from integrity_lint.analysis.telemetry import TelemetryCollector
from integrity_lint.checks import all_checks
from integrity_lint.checks.base import Check, FileContext, Report, ScopeCloser, ScopeOpener
from integrity_lint.config import Settings
from integrity_lint.files import read_regular_file
from integrity_lint.fixes import Edit, edit
from integrity_lint.lines import line_starts
from integrity_lint.manifest import Manifest
from integrity_lint.report import model
from integrity_lint.report.model import Finding
from integrity_lint.suppressions import Suppression, find_suppressions, without_code

TELEMETRY_CODES = frozenset(
    {"PRV101", "PRV102", "PRV103", "PRV203", "PRV303", "PRV304", "PRV603", "PRV604", "PRV605"}
    | {"PRV601", "PRV606", "SUS205"}
)


# Words without which a file declares no schema class and reads no request data (PRV601).
FIELD_TOKENS = ("models", "Model", "dataclass", "Column", "mapped_column", "Form", "request")


@dataclass
class FileResult:
    """One file after the per-file pass: findings not yet filtered by its suppressions."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    suppressions: list[Suppression] | None = None  # None when the file could not be parsed
    facts: FileFacts | None = None


@dataclass
class Checked:
    """One file's final findings and the findings its suppressions hid."""

    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)


def fingerprint(code: str, path: str, scope: str, text: str) -> str:
    """Stable under edits elsewhere in the file: no line numbers, normalised node text."""
    normalised = "".join(text.split())
    digest = hashlib.sha256(f"{code}\0{path}\0{scope}\0{normalised}".encode())
    return digest.hexdigest()[:20]


class _FileLinter:
    def __init__(self, path: str, settings: Settings, collect_only: bool = False) -> None:
        self.path = path
        self.settings = settings
        self.enabled = settings.codes_for(path)
        self.collect_only = collect_only
        self.findings: list[Finding] = []
        self.facts: FileFacts | None = None

    def finding(
        self,
        code: str,
        start: tuple[int, int],
        end: tuple[int, int],
        message: str,
        text: str,
        scope: str = "",
        fix: dict[str, Any] | None = None,
    ) -> Finding | None:
        """A finding at 1-based ``(line, column)`` positions, if its code is enabled here."""
        if code not in self.enabled:
            return None
        rule = self.settings.catalog.get(code)
        assert rule is not None, code
        return Finding(
            code=code,
            name=rule.name,
            pillar=rule.pillar,
            severity=self.settings.severity_for(code, self.path),
            path=self.path,
            line=start[0],
            column=start[1],
            end_line=end[0],
            end_column=end[1],
            message=message,
            fingerprint=fingerprint(code, self.path, scope, text),
            help_uri=rule.help_uri,
            fix=fix if fix is not None and rule.fix != "none" else None,
        )

    def add(self, finding: Finding | None) -> None:
        if finding is not None:
            self.findings.append(finding)

    def lint(self, data: bytes) -> FileResult:
        source = self.decode(data)
        if source is None:
            return FileResult(self.path, self.findings)
        folded = source.casefold()
        check_types = [
            check
            for check in all_checks()
            if not self.collect_only
            and self.enabled.intersection(check.codes)
            and check.may_match(source, folded)
        ]
        collect = self.wants_telemetry(source)
        if not check_types and not collect:
            if self.syntax_ok(source):
                return FileResult(self.path, self.findings, find_suppressions(source))
            return FileResult(self.path, self.findings)
        module = self.parse(source)
        if module is None:
            return FileResult(self.path, self.findings)
        self.visit(module, source, check_types, collect)
        return FileResult(self.path, self.findings, find_suppressions(source), self.facts)

    def wants_telemetry(self, source: str) -> bool:
        """Telemetry facts are collected where a telemetry rule is on and an SDK is named."""
        if self.collect_only:
            return True
        if not self.enabled.intersection(TELEMETRY_CODES):
            return False
        tokens = load_sdk_catalog().import_tokens + self.settings.wrapper_tokens
        if "PRV601" in self.enabled:
            tokens += FIELD_TOKENS
        return any(token in source for token in tokens)

    def decode(self, data: bytes) -> str | None:
        nul = data.find(b"\0")
        if nul >= 0:  # Python refuses the file, even with the NUL in a comment or string
            line = data.count(b"\n", 0, nul) + 1
            column = nul - data.rfind(b"\n", 0, nul)
            message = "syntax error: source code cannot contain null bytes"
            self.add(self.finding("INT001", (line, column), (line, column), message, message))
            return None
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            text = data.decode(encoding)
        except (SyntaxError, LookupError, UnicodeDecodeError) as error:
            reason = getattr(error, "reason", None) or getattr(error, "msg", None) or error
            self.add(self.finding("INT001", (1, 1), (1, 1), f"cannot decode file: {reason}", ""))
            return None
        return text.removeprefix("\ufeff")

    def syntax_ok(self, source: str) -> bool:
        """Cheap syntax check for files no check needs to parse; libcst confirms a failure."""
        try:
            ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return self.parse(source) is not None
        return True

    def parse(self, source: str) -> cst.Module | None:
        if _may_nest_too_deeply(source):
            too_deep = _python_syntax_error(source)
            if too_deep is not None and too_deep.msg == TOO_DEEP_MESSAGE:
                self.syntax_error(too_deep)  # libcst would take seconds and gigabytes on it
                return None
        try:
            return cst.parse_module(source)
        except cst.ParserSyntaxError as error:
            # Python's own parser names the error and its place more precisely.
            python_error = _python_syntax_error(source)
            if python_error is not None:
                self.syntax_error(python_error)
                return None
            line, column = error.raw_line, error.raw_column + 1
            message = f"libcst cannot parse this file, although Python can: {error.message}"
            self.add(self.finding("INT001", (line, column), (line, column), message, message))
        except RecursionError:
            message = "the file is nested too deeply for the parser"
            self.add(self.finding("INT001", (1, 1), (1, 1), message, message))
        except Exception as error:  # the parser failing on odd input must not stop the run
            message = f"cannot parse file: {type(error).__name__}: {error}"
            self.add(self.finding("INT001", (1, 1), (1, 1), message, message))
        return None

    def syntax_error(self, error: SyntaxError) -> None:
        line, column = error.lineno or 1, error.offset or 1
        message = f"syntax error: {error.msg}"
        self.add(self.finding("INT001", (line, column), (line, column), message, message))

    def visit(
        self, module: cst.Module, source: str, check_types: list[type[Check]], collect: bool
    ) -> None:
        """Run the checks in one batched visit; a check that raises is dropped and reported."""
        remaining: list[type[Check] | None] = [*check_types, *([None] if collect else [])]
        while remaining:
            wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
            imports = ImportTracker()
            imports.prescan(module)
            context = FileContext(self.path, source, self.settings, imports)
            checks = [t(context) for t in remaining if t is not None]
            collector = None
            if None in remaining:
                config = self.settings.config
                classifier = ExpressionClassifier(
                    vocabulary(config.personal_data_extra, config.not_personal),
                    imports,
                    config.sanitizers,
                )
                collector = TelemetryCollector(
                    self.path,
                    imports,
                    load_sdk_catalog(),
                    context.scope,
                    self.settings.config.consent_guards,
                    classifier,
                    collect_fields="PRV601" in self.enabled,
                )
                collector.prescan(module)
            visitors: list[cst.BatchableCSTVisitor] = [imports, ScopeOpener(context.scope)]
            visitors += [*checks, *([collector] if collector else []), ScopeCloser(context.scope)]
            try:
                wrapper.visit_batched(visitors)
            except Exception as error:
                failed = _failing_visitor(error, [*checks, *([collector] if collector else [])])
                index = [*checks, collector].index(failed) if failed is not None else 0
                remaining.pop(index)
                name = type(failed).__name__ if failed is not None else "unknown"
                codes = ", ".join(failed.codes) if isinstance(failed, Check) else "telemetry"
                message = f"check {name} ({codes}) failed on this file: "
                message += f"{type(error).__name__}: {error}"
                self.add(self.finding("INT006", (1, 1), (1, 1), message, name))
                continue
            reports = [r for check in checks for r in check.reports if r.code in self.enabled]
            needs_positions = bool(reports) or (collector is not None and collector.recorded)
            positions = wrapper.resolve(PositionProvider) if needs_positions else None
            self.collect(module, source, positions, reports)
            if collector is not None:
                self.facts = collector.finish(positions, module)
            return

    def collect(
        self,
        module: cst.Module,
        source: str,
        positions: Mapping[cst.CSTNode, CodeRange] | None,
        reports: list[Report],
    ) -> None:
        for report in reports:
            assert positions is not None
            where = positions[report.node]
            fix = None
            if report.fix is not None:
                rule = self.settings.catalog.get(report.code)
                fix = {"applicability": rule.fix if rule else "none"}
                if self.settings.options.build_fixes:
                    edit = fix_edit(module, source, report)
                    if edit is None:
                        fix = None
                    else:
                        fix["edits"] = [edit]
            self.add(
                self.finding(
                    report.code,
                    (where.start.line, where.start.column + 1),
                    (where.end.line, where.end.column + 1),
                    report.message,
                    module.code_for_node(report.node),
                    report.scope,
                    fix,
                )
            )

    def apply_suppressions(self, suppressions: list[Suppression]) -> Checked:
        """Hide the findings the file's suppressions cover; judge the suppressions."""
        result = Checked()
        catalog = self.settings.catalog
        for suppression in suppressions:
            suppression.codes = tuple(
                rule.code if (rule := catalog.get(code)) else code for code in suppression.codes
            )
        for finding in self.findings:
            match = None
            if not finding.code.startswith("INT") and finding.code not in (
                self.settings.non_suppressible
            ):
                match = next(
                    (s for s in suppressions if s.applies_to(finding.code, finding.line)), None
                )
            if match is None:
                result.findings.append(finding)
                continue
            match.used.add(finding.code)
            reason = match.reason or "(no reason given)"
            if match.kind == "fixme":
                reason = f"fixme until {match.until}: {reason}"
            result.suppressed.append(replace(finding, suppression=reason))
        for suppression in suppressions:
            result.findings.extend(self.suppression_findings(suppression))
        result.findings.sort(key=lambda f: f.sort_key)
        return result

    def suppression_findings(self, suppression: Suppression) -> Iterable[Finding]:
        start = (suppression.line, suppression.column)
        end = (suppression.line, suppression.end_column)
        text = f"{suppression.kind}[{','.join(suppression.codes)}]"
        problems: list[tuple[str, str, str | None]] = []  # code, message, code to remove
        catalog = self.settings.catalog
        if suppression.kind == "misplaced-ignore-file":
            problems.append(
                (
                    "INT002",
                    "an ignore-file suppression only works in the file's first comments",
                    None,
                )
            )
        elif not suppression.codes:
            problems.append(("INT004", "blanket suppression: name the codes it is meant for", None))
        if suppression.kind == "fixme" and suppression.until is None:
            shown = suppression.until_text or "missing"
            problems.append(("INT005", f"fixme needs until=YYYY-MM-DD (got {shown})", None))
        elif suppression.expired:
            problems.append(("INT005", f"fixme expired on {suppression.until}", None))
        if suppression.kind != "misplaced-ignore-file" and not suppression.expired:
            for code in dict.fromkeys(suppression.codes):  # each code once, however repeated
                if catalog.get(code) is None:
                    problems.append(("INT002", f"suppression of unknown rule code {code!r}", None))
                elif code in self.settings.non_suppressible:
                    message = f"{code} is non-suppressible: this suppression has no effect"
                    problems.append(("INT002", message, code))
                elif code in self.enabled and code not in suppression.used:
                    problems.append(("INT002", f"unused suppression: no {code} finding here", code))
        if self.settings.config.require_reason and suppression.codes and not suppression.reason:
            problems.append(("INT003", "suppression without a reason: say why after the ']'", None))
        for code, message, removable in problems:
            fix = None
            if removable is not None:
                fix = {"applicability": "safe"}
                if self.settings.options.build_fixes:
                    fix["edits"] = [without_code(suppression, removable)]
            finding = self.finding(code, start, end, message, text, fix=fix)
            if finding is not None:
                yield finding


def fix_edit(module: cst.Module, source: str, report: Report) -> Edit | None:
    """The text edit of a report's fix, in the file's own layout.

    The fix replaces its node in the whole module and the module is generated again, so the
    new code carries the indentation of where it stands (a node generated on its own does
    not); the edit is the region where the two texts differ. ``None`` when the replacement
    cannot be made.
    """
    target = report.replaces or report.node
    try:
        if isinstance(report.fix, cst.CSTNode):
            fixed = module.deep_replace(target, report.fix)
        else:
            fixed = module.deep_remove(target)
    except Exception:  # a replacement the tree does not accept is no fix
        return None
    if not isinstance(fixed, cst.Module):
        return None
    new, old = fixed.code, module.code
    shift = source.find(old)  # libcst drops a leading form feed, a CR-only last line end
    if new == old or shift < 0:
        return None
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    starts = line_starts(source)
    start, end = _position(starts, shift + prefix), _position(starts, shift + len(old) - suffix)
    return edit(start[0], start[1], end[0], end[1], new[prefix : len(new) - suffix])


def _position(starts: list[int], offset: int) -> tuple[int, int]:
    """The 1-based ``(line, column)`` of an offset."""
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def _failing_visitor(
    error: BaseException, visitors: list[cst.BatchableCSTVisitor]
) -> cst.BatchableCSTVisitor | None:
    """The visitor whose method raised, found in the traceback's frames."""
    traceback = error.__traceback__
    failing = None
    while traceback is not None:
        owner = traceback.tb_frame.f_locals.get("self")
        if any(owner is visitor for visitor in visitors):
            failing = owner
        traceback = traceback.tb_next
    return failing


def lint_file(data: bytes, path: str, settings: Settings, collect_only: bool = False) -> FileResult:
    """The per-file pass over one file's bytes, reported under ``path``.

    libcst's parser, visitors and code generator recurse once per nesting level, so the work
    runs in a thread with a large stack; a file nested deeper still is reported, not a crash.
    """
    linter = _FileLinter(path, settings, collect_only)
    try:
        return _deep_executor().submit(_deeply, linter.lint, data).result()
    except Exception as error:  # outside the checks' own visit too: this file fails, not the run
        message = (
            "the file is nested too deeply to be checked"
            if isinstance(error, RecursionError)
            else f"checking this file failed: {type(error).__name__}: {error}"
        )
        linter.findings = [
            f for f in [linter.finding("INT006", (1, 1), (1, 1), message, message)] if f
        ]
        return FileResult(path, linter.findings)


DEEP_STACK_BYTES = 512 * 1024 * 1024
DEEP_RECURSION_LIMIT = 200_000


@cache
def _deep_executor() -> ThreadPoolExecutor:
    """One worker thread with a large stack (only reserved address space until used)."""
    previous = threading.stack_size()
    threading.stack_size(DEEP_STACK_BYTES)
    try:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="integrity-lint")
    finally:
        threading.stack_size(previous)
    return executor


def _deeply(lint: Callable[[bytes], FileResult], data: bytes) -> FileResult:
    """``lint(data)`` with the recursion limit raised for the large stack, and put back after:
    the limit is the whole process's, and a thread with an ordinary stack that recursed that
    deep (the main thread loading a deeply nested manifest, say) would crash the interpreter
    instead of raising RecursionError."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(DEEP_RECURSION_LIMIT)
    try:
        return lint(data)
    finally:
        sys.setrecursionlimit(previous)


def _read(source: Path | bytes, path: str, settings: Settings) -> bytes | FileResult:
    if isinstance(source, bytes):
        return source
    try:
        return read_regular_file(source)
    except OSError as error:
        linter = _FileLinter(path, settings)
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
        linter = _FileLinter(path, settings)
        linter.findings = result.findings
        for issue in issues.get(path, ()):
            linter.add(_issue_finding(linter, issue))
        checked = linter.apply_suppressions(result.suppressions or [])
        report.findings.extend(checked.findings)
        report.suppressed.extend(checked.suppressed)
    for path, found in issues.items():
        if path not in results:  # the manifest's own findings
            linter = _FileLinter(path, settings)
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
    """Every file's per-file pass; over many files, in a pool of forked processes.

    The results do not depend on the pool: each file is checked on its own, and the report
    is sorted afterwards.
    """
    jobs = settings.options.jobs or os.cpu_count() or 1
    fork = "fork" in multiprocessing.get_all_start_methods()
    if jobs < 2 or len(sources) < PARALLEL_MIN_FILES or not fork:
        return {path: _check_one((path, source), settings) for path, source in sources}
    global _POOL_SETTINGS
    _POOL_SETTINGS = settings
    try:
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(sources)),
            mp_context=multiprocessing.get_context("fork"),
            initializer=_deep_executor.cache_clear,  # the parent's thread is not forked
        ) as pool:
            checked = pool.map(_check_in_worker, sources, chunksize=8)
            return {path: result for (path, _), result in zip(sources, checked, strict=True)}
    finally:
        _POOL_SETTINGS = None


def _check_in_worker(item: tuple[str, Path | bytes]) -> FileResult:
    assert _POOL_SETTINGS is not None
    return _check_one(item, _POOL_SETTINGS)


def _check_one(item: tuple[str, Path | bytes], settings: Settings) -> FileResult:
    path, source = item
    data = _read(source, path, settings)
    if isinstance(data, FileResult):
        return data
    return _cached_lint(data, path, settings)


def _cached_lint(
    data: bytes, path: str, settings: Settings, collect_only: bool = False
) -> FileResult:
    """:func:`lint_file`, through the per-file cache when it is on."""
    cache = settings.file_cache
    kind = "facts" if collect_only else ""
    if cache is not None:
        cached = cache.get(path, data, kind)
        if isinstance(cached, FileResult):
            return cached
    result = lint_file(data, path, settings, collect_only)
    if cache is not None:
        cache.put(path, data, result, kind)
    return result


def _project_pass(
    results: dict[str, FileResult],
    sources: dict[str, Path | bytes],
    settings: Settings,
    manifest: Manifest | None,
    whole_project: bool,
) -> ProjectResult:
    """Cross-file telemetry analysis over the facts of the checked files.

    Files that name no SDK were not collected in the per-file pass; those that may use a
    project client or wrapper, or define a constant a site refers to, are collected now, until
    nothing new turns up. A project module that a checked file needs but that is not being
    checked (pre-commit passes only changed files) is read for its facts too; its own sites
    are not reported.
    """
    if not settings.enabled.intersection(TELEMETRY_CODES | {"PRV602"}):
        return ProjectResult()
    catalog = load_sdk_catalog()
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
            catalog,
            manifest,
            modules,
            config.wrappers,
            consent_gated=bool(config.consent_guards) and "PRV203" in settings.enabled,
            personal=vocabulary(config.personal_data_extra, config.not_personal),
        )

    pending = {p: r for p, r in results.items() if r.facts is None and r.suppressions is not None}
    while True:
        probe = project()
        probe.all_sites()
        referenced = probe.referenced_modules()
        wanted = [(a.encode(), b.encode()) for a, b in probe.exported_names()]
        collected = False
        for path in list(pending):
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


def _issue_finding(linter: _FileLinter, issue: Issue) -> Finding | None:
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


# CPython refuses brackets nested deeper than this (its tokenizer's MAXLEVEL) in every version.
PYTHON_MAX_NESTING = 200
TOO_DEEP_MESSAGE = "too many nested parentheses"
_NOT_BRACKETS = re.compile(r"[^()\[\]{}]+")


def _may_nest_too_deeply(source: str) -> bool:
    """Whether brackets nest deeper than Python allows, counting those in strings and comments
    too (so Python's parser has the last word)."""
    if sum(source.count(bracket) for bracket in "([{") <= PYTHON_MAX_NESTING:
        return False
    depth = 0
    for bracket in _NOT_BRACKETS.sub("", source):
        depth += 1 if bracket in "([{" else -1
        if depth > PYTHON_MAX_NESTING:
            return True
    return False


def _python_syntax_error(source: str) -> SyntaxError | None:
    try:
        ast.parse(source)
    except SyntaxError as error:
        return error
    except (ValueError, RecursionError, MemoryError):
        return None
    return None
