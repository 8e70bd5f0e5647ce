"""SEC314: JSON Web Tokens decoded without checking their signature.

PyJWT and python-jose skip the signature check when ``options`` says
``"verify_signature": False``; PyJWT before 2.0 also when given ``verify=False`` (2.x ignores
it with a warning, so code that passes it expected no check), and python-jose's
``jws.verify`` when given ``verify=False``. Allowing the ``none`` algorithm asks the library
to accept unsigned tokens.
"""

from __future__ import annotations

import libcst as cst

from integrity_lint.checks.base import Check, FileContext
from integrity_lint.checks.nodes import argument, is_constant, keyword, string_value

# Decoders -> the position of their `verify` parameter when it can be given by position
# (None: keyword only, or no such parameter).
_DECODERS: dict[str, int | None] = {
    "jwt.decode": None,
    "jwt.decode_complete": None,
    "jwt.api_jwt.decode": None,
    "jwt.api_jwt.decode_complete": None,
    "jwt.api_jws.decode": None,
    "jwt.api_jws.decode_complete": None,
    "jose.jwt.decode": None,
    "jose.jws.verify": 3,
}
# Classes whose instances decode like the module functions (`jwt.PyJWT().decode(...)`).
_DECODER_TYPES = frozenset({"jwt.PyJWT", "jwt.PyJWS", "jwt.api_jwt.PyJWT", "jwt.api_jws.PyJWS"})
_DECODER_METHODS = frozenset({"decode", "decode_complete"})


class JwtVerificationDisabled(Check):
    codes = ("SEC314",)
    tokens = ("jwt", "jose")

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Names bound in this file to an options dict that turns the signature check off.
        self.unverified_options: set[str] = set()
        # Names bound in this file to a PyJWT/PyJWS instance.
        self.decoders: set[str] = set()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if not isinstance(target.target, cst.Name):
                continue
            name = target.target.value
            if self._turns_off_signature(node.value):
                self.unverified_options.add(name)
            elif (
                isinstance(node.value, cst.Call)
                and self.qualified_name(node.value.func) in _DECODER_TYPES
            ):
                self.decoders.add(name)

    def visit_Call(self, node: cst.Call) -> None:
        callee = self._decoder(node.func)
        if callee is None:
            return
        options = keyword(node, "options")
        if options is not None and self._turns_off_signature(options.value):
            self._report(node, callee, '`options={"verify_signature": False}`')
            return
        position = _DECODERS.get(callee)
        verify = keyword(node, "verify") if position is None else argument(node, position, "verify")
        if verify is not None and is_constant(verify.value, False):
            self._report(node, callee, "`verify=False`")
            return
        algorithms = keyword(node, "algorithms")
        if algorithms is not None and _allows_none(algorithms.value):
            self.report(
                node,
                f'`{callee}` allows the `"none"` algorithm, which marks a token as unsigned: '
                "anyone can then write the claims; list only the algorithms your keys use",
            )

    def _report(self, node: cst.Call, callee: str, how: str) -> None:
        self.report(
            node,
            f"`{callee}` is called with {how}, so the token's claims are read without checking "
            "its signature and anyone can forge them; pass the key and `algorithms=[...]` and "
            "keep the check on (to only peek at a header, use `get_unverified_header`)",
        )

    def _decoder(self, func: cst.BaseExpression) -> str | None:
        """The qualified name of a JWT decoder called as ``func``, or ``None``."""
        name = self.qualified_name(func)
        if name in _DECODERS:
            return name
        if not isinstance(func, cst.Attribute) or func.attr.value not in _DECODER_METHODS:
            return None
        receiver = func.value
        if isinstance(receiver, cst.Call):
            owner = self.qualified_name(receiver.func)
            if owner in _DECODER_TYPES:
                return f"{owner}().{func.attr.value}"
        elif isinstance(receiver, cst.Name) and receiver.value in self.decoders:
            return f"{receiver.value}.{func.attr.value}"
        return None

    def _turns_off_signature(self, value: cst.BaseExpression) -> bool:
        """``{"verify_signature": False}``, ``dict(verify_signature=False)``, or a name for one."""
        if isinstance(value, cst.Name):
            return value.value in self.unverified_options
        if isinstance(value, cst.Dict):
            return any(
                isinstance(element, cst.DictElement)
                and string_value(element.key) == "verify_signature"
                and is_constant(element.value, False)
                for element in value.elements
            )
        if isinstance(value, cst.Call) and self.qualified_name(value.func) == "builtins.dict":
            return any(
                arg.keyword is not None
                and arg.keyword.value == "verify_signature"
                and is_constant(arg.value, False)
                for arg in value.args
            )
        return False


def _allows_none(value: cst.BaseExpression) -> bool:
    """``"none"`` alone (python-jose takes a string) or in a list, tuple or set of names."""
    if isinstance(value, (cst.List, cst.Tuple, cst.Set)):
        return any(_allows_none(element.value) for element in value.elements)
    text = string_value(value)
    return text is not None and text.lower() == "none"
