"""SEC313: secrets written into the source.

A string or bytes literal is a hardcoded secret when

- it matches a vendor's documented credential format (AWS key IDs, GitHub and Slack tokens,
  private keys, ...), wherever it appears, docstrings included;
- it is the value of a name that says it holds a secret: a variable, attribute, dict key,
  subscript key, keyword argument, parameter default or environment variable whose last word
  is "password", "token", "secret", "api key" and so on (``names`` in the data file);
- it is an argument that a known API takes as a secret (``twilio.rest.Client(sid, token)``,
  ``jwt.encode(payload, key)``), or the password of a URL or a ``password=`` pair inside a
  connection string.

Names and values are read for precision: placeholders, templates, environment variable names,
paths, URLs, prose, short and low-variety values disclose nothing and are not reported;
telemetry client keys that are public by design (Segment write keys, Mixpanel project tokens,
PostHog ``phc_`` keys, Sentry DSNs) are not secrets. The knowledge lives in
``rules/secrets.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import unquote, urlsplit

import libcst as cst

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.analysis.literals import literal_value, plain_value, string_parts
from integrity_lint.catalog import CatalogError
from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import keyword, positional
from integrity_lint.resources import load_data

DATA_FILE = "secrets.toml"
ADVICE = "load it from the environment or a secret store"

# The words of an identifier: ``APIKey`` -> API, Key; ``db_pass2`` -> db, pass, 2.
_WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_ALPHA_RE = re.compile(r"[A-Za-z]+")
# An authorization scheme before the credential: "Bearer abc".
_SCHEME_RE = re.compile(r"^(?:bearer|basic|token|bot|digest|apikey)\s+(?=\S)", re.IGNORECASE)
# Template syntax: ${X}, {{ x }}, {name}, {}, %(name)s, %s, $NAME.
_TEMPLATE_RE = re.compile(r"\$\{|\{\{|\{[\w.\[\]'\"-]*\}|%(?:\(\w+\))?[sdr]|^\$[\w({]")
_ENV_NAME_RE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
# A name, not a secret: words in lower case joined by _ - . ("session_id"), camelCase or
# PascalCase ("PasswordInput").
_LABEL_RE = re.compile(r"[a-z]+(?:[_.-][a-z]+)+|[A-Za-z][a-z]+(?:[A-Z][a-z]+)+")
# A regular expression: \w, (?:, [^.
_REGEX_RE = re.compile(r"\\[wdsWDSbB]|\(\?|\[\^")
_PATH_RE = re.compile(
    r"^(?:/|\./|\.\./|~/|[A-Za-z]:\\)"
    r"|\.(?:pem|key|crt|cer|der|p12|pfx|jks|json|txt|env|ya?ml|toml|ini|cfg|conf)$",
    re.IGNORECASE,
)
_WRAPPED = (("<", ">"), ("[", "]"), ("{", "}"), ("(", ")"), ("__", "__"), ("%", "%"), ("@", "@"))
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl")
_URL_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]+")
_URL_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:")
# ``password=...`` inside a connection string, query string or command line.
_PAIR_RE = re.compile(r"(?:^|[\s;&?,])-{0,2}([A-Za-z][\w.-]*)=([^\s;&'\",]+)")
# What every match of _PAIR_RE holds, found three times faster in a long text (the pair's
# leading separator is an alternation, which `re` tries at every position).
_PAIR_HINT = re.compile(r"[\w.-]=[^\s;&'\",]")


def split_words(name: str) -> list[str]:
    """The lower-case words of an identifier, key or header name."""
    return [word.lower() for word in _WORD_RE.findall(name)]


def credential(value: str) -> str:
    """The credential of a value, without an authorization scheme ("Bearer ...")."""
    return _SCHEME_RE.sub("", value.strip(), count=1)


def preview(secret: str) -> str:
    """At most four characters of a secret, and never more than a quarter of it."""
    shown = "".join(c if c.isprintable() else " " for c in secret[: min(4, len(secret) // 4)])
    return f"`{shown}…`"


def _masked(match: str) -> bool:
    """A format-shaped value whose random part is a mask: ``AKIAXXXXXXXXXXXXXXXX``."""
    return len(set(match[-16:])) <= 3


@dataclass(frozen=True)
class Format:
    what: str
    tokens: tuple[str, ...]
    pattern: re.Pattern[str]
    example: str

    def find(self, value: str, raw: str) -> str | None:
        """The first unmasked match in ``value``, if ``raw`` (lower case) holds a token."""
        if not any(token in raw for token in self.tokens):
            return None
        for match in self.pattern.finditer(value):
            if not _masked(match.group()):
                return match.group()
        return None


@dataclass(frozen=True)
class Argument:
    """A parameter of a known API that takes a secret."""

    what: str
    calls: frozenset[str]
    position: int | None
    keyword: str | None

    def of(self, call: cst.Call) -> cst.Arg | None:
        by_keyword = keyword(call, self.keyword) if self.keyword else None
        if by_keyword is None and self.position is not None:
            return positional(call, self.position)
        return by_keyword


@dataclass(frozen=True)
class PublicKey:
    """A telemetry client key that is public by design."""

    what: str
    names: frozenset[str]
    nouns: frozenset[str]
    calls: frozenset[str]
    position: int | None
    keywords: frozenset[str]
    attributes: frozenset[str]


@dataclass(frozen=True)
class Knowledge:
    """``rules/secrets.toml``, validated and compiled."""

    formats: tuple[Format, ...]
    secret_words: frozenset[str]
    pair_words: frozenset[str]
    after: dict[str, frozenset[str]]
    not_after: dict[str, frozenset[str]]
    spelling: dict[str, str]
    min_length: int
    placeholder_words: frozenset[str]
    reference_schemes: frozenset[str]
    local_hosts: frozenset[str]
    local_suffixes: tuple[str, ...]
    arguments: tuple[Argument, ...]
    environment: frozenset[str]
    public_prefixes: tuple[str, ...]
    private_words: frozenset[str]
    public_keys: tuple[PublicKey, ...]
    public_attributes: frozenset[str]
    # Every call name of an argument or a public key: most calls are none of them.
    known_calls: frozenset[str]
    # Any token of any format: most literals hold none, and are done with in one search.
    format_tokens: re.Pattern[str]

    @property
    def tokens(self) -> tuple[str, ...]:
        """Lower-case substrings, one of which is in the text of any file with a finding.

        A format match contains one of its tokens; a secret name contains its last word; an
        argument's call is resolved through an import that names its module; an embedded
        URL contains "://" and an embedded pair a secret name.
        """
        candidates = {
            *(token for fmt in self.formats for token in fmt.tokens),
            *self.secret_words,
            *self.after,
            *self.pair_words,
            *(call.split(".", 1)[0].lower() for arg in self.arguments for call in arg.calls),
            "://",
        }
        kept: list[str] = []
        for token in sorted(candidates, key=len):
            if not any(shorter in token for shorter in kept):
                kept.append(token)
        return tuple(sorted(kept))

    def spell(self, word: str) -> str:
        return self.spelling.get(word, word)

    def secret_kind(self, words: list[str]) -> str | None:
        """What secret a name holds ("password", "API key"), or ``None``."""
        named = [word for word in words if not word.isdigit()]
        if not named:
            return None
        last = named[-1]
        before = named[-2] if len(named) > 1 else ""
        if last in self.secret_words:
            return None if before in self.not_after.get(last, ()) else self.spell(last)
        if before in self.after.get(last, ()):
            return f"{self.spell(before)} {self.spell(last)}"
        return None

    def public_name(self, words: list[str]) -> bool:
        """Whether a name holds a public telemetry key (``MIXPANEL_TOKEN``)."""
        named = [word for word in words if not word.isdigit()]
        if not named or self.private_words.intersection(named):
            return False
        return any(
            key.names.intersection(named) and named[-1] in key.nouns for key in self.public_keys
        )

    def is_local(self, host: str) -> bool:
        """Whether a URL host is local development or a documentation domain."""
        host = host.lower()
        return (
            host in self.local_hosts
            or host.startswith("127.")
            or ("." not in host and ":" not in host)
            or host.endswith(self.local_suffixes)
            or f".{host}" in self.local_suffixes
        )

    def is_placeholder(self, value: str) -> bool:
        """Whether a value discloses nothing: empty, short, a template, a name, prose, ..."""
        text = credential(value)
        lowered = text.lower()
        return (
            len(text) < self.min_length
            or any(c.isspace() for c in text)
            or len(set(lowered)) <= 2
            or any(lowered in sequence for sequence in _SEQUENCES)
            or text.startswith(self.public_prefixes)
            or bool(_TEMPLATE_RE.search(text))
            or bool(_ENV_NAME_RE.fullmatch(text))
            or bool(_LABEL_RE.fullmatch(text))
            or (text.isalpha() and text.istitle())
            or bool(_REGEX_RE.search(text))
            or bool(_PATH_RE.search(text))
            or any(text.startswith(a) and text.endswith(b) for a, b in _WRAPPED)
            or self._is_reference(lowered)
            or self._is_vocabulary(text)
        )

    def _is_reference(self, lowered: str) -> bool:
        """A URL, or a reference to a secret kept elsewhere (``vault:``, ``arn:``)."""
        scheme = _URL_SCHEME_RE.match(lowered)
        if scheme is None:
            return False
        is_url = lowered[scheme.end() :].startswith("//")
        return is_url or scheme.group().rstrip(":") in self.reference_schemes

    def _is_vocabulary(self, text: str) -> bool:
        """Placeholder words only (also joined: "testpass123"), with at most one lone letter."""
        runs = [run.lower() for run in _ALPHA_RE.findall(text)]
        words = [run for run in runs if len(run) > 1]
        return (
            bool(words)
            and len(runs) - len(words) <= 1
            and all(self._segments(word) for word in words)
        )

    def _segments(self, run: str) -> bool:
        """Whether ``run`` is placeholder words written together ("yourapikey")."""
        reachable = [True] + [False] * len(run)
        for end in range(2, len(run) + 1):
            reachable[end] = any(
                reachable[start] and run[start:end] in self.placeholder_words
                for start in range(end - 1)
            )
        return reachable[-1]


def _strings(table: dict[str, Any], key: str, where: str, *, required: bool = True) -> list[str]:
    value = table.get(key, None if required else [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CatalogError(f"{DATA_FILE}: {where}: '{key}' must be a list of strings")
    return value


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise CatalogError(f"{DATA_FILE}: {where}: '{key}' must be a non-empty string")
    return value


def _position(table: dict[str, Any], where: str) -> int | None:
    value = table.get("position")
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise CatalogError(f"{DATA_FILE}: {where}: 'position' must be an integer")
    return value


def _word_sets(table: dict[str, Any], where: str) -> dict[str, frozenset[str]]:
    return {word: frozenset(_strings(table, word, where)) for word in table}


def _parse_format(entry: dict[str, Any]) -> Format:
    what = _text(entry, "what", "[[format]]")
    tokens = tuple(_strings(entry, "tokens", what))
    if any(token != token.lower() for token in tokens):
        raise CatalogError(f"{DATA_FILE}: {what}: tokens are written in lower case")
    try:
        pattern = re.compile(_text(entry, "pattern", what))
    except re.error as error:
        raise CatalogError(f"{DATA_FILE}: {what}: invalid pattern: {error}") from None
    example = _text(entry, "example", what)
    if Format(what, tokens, pattern, example).find(example, example.lower()) is None:
        raise CatalogError(f"{DATA_FILE}: {what}: the example does not match the pattern")
    return Format(what, tokens, pattern, example)


def _parse_argument(entry: dict[str, Any]) -> Argument:
    what = _text(entry, "what", "[[argument]]")
    name = entry.get("keyword")
    if name is not None and (not isinstance(name, str) or not name):
        raise CatalogError(f"{DATA_FILE}: {what}: 'keyword' must be a non-empty string")
    position = _position(entry, what)
    if name is None and position is None:
        raise CatalogError(f"{DATA_FILE}: {what}: needs a 'position' or a 'keyword'")
    return Argument(what, frozenset(_strings(entry, "calls", what)), position, name)


def _parse_public_key(entry: dict[str, Any]) -> PublicKey:
    what = _text(entry, "what", "[[public.key]]")
    return PublicKey(
        what=what,
        names=frozenset(_strings(entry, "names", what)),
        nouns=frozenset(_strings(entry, "nouns", what)),
        calls=frozenset(_strings(entry, "calls", what, required=False)),
        position=_position(entry, what),
        keywords=frozenset(_strings(entry, "keywords", what, required=False)),
        attributes=frozenset(_strings(entry, "attributes", what, required=False)),
    )


def parse_knowledge(data: dict[str, Any]) -> Knowledge:
    """Validate and compile the data file; a malformed entry is a :class:`CatalogError`."""
    try:
        names = data["names"]
        placeholders = data["placeholders"]
        urls = data["urls"]
        public = data["public"]
        min_length = placeholders["min_length"]
        formats = tuple(_parse_format(entry) for entry in data["format"])
        arguments = tuple(_parse_argument(entry) for entry in data["argument"])
        public_keys = tuple(_parse_public_key(entry) for entry in public["key"])
        environment = frozenset(_strings(data["environment"], "calls", "[environment]"))
    except (KeyError, TypeError) as error:
        raise CatalogError(f"{DATA_FILE}: missing or malformed table: {error}") from None
    if not isinstance(min_length, int) or isinstance(min_length, bool) or min_length < 1:
        raise CatalogError(f"{DATA_FILE}: [placeholders] min_length must be a positive integer")
    spelling = names.get("spelling", {})
    if not all(isinstance(v, str) for v in spelling.values()):
        raise CatalogError(f"{DATA_FILE}: [names.spelling] values must be strings")
    return Knowledge(
        formats=formats,
        secret_words=frozenset(_strings(names, "secrets", "[names]")),
        pair_words=frozenset(_strings(names, "pairs", "[names]")),
        after=_word_sets(names.get("after", {}), "[names.after]"),
        not_after=_word_sets(names.get("not_after", {}), "[names.not_after]"),
        spelling=dict(spelling),
        min_length=min_length,
        placeholder_words=frozenset(_strings(placeholders, "words", "[placeholders]")),
        reference_schemes=frozenset(_strings(placeholders, "reference_schemes", "[placeholders]")),
        local_hosts=frozenset(_strings(urls, "local_hosts", "[urls]")),
        local_suffixes=tuple(_strings(urls, "local_suffixes", "[urls]")),
        arguments=arguments,
        environment=environment,
        public_prefixes=tuple(_strings(public, "prefixes", "[public]")),
        private_words=frozenset(_strings(public, "private_words", "[public]")),
        public_keys=public_keys,
        public_attributes=frozenset(a for key in public_keys for a in key.attributes),
        known_calls=frozenset(call for item in (*arguments, *public_keys) for call in item.calls),
        format_tokens=re.compile(
            "|".join(re.escape(token) for fmt in formats for token in fmt.tokens)
        ),
    )


@cache
def load_knowledge() -> Knowledge:
    """The shipped data file, compiled once."""
    return parse_knowledge(load_data(DATA_FILE))


def _pieces(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The strings of an implicit concatenation, in order (iterative: they can be many)."""
    pieces: list[cst.BaseExpression] = []
    pending: list[cst.BaseExpression] = [node]
    while pending:
        current = pending.pop()
        while type(current) is cst.ConcatenatedString:  # no subclasses; isinstance is slower
            pending.append(current.right)  # type: ignore[attr-defined]
            current = current.left  # type: ignore[attr-defined]
        pieces.append(current)
    return pieces


