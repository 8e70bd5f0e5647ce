"""The telemetry SDK catalog (``rules/telemetry-sdks.toml``), loaded into typed entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from integrity_lint.catalog import CatalogError
from integrity_lint.resources import load_data

CATALOG_FILE = "telemetry-sdks.toml"
Slot = tuple[int, str]  # (position or -1 for keyword-only, keyword)
_METHOD_KEYS = {"kind", "event", "properties", "property", "user", "returns", "names", "payload"}
_SDK_KEYS = {"name", "packages", "imports", "hosts", "objects", "factories", "attributes", "types"}


@dataclass(frozen=True)
class Method:
    """What calling a method of an SDK value does (see the catalog's header)."""

    kind: str | None = None
    event: Slot | str | None = None  # a slot, or "receiver"
    properties: Slot | None = None
    property: Slot | None = None
    user: Slot | None = None
    returns: str | None = None
    names: Slot | None = None
    payload: bool = False


@dataclass(frozen=True)
class Sdk:
    id: str
    name: str
    imports: tuple[str, ...]
    hosts: tuple[str, ...]
    objects: dict[str, str]
    factories: dict[str, str]
    attributes: dict[str, tuple[int, str]]
    types: dict[str, dict[str, Method]]


@dataclass(frozen=True)
class SdkCatalog:
    sdks: dict[str, Sdk]
    objects: dict[str, tuple[str, str]] = field(default_factory=dict)  # qualname -> (sdk, type)
    factories: dict[str, tuple[str, str]] = field(default_factory=dict)

    def method(self, sdk: str, type_: str, name: str) -> Method | None:
        methods = self.sdks[sdk].types.get(type_, {})
        return methods.get(name) or methods.get("*")

    def sdk_of_import(self, module: str) -> str | None:
        """The SDK a module path belongs to (``segment.analytics.client`` → segment)."""
        best: tuple[int, str] | None = None
        for sdk in self.sdks.values():
            for root in sdk.imports:
                if (module == root or module.startswith(root + ".")) and (
                    best is None or len(root) > best[0]
                ):
                    best = (len(root), sdk.id)
        return best[1] if best else None

    @property
    def import_tokens(self) -> tuple[str, ...]:
        """The first name of every import root: a file using an SDK spells one of them."""
        return tuple(sorted({root.split(".")[0] for s in self.sdks.values() for root in s.imports}))


def _slot(value: Any, where: str) -> Slot | None:
    if value is None:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and isinstance(value[1], str)
    ):
        return (value[0], value[1])
    raise CatalogError(f'{CATALOG_FILE}: {where}: a slot is [position, "keyword"]')


def _method(data: dict[str, Any], where: str) -> Method:
    unknown = set(data) - _METHOD_KEYS
    if unknown:
        raise CatalogError(f"{CATALOG_FILE}: {where}: unknown keys {sorted(unknown)}")
    event = data.get("event")
    return Method(
        kind=data.get("kind"),
        event=event if event == "receiver" else _slot(event, f"{where}.event"),
        properties=_slot(data.get("properties"), f"{where}.properties"),
        property=_slot(data.get("property"), f"{where}.property"),
        user=_slot(data.get("user"), f"{where}.user"),
        returns=data.get("returns"),
        names=_slot(data.get("names"), f"{where}.names"),
        payload=bool(data.get("payload", False)),
    )


@cache
def load_sdk_catalog() -> SdkCatalog:
    data = load_data(CATALOG_FILE).get("sdk", {})
    sdks: dict[str, Sdk] = {}
    objects: dict[str, tuple[str, str]] = {}
    factories: dict[str, tuple[str, str]] = {}
    for sdk_id, entry in data.items():
        unknown = set(entry) - _SDK_KEYS
        if unknown:
            raise CatalogError(f"{CATALOG_FILE}: sdk.{sdk_id}: unknown keys {sorted(unknown)}")
        types = {
            type_: {
                name: _method(spec, f"sdk.{sdk_id}.types.{type_}.{name}")
                for name, spec in methods.items()
            }
            for type_, methods in entry.get("types", {}).items()
        }
        sdk = Sdk(
            id=sdk_id,
            name=entry.get("name", sdk_id),
            imports=tuple(entry.get("imports", ())),
            hosts=tuple(entry.get("hosts", ())),
            objects=dict(entry.get("objects", {})),
            factories=dict(entry.get("factories", {})),
            attributes={
                t: (int(a["depth"]), str(a["returns"]))
                for t, a in entry.get("attributes", {}).items()
            },
            types=types,
        )
        sdks[sdk_id] = sdk
        objects.update({name: (sdk_id, type_) for name, type_ in sdk.objects.items()})
        factories.update({name: (sdk_id, type_) for name, type_ in sdk.factories.items()})
    return SdkCatalog(sdks=sdks, objects=objects, factories=factories)
