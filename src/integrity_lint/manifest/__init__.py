"""Declared data: the manifest sources a project lists in ``manifest = [...]`` (SPEC §5).

Each source is loaded by the importer its name or content selects, into one :class:`Manifest`.
"""

from __future__ import annotations

from pathlib import Path

from integrity_lint.manifest.model import (
    EventDecl,
    FieldDecl,
    Location,
    Manifest,
    ManifestError,
)
from integrity_lint.manifest.native import load_native

__all__ = [
    "EventDecl",
    "FieldDecl",
    "Location",
    "Manifest",
    "ManifestError",
    "load_manifest",
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
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ManifestError(f"{source}: manifest file not found") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ManifestError(f"{source}: cannot read manifest: {error}") from None
        manifest.merge(load_source(text, source))
    return manifest


def load_source(text: str, name: str) -> Manifest:
    """One source, by the importer its file name selects."""
    return load_native(text, name)
