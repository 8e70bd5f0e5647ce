"""What the fuzz tests share: their budget, a configuration that switches every rule on, the
corpus of rule-file examples, and hypothesis-driven mutations of those examples.

Checks fire only on shapes they recognise (``requests.get(url, verify=False)``), so random
grammar programs rarely reach their deeper branches; mutated real examples do. A mutation is
a small edit of the libcst tree: rename an identifier, replace a value with another kind of
expression, wrap a statement or an expression in a function, class, lambda or comprehension,
delete or add an argument, delete a statement.

Budget: in CI (the default) every fuzz test runs a fixed, derandomized number of examples, so
a run is reproducible and the fuzz tests stay within about a minute in total.
``INTEGRITY_FUZZ_EXAMPLES=N`` runs N examples per test, randomized and with hypothesis's
example database, for long local runs that look for new crashes.
"""

from __future__ import annotations

import keyword
import os
from collections.abc import Callable
from functools import cache
from typing import Any

import libcst as cst
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from integrity_lint.catalog import Catalog, load_catalog
from integrity_lint.config import RunOptions, Settings
from integrity_lint.fixes import parses
from integrity_lint.manifest import Manifest
from integrity_lint.manifest.native import load_native

from .conftest import make_settings

LONG_RUN = os.environ.get("INTEGRITY_FUZZ_EXAMPLES")


