"""The telemetry SDK catalog (``rules/telemetry-sdks.toml``), loaded into typed entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from integrity_lint.analysis.facts import Arg, Value
from integrity_lint.catalog import CatalogError
from integrity_lint.resources import load_data

CATALOG_FILE = "telemetry-sdks.toml"
Slot = tuple[int, str]  # (position or -1 for keyword-only, keyword)
_METHOD_KEYS = {
    "kind", "event", "properties", "property", "user", "returns", "names", "payload",
    "attribute", "legacy", "positional",
}  # fmt: skip
_SDK_KEYS = {
    "name", "packages", "imports", "hosts", "objects", "factories", "attributes", "types", "http",
}  # fmt: skip
_HTTP_KEYS = {"path", "kind", "events", "event", "properties", "user"}


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
    attribute: bool = False
    legacy: Method | None = None
    positional: int = 0  # a legacy shape applies from this many positional arguments

    def select(self, args: tuple[Arg, ...]) -> Method:
        """The call shape that fits the arguments: the legacy one when it takes positionals
        the current one does not (posthog < 6 ``capture(distinct_id, event, properties)``)."""
        legacy = self.legacy
        if legacy is None:
            return self
        positional = sum(1 for arg in args if arg.position is not None)
        return legacy if positional >= legacy.positional else self


@dataclass(frozen=True)
class HttpShape:
    """Where a raw HTTP post to a vendor's collection endpoint carries the event (payload keys)."""

    path: str = ""  # a URL path prefix; empty matches every path of the vendor's hosts
    kind: str = "track"
    events: str | None = None  # the key of a list of event objects: one site each
    event: str | None = None
    properties: str | None = None
    user: str | None = None


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
    http: tuple[HttpShape, ...] = ()


@dataclass(frozen=True)
class HttpCalls:
    """Calls that may post to a collection endpoint: method or function name → URL slot."""

    urls: dict[str, Slot] = field(default_factory=dict)
    bodies: tuple[Slot, ...] = ()


@dataclass(frozen=True)
class SdkCatalog:
    sdks: dict[str, Sdk]
    objects: dict[str, tuple[str, str]] = field(default_factory=dict)  # qualname -> (sdk, type)
    factories: dict[str, tuple[str, str]] = field(default_factory=dict)
    http: HttpCalls = field(default_factory=HttpCalls)

    def method(self, sdk: str, type_: str, name: str) -> Method | None:
        return self.sdks[sdk].types.get(type_, {}).get(name)

    def payload_method(self, sdk: str, name: str) -> Method | None:
        """A method of the SDK called ``name`` that sends an event object (``track(event)``)."""
        for methods in self.sdks[sdk].types.values():
            method = methods.get(name)
            if method is not None and method.payload and method.kind is not None:
                return method
        return None

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

    def sdk_of_host(self, host: str) -> str | None:
        """The SDK whose collection endpoint a host is (suffix match: ``region1.`` + host)."""
        host = host.lower().rstrip(".")
        best: tuple[int, str] | None = None
        for sdk in self.sdks.values():
            for known in sdk.hosts:
                if (host == known or host.endswith("." + known)) and (
                    best is None or len(known) > best[0]
                ):
                    best = (len(known), sdk.id)
        return best[1] if best else None

    @property
    def import_tokens(self) -> tuple[str, ...]:
        """Text a file using an SDK spells: the first name of every import root, and every
        collection host (a raw HTTP post names its endpoint)."""
        roots = {root.split(".")[0] for s in self.sdks.values() for root in s.imports}
        hosts = {host for s in self.sdks.values() for host in s.hosts}
        return tuple(sorted(roots | hosts))


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
    legacy = data.get("legacy")
    if legacy is not None and int(legacy.get("positional", 0)) < 1:
        raise CatalogError(f"{CATALOG_FILE}: {where}.legacy: needs positional = N (N >= 1)")
    return Method(
        kind=data.get("kind"),
        event=event if event == "receiver" else _slot(event, f"{where}.event"),
        properties=_slot(data.get("properties"), f"{where}.properties"),
        property=_slot(data.get("property"), f"{where}.property"),
        user=_slot(data.get("user"), f"{where}.user"),
        returns=data.get("returns"),
        names=_slot(data.get("names"), f"{where}.names"),
        payload=bool(data.get("payload", False)),
        attribute=bool(data.get("attribute", False)),
        legacy=_method(legacy, f"{where}.legacy") if legacy is not None else None,
        positional=int(data.get("positional", 0)),
    )


def _http_shape(data: dict[str, Any], where: str) -> HttpShape:
    unknown = set(data) - _HTTP_KEYS
    if unknown:
        raise CatalogError(f"{CATALOG_FILE}: {where}: unknown keys {sorted(unknown)}")
    return HttpShape(**data)


def _http_calls(data: dict[str, Any]) -> HttpCalls:
    unknown = set(data) - {"urls", "bodies"}
    if unknown:
        raise CatalogError(f"{CATALOG_FILE}: http: unknown keys {sorted(unknown)}")
    urls = {name: _slot(slot, f"http.urls.{name}") for name, slot in data.get("urls", {}).items()}
    bodies = tuple(_slot(slot, "http.bodies") for slot in data.get("bodies", ()))
    return HttpCalls(
        urls={name: slot for name, slot in urls.items() if slot is not None},
        bodies=tuple(slot for slot in bodies if slot is not None),
    )


@cache
def load_sdk_catalog() -> SdkCatalog:
    return parse_sdk_catalog(load_data(CATALOG_FILE))


def parse_sdk_catalog(raw: dict[str, Any]) -> SdkCatalog:
    """The catalog from its TOML data; :class:`CatalogError` names what is wrong and where."""
    unknown = set(raw) - {"sdk", "http"}
    if unknown:
        raise CatalogError(f"{CATALOG_FILE}: unknown tables {sorted(unknown)}")
    sdks: dict[str, Sdk] = {}
    objects: dict[str, tuple[str, str]] = {}
    factories: dict[str, tuple[str, str]] = {}
    for sdk_id, entry in raw.get("sdk", {}).items():
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
            http=tuple(
                _http_shape(shape, f"sdk.{sdk_id}.http[{index}]")
                for index, shape in enumerate(entry.get("http", ()))
            ),
        )
        sdks[sdk_id] = sdk
        objects.update({name: (sdk_id, type_) for name, type_ in sdk.objects.items()})
        factories.update({name: (sdk_id, type_) for name, type_ in sdk.factories.items()})
    http = _http_calls(raw.get("http", {}))
    return SdkCatalog(sdks=sdks, objects=objects, factories=factories, http=http)


def pick(slot: Slot | None, args: tuple[Arg, ...]) -> Value | None:
    """The argument a slot names: by keyword, or by position; unpacking hides it."""
    if slot is None:
        return None
    position, keyword = slot
    for arg in args:
        if arg.keyword == keyword:
            return arg.value
    for arg in args:
        if arg.star:
            return Value("dynamic", f"{arg.star}unpacking")
        if position >= 0 and arg.position == position:
            return arg.value
    return None
