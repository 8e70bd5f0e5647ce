"""A small project checked the way ``integrity-lint check`` does, with its expectations in
``# expect: CODE`` comments on the lines that must be flagged (in code and in the manifest)."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable

from integrity_lint.catalog import Catalog
from integrity_lint.engine import check_sources
from integrity_lint.manifest.native import load_native
from integrity_lint.report.model import Report

from ..conftest import make_settings

MANIFEST = "data-manifest.toml"
CODES = frozenset({"PRV101", "PRV102", "PRV103", "PRV603", "PRV604", "PRV605", "PRV606", "SUS205"})
_EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")

Finding = tuple[str, int, str]  # path, line, code


def event(name: str, sdk: str, *, kind: str | None = None, properties: tuple[str, ...] = ()) -> str:
    """A complete, reviewed ``[[event]]`` (so only the code is judged)."""
    lines = ["[[event]]", f"name = {name!r}", f"sdk = {sdk!r}"]
    if kind is not None:
        lines.append(f"kind = {kind!r}")
    lines += [
        f"properties = {list(properties)!r}",
        'purpose = "Product analytics"',
        'owner = ["data@example.org"]',
        'review = ["https://example.org/review/1"]',
        'sensitivity = "interaction"',
        'expires = "never"',
    ]
    return "\n".join(lines).replace("'", '"')


def manifest(sdks: list[str], *events: str) -> str:
    sdk_list = ", ".join(f'"{sdk}"' for sdk in sdks)
    return "\n\n".join([f"[telemetry]\nsdks = [{sdk_list}]", *events]) + "\n"


def expected(files: dict[str, str]) -> set[Finding]:
    """``# expect: CODE`` at the end of a line marks it; alone on a line, the next code line."""
    found: set[Finding] = set()
    for path, text in files.items():
        waiting: list[str] = []
        for number, line in enumerate(text.splitlines(), start=1):
            match = _EXPECT.search(line)
            codes = [code.strip() for code in match[1].split(",")] if match else []
            if line.strip().startswith("#"):
                waiting += codes
                continue
            if line.strip():
                found.update((path, number, code) for code in [*waiting, *codes])
                waiting = []
    return found


def _source(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def check_project(catalog: Catalog, files: dict[str, str], manifest_text: str) -> Report:
    """Check the project (the whole of it), and assert exactly the expected telemetry findings."""
    sources = {path: _source(text) for path, text in files.items()}
    sources[MANIFEST] = _source(manifest_text)
    settings = make_settings(catalog, "")
    report = check_sources(
        [(path, text.encode()) for path, text in sources.items() if path.endswith(".py")],
        settings,
        load_native(sources[MANIFEST], MANIFEST),
        whole_project=True,
    )
    found = {(f.path, f.line, f.code) for f in report.findings if f.code in CODES}
    messages = [f"{f.path}:{f.line}: {f.code} {f.message}" for f in report.findings]
    assert found == expected(sources), "\n".join(messages)
    return report


def sites(report: Report, sdk: str) -> set[tuple[str, int, str | None, str]]:
    """(path, line, event or kind, status) of every site of an SDK the project pass checked."""
    return {
        (s.path, s.site.where.line, s.event, s.status) for s in report.sites if s.site.sdk == sdk
    }


def lines(files: dict[str, str], path: str) -> Callable[[str], tuple[str, int]]:
    """A finder of ``(path, line)`` for the one line of a project file containing a snippet."""
    text = _source(files[path]).splitlines()

    def at(snippet: str) -> tuple[str, int]:
        found = [number for number, line in enumerate(text, start=1) if snippet in line]
        assert len(found) == 1, (path, snippet, found)
        return path, found[0]

    return at