def budget(ci_examples: int) -> settings:
    """Hypothesis settings: ``ci_examples`` derandomized examples, or the long-run count."""
    common: dict[str, Any] = {
        "deadline": None,
        "suppress_health_check": [
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    }
    if LONG_RUN:
        return settings(max_examples=int(LONG_RUN), **common)
    return settings(max_examples=ci_examples, derandomize=True, database=None, **common)


# Every configurable rule switched on, with names the rule examples and mutations use.
FULL_CONFIG = """
require-reason = true
non-suppressible = ["SEC313"]

[telemetry]
consent-guards = ["shop.privacy.has_consent", "requires_consent", "TELEMETRY_ENABLED"]
wrappers = [
    { call = "myapp.analytics.emit", event = 0, properties = "props", user = "user_id" },
    { call = "shop.telemetry.record", event = "name", properties = 1 },
]

[safety]
moderation = ["chat.moderation.screen", "moderated"]
user-content-models = ["chat.models.Message", "chat.models.Comment", "forum.models.Post"]

[network]
allowed-hosts = ["api.example.org", "*.cdn.partner.net"]

[personal-data]
extra = { "member_no" = "identifier", "badge" = "identifier" }
not-personal = ["product_name"]
sanitizers = ["myapp.privacy.redact"]
"""

FULL_MANIFEST = """
[telemetry]
sdks = ["segment", "sentry", "posthog", "mixpanel", "opentelemetry", "glean"]

[[event]]
name = "Signup Completed"
sdk = "segment"
kind = "track"
properties = ["plan", "referrer", "email"]
purpose = "Measure the signup funnel"
owner = ["growth@example.org"]
review = ["https://example.org/data-review/42"]
sensitivity = "interaction"
expires = "2020-01-01"

[[event]]
name = "checkout"
kind = "span"
properties = ["cart.size"]
purpose = "Trace checkout latency"
owner = ["perf@example.org"]
review = ["TODO"]
sensitivity = "technical"
expires = "never"

[[field]]
name = "email"
model = "accounts.models.User"
category = "contact.email"
sensitivity = "highly_sensitive"
purpose = "Account login and receipts"
owner = ["accounts@example.org"]
review = ["https://example.org/data-review/7"]
retention = "account lifetime + 30 days"
"""


@cache
def catalog() -> Catalog:
    return load_catalog()


@cache
def every_rule(build_fixes: bool = False) -> Settings:
    """All rules of the catalog, default or not, with :data:`FULL_CONFIG`."""
    base = make_settings(catalog(), FULL_CONFIG, select=tuple(catalog().codes))
    return Settings(
        base.config,
        base.catalog,
        RunOptions(select=tuple(catalog().codes), build_fixes=build_fixes),
    )


@cache
def full_manifest() -> Manifest:
    return load_native(FULL_MANIFEST, "data-manifest.toml")


@cache
def examples() -> tuple[tuple[str, Manifest], ...]:
    """The python examples of every rule file that parse, in catalog order, each with its
    own manifest (the rules about declared data need theirs) or :data:`FULL_MANIFEST`."""
    return tuple(
        (
            example.source,
            _manifest(example.manifest) if example.manifest is not None else full_manifest(),
        )
        for rule in catalog().rules
        for example in rule.examples()
        if parses(example.source)
    )


@cache
def _manifest(text: str) -> Manifest:
    return load_native(text, "data-manifest.toml")


def example_sources() -> tuple[str, ...]:
    return tuple(source for source, _ in examples())


# Identifiers the checks look for, so that renaming makes and breaks recognisable shapes.
NAMES = (
    "x", "self", "cls", "request", "user", "email", "phone", "password", "token", "secret",
    "api_key", "verify", "shell", "timeout", "debug", "analytics", "track", "identify",
    "posthog", "capture", "sentry_sdk", "init", "requests", "get", "post", "session",
    "logging", "logger", "info", "print", "pickle", "loads", "yaml", "load", "subprocess",
    "run", "os", "system", "execute", "cursor", "random", "choice", "hashlib", "md5",
    "sha256", "jwt", "decode", "mark_safe", "Markup", "set_cookie", "csrf_exempt", "models",
    "CharField", "BooleanField", "Model", "gender", "name", "first_name", "dataclass",
    "Flask", "app", "CORS", "origins", "DEBUG", "while_", "sleep", "retry", "master",
    "whitelist", "tracer", "start_as_current_span", "set_attribute", "metrics", "emit",
    "has_consent", "redact", "screen", "Message", "objects", "create", "urlopen", "environ",
    "__init__", "__name__", "_", "Ünïcode", "member_no",
)  # fmt: skip

EXPRESSIONS = (
    "0", "-1", "1.5", "2j", "0xff", "10**100", "'x'", "b'x'", "r'\\d'", "'''a\nb'''",
    "'a' 'b'", "f'{x}'", "f'{x!r:>{w}}'", "f'{x=}'", "rf'{x}\\d'", "None", "True", "False",
    "...", "x", "x.y", "x.y.z()", "x[0]", "x['k']", "x[1:2]", "request.GET['url']",
    "request.POST.get('text')", "user.email", "self.user.phone", "os.environ['KEY']",
    "[]", "[x, *y]", "{}", "{'plan': x}", "{**d}", "{'a': 1, **d}", "set()", "(1, 2)", "()",
    "lambda: 0", "lambda *a, **k: a", "[i for i in x]", "{k: v for k, v in x}",
    "(i for i in x if i)", "not x", "x if y else z", "x and y", "x or None", "x + 'y'",
    "'%s' % x", "'{}'.format(x)", "'a' + f'{b}'", "x(*a, **k)", "x()()", "(yield)",
    "(yield from x)", "await x", "(y := 1)", "x == 'http://example.com'",
    "'http://example.com/api?email=' + email", "'https://api.example.org/v1'",
    "'AKIAIOSFODNN7EXAMPLE'", "'sk_live_' + 'a' * 24", "0 < x < 1", "x is not None",
    "print", "type(x)", "~x", "x @ y", "'\\N{BULLET}'", "'\\x00'",
)  # fmt: skip


# Literals of every kind, with strings the checks read (URLs, SQL, secrets, regexes, cookie
# and header names), and literals libcst parses although Python rejects them.
LITERALS = (
    "0", "1", "-1", "0.0", "1.0", "0.01", "1e309", "-1e309", "0x10", "0o7", "0b1", "1_000",
    "3j", "1" * 4400, "True", "False", "None", "...", "''", "'*'", "b''", "b'*'", "u'x'",
    "'http://'", "'http://[::1'", "'http://a:99999/'", "'https://u:p@host/x?email=a@b.c'",
    "'ftp://x'", "'//evil'", "'SELECT * FROM t WHERE a = %s'", "'DELETE FROM t WHERE id = {}'",
    "'%(name)s'", "'{0}{1}'", "'{'", "'}'", "'^[a-zA-Z]+$'", "'^[A-Za-z ]{2,}$'", "'(?P<'",
    "'['", "'sessionid'", "'csrftoken'", "'Lax'", "'None'", "'AKIAIOSFODNN7EXAMPLE'",
    "'ghp_' + 'a' * 36", "'-----BEGIN RSA PRIVATE KEY-----'", "'\\N{BULLET}'", "'\\x00'",
    "'\\N{NOPE}'", "'\\x4'", "b'caf\u00e9'", "f''", "f'{x}'", "f'{x:{y}}'", "f'{{}}'",
    "rb'\\d'", "'a' 'b'", "'a' f'{b}'", "'\u00e9\U0001f642'", "x", "x.y", "x()",
)  # fmt: skip


def _identifier() -> st.SearchStrategy[str]:
    generated = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True).filter(
        lambda name: not keyword.iskeyword(name)
    )
    # Upper case too: a settings constant (`PROFILING_ENABLED`) is a name like any other.
    return st.one_of(st.sampled_from(NAMES), st.sampled_from(NAMES).map(str.upper), generated)


