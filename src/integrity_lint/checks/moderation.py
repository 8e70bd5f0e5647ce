"""SAF301: user content saved without passing the project's moderation.

Runs only when ``[safety] user-content-models`` names the models that hold what people
post. A write is ``Model.objects.create/get_or_create/update_or_create/bulk_create(...)``,
``Model(...).save()`` or ``obj.save()`` on a local bound to ``Model(...)``, and SQLAlchemy's
``session.add(Model(...))`` / ``session.add(obj)``. It counts as moderated when the same
function calls, or is decorated with, one of ``[safety] moderation``. A dotted entry matches
what a name resolves to through the imports; a bare name matches any function or method of
that name, as for consent guards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from integrity_lint.analysis.facts import module_name
from integrity_lint.checks.base import Check, FileContext

if TYPE_CHECKING:
    from integrity_lint.config import Settings

_MANAGER_WRITES = frozenset({"create", "get_or_create", "update_or_create", "bulk_create"})


class UserContentWithoutModeration(Check):
    codes = ("SAF301",)
    tokens = ("save", "create", "add")

    @classmethod
    def active(cls, settings: Settings) -> bool:
        return bool(settings.config.user_content_models)

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        config = context.settings.config
        self.models = frozenset(config.user_content_models)
        self.moderation = frozenset(config.moderation)
        self.module = module_name(context.path)
        # Per function: locals bound to a new user-content object, the writes seen, and
        # whether the function moderates.
        self.frames: list[tuple[dict[str, str], list[tuple[cst.Call, str]], list[bool]]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        moderated = any(self._moderates(d.decorator) for d in node.decorators)
        self.frames.append(({}, [], [moderated]))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        _, writes, moderated = self.frames.pop()
        if moderated[0]:
            return
        for call, model in writes:
            guards = ", ".join(f"`{m}`" for m in sorted(self.moderation)) or "none configured"
            self.report(
                call,
                f"`{model}` holds user content and is saved here without a moderation call "
                f"(configured: {guards}); screen the content before it reaches other people",
            )

    def visit_Assign(self, node: cst.Assign) -> None:
        if not self.frames or not self.models:
            return
        model = self._new_object(node.value)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                bound = self.frames[-1][0]
                if model is None:
                    bound.pop(target.target.value, None)
                else:
                    bound[target.target.value] = model

    def visit_Call(self, node: cst.Call) -> None:
        if not self.frames or not self.models:
            return
        bound, writes, moderated = self.frames[-1]
        if self._moderates(node.func):
            moderated[0] = True
            return
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method, receiver = func.attr.value, func.value
        model: str | None = None
        if method in _MANAGER_WRITES and isinstance(receiver, cst.Attribute):
            if receiver.attr.value == "objects":
                model = self._model(receiver.value)
        elif method == "save":
            model = self._new_object(receiver)
            if model is None and isinstance(receiver, cst.Name):
                model = bound.get(receiver.value)
        elif method == "add" and node.args:
            value = node.args[0].value
            model = self._new_object(value)
            if model is None and isinstance(value, cst.Name):
                model = bound.get(value.value)
        if model is not None:
            writes.append((node, model))

    def _new_object(self, node: cst.BaseExpression) -> str | None:
        """The user-content model ``node`` builds (``Message(...)``), if any."""
        return self._model(node.func) if isinstance(node, cst.Call) else None

    def _model(self, node: cst.BaseExpression) -> str | None:
        name = self.qualified_name(node)
        if name is None and isinstance(node, cst.Name):
            name = f"{self.module}.{node.value}"  # a model defined in this file
        return name if name in self.models else None

    def _moderates(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Call):
            node = node.func
        if not isinstance(node, (cst.Name, cst.Attribute)):
            return False
        last = node.value if isinstance(node, cst.Name) else node.attr.value
        return last in self.moderation or self.qualified_name(node) in self.moderation
