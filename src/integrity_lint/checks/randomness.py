"""SEC312: the ``random`` module (or ``uuid.uuid1``) producing tokens, passwords and keys.

A call is flagged when its result feeds a value whose name says it is a secret: an assigned
variable, attribute or dict key, a keyword argument, or the return value of a function such
as ``generate_token``. The name's last word decides (``reset_token``, ``otp``, ``api_key``,
``verification_code``), after representation words such as ``_str`` or ``_hex``; so
``token_count`` or ``cache_key`` is not a secret.
"""

from __future__ import annotations

import libcst as cst

from integrity_lint.analysis.literals import literal_value, text_value
from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.secrets import split_words

# Functions of the random module -> the `secrets` function that replaces them one for one.
_RANDOM = {
    "random.random": None,
    "random.randint": None,
    "random.randrange": None,
    "random.uniform": None,
    "random.choice": "choice",
    "random.choices": None,
    "random.sample": None,
    "random.getrandbits": "randbits",
    "random.randbytes": "token_bytes",
}
_UUID1 = "uuid.uuid1"
# Last words of a name that hold a secret.
_SECRET_WORDS = frozenset(
    {
        "token",
        "tokens",
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "secret",
        "nonce",
        "otp",
        "totp",
        "hotp",
        "salt",
        "csrf",
        "apikey",
        "pin",
    }
)
# Last words that hold a secret only after one of these words: `api_key` but not `cache_key`,
# `reset_code` but not `country_code`, `session_id` but not `user_id`.
_QUALIFIED = {
    "key": frozenset(
        {"api", "secret", "private", "signing", "encryption", "access", "auth", "hmac", "aes"}
    ),
    "code": frozenset(
        {
            "verification",
            "verify",
            "reset",
            "auth",
            "confirmation",
            "confirm",
            "activation",
            "invite",
            "invitation",
            "login",
            "sms",
            "security",
            "mfa",
            "access",
        }
    ),
    "id": frozenset({"session", "sid"}),
}
# Trailing words that say how a value is written, not what it is (`token_hex`, `password_str`).
_FORMS = frozenset({"str", "string", "bytes", "hex", "value", "raw", "chars", "text", "b64"})


def is_secret_name(name: str) -> bool:
    """Whether an identifier or key names a secret (``reset_token``, ``apiKey``, ``OTP``)."""
    words = split_words(name)
    while len(words) > 1 and words[-1] in _FORMS:
        words.pop()
    if not words:
        return False
    last = words[-1]
    if last in _SECRET_WORDS:
        return True
    return len(words) > 1 and words[-2] in _QUALIFIED.get(last, ())


class _Calls(cst.CSTVisitor):
    """The calls in an expression, not counting those inside a nested lambda."""

    def __init__(self) -> None:
        self.calls: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


class InsecureRandomForSecret(Check):
    codes = ("SEC312",)
    tokens = ("random", "uuid1")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self._functions: list[str] = []
        self._reported: set[int] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(node.name.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._functions.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._fed(_target_name(target.target), node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._fed(_target_name(node.target), node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._fed(_target_name(node.target), node.value)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._fed(node.keyword.value, node.value)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if isinstance(node.key, cst.SimpleString):
            value = literal_value(node.key)
            if isinstance(value, str):
                self._fed(value, node.value)

    def visit_Return(self, node: cst.Return) -> None:
        if self._functions and node.value is not None:
            self._fed(self._functions[-1], node.value)

    def _fed(self, name: str | None, value: cst.BaseExpression) -> None:
        """Report the insecure random calls in ``value`` when it is stored as ``name``."""
        if name is None or not is_secret_name(name):
            return
        finder = _Calls()
        value.visit(finder)
        for call in finder.calls:
            if id(call) in self._reported:
                continue
            callee = self.qualified_name(call.func)
            if callee in _RANDOM:
                self._reported.add(id(call))
                self._report_random(call, callee, name)
            elif callee == _UUID1:
                self._reported.add(id(call))
                self.report(
                    call,
                    f"`uuid.uuid1()` makes `{name}` from the clock and the machine's address, "
                    "so it can be guessed; use `secrets.token_urlsafe()` (or `uuid.uuid4()`)",
                )

    def _report_random(self, call: cst.Call, callee: str, name: str) -> None:
        replacement = _RANDOM[callee]
        module = self._secrets_module()
        fix = None
        if replacement is not None and module is not None:
            fix = call.with_changes(
                func=cst.Attribute(value=cst.Name(module), attr=cst.Name(replacement))
            )
        instead = (
            f"`secrets.{replacement}`"
            if replacement is not None
            else "the `secrets` module (`secrets.token_urlsafe()`, `secrets.randbelow(n)`)"
        )
        self.report(
            call,
            f"`{callee}` makes `{name}` with a generator whose output can be predicted from "
            f"earlier values; use {instead}",
            fix=fix,
        )

    def _secrets_module(self) -> str | None:
        """The local name of the ``secrets`` module, if the file imports it."""
        for local, bound in self.context.imports.bindings.items():
            if bound == "secrets":
                return local
        return None


def _target_name(target: cst.BaseExpression) -> str | None:
    """The name an assignment stores to: ``token``, ``self.token``, ``data["token"]``."""
    if isinstance(target, cst.Name):
        return target.value
    if isinstance(target, cst.Attribute):
        return target.attr.value
    if isinstance(target, cst.Subscript) and len(target.slice) == 1:
        index = target.slice[0].slice
        if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
            return text_value(index.value)
    return None