class _Nodes(cst.CSTVisitor):
    """Every node of a tree, in visiting order, with its parent."""

    def __init__(self) -> None:
        self.nodes: list[cst.CSTNode] = []
        self.parents: dict[int, cst.CSTNode] = {}
        self._stack: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self._stack:
            self.parents[id(node)] = self._stack[-1]
        self.nodes.append(node)
        self._stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self._stack.pop()


def _nodes(module: cst.Module) -> _Nodes:
    found = _Nodes()
    module.visit(found)
    return found


# Where an expression stands as a value (not a target), so that replacing it keeps the
# program valid Python most of the time.
_VALUE_SLOTS: tuple[tuple[type[cst.CSTNode], str], ...] = (
    (cst.Arg, "value"),
    (cst.Assign, "value"),
    (cst.AnnAssign, "value"),
    (cst.AugAssign, "value"),
    (cst.Return, "value"),
    (cst.DictElement, "key"),
    (cst.DictElement, "value"),
    (cst.Element, "value"),
    (cst.Index, "value"),
    (cst.If, "test"),
    (cst.While, "test"),
    (cst.IfExp, "test"),
    (cst.Comparison, "left"),
    (cst.ComparisonTarget, "comparator"),
    (cst.BinaryOperation, "left"),
    (cst.BinaryOperation, "right"),
    (cst.FormattedStringExpression, "expression"),
    (cst.Expr, "value"),
    (cst.Param, "default"),
)


def _values(found: _Nodes) -> list[cst.BaseExpression]:
    values = []
    for node in found.nodes:
        parent = found.parents.get(id(node))
        if parent is None or not isinstance(node, cst.BaseExpression):
            continue
        if any(
            isinstance(parent, kind) and getattr(parent, slot) is node
            for kind, slot in _VALUE_SLOTS
        ):
            values.append(node)
    return values


Mutation = Callable[[cst.Module, st.DrawFn], cst.Module | None]


def _pick(draw: st.DrawFn, items: list[Any]) -> Any:
    return items[draw(st.integers(0, len(items) - 1))] if items else None


def rename(module: cst.Module, draw: st.DrawFn) -> cst.Module | None:
    """One identifier renamed, everywhere it occurs or at a single place."""
    names = [n for n in _nodes(module).nodes if isinstance(n, cst.Name)]
    target = _pick(draw, names)
    if target is None:
        return None
    new = draw(_identifier())
    if draw(st.booleans()):
        old = target.value

        class Rename(cst.CSTTransformer):
            def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
                return updated.with_changes(value=new) if updated.value == old else updated

        return module.visit(Rename())
    return module.deep_replace(target, target.with_changes(value=new))