def _literal_value(node: cst.SimpleString | cst.ConcatenatedString) -> str | None:
    """The value of a string or bytes literal (bytes read as Latin-1); ``None`` for f-strings."""
    if type(node) is cst.SimpleString:
        return _string_value(node)
    pieces = _pieces(node)
    if all(type(piece) is cst.SimpleString and "\r" not in piece.value for piece in pieces):
        texts = [string_parts(piece) for piece in pieces]  # type: ignore[arg-type]
        if all(prefix in ("", "u") for prefix, _ in texts):
            value = plain_value("", "".join(text for _, text in texts))
            if value is not None:  # a long text in many lines is read at once
                return value
    values: list[str] = []
    for piece in pieces:
        value = _string_value(piece) if type(piece) is cst.SimpleString else None
        if value is None:
            return None
        values.append(value)
    return "".join(values)


def _string_value(node: cst.SimpleString) -> str | None:
    value = literal_value(node)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value if isinstance(value, str) else None


def _raw(node: cst.SimpleString | cst.ConcatenatedString) -> str:
    """The source text of a (concatenated) literal's strings, as written."""
    if type(node) is cst.SimpleString:
        return node.value
    return "".join(p.value for p in _pieces(node) if isinstance(p, cst.SimpleString))


def _string_key(node: cst.BaseExpression | None) -> str | None:
    """A plain string key (``"API_KEY"``); keys with escapes or prefixes are not read."""
    if type(node) is not cst.SimpleString:
        return None
    prefix, text = string_parts(node)
    return text if prefix in ("", "r", "u") and "\\" not in text else None


