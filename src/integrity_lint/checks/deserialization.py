"""SEC306: deserializers that can run code from the data they read."""

from __future__ import annotations

import libcst as cst

from integrity_lint.analysis.imports import dotted_name
from integrity_lint.checks.base import Check
from integrity_lint.checks.nodes import argument, without_argument

# Qualified callee -> what to say about it.
_CODE_RUNNING = {
    "pickle.load": "pickle",
    "pickle.loads": "pickle",
    "pickle.Unpickler": "pickle",
    "_pickle.load": "pickle",
    "_pickle.loads": "pickle",
    "cPickle.load": "pickle",
    "cPickle.loads": "pickle",
    "dill.load": "dill",
    "dill.loads": "dill",
    "cloudpickle.load": "cloudpickle",
    "cloudpickle.loads": "cloudpickle",
    "jsonpickle.decode": "jsonpickle",
    "marshal.load": "marshal",
    "marshal.loads": "marshal",
    "shelve.open": "shelve (pickle)",
    "yaml.unsafe_load": "yaml.unsafe_load",
    "yaml.unsafe_load_all": "yaml.unsafe_load_all",
}
_YAML_LOADS = {"yaml.load", "yaml.load_all"}
_UNSAFE_LOADERS = {"Loader", "UnsafeLoader", "CLoader", "CUnsafeLoader"}


class UnsafeDeserialization(Check):
    codes = ("SEC306",)
    tokens = ("pickle", "marshal", "yaml", "dill", "shelve")

    def visit_Call(self, node: cst.Call) -> None:
        name = self.qualified_name(node.func)
        if name is None:
            return
        if name in _CODE_RUNNING:
            self.report(
                node,
                f"`{name}` can run arbitrary code hidden in the data it reads "
                f"({_CODE_RUNNING[name]}); use a data-only format such as JSON",
            )
        elif name in _YAML_LOADS:
            loader = argument(node, 1, "Loader")
            loader_name = dotted_name(loader.value) if loader is not None else None
            unsafe = loader is None or (
                loader_name is not None and loader_name.rsplit(".", 1)[-1] in _UNSAFE_LOADERS
            )
            if unsafe:
                shown = f"Loader={loader_name}" if loader_name else "no safe Loader"
                self.report(
                    node,
                    f"`{name}` with {shown} can build arbitrary Python objects; "
                    "use `yaml.safe_load` (or Loader=yaml.SafeLoader)",
                    fix=_safe_yaml_call(node, loader),
                )


def _safe_yaml_call(node: cst.Call, loader: cst.Arg | None) -> cst.Call | None:
    """``yaml.safe_load(...)`` for ``yaml.load(...)``, without the unsafe ``Loader``.

    Only the ``module.load`` spelling is rewritten: a bare ``load`` imported from yaml would
    need an import the fix cannot add. Unsafe, because documents with Python tags stop loading.
    """
    func = node.func
    if not isinstance(func, cst.Attribute):
        return None
    call = node.with_changes(func=func.with_changes(attr=cst.Name(f"safe_{func.attr.value}")))
    if loader is not None:
        call = without_argument(call, call.args[node.args.index(loader)])
    return call
