"""The base of every visitor in the batched visit."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import libcst as cst
from libcst._batched_visitor import VisitorMethod


class BatchedVisitor(cst.BatchableCSTVisitor):
    """A batchable visitor whose visitor methods are listed once per class.

    libcst lists them with ``inspect.getmembers`` for every instance, that is for every
    check on every file; the names depend only on the class.
    """

    def get_visitors(self) -> Mapping[str, VisitorMethod]:
        return {name: getattr(self, name) for name in _visitor_names(type(self))}


@cache
def _visitor_names(cls: type) -> tuple[str, ...]:
    return tuple(
        name
        for name in dir(cls)
        if name.startswith(("visit_", "leave_"))
        and callable(getattr(cls, name))
        and not getattr(getattr(cls, name), "_is_no_op", False)
    )
