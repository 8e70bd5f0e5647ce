"""SEC307: commands built from data and run through a shell."""

from __future__ import annotations

import re

import libcst as cst

from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import argument, is_constant, is_literal, keyword, module_bindings

# Callees that always hand their command to a shell -> the name of the command parameter.
_ALWAYS_SHELL = {
    "os.system": "command",
    "os.popen": "cmd",
    "subprocess.getoutput": "cmd",
    "subprocess.getstatusoutput": "cmd",
    "commands.getoutput": "cmd",
    "commands.getstatusoutput": "cmd",
    "asyncio.create_subprocess_shell": "cmd",
    "asyncio.subprocess.create_subprocess_shell": "cmd",
}
# Callees that use a shell when given `shell=True`; their command parameter is `args`.
_SHELL_OPTION = frozenset(
    {
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
    }
)
# `\bos\b`, `\b(?:system|popen)\b`, spelt to start with the word itself: `re` then looks
# for the word's letters first, 6 to 30 times faster on a large file than trying the
# leading `\b` at every position.
_OS_MODULE = re.compile(r"os(?<!\wos)\b")
_OS_FUNCTION = re.compile(r"(?:system(?<!\wsystem)|popen(?<!\wpopen))\b")
# Functions whose result is safe to paste into a POSIX shell command line.
_QUOTERS = frozenset({"shlex.quote", "shlex.join", "pipes.quote"})


class ShellInjection(Check):
    codes = ("SEC307",)
    # The module's or the function's name must appear in an import or at the call;
    # `subprocess` also covers `asyncio.create_subprocess_shell`.
    tokens = ("subprocess", "getoutput", "getstatusoutput")

    @classmethod
    def may_match(cls, text: str, folded: str) -> bool:
        """Also files that may call ``os.system``/``os.popen``: both words must appear.

        ``system`` alone is in a great many files (``platform.system``, "file system"), and
        every file that matches costs a full parse.
        """
        return super().may_match(text, folded) or (
            ("system" in text or "popen" in text)  # before the slower word searches
            and _OS_FUNCTION.search(text) is not None
            and _OS_MODULE.search(text) is not None
        )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Module-level constants whose value is a fixed string (`GIT_HEAD = "git rev-parse"`).
        self.constants: set[str] = set()

    def visit_Module(self, node: cst.Module) -> None:
        """Find ALL_CAPS names bound once, at the top level, to a fixed command string."""
        # In order, so a constant may use earlier ones.
        for name, bound in module_bindings(node).items():
            value = bound[0]
            if name.isupper() and len(bound) == 1 and value is not None and self._is_fixed(value):
                self.constants.add(name)

    def visit_Call(self, node: cst.Call) -> None:
        name = self.qualified_name(node.func)
        if name in _ALWAYS_SHELL:
            command = argument(node, 0, _ALWAYS_SHELL[name])
            shown = f"`{name}`"
            instead = "use `subprocess.run` with an argument list"
        elif name in _SHELL_OPTION:
            shell = keyword(node, "shell")
            if shell is None or not is_constant(shell.value, True):
                return
            command = argument(node, 0, "args")
            shown = f"`{name}` with `shell=True`"
            instead = "pass an argument list without `shell=True`"
        else:
            return
        if command is None:
            return
        built_from = self._built_from(command.value)
        if built_from is not None:
            self.report(
                node,
                f"{shown} hands the shell a command built from {built_from}, so shell syntax "
                f"in the data runs as commands; {instead}, or quote each value with `shlex.quote`",
            )

    def _built_from(self, node: cst.BaseExpression) -> str | None:
        """How a command that may carry data is built, or ``None`` if it is fixed or quoted."""
        if self._is_fixed(node):
            return None
        if isinstance(node, (cst.FormattedString, cst.ConcatenatedString)):
            return "an f-string"
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, cst.Modulo):
                return "`%` formatting"
            return "string concatenation"
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in ("format", "join")
            and self._is_fixed(node.func.value)
        ):
            return f"`str.{node.func.attr.value}`"
        if isinstance(node, (cst.List, cst.Tuple)):
            # Windows joins the items into the cmd.exe command line, so each one counts.
            return "a list with a non-literal item"
        if isinstance(node, (cst.Name, cst.Attribute)):
            return "a variable"
        return "a value computed at run time"

    def _is_fixed(self, node: cst.BaseExpression) -> bool:
        """Whether ``node`` cannot carry unquoted data into a shell command line."""
        if is_literal(node):
            return True
        if isinstance(node, cst.Name):
            return node.value in self.constants
        if isinstance(node, cst.FormattedString):
            return all(
                self._is_fixed(part.expression)
                for part in node.parts
                if isinstance(part, cst.FormattedStringExpression)
            )
        if isinstance(node, cst.ConcatenatedString):
            return self._is_fixed(node.left) and self._is_fixed(node.right)
        if isinstance(node, cst.BinaryOperation):
            return isinstance(node.operator, (cst.Add, cst.Modulo)) and all(
                self._is_fixed(side) for side in (node.left, node.right)
            )
        if isinstance(node, (cst.Tuple, cst.List)):
            return all(
                isinstance(element, cst.Element) and self._is_fixed(element.value)
                for element in node.elements
            )
        if isinstance(node, cst.Call):
            return self._is_fixed_call(node)
        return False

    def _is_fixed_call(self, node: cst.Call) -> bool:
        """``shlex.quote(x)``, or ``.format``/``.join`` on fixed strings with fixed values."""
        if self.qualified_name(node.func) in _QUOTERS:
            return True
        func = node.func
        if not isinstance(func, cst.Attribute) or not self._is_fixed(func.value):
            return False
        if func.attr.value == "format":
            return all(not arg.star and self._is_fixed(arg.value) for arg in node.args)
        if func.attr.value == "join" and len(node.args) == 1:
            items = node.args[0].value
            return isinstance(items, (cst.Tuple, cst.List)) and self._is_fixed(items)
        return False
