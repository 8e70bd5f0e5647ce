"""The report formats: one renderer per ``--format`` value, each reading only the report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from integrity_lint.catalog import Catalog
from integrity_lint.report.model import Report


@dataclass(frozen=True)
class RenderOptions:
    statistics: bool = False
    show_suppressed: bool = False


def _text(report: Report, catalog: Catalog, options: RenderOptions) -> str:
    from integrity_lint.report.text import render_text

    return render_text(
        report, catalog, statistics=options.statistics, show_suppressed=options.show_suppressed
    )


def _json(report: Report, catalog: Catalog, options: RenderOptions) -> str:
    from integrity_lint.report.json_format import render_json

    return render_json(report)


def _sarif(report: Report, catalog: Catalog, options: RenderOptions) -> str:
    from integrity_lint.report.sarif import render_sarif

    return render_sarif(report, catalog, include_suppressed=options.show_suppressed)


def _github(report: Report, catalog: Catalog, options: RenderOptions) -> str:
    from integrity_lint.report.github import render_github

    return render_github(report)


def _gitlab(report: Report, catalog: Catalog, options: RenderOptions) -> str:
    from integrity_lint.report.gitlab import render_gitlab

    return render_gitlab(report)


def _junit(report: Report, catalog: Catalog, options: RenderOptions) -> str:
    from integrity_lint.report.junit import render_junit

    return render_junit(report)


def _markdown(report: Report, catalog: Catalog, options: RenderOptions) -> str:
    from integrity_lint.report.markdown import render_markdown

    return render_markdown(report, catalog)


RENDERERS: dict[str, Callable[[Report, Catalog, RenderOptions], str]] = {
    "text": _text,
    "json": _json,
    "sarif": _sarif,
    "github": _github,
    "gitlab": _gitlab,
    "junit": _junit,
    "markdown": _markdown,
}
FORMATS = tuple(RENDERERS)


def render(fmt: str, report: Report, catalog: Catalog, options: RenderOptions) -> str:
    return RENDERERS[fmt](report, catalog, options)