def _expression(draw: st.DrawFn, found: _Nodes) -> cst.BaseExpression:
    """An expression from the pool, or one taken from elsewhere in the same program."""
    own = _values(found)
    if own and draw(st.booleans()):
        return _pick(draw, own)
    return cst.parse_expression(draw(st.sampled_from(EXPRESSIONS)))


def replace_value(module: cst.Module, draw: st.DrawFn) -> cst.Module | None:
    """A value (argument, assigned value, literal, test...) replaced by another expression."""
    found = _nodes(module)
    target = _pick(draw, _values(found))
    if target is None:
        return None
    return module.deep_replace(target, _expression(draw, found))


_LITERAL_NODES = (
    cst.SimpleString,
    cst.ConcatenatedString,
    cst.FormattedString,
    cst.Integer,
    cst.Float,
    cst.Imaginary,
)


def replace_literal(module: cst.Module, draw: st.DrawFn) -> cst.Module | None:
    """A literal anywhere (also a dict key or a default) replaced by another kind of literal."""
    found = _nodes(module)
    literals = [n for n in found.nodes if isinstance(n, _LITERAL_NODES)]
    names = [n for n in _values(found) if isinstance(n, cst.Name)]  # True, None, variables
    target = _pick(draw, literals + names)
    if target is None:
        return None
    return module.deep_replace(target, cst.parse_expression(draw(st.sampled_from(LITERALS))))


def _wrapped_expression(draw: st.DrawFn, value: cst.BaseExpression) -> cst.BaseExpression:
    shape = draw(
        st.sampled_from(
            ["lambda", "list", "generator", "dict", "call", "ternary", "paren", "await", "tuple"]
        )
    )
    loop = [cst.CompFor(target=cst.Name("_i"), iter=cst.Name("items"))]
    if shape == "lambda":
        return cst.Lambda(params=cst.Parameters(), body=value)
    if shape == "list":
        return cst.ListComp(elt=value, for_in=loop[0])
    if shape == "generator":
        return cst.GeneratorExp(elt=value, for_in=loop[0])
    if shape == "dict":
        return cst.DictComp(key=cst.Name("_i"), value=value, for_in=loop[0])
    if shape == "call":
        return cst.Call(func=cst.Name(draw(_identifier())), args=[cst.Arg(value)])
    if shape == "ternary":
        return cst.IfExp(test=cst.Name("flag"), body=value, orelse=cst.Name("None"))
    if shape == "await":
        return cst.Await(expression=value)
    if shape == "tuple":
        return cst.Tuple(elements=[cst.Element(value)])
    return value.with_changes(
        lpar=[cst.LeftParen(), *value.lpar], rpar=[*value.rpar, cst.RightParen()]
    )


def wrap_expression(module: cst.Module, draw: st.DrawFn) -> cst.Module | None:
    """A value wrapped in a lambda, comprehension, call, conditional, await or parentheses."""
    target = _pick(draw, _values(_nodes(module)))
    if target is None:
        return None
    return module.deep_replace(target, _wrapped_expression(draw, target))


def _bodies(module: cst.Module) -> list[cst.Module | cst.IndentedBlock]:
    return [n for n in _nodes(module).nodes if isinstance(n, cst.Module | cst.IndentedBlock)]


