"""The per-file pass: decode, prefilter, one parse, one batched visit, findings.

Nothing here prints. A file that cannot be decoded or parsed gives INT001; a check that raises
gives INT006 for that file and the other checks still run.
"""

from __future__ import annotations

import ast
import hashlib
import io
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from integrity_lint.analysis.imports import ImportTracker
from integrity_lint.checks import all_checks
from integrity_lint.checks.base import Check, FileContext, ScopeCloser, ScopeOpener
from integrity_lint.config import Settings
from integrity_lint.report.model import Finding, Report
from integrity_lint.suppressions import Suppression, find_suppressions


@dataclass
class FileResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)


def fingerprint(code: str, path: str, scope: str, text: str) -> str:
    """Stable under edits elsewhere in the file: no line numbers, normalised node text."""
    normalised = "".join(text.split())
    digest = hashlib.sha256(f"{code}\0{path}\0{scope}\0{normalised}".encode())
    return digest.hexdigest()[:20]


class _FileLinter:
    def __init__(self, path: str, settings: Settings) -> None:
        self.path = path
        self.settings = settings
        self.enabled = settings.codes_for(path)
        self.findings: list[Finding] = []

    def finding(
        self,
        code: str,
        start: tuple[int, int],
        end: tuple[int, int],
        message: str,
        text: str,
        scope: str = "",
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
        )

    def add(self, finding: Finding | None) -> None:
        if finding is not None:
            self.findings.append(finding)

    def lint(self, data: bytes) -> FileResult:
        source = self.decode(data)
        if source is None:
            return FileResult(self.findings)
        folded = source.casefold()
        check_types = [
            check
            for check in all_checks()
            if self.enabled.intersection(check.codes) and check.may_match(source, folded)
        ]
        if not check_types:
            if self.syntax_ok(source):
                return self.apply_suppressions(source, parsed=True)
            return FileResult(self.findings)
        module = self.parse(source)
        if module is None:
            return FileResult(self.findings)
        self.visit(module, check_types)
        return self.apply_suppressions(source, parsed=True)

    def decode(self, data: bytes) -> str | None:
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
        try:
            return cst.parse_module(source)
        except cst.ParserSyntaxError as error:
            # Python's own parser names the error and its place more precisely.
            python_error = _python_syntax_error(source)
            if python_error is not None:
                line, column = python_error.lineno or 1, python_error.offset or 1
                message = f"syntax error: {python_error.msg}"
            else:
                line, column = error.raw_line, error.raw_column + 1
                message = f"syntax error: {error.message}"
            self.add(self.finding("INT001", (line, column), (line, column), message, message))
        except RecursionError:
            message = "the file is nested too deeply for the parser"
            self.add(self.finding("INT001", (1, 1), (1, 1), message, message))
        except Exception as error:  # the parser failing on odd input must not stop the run
            message = f"cannot parse file: {type(error).__name__}: {error}"
            self.add(self.finding("INT001", (1, 1), (1, 1), message, message))
        return None

    def visit(self, module: cst.Module, check_types: list[type[Check]]) -> None:
        """Run the checks in one batched visit; a check that raises is dropped and reported."""
        remaining = list(check_types)
        while remaining:
            wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
            imports = ImportTracker()
            imports.prescan(module)
            context = FileContext(self.path, module.code, self.settings, imports)
            checks = [check_type(context) for check_type in remaining]
            visitors: list[cst.BatchableCSTVisitor] = [imports, ScopeOpener(context.scope)]
            visitors += [*checks, ScopeCloser(context.scope)]
            try:
                wrapper.visit_batched(visitors)
            except Exception as error:
                failed = _failing_check(error, checks)
                if failed is None:
                    failed = checks[0]
                remaining.remove(type(failed))
                name = type(failed).__name__
                message = f"check {name} ({', '.join(failed.codes)}) failed on this file: "
                message += f"{type(error).__name__}: {error}"
                self.add(self.finding("INT006", (1, 1), (1, 1), message, name))
                continue
            self.collect(module, wrapper, checks)
            return

    def collect(self, module: cst.Module, wrapper: MetadataWrapper, checks: list[Check]) -> None:
        reports = [r for check in checks for r in check.reports if r.code in self.enabled]
        if not reports:
            return
        positions = wrapper.resolve(PositionProvider)
        for report in reports:
            where = positions[report.node]
            self.add(
                self.finding(
                    report.code,
                    (where.start.line, where.start.column + 1),
                    (where.end.line, where.end.column + 1),
                    report.message,
                    module.code_for_node(report.node),
                    report.scope,
                )
            )

    def apply_suppressions(self, source: str, parsed: bool) -> FileResult:
        suppressions = find_suppressions(source) if parsed else []
        result = FileResult()
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
        problems: list[tuple[str, str]] = []
        catalog = self.settings.catalog
        if suppression.kind == "misplaced-ignore-file":
            problems.append(
                ("INT002", "an ignore-file suppression only works in the file's first comments")
            )
        elif not suppression.codes:
            problems.append(("INT004", "blanket suppression: name the codes it is meant for"))
        if suppression.kind == "fixme" and suppression.until is None:
            shown = suppression.until_text or "missing"
            problems.append(("INT005", f"fixme needs until=YYYY-MM-DD (got {shown})"))
        elif suppression.expired:
            problems.append(("INT005", f"fixme expired on {suppression.until}"))
        if suppression.kind != "misplaced-ignore-file" and not suppression.expired:
            for code in suppression.codes:
                if catalog.get(code) is None:
                    problems.append(("INT002", f"suppression of unknown rule code {code!r}"))
                elif code in self.settings.non_suppressible:
                    problems.append(
                        ("INT002", f"{code} is non-suppressible: this suppression has no effect")
                    )
                elif code in self.enabled and code not in suppression.used:
                    problems.append(("INT002", f"unused suppression: no {code} finding here"))
        if self.settings.config.require_reason and suppression.codes and not suppression.reason:
            problems.append(("INT003", "suppression without a reason: say why after the ']'"))
        for code, message in problems:
            finding = self.finding(code, start, end, message, text)
            if finding is not None:
                yield finding


def _failing_check(error: BaseException, checks: list[Check]) -> Check | None:
    """The check whose method raised, found in the traceback's frames."""
    traceback = error.__traceback__
    failing = None
    while traceback is not None:
        owner = traceback.tb_frame.f_locals.get("self")
        if any(owner is check for check in checks):
            failing = owner
        traceback = traceback.tb_next
    return failing


def lint_source(data: bytes | str, path: str, settings: Settings) -> FileResult:
    """Check one file's content, reported under ``path`` (relative to the project root)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return _FileLinter(path, settings).lint(raw)


def lint_paths(files: list[tuple[Path, str]], settings: Settings) -> Report:
    """Check files given as ``(absolute path, path relative to the root)`` pairs."""
    report = Report(files=len(files))
    for absolute, relative in files:
        try:
            data = absolute.read_bytes()
        except OSError as error:
            linter = _FileLinter(relative, settings)
            message = f"cannot read file: {error.strerror or error}"
            linter.add(linter.finding("INT001", (1, 1), (1, 1), message, message))
            result = FileResult(linter.findings)
        else:
            result = lint_source(data, relative, settings)
        report.findings.extend(result.findings)
        report.suppressed.extend(result.suppressed)
    report.sort()
    return report


def _python_syntax_error(source: str) -> SyntaxError | None:
    try:
        ast.parse(source)
    except SyntaxError as error:
        return error
    except (ValueError, RecursionError, MemoryError):
        return None
    return None
