"""SEC308: SQL text built from data with f-strings, ``%``, ``.format`` or ``+``.

A query is flagged where it reaches something that runs it: a DB-API cursor's ``execute`` or
``executemany`` (any receiver, as cursors come from connections the file cannot type), a
Django ``Manager.raw``/``QuerySet.extra`` or ``RawSQL``, SQLAlchemy's ``text()`` and pandas'
``read_sql``. The text must look like SQL (for the method names any object may have) and have
a part that is not fixed in the source. Placeholders filled by the driver, constants, numbers
and identifiers quoted by the database backend are fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import argument, is_literal, keyword, module_bindings, string_value

# Methods of any receiver that run SQL -> the name of their SQL parameter. `raw` is Django's
# `Manager.raw(raw_query)`, `prepare` the Cassandra driver's prepared statement; their names
# are too common to trust without SQL in the text.
_METHODS = {"execute": "sql", "executemany": "sql", "raw": "raw_query", "prepare": "query"}
# Django's `QuerySet.extra` keywords that are pasted into the query.
_EXTRA_KEYWORDS = ("select", "where", "tables", "order_by")
# Callees that take SQL text, resolved through imports -> (position, keyword) of the text.
_SQL_CALLEES = {
    "django.db.models.RawSQL": (0, "sql"),
    "django.db.models.expressions.RawSQL": (0, "sql"),
    "sqlalchemy.text": (0, "text"),
    "sqlalchemy.sql.text": (0, "text"),
    "sqlalchemy.sql.expression.text": (0, "text"),
    "pandas.read_sql": (0, "sql"),
    "pandas.read_sql_query": (0, "sql"),
}
# Text that reads as SQL: a statement keyword at the start, or the bones of a statement.
_SQL_RE = re.compile(
    r"^\s*\(?\s*(?:select|insert|update|delete|with|create|drop|alter|truncate|replace|merge"
    r"|pragma|grant|revoke|exec|call)\b"
    r"|\bselect\b.+\bfrom\b|\binsert\s+into\b|\bupdate\b.+\bset\b|\bdelete\s+from\b"
    r"|\bwhere\b.+(?:=|<|>|\blike\b|\bin\b)",
    re.IGNORECASE | re.DOTALL,
)
# Calls whose result cannot break out of its place in the query: numbers, lengths, and
# identifiers quoted by the database backend (`connection.ops.quote_name`, psycopg's
# `quote_ident`).
_FIXED_RESULTS = frozenset({"builtins.int", "builtins.float", "builtins.len", "builtins.bool"})
_QUOTING_METHODS = frozenset({"quote_name", "quote_name_unless_alias", "quote_ident"})


class SqlStringBuilding(Check):
    codes = ("SEC308",)
    tokens = ("execute", ".raw(", ".extra(", ".prepare(", "RawSQL", "sqlalchemy", "read_sql")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Per function (and the module): what each local name was assigned, in order.
        self._frames: list[dict[str, list[cst.BaseExpression]]] = [{}]
        # Module-level names bound once to a fixed string (`TABLE = "orders"`).
        self._constants: set[str] = set()

        # Local names being resolved, so that `sql = sql + "..."` does not recurse forever.
        self._resolving: set[str] = set()

    def visit_Module(self, node: cst.Module) -> None:
        # In order, so a constant may use earlier ones.
        for name, values in module_bindings(node).items():
            value = values[0]
            if len(values) == 1 and value is not None and self._is_fixed(value):
                self._constants.add(name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._frames.append({})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._frames.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self._frames[-1].setdefault(target.target.value, []).append(node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.value is not None:
            self._frames[-1].setdefault(node.target.value, []).append(node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        # `sql += " AND name = '%s'" % name` adds to the text: judge the added part with it.
        if isinstance(node.target, cst.Name):
            self._frames[-1].setdefault(node.target.value, []).append(
                cst.BinaryOperation(left=node.target, operator=cst.Add(), right=node.value)
            )

    def visit_Call(self, node: cst.Call) -> None:
        for query, needs_sql_look in self._queries(node):
            found = self._built(query, needs_sql_look)
            if found is not None:
                how, via = found
                shown = self._callee(node)
                where = f" (through `{via}`)" if via else ""
                self.report(
                    node,
                    f"{shown} runs SQL built with {how}{where}, so quotes in the data can "
                    "change the query; pass the values as parameters "
                    '(`cursor.execute("... WHERE id = %s", [user_id])`)',
                )
                return

    def _queries(self, node: cst.Call) -> Iterator[tuple[cst.BaseExpression, bool]]:
        """The SQL texts a call runs, each with whether it must look like SQL to count."""
        name = self.qualified_name(node.func)
        if name in _SQL_CALLEES:
            position, name_of_text = _SQL_CALLEES[name]
            arg = argument(node, position, name_of_text)
            if arg is not None:
                yield arg.value, False
            return
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method in _METHODS:
            arg = argument(node, 0, _METHODS[method])
            if arg is not None and not arg.star:
                yield arg.value, True
        elif method == "extra":
            for name_of_part in _EXTRA_KEYWORDS:
                arg = keyword(node, name_of_part)
                if arg is None:
                    continue
                if isinstance(arg.value, (cst.List, cst.Tuple)):
                    for element in arg.value.elements:
                        yield element.value, False
                elif isinstance(arg.value, cst.Dict):
                    for element in arg.value.elements:
                        if isinstance(element, cst.DictElement):
                            yield element.value, False

    def _built(
        self, query: cst.BaseExpression, needs_sql_look: bool
    ) -> tuple[str, str | None] | None:
        """How ``query`` mixes data into SQL, and the variable it came through, or ``None``.

        A local variable counts with every value assigned to it so far in the function
        (``sql = "SELECT ..."`` then ``sql += f" WHERE name = '{name}'"``).
        """
        via = None
        candidates = [query]
        if isinstance(query, cst.Name) and query.value not in self._constants:
            candidates = self._frames[-1].get(query.value, [])
            via = query.value
        text = " ".join(part for candidate in candidates for part in _text_parts(candidate))
        if needs_sql_look and _SQL_RE.search(text) is None:
            return None
        for candidate in candidates:
            how = self._building(candidate)
            if how is not None:
                return how, via
        return None

    def _building(self, node: cst.BaseExpression) -> str | None:
        """The kind of string building in ``node`` that pastes in a non-fixed value."""
        if isinstance(node, cst.FormattedString):
            if any(
                isinstance(part, cst.FormattedStringExpression)
                and not self._is_fixed(part.expression)
                for part in node.parts
            ):
                return "an f-string"
            return None
        if isinstance(node, cst.ConcatenatedString):
            return self._building(node.left) or self._building(node.right)
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, cst.Modulo) and _has_text(node.left):
                return None if self._is_fixed(node.right) else "`%` formatting"
            if isinstance(node.operator, cst.Add):
                inner = self._building(node.left) or self._building(node.right)
                if inner is not None:
                    return inner
                if not (self._is_fixed(node.left) and self._is_fixed(node.right)):
                    return "string concatenation"
            return None
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "format"
            and _has_text(node.func.value)
        ):
            if all(self._is_fixed(arg.value) and not arg.star for arg in node.args):
                return None
            return "`str.format`"
        return None

    def _is_fixed(self, node: cst.BaseExpression) -> bool:
        """Whether ``node`` cannot carry data into the query's text."""
        if is_literal(node):
            return True
        if isinstance(node, cst.Name):
            return node.value in self._constants or self._is_fixed_local(node.value)
        if isinstance(node, cst.FormattedString):
            return all(
                self._is_fixed(part.expression)
                for part in node.parts
                if isinstance(part, cst.FormattedStringExpression)
            )
        if isinstance(node, cst.ConcatenatedString):
            return self._is_fixed(node.left) and self._is_fixed(node.right)
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, cst.Multiply):
                # `"%s, " * len(ids)`, `["?"] * count`: repeated placeholders.
                return self._is_fixed(node.left) or self._is_fixed(node.right)
            return self._is_fixed(node.left) and self._is_fixed(node.right)
        if isinstance(node, (cst.Tuple, cst.List)):
            return all(
                isinstance(element, cst.Element) and self._is_fixed(element.value)
                for element in node.elements
            )
        if isinstance(node, cst.Dict):  # `"... %(table)s" % {"table": quote_name(t)}`
            return all(
                isinstance(element, cst.DictElement) and self._is_fixed(element.value)
                for element in node.elements
            )
        if isinstance(node, cst.IfExp):
            return self._is_fixed(node.body) and self._is_fixed(node.orelse)
        if isinstance(node, (cst.GeneratorExp, cst.ListComp)):
            return self._is_fixed(node.elt)
        if isinstance(node, cst.Call):
            return self._is_fixed_call(node)
        return False

    def _is_fixed_local(self, name: str) -> bool:
        """A local variable assigned only fixed text so far (``marks = ", ".join(...)``)."""
        if name in self._resolving:
            return True  # its other assignments decide
        values = self._frames[-1].get(name)
        if not values or len(self._frames) == 1:
            return False
        self._resolving.add(name)
        try:
            return all(self._is_fixed(value) for value in values)
        finally:
            self._resolving.discard(name)

    def _is_fixed_call(self, node: cst.Call) -> bool:
        """Numbers, quoted identifiers, and ``join``/``format`` of fixed parts."""
        if self.qualified_name(node.func) in _FIXED_RESULTS:
            return True
        func = node.func
        if self._is_quoting(func):
            return True
        if not isinstance(func, cst.Attribute):
            return False
        if func.attr.value == "join" and self._is_fixed(func.value) and len(node.args) == 1:
            return self._is_fixed(node.args[0].value)
        if func.attr.value == "format" and self._is_fixed(func.value):
            return all(not arg.star and self._is_fixed(arg.value) for arg in node.args)
        return False

    def _is_quoting(self, func: cst.BaseExpression) -> bool:
        """``ops.quote_name``, or a local name for it (``qn = connection.ops.quote_name``)."""
        if isinstance(func, cst.Attribute):
            return func.attr.value in _QUOTING_METHODS
        if not isinstance(func, cst.Name):
            return False
        values = self._frames[-1].get(func.value)
        if not values:
            return func.value in _QUOTING_METHODS
        return all(isinstance(v, cst.Attribute) and self._is_quoting(v) for v in values)

    def _callee(self, node: cst.Call) -> str:
        name = self.qualified_name(node.func)
        if name is not None:
            return f"`{name}`"
        if isinstance(node.func, cst.Attribute):
            return f"`.{node.func.attr.value}()`"
        return "this call"


def _has_text(node: cst.BaseExpression) -> bool:
    """Whether ``node`` is written as string text (a literal, possibly an f-string)."""
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))


def _text_parts(node: cst.BaseExpression) -> Iterator[str]:
    """The literal text of a query expression, with its pasted-in values left out."""
    value = string_value(node)
    if value is not None:
        yield value
    elif isinstance(node, cst.FormattedString):
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                yield part.value
    elif isinstance(node, (cst.ConcatenatedString, cst.BinaryOperation)):
        yield from _text_parts(node.left)
        yield from _text_parts(node.right)
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        yield from _text_parts(node.func.value)