def _wrapper_statement(draw: st.DrawFn, body: list[cst.BaseStatement]) -> cst.BaseStatement:
    block = cst.IndentedBlock(body=body)
    shape = draw(st.sampled_from(["def", "async", "class", "if", "while", "for", "with", "try"]))
    name = cst.Name(draw(_identifier()))
    if shape == "def":
        params = cst.Parameters(
            params=[cst.Param(cst.Name("request")), cst.Param(cst.Name("user"))]
        )
        return cst.FunctionDef(name=name, params=params, body=block)
    if shape == "async":
        return cst.FunctionDef(
            name=name, params=cst.Parameters(), body=block, asynchronous=cst.Asynchronous()
        )
    if shape == "class":
        bases = [cst.Arg(cst.parse_expression("models.Model"))]
        return cst.ClassDef(name=name, body=block, bases=bases)
    if shape == "if":
        return cst.If(test=name, body=block)
    if shape == "while":
        return cst.While(test=cst.Name("True"), body=block)
    if shape == "for":
        return cst.For(target=cst.Name("item"), iter=name, body=block)
    if shape == "with":
        return cst.With(items=[cst.WithItem(cst.Call(func=name))], body=block)
    handler = cst.ExceptHandler(
        body=cst.IndentedBlock(body=[cst.SimpleStatementLine([cst.Pass()])])
    )
    return cst.Try(body=block, handlers=[handler])


def wrap_statements(module: cst.Module, draw: st.DrawFn) -> cst.Module | None:
    """A run of statements moved into a def, class, if, loop, with or try block."""
    body = _pick(draw, [b for b in _bodies(module) if b.body])
    if body is None:
        return None
    start = draw(st.integers(0, len(body.body) - 1))
    end = draw(st.integers(start + 1, len(body.body)))
    statements = list(body.body)
    statements[start:end] = [_wrapper_statement(draw, statements[start:end])]
    return module.deep_replace(body, body.with_changes(body=statements))


def delete_statement(module: cst.Module, draw: st.DrawFn) -> cst.Module | None:
    body = _pick(draw, [b for b in _bodies(module) if b.body])
    if body is None:
        return None
    statements = list(body.body)
    del statements[draw(st.integers(0, len(statements) - 1))]
    if not statements and isinstance(body, cst.IndentedBlock):
        statements = [cst.SimpleStatementLine([cst.Pass()])]
    return module.deep_replace(body, body.with_changes(body=statements))


def change_arguments(module: cst.Module, draw: st.DrawFn) -> cst.Module | None:
    """An argument of a call deleted, made positional or keyword, or ``*a``/``**k`` added."""
    calls = [n for n in _nodes(module).nodes if isinstance(n, cst.Call)]
    call = _pick(draw, calls)
    if call is None:
        return None
    args = list(call.args)
    action = draw(st.sampled_from(["delete", "positional", "keyword", "star", "stars"]))
    if action in ("star", "stars") or not args:
        star = "*" if action == "star" else "**"
        args.append(cst.Arg(cst.Name("extra"), star=star))
    else:
        index = draw(st.integers(0, len(args) - 1))
        if action == "delete":
            del args[index]
        elif action == "positional":
            args[index] = args[index].with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT)
        else:
            word = cst.Name(draw(_identifier()))
            args[index] = args[index].with_changes(keyword=word, star="")
    if args:  # a trailing comma after the last argument is fine; one before none is not
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return module.deep_replace(call, call.with_changes(args=args))


MUTATIONS: tuple[Mutation, ...] = (
    rename,
    replace_literal,
    replace_value,
    wrap_expression,
    wrap_statements,
    delete_statement,
    change_arguments,
)


@st.composite
def mutated_programs(draw: st.DrawFn) -> tuple[str, Manifest]:
    """A rule-file example after one to six mutations, and its manifest; the program may
    not parse."""
    source, manifest = draw(st.sampled_from(examples()))
    return _mutated(draw, source), manifest


def mutated_examples() -> st.SearchStrategy[str]:
    return mutated_programs().map(lambda program: program[0])


def _mutated(draw: st.DrawFn, source: str) -> str:
    module = cst.parse_module(source)
    for _ in range(draw(st.integers(1, 6))):
        mutation = draw(st.sampled_from(MUTATIONS))
        try:
            changed = mutation(module, draw)
        except (cst.CSTValidationError, cst.CSTLogicError, AttributeError):
            # a combination libcst refuses to build (a number inside implicit concatenation)
            continue
        if changed is not None and isinstance(changed, cst.Module):
            module = changed
    try:
        return module.code
    except Exception:  # a tree the code generator rejects: keep the last good program
        return source