# The expressions :func:`_literals` finds literals in, and the pairs ``_bind`` looks into.
_MAY_HOLD_LITERALS = frozenset(
    {cst.SimpleString, cst.ConcatenatedString, cst.IfExp, cst.BooleanOperation, cst.Tuple, cst.List}
)


def _literals(node: cst.BaseExpression) -> Iterator[cst.SimpleString | cst.ConcatenatedString]:
    """The literals an expression may evaluate to: ``x or "fallback"``, ``"a" if c else b``."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        yield node
    elif isinstance(node, cst.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)
    elif isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
        yield from _literals(node.left)
        yield from _literals(node.right)


@dataclass(frozen=True)
class _Slot:
    """Where a literal goes: how the message says so, and what secret it holds there."""

    where: str
    kind: str | None = None
    public: bool = False


class HardcodedSecret(Check):
    codes = ("SEC313",)
    tokens = load_knowledge().tokens
    casefold_tokens = True

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.knowledge = load_knowledge()
        self._slots: dict[int, _Slot] = {}
        # Inside a concatenation checked as a whole: how many concatenations deep.
        self._whole = 0
        self._docstrings: set[int] = set()

    # Where literals go. Parents are visited before their literals.

    def _expect(self, value: cst.BaseExpression, slot: _Slot) -> None:
        for literal in _literals(value):
            self._slots[id(literal)] = slot

    def _bind(self, value: cst.BaseExpression, name: str, where: str, public: bool) -> None:
        """``value`` is given to something called ``name``."""
        if type(value) not in _MAY_HOLD_LITERALS:  # a call, a name: nothing to expect
            return
        words = split_words(name)
        public = public or self.knowledge.public_name(words)
        kind = self.knowledge.secret_kind(words)
        if (
            kind is None
            and not public
            and words
            and words[-1] in self.knowledge.pair_words
            and isinstance(value, (cst.Tuple, cst.List))
            and len(value.elements) == 2
        ):
            self._expect(value.elements[1].value, _Slot(where, "password"))
        self._expect(value, _Slot(where, kind, public))

    def _assign(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)):
            # ``user, password = "me", "..."``: pair the names with the values.
            elements = [*target.elements, *value.elements]
            if len(target.elements) == len(value.elements) and not any(
                isinstance(element, cst.StarredElement) for element in elements
            ):
                for name, item in zip(target.elements, value.elements, strict=True):
                    self._assign(name.value, item.value)
        elif isinstance(target, cst.Name):
            self._bind(value, target.value, f"in `{target.value}`", False)
        elif isinstance(target, cst.Attribute):
            shown = dotted_name(target) or target.attr.value
            public = self.qualified_name(target) in self.knowledge.public_attributes
            self._bind(value, target.attr.value, f"in `{shown}`", public)
        elif isinstance(target, cst.Subscript) and len(target.slice) == 1:
            index = target.slice[0].slice
            key = _string_key(index.value) if isinstance(index, cst.Index) else None
            if key is not None:
                base = dotted_name(target.value)
                shown = f'{base}["{key}"]' if base else f'"{key}"'
                self._bind(value, key, f"in `{shown}`", False)

    def visit_Assign(self, node: cst.Assign) -> None:
        if type(node.value) in _MAY_HOLD_LITERALS:  # what ``_bind`` would look into
            for target in node.targets:
                self._assign(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None and type(node.value) in _MAY_HOLD_LITERALS:
            self._assign(node.target, node.value)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        key = _string_key(node.key)
        if key is not None:
            self._bind(node.value, key, f'in `"{key}"`', False)

    def visit_Param(self, node: cst.Param) -> None:
        if type(node.default) in _MAY_HOLD_LITERALS:
            name = node.name.value
            self._bind(node.default, name, f"in the default of parameter `{name}`", False)

    def visit_Call(self, node: cst.Call) -> None:
        name = self.qualified_name(node.func)
        known = name is not None and name in self.knowledge.known_calls
        public = {id(arg) for arg in self._public_arguments(node, name)} if known else set()
        for arg in node.args:
            if arg.keyword is not None:
                if type(arg.value) in _MAY_HOLD_LITERALS:
                    where = f"in `{arg.keyword.value}=`"
                    self._bind(arg.value, arg.keyword.value, where, id(arg) in public)
            elif id(arg) in public:
                self._expect(arg.value, _Slot("", public=True))
        if name is None:
            return
        if name in self.knowledge.environment:
            self._environment(node)
        for parameter in self.knowledge.arguments if known else ():
            if name in parameter.calls and (arg := parameter.of(node)) is not None:
                self._expect(arg.value, _Slot(f"passed to `{name}`", parameter.what))

    def _public_arguments(self, node: cst.Call, name: str | None) -> Iterable[cst.Arg]:
        for key in self.knowledge.public_keys:
            if name not in key.calls:
                continue
            if key.position is not None and (arg := positional(node, key.position)):
                yield arg
            yield from (arg for kw in key.keywords if (arg := keyword(node, kw)) is not None)

    def _environment(self, node: cst.Call) -> None:
        """``os.getenv("SECRET_KEY", "...")``: the default is the variable's value."""
        variable = positional(node, 0)
        value = positional(node, 1) or keyword(node, "default")
        name = _string_key(variable.value) if variable is not None else None
        if name is not None and value is not None:
            self._bind(value.value, name, f"in environment variable `{name}`", False)

    def visit_Expr(self, node: cst.Expr) -> None:
        # A string statement is documentation: a docstring, or a string used as a comment.
        if isinstance(node.value, (cst.SimpleString, cst.ConcatenatedString)):
            self._docstrings.add(id(node.value))

    # The literals.

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        if self._whole:  # a part of a concatenation checked as a whole
            self._whole += 1
            return
        value = _literal_value(node)
        if value is None:  # holds an f-string: its plain parts are checked one by one
            return
        self._whole = 1
        self._literal(node, value)

    def leave_ConcatenatedString(self, original_node: cst.ConcatenatedString) -> None:
        if self._whole:
            self._whole -= 1

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if not self._whole:
            value = _string_value(node)
            if value is not None:
                self._literal(node, value)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        found = self._format(node.value, node.value.casefold())
        if found is not None:
            what, secret = found
            self.report(node, f"{what} hardcoded in an f-string ({preview(secret)}); {ADVICE}")

    def _format(self, value: str, raw: str) -> tuple[str, str] | None:
        if not self.knowledge.format_tokens.search(raw):
            return None
        for fmt in self.knowledge.formats:
            secret = fmt.find(value, raw)
            if secret is not None:
                return fmt.what, secret
        return None

    def _literal(self, node: cst.SimpleString | cst.ConcatenatedString, value: str) -> None:
        slot = self._slots.pop(id(node), None)
        raw = _raw(node).casefold()
        found = self._format(value, raw)
        if found is not None:
            what, secret = found
            where = slot.where if slot is not None and slot.where else "in the source"
            self.report(node, f"{what} hardcoded {where} ({preview(secret)}); {ADVICE}")
            return
        if slot is not None and slot.public:
            return
        if slot is not None and slot.kind is not None and not self.knowledge.is_placeholder(value):
            shown = preview(credential(value))
            self.report(node, f"hardcoded {slot.kind} {slot.where} ({shown}); {ADVICE}")
            return
        if id(node) not in self._docstrings:
            self._embedded(node, value, raw)

    def _embedded(self, node: cst.CSTNode, value: str, raw: str) -> None:
        """A password in a URL (``postgres://app:...@db``) or a ``password=...`` pair."""
        knowledge = self.knowledge
        local = False
        for match in _URL_RE.finditer(value) if "://" in raw else ():
            try:
                parts = urlsplit(match.group())
                host, password = parts.hostname, parts.password
            except ValueError:
                continue
            if host is None:
                continue
            if knowledge.is_local(host):
                local = True
            elif (
                password
                and not knowledge.is_placeholder(unquote(password))
                and match.group().casefold() in raw
            ):
                self.report(node, f"hardcoded password in a URL for `{host}`; {ADVICE}")
                return
        if local:  # an example or a local development setup
            return
        for match in _PAIR_RE.finditer(value) if _PAIR_HINT.search(value) else ():
            name, secret = match.group(1), unquote(match.group(2))
            words = split_words(name)
            kind = knowledge.secret_kind(words)
            if (
                kind is not None
                and not knowledge.public_name(words)
                and not knowledge.is_placeholder(secret)
                and name.casefold() in raw
            ):
                self.report(
                    node, f"hardcoded {kind} in the `{name}=` setting ({preview(secret)}); {ADVICE}"
                )
                return
