"""Declared data: the manifest sources a project lists in ``manifest = [...]`` (SPEC §5).

Each source is loaded by the importer its name or content selects, into one :class:`Manifest`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from integrity_lint.files import read_regular_file
from integrity_lint.manifest.formats import unsupported
from integrity_lint.manifest.model import (
    EventDecl,
    FieldDecl,
    Location,
    Manifest,
    ManifestError,
)
from integrity_lint.manifest.native import load_native
from integrity_lint.manifest.segment import load_segment_plan
from integrity_lint.resources import utf8_error

__all__ = [
    "EventDecl",
    "FieldDecl",
    "Location",
    "Manifest",
    "ManifestError",
    "load_manifest",
    "load_source",
]


def load_manifest(sources: tuple[str, ...], root: Path) -> Manifest:
    """Load and merge the configured sources (paths relative to ``root``)."""
    manifest = Manifest()
    seen: set[Path] = set()
    for source in sources:
        path = (root / source).resolve()
        if path in seen:
            raise ManifestError(f"{source}: listed twice in 'manifest'")
        seen.add(path)
        try:
            text = read_regular_file(path).decode("utf-8-sig")  # a BOM is not content
        except FileNotFoundError:
            raise ManifestError(f"{source}: manifest file not found") from None
        except UnicodeDecodeError as error:
            raise ManifestError(f"{source}:{utf8_error(error)}") from None
        except OSError as error:
            raise ManifestError(f"{source}: cannot read manifest: {error.strerror}") from None
        manifest.merge(load_source(text, source))
    return manifest


def load_source(text: str, name: str) -> Manifest:
    """One source, by the importer its file name selects; the Glean and Segment importers also
    check that the content is theirs (a pings.yaml, say, is refused with the formats supported).
    """
    suffix = Path(name).suffix.lower()
    load = _IMPORTERS.get(suffix)
    if load is None:
        raise unsupported(
            name, f"no manifest format is read from {suffix or 'files without a suffix'}"
        )
    try:
        return load(text, name)
    except RecursionError:
        raise ManifestError(f"{name}: nested too deeply to load") from None


def _load_glean(text: str, name: str) -> Manifest:
    from integrity_lint.manifest.glean import load_glean  # PyYAML, only for Glean files

    return load_glean(text, name)


_IMPORTERS: dict[str, Callable[[str, str], Manifest]] = {
    ".toml": load_native,
    ".yaml": _load_glean,
    ".yml": _load_glean,
    ".json": load_segment_plan,
}
