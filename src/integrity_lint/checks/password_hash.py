"""SEC311: passwords hashed with a fast hash instead of a key derivation function.

A hashlib digest (MD5, SHA-1, SHA-2, SHA-3, BLAKE2), constructed over a password or updated
with one, is flagged; so is a Django ``PASSWORD_HASHERS`` whose first entry, the one that
hashes new passwords, is an MD5, SHA-1 or crypt hasher. A value is a password when a name in
it (variable, attribute, dict key, ``.get("...")`` key) ends in password, passwd, pwd,
passphrase, pass or pw. Digests that feed a KDF (``bcrypt.hashpw(sha256(pw).digest(), ...)``,
a common pre-hash for bcrypt's 72-byte limit) and digests made with
``usedforsecurity=False`` are not flagged.
"""

from __future__ import annotations

import libcst as cst

from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import (
    HASHLIB_HASHES,
    argument,
    is_constant,
    keyword,
    source,
    string_value,
)
from integrity_lint.checks.secrets import split_words
from integrity_lint.checks.web import is_development

_FAST_HASHES = HASHLIB_HASHES
_NEW = "hashlib.new"
# Password hashing functions: a digest inside their arguments is a pre-hash, not the storage.
_KDFS = frozenset(
    {
        "bcrypt.hashpw",
        "bcrypt.kdf",
        "hashlib.pbkdf2_hmac",
        "hashlib.scrypt",
        "django.contrib.auth.hashers.make_password",
        "werkzeug.security.generate_password_hash",
        "passlib.hash.bcrypt.hash",
        "passlib.hash.argon2.hash",
    }
)
_WEAK_HASHERS = frozenset(
    {
        "MD5PasswordHasher",
        "UnsaltedMD5PasswordHasher",
        "SHA1PasswordHasher",
        "UnsaltedSHA1PasswordHasher",
        "CryptPasswordHasher",
    }
)
_PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "pass", "pw"})
_FORMS = frozenset({"str", "string", "bytes", "text", "raw", "plain", "plaintext", "encoded"})
_ADVICE = (
    "use a password hashing function: `django.contrib.auth.hashers.make_password`, "
    "argon2-cffi, bcrypt, `hashlib.scrypt` or `hashlib.pbkdf2_hmac` with many iterations"
)


def is_password_name(name: str) -> bool:
    """``password``, ``new_pw``, ``user_pass``, ``passwordBytes``; not ``password_reset_at``."""
    words = split_words(name)
    while len(words) > 1 and words[-1] in _FORMS:
        words.pop()
    return bool(words) and words[-1] in _PASSWORD_WORDS


class _PasswordNames(cst.CSTVisitor):
    """The first name in an expression that says it holds a password."""

    def __init__(self) -> None:
        self.found: str | None = None

    def _check(self, name: str | None) -> None:
        if self.found is None and name is not None and is_password_name(name):
            self.found = name

    def visit_Name(self, node: cst.Name) -> None:
        self._check(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        self._check(node.attr.value)
        return True

    def visit_Index(self, node: cst.Index) -> None:
        self._check(string_value(node.value))

    def visit_Call(self, node: cst.Call) -> None:
        # `data.get("password")`, `request.POST.get("pwd", "")`
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" and node.args:
            self._check(string_value(node.args[0].value))


def password_in(node: cst.BaseExpression) -> str | None:
    """The password-named value ``node`` is made from, or ``None``."""
    finder = _PasswordNames()
    node.visit(finder)
    return finder.found


class WeakPasswordHash(Check):
    codes = ("SEC311",)
    tokens = ("hashlib", "PASSWORD_HASHERS")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Names bound in this file to a fast digest object (`h = hashlib.sha256()`).
        self.digests: dict[str, str] = {}
        self._in_kdf = 0
        # Per function (and the module): the values assigned to each local name so far.
        self._frames: list[dict[str, list[cst.BaseExpression]]] = [{}]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._frames.append({})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._frames.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if not isinstance(target.target, cst.Name):
                continue
            name = target.target.value
            self._frames[-1].setdefault(name, []).append(node.value)
            if isinstance(node.value, cst.Call):
                digest = self._digest(node.value)
                if digest is not None:
                    self.digests[name] = digest
            if name == "PASSWORD_HASHERS":
                self._hashers(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        callee = self.qualified_name(node.func)
        if callee in _KDFS:
            self._in_kdf += 1
            return
        if self._in_kdf:
            return
        digest = self._digest(node)
        if digest is not None:
            data = argument(node, 1, "data") if callee == _NEW else argument(node, 0, "string")
            data = data or keyword(node, "data")
            if data is not None:
                self._judge(node, digest, data.value)
        elif (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "update"
            and isinstance(node.func.value, cst.Name)
            and node.func.value.value in self.digests
            and node.args
        ):
            self._judge(node, self.digests[node.func.value.value], node.args[0].value)

    def leave_Call(self, original_node: cst.Call) -> None:
        if self.qualified_name(original_node.func) in _KDFS:
            self._in_kdf -= 1

    def _digest(self, node: cst.Call) -> str | None:
        """``hashlib.md5`` for a fast digest made for security, else ``None``."""
        callee = self.qualified_name(node.func)
        if callee == _NEW:
            algorithm = argument(node, 0, "name")
            callee = f"hashlib.new({source(algorithm.value)})" if algorithm else None
        elif callee not in _FAST_HASHES:
            return None
        security = keyword(node, "usedforsecurity")
        if security is not None and is_constant(security.value, False):
            return None
        return callee

    def _judge(self, node: cst.Call, digest: str, data: cst.BaseExpression) -> None:
        name = password_in(data)
        while (
            isinstance(data, cst.Call)
            and isinstance(data.func, cst.Attribute)
            and data.func.attr.value == "encode"
        ):
            data = data.func.value
        if name is None and isinstance(data, cst.Name):
            # `salted = salt + password` then `hashlib.sha256(salted.encode())`
            for value in self._frames[-1].get(data.value, ()):
                name = name or password_in(value)
        if name is not None:
            self.report(
                node,
                f"`{digest}` hashes `{name}` with a fast hash: a leaked table of these is "
                f"cracked at billions of guesses per second, salted or not; {_ADVICE}",
            )

    def _hashers(self, value: cst.BaseExpression) -> None:
        """A ``PASSWORD_HASHERS`` list whose first hasher is weak (not in dev/test files)."""
        if not isinstance(value, (cst.List, cst.Tuple)) or not value.elements:
            return
        if is_development(self.context.path):
            return
        first = value.elements[0].value
        path = string_value(first)
        if path is not None and path.rsplit(".", 1)[-1] in _WEAK_HASHERS:
            self.report(
                first,
                f"`{path.rsplit('.', 1)[-1]}` comes first in `PASSWORD_HASHERS`, so every new "
                "or changed password is stored with a fast, crackable hash; put "
                "`Argon2PasswordHasher` or `PBKDF2PasswordHasher` first (keep the old one "
                "after it so existing hashes are upgraded at the next login)",
            )
