"""The manifest formats a project can list, named in the errors of a file that is none of them."""

from __future__ import annotations

from integrity_lint.manifest.model import ManifestError

SUPPORTED_FORMATS = (
    "the native TOML manifest (*.toml)",
    "a Glean metrics.yaml (*.yaml, *.yml)",
    "a Segment Protocols tracking plan (*.json)",
)


def unsupported(where: str, why: str) -> ManifestError:
    """An error for a source that is not a manifest format integrity-lint reads."""
    return ManifestError(f"{where}: {why}; supported formats: {', '.join(SUPPORTED_FORMATS)}")
