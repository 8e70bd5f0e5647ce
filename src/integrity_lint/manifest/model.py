"""The declared-data model every manifest source is loaded into (SPEC §5)."""

from __future__ import annotations

from dataclasses import dataclass, field

SENSITIVITIES = ("technical", "interaction", "stored_content", "highly_sensitive")
KINDS = ("track", "identify", "group", "page", "profile", "metric", "span", "context")


class ManifestError(Exception):
    """A manifest that cannot be loaded: exit 2 with ``file:line: key: problem``."""


@dataclass(frozen=True)
class Location:
    """Where an entry is declared: a path relative to the project root, and a 1-based line."""

    path: str
    line: int


@dataclass(frozen=True)
class EventDecl:
    """A declared telemetry event (or, for calls without an event name, a kind of call)."""

    name: str
    location: Location
    sdk: str | None = None
    kind: str | None = None
    properties: tuple[str, ...] = ()
    purpose: str | None = None
    owner: tuple[str, ...] = ()
    review: tuple[str, ...] = ()
    sensitivity: tuple[str, ...] = ()
    expires: str | None = None  # ISO date, "never", or a source-specific value kept as text
    source: str = "native"  # the format it was declared in: native | glean | segment


@dataclass(frozen=True)
class FieldDecl:
    """A declared personal-data field the product stores or collects."""

    name: str
    location: Location
    model: str | None = None
    category: str | None = None
    sensitivity: tuple[str, ...] = ()
    purpose: str | None = None
    owner: tuple[str, ...] = ()
    review: tuple[str, ...] = ()
    retention: str | None = None


@dataclass
class Manifest:
    """Everything the configured manifest sources declare, merged."""

    sources: list[str] = field(default_factory=list)
    sdks: dict[str, Location] = field(default_factory=dict)
    events: list[EventDecl] = field(default_factory=list)
    fields: list[FieldDecl] = field(default_factory=list)

    def merge(self, other: Manifest) -> None:
        self.sources.extend(other.sources)
        for sdk, location in other.sdks.items():
            self.sdks.setdefault(sdk, location)
        self.events.extend(other.events)
        self.fields.extend(other.fields)
