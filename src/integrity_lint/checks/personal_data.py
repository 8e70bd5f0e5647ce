"""Personal data where it does not belong: logs, URLs, cookies, unkeyed hashes.

Every check here judges expressions with the shared classifier of
:mod:`integrity_lint.analysis.personal`, so they agree on what personal data is: names,
attributes, string keys, f-string parts and local variables one assignment back; flags,
counts, lengths, literals and sanitized values are not personal data.
"""

from __future__ import annotations

import re

import libcst as cst

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.analysis.personal import (
    REPORTED_KINDS,
    ExpressionClassifier,
    PersonalDataVisitor,
    PersonalValue,
    vocabulary,
)
from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import keyword


class PersonalDataCheck(PersonalDataVisitor, Check):
    """A check that judges expressions with the project's personal-data vocabulary."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        config = context.settings.config
        words = vocabulary(config.personal_data_extra, config.not_personal)
        self.classifier = ExpressionClassifier(words, context.imports, config.sanitizers)


def describe(found: PersonalValue) -> str:
    """``user.email` (email address)`` for messages."""
    return f"`{found.shown}` ({found.type.label})"


# --- PRV301 personal-data-in-log -------------------------------------------------------------

_LOG_METHODS = frozenset(
    {
        "debug",
        "info",
        "warning",
        "warn",
        "error",
        "exception",
        "critical",
        "fatal",
        "log",
        "msg",  # structlog, twisted
        "trace",  # loguru
        "success",  # loguru
    }
)
# Calls that return a logger: their results, and names bound to them, are loggers.
_LOGGER_FACTORIES = frozenset(
    {
        "logging.getLogger",
        "logging.LoggerAdapter",
        "logging.getLoggerClass",
        "structlog.get_logger",
        "structlog.getLogger",
        "structlog.wrap_logger",
        "structlog.stdlib.get_logger",
        "structlog.get_context",
    }
)
_LOGGER_OBJECTS = frozenset({"loguru.logger", "logging", "logging.root"})
# Receivers that are loggers by name: `logger`, `log`, `self._log`, `app.logger`, `LOGGER`.
_LOGGER_NAME_RE = re.compile(r"_*(?:log|logger|logs|logging|[a-z_]*_logger|[a-z_]*_log)")
# Keywords of stdlib logging calls that are not part of the message.
_LOG_OPTIONS = frozenset({"exc_info", "stack_info", "stacklevel", "stack_level"})
# Functions that print or write their arguments for people or log collectors to read.
_PRINTERS = {
    "builtins.print": "`print`",
    "warnings.warn": "`warnings.warn`",
    "warnings.warn_explicit": "`warnings.warn_explicit`",
    "click.echo": "`click.echo`",
    "click.secho": "`click.secho`",
    "typer.echo": "`typer.echo`",
    "typer.secho": "`typer.secho`",
    "sys.stdout.write": "`sys.stdout.write`",
    "sys.stderr.write": "`sys.stderr.write`",
    "pprint.pprint": "`pprint.pprint`",
    "rich.print": "`rich.print`",
}
_PRINT_OPTIONS = frozenset({"sep", "end", "flush", "file", "err", "color", "nl", "fg", "bg"})
_CONSOLE_STREAMS = frozenset({"sys.stdout", "sys.stderr"})
# Keywords of an exception constructor that hold its message (FastAPI/Starlette `detail`).
_EXCEPTION_MESSAGES = frozenset({"detail", "message", "msg", "description", "reason"})
_LOG_KINDS = REPORTED_KINDS | {"content"}


class PersonalDataInLog(PersonalDataCheck):
    """PRV301: personal data reaching logs, the console, warnings or exception messages."""

    codes = ("PRV301",)
    tokens = ("log", "print", "warn", "raise", "echo", "write", "LOG")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.loggers: set[str] = set()  # dotted names bound to a logger in this file

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        if self._is_logger(node.value):
            for target in node.targets:
                bound = dotted_name(target.target)
                if bound is not None:
                    self.loggers.add(bound)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        super().visit_AnnAssign(node)
        if node.value is not None and self._is_logger(node.value):
            bound = dotted_name(node.target)
            if bound is not None:
                self.loggers.add(bound)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        qualified = self.qualified_name(func)
        if qualified in _PRINTERS:
            if not self._to_console(node):
                return
            self._check_values(node, _PRINTERS[qualified], self._printed(node))
        elif (
            isinstance(func, cst.Attribute)
            and func.attr.value in _LOG_METHODS
            and self._is_logger(func.value)
        ):
            shown = dotted_name(func) or f"….{func.attr.value}"
            self._check_values(node, f"`{shown}`", self._logged(node, func.attr.value))

    def visit_Raise(self, node: cst.Raise) -> None:
        exception = node.exc
        if not isinstance(exception, cst.Call):
            return
        values: list[tuple[str | None, cst.BaseExpression]] = [
            (None, arg.value)
            for arg in exception.args
            if (arg.keyword is None and not arg.star)
            or (arg.keyword is not None and arg.keyword.value in _EXCEPTION_MESSAGES)
        ]
        shown = dotted_name(exception.func) or "the exception"
        found = self._first(values)
        if found is not None:
            self.report(
                found[0],
                f"the message of `{shown}` carries personal data: {describe(found[1])}; "
                "exception messages end up in logs, error trackers and responses, so name "
                "the record by an internal id or leave the value out",
            )

    # --- what is logged ------------------------------------------------------------------

    def _check_values(
        self,
        node: cst.Call,
        shown: str,
        values: list[tuple[str | None, cst.BaseExpression]],
    ) -> None:
        found = self._first(values)
        if found is not None:
            self.report(
                found[0],
                f"{shown} writes personal data to the log: {describe(found[1])}; log an "
                "internal id instead, or pass the value through a configured sanitizer",
            )

    def _first(
        self, values: list[tuple[str | None, cst.BaseExpression]]
    ) -> tuple[cst.BaseExpression, PersonalValue] | None:
        for key, value in values:
            if key is None:
                found = self.classifier.personal(value, _LOG_KINDS)
            else:
                found = self.classifier.keyed(key, value, _LOG_KINDS)
            if found is not None:
                return value, found
        return None

    def _logged(self, node: cst.Call, method: str) -> list[tuple[str | None, cst.BaseExpression]]:
        """The message, its arguments, ``extra`` items and structlog/loguru key-values."""
        values: list[tuple[str | None, cst.BaseExpression]] = []
        skip_level = method == "log"
        for arg in node.args:
            if arg.star:
                continue
            if arg.keyword is None:
                if skip_level:
                    skip_level = False
                    continue
                values.append((None, arg.value))
            elif arg.keyword.value == "extra":
                values.append((None, arg.value))
            elif arg.keyword.value not in _LOG_OPTIONS:
                values.append((arg.keyword.value, arg.value))
        return values

    def _printed(self, node: cst.Call) -> list[tuple[str | None, cst.BaseExpression]]:
        return [
            (None, arg.value)
            for arg in node.args
            if not arg.star and (arg.keyword is None or arg.keyword.value not in _PRINT_OPTIONS)
        ]

    def _to_console(self, node: cst.Call) -> bool:
        """``print(..., file=export)`` writes a file, not the console."""
        target = keyword(node, "file")
        return target is None or self.qualified_name(target.value) in _CONSOLE_STREAMS

    def _is_logger(self, node: cst.BaseExpression) -> bool:
        """Whether ``node`` is a logger: made by a logger factory, bound to one in this file,
        imported as one (``loguru.logger``), or named like one (``logger``, ``app.logger``)."""
        if isinstance(node, cst.Call):
            func = node.func
            if self.qualified_name(func) in _LOGGER_FACTORIES:
                return True
            # `logger.bind(user=...)`, `structlog.get_logger().new()`: still a logger
            return (
                isinstance(func, cst.Attribute)
                and func.attr.value in ("bind", "new", "opt", "getChild", "patch")
                and self._is_logger(func.value)
            )
        qualified = self.qualified_name(node)
        if qualified in _LOGGER_OBJECTS:
            return True
        dotted = dotted_name(node)
        if dotted is None:
            return False
        if dotted in self.loggers:
            return True
        last = dotted.rsplit(".", 1)[-1]
        if not _LOGGER_NAME_RE.fullmatch(last.lower()):
            return False
        # A name bound by an import to something that is not a logger (`from math import log`).
        return qualified is None or "log" in qualified.rpartition(".")[0].lower()
