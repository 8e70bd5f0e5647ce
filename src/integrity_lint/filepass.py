"""The per-file pass: decode, prefilter, parse once, run every enabled check in one walk.

A file that cannot be decoded or parsed gives INT001; a check that raises gives INT006 for
that file and the other checks still run. Only files that are not in the cache come here, so
a fully cached run never imports libcst or the checks.
"""

from __future__ import annotations

import ast
import bisect
import io
import re
import sys
import threading
import tokenize
import warnings
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import cache
from typing import Literal

import libcst as cst
from libcst.metadata import CodeRange

from integrity_lint.analysis.facts import FileFacts
from integrity_lint.analysis.imports import ImportTracker
from integrity_lint.analysis.personal import ExpressionClassifier
from integrity_lint.analysis.sdks import load_sdk_catalog
from integrity_lint.analysis.telemetry import TelemetryCollector
from integrity_lint.analysis.visitor import visit_batched
from integrity_lint.analysis.vocabulary import vocabulary
from integrity_lint.checks import all_checks
from integrity_lint.checks.base import Check, FileContext, Report, ScopeCloser, ScopeOpener
from integrity_lint.config import Settings
from integrity_lint.fixes import Edit, edit
from integrity_lint.lines import line_starts
from integrity_lint.parsing import install, parse_module
from integrity_lint.positions import node_positions
from integrity_lint.results import TELEMETRY_CODES, FileFindings, FileResult
from integrity_lint.suppressions import find_suppressions

# Words without which a file declares no schema class and reads no request data (PRV601).
FIELD_TOKENS = ("models", "Model", "dataclass", "Column", "mapped_column", "Form", "request")
# Which telemetry facts a file's pass collects: all, PRV601's fields only, or none.
Collection = Literal["all", "fields", None]


def load() -> None:
    """What the first file's pass would do once for the process: import the checks and give
    libcst's node classes their quick constructors (:mod:`integrity_lint.parsing`)."""
    all_checks()
    install()


class _FileLinter(FileFindings):
    def __init__(self, path: str, settings: Settings, collect_only: bool = False) -> None:
        super().__init__(path, settings)
        self.collect_only = collect_only  # telemetry facts only, for the project pass
        self.facts: FileFacts | None = None

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
            and check.active(self.settings)
            and check.may_match(source, folded)
        ]
        collect = self.collection(source)
        if not check_types and not collect:
            if self.syntax_ok(source):
                return FileResult(self.path, self.findings, find_suppressions(source))
            return FileResult(self.path, self.findings)
        module = self.parse(source)
        if module is None:
            return FileResult(self.path, self.findings)
        self.visit(module, source, check_types, collect)
        return FileResult(self.path, self.findings, find_suppressions(source), self.facts)

    def collection(self, source: str) -> Collection:
        """Which telemetry facts to collect: all of them where a telemetry rule is on and an
        SDK or a configured wrapper is named; where only schema or request words are, the
        personal-data fields (PRV601) without the calls into the project (the project pass
        collects the file again should it turn out to call a wrapper)."""
        if self.collect_only:
            return "all"
        if not self.enabled.intersection(TELEMETRY_CODES):
            return None
        if any(token in source for token in _telemetry_tokens(self.settings.wrapper_tokens)):
            return "all"
        if "PRV601" in self.enabled and any(token in source for token in FIELD_TOKENS):
            return "fields"
        return None

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
            return parse_module(source)
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
        self,
        module: cst.Module,
        source: str,
        check_types: list[type[Check]],
        collect: Collection,
    ) -> None:
        """Run the checks in one batched visit; a check that raises is dropped and reported."""
        remaining: list[type[Check] | None] = [*check_types, *([None] if collect else [])]
        while remaining:
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
                    collect_calls=collect == "all",
                )
                collector.prescan(module)
            visitors: list[cst.BatchableCSTVisitor] = [imports, ScopeOpener(context.scope)]
            visitors += [*checks, *([collector] if collector else []), ScopeCloser(context.scope)]
            try:
                visit_batched(module, visitors)
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
            wanted = [report.node for report in reports]
            wanted += collector.recorded if collector is not None else []
            positions = node_positions(module, source, wanted) if wanted else None
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


