"""What one rule reports on a snippet, and what its fixes make of it."""

from __future__ import annotations

import textwrap
from dataclasses import replace

from integrity_lint.catalog import Catalog
from integrity_lint.engine import lint_source
from integrity_lint.report.model import Finding
from integrity_lint.run import Outcome, fix_rounds
from tests.conftest import make_settings


def findings_of(
    catalog: Catalog, code: str, source: str, path: str = "example.py", config: str = ""
) -> list[Finding]:
    """The findings of ``code`` on the dedented ``source``, with only that rule selected."""
    settings = make_settings(catalog, config, select=(code,))
    result = lint_source(textwrap.dedent(source), path, settings)
    return [finding for finding in result.findings if finding.code == code]


def fixed_by(catalog: Catalog, code: str, source: str) -> str:
    """``source`` after every fix of ``code``, safe and unsafe, in rounds as ``--fix`` does."""
    settings = make_settings(catalog, select=(code,))
    settings = replace(settings, options=replace(settings.options, build_fixes=True))
    original = textwrap.dedent(source).encode()

    def check(files: dict[str, bytes]) -> Outcome:
        return Outcome(lint_source(files.get("example.py", original), "example.py", settings))

    rounds = fix_rounds(check, lambda _: original, unsafe=True, codes=frozenset({code}))
    return rounds.fixed.get("example.py", original).decode()