@cache
def _telemetry_tokens(wrapper_tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The SDK and wrapper tokens, without those that hold another one: a file that holds
    ``api.mixpanel.com`` holds ``mixpanel``, so one search is enough."""
    tokens = set(load_sdk_catalog().import_tokens + wrapper_tokens)
    return tuple(sorted(t for t in tokens if not any(o != t and o in t for o in tokens)))


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
    limit = settings.config.file_timeout
    thread: list[int] = []  # the ident of the thread that runs it
    future = _deep_executor().submit(_deeply, linter.lint, data, thread)
    try:
        return future.result(timeout=limit or None)
    except TimeoutError:
        _stop(future, thread)
        message = (
            f"checking this file took more than {limit:g} s (`file-timeout`), so it was "
            "stopped: the file is not checked"
        )
        return _failed(linter, message, cacheable=False)
    except Exception as error:  # outside the checks' own visit too: this file fails, not the run
        message = (
            "the file is nested too deeply to be checked"
            if isinstance(error, RecursionError)
            else f"checking this file failed: {type(error).__name__}: {error}"
        )
        return _failed(linter, message)


def _failed(linter: _FileLinter, message: str, cacheable: bool = True) -> FileResult:
    finding = linter.finding("INT006", (1, 1), (1, 1), message, message)
    return FileResult(linter.path, [finding] if finding else [], cacheable=cacheable)


class FileTimeout(BaseException):
    """Raised in the deep-stack thread when its file is out of time. Not an ``Exception``:
    no handler on the way (a check's INT006, a parser's fallback) may take it for theirs."""


# How long a stopped file's thread may take to notice; past it the thread is left behind.
STOP_GRACE_SECONDS = 5.0


def _stop(future: Future[FileResult], thread: list[int]) -> None:
    """Stop the file's work: raise :class:`FileTimeout` in its thread (at its next Python
    instruction) and start a fresh thread for the next file whatever happens."""
    import ctypes  # only when a file runs out of time

    _deep_executor.cache_clear()
    if thread and future.running():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread[0]), ctypes.py_object(FileTimeout)
        )
    wait([future], timeout=STOP_GRACE_SECONDS)


def forget_deep_executor() -> None:
    """In a forked worker: the parent's thread did not come along; start a new one."""
    _deep_executor.cache_clear()


DEEP_STACK_BYTES = 512 * 1024 * 1024
DEEP_RECURSION_LIMIT = 200_000


@cache
def _deep_executor() -> ThreadPoolExecutor:
    """One worker thread with a large stack (only reserved address space until used)."""
    previous = threading.stack_size()
    threading.stack_size(DEEP_STACK_BYTES)
    try:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="integrity-lint")
        executor.submit(lambda: None).result()  # start its thread with the large stack now
    finally:
        threading.stack_size(previous)
    return executor


def _deeply(lint: Callable[[bytes], FileResult], data: bytes, thread: list[int]) -> FileResult:
    """``lint(data)`` with the recursion limit raised for the large stack, and put back after:
    the limit is the whole process's, and a thread with an ordinary stack that recursed that
    deep (the main thread loading a deeply nested manifest, say) would crash the interpreter
    instead of raising RecursionError."""
    thread.append(threading.get_ident())
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(DEEP_RECURSION_LIMIT)
    try:
        with warnings.catch_warnings():
            # Compiling the checked code's literals (ast, libcst's evaluated_value) warns
            # about its invalid escapes; that is the file's business, not a message of ours.
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            return lint(data)
    finally:
        sys.setrecursionlimit(previous)


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
