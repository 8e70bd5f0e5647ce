"""The command line. It only wires: parse options, load settings, run, format, exit.

Heavy modules (libcst, the checks) are imported inside the commands that need them, so
``--version``, ``explain`` and ``rules`` start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from integrity_lint import __version__
from integrity_lint.bytecode import kept_compiles
from integrity_lint.catalog import PREFIXES, SEVERITIES, Catalog, CatalogError, load_catalog
from integrity_lint.report.formats import FORMATS, RenderOptions, render

# Runs over fewer files finish before a bar would tell anything.
PROGRESS_MIN_FILES = 100


class Progress:
    """A progress bar on stderr for the files of a long run, when stderr is a terminal."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if done < self.shown:  # another pass over the files (--diff-base, --fix rounds)
            self.close()
        if self.bar is None:
            if total - done < PROGRESS_MIN_FILES or not sys.stderr.isatty():
                return
            self.bar = click.progressbar(length=total, label="checking", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        self.shown = 0


def fail(message: str) -> NoReturn:
    """Stop with exit 2 and a one-line cause on stderr."""
    click.echo(f"integrity-lint: error: {message}", err=True)
    sys.exit(2)


def _catalog() -> Catalog:
    try:
        return load_catalog()
    except (CatalogError, OSError) as error:
        fail(f"rule catalog: {error}")


def _codes(value: str | None, option: str, catalog: Catalog) -> tuple[str, ...] | None:
    """Split a comma-separated ``--select``-style value and validate every selector."""
    from integrity_lint.config import selector_problem

    if value is None:
        return None
    selectors = tuple(part.strip() for part in value.split(",") if part.strip())
    for selector in selectors:
        problem = selector_problem(selector, catalog)
        if problem:
            fail(f"{option}: {problem}")
    return selectors


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="integrity-lint")
def main() -> None:
    """Check Python code against the Mozilla integrity toolkit's best practices.

    Privacy, security, safety, inclusion and sustainability, as code review checks. Every
    rule is explained with `integrity-lint explain CODE`.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Use this file.")
@click.option("--select", help="Rules to check (codes, prefixes or names, comma separated).")
@click.option("--extend-select", help="Rules to check in addition to the selected ones.")
@click.option("--ignore", help="Rules not to check.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("--output", type=click.Path(path_type=Path), help="Write the report to FILE.")
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    help="Lowest severity that makes the exit code 1 (default from config: warning).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Count the findings per rule.")
@click.option("--show-suppressed", is_flag=True, help="List suppressed findings with reasons.")
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    help="Hide the findings recorded in this baseline file (default: config `baseline`).",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path),
    help="Record the current findings as the baseline in FILE, and exit 0.",
)
@click.option(
    "--diff-base",
    metavar="REF",
    help="Report only findings that are new relative to the git ref REF.",
)
@click.option(
    "--stdin-filename",
    type=click.Path(path_type=Path),
    help="Read the source from stdin and report it under this path.",
)
@click.option(
    "--fix",
    is_flag=True,
    help="Apply safe fixes to the files; exit 1 if findings remain. With --stdin-filename, "
    "print the fixed source and report on stderr.",
)
@click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes (review them).")
@click.option("--no-cache", is_flag=True, help="Check every file again; read and write no cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the cache in DIR (default: .integrity-lint-cache in the project root).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes for checking many files (default: one per core).",
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print the fixes as a unified diff and change nothing; exit 1 if there are any.",
)
def check(
    paths: tuple[Path, ...],
    config_file: Path | None,
    select: str | None,
    extend_select: str | None,
    ignore: str | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    exit_zero: bool,
    statistics: bool,
    show_suppressed: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    diff_base: str | None,
    stdin_filename: Path | None,
    fix: bool,
    unsafe_fixes: bool,
    jobs: int | None,
    no_cache: bool,
    cache_dir: Path | None,
    show_diff: bool,
) -> None:
    """Check PATHS (files or folders; default: the current folder).

    Exit status: 0 when no finding reaches the fail-on severity, 1 when one does, 2 for a
    usage, configuration or manifest error.
    """
    with kept_compiles("check"):  # modules with dataclasses: see integrity_lint.bytecode
        from integrity_lint.baseline import BaselineError
        from integrity_lint.cache import CACHE_DIR
        from integrity_lint.config import ConfigError, RunOptions, Settings, load_config
        from integrity_lint.diffbase import DiffBaseError
        from integrity_lint.discovery import PYTHON_SUFFIXES
        from integrity_lint.manifest import ManifestError
        from integrity_lint.run import CheckRequest, run_check

    catalog = _catalog()
    try:
        config = load_config(catalog, config_file)
    except ConfigError as error:
        fail(str(error))
    options = RunOptions(
        select=_codes(select, "--select", catalog),
        extend_select=_codes(extend_select, "--extend-select", catalog) or (),
        ignore=_codes(ignore, "--ignore", catalog) or (),
        fail_on=fail_on,
        jobs=jobs or 0,
        cache_dir=None if no_cache else (cache_dir or config.root / CACHE_DIR),
        progress=(progress := Progress()),
    )
    if stdin_filename is not None and paths:
        fail("--stdin-filename reads stdin: give no PATHS with it")
    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        fail(f"no such file or folder: {', '.join(missing)}")
    for path in paths:
        if not path.is_dir() and path.suffix not in PYTHON_SUFFIXES:
            click.echo(f"integrity-lint: skipped {path}: not a Python file (*.py, *.pyi)", err=True)
    if unsafe_fixes and not (fix or show_diff):
        fail("--unsafe-fixes applies with --fix or --diff")
    if (fix or show_diff) and write_baseline is not None:
        fail("--write-baseline records findings as they are: run it without --fix and --diff")
    if baseline is not None and not baseline.is_file():
        fail(f"--baseline {baseline}: no such file (create it with --write-baseline)")
    request = CheckRequest(
        paths=paths,
        stdin=sys.stdin.buffer.read() if stdin_filename is not None else None,
        stdin_filename=stdin_filename,
        baseline=baseline,
        write_baseline=write_baseline,
        diff_base=diff_base,
        fix="none" if not (fix or show_diff) else "unsafe" if unsafe_fixes else "safe",
        preview=show_diff,
    )
    try:
        outcome = run_check(Settings(config, catalog, options), request)
    except (BaselineError, DiffBaseError, ManifestError) as error:
        fail(str(error))
    except OSError as error:
        fail(f"{error.filename or ''}: {error.strerror or error}")
    finally:
        progress.close()
    report = outcome.report
    for note in outcome.notes:
        click.echo(f"integrity-lint: {note}", err=True)
    if show_diff:
        click.echo("".join(outcome.diffs), nl=False)
        noun = "fix" if outcome.fixed == 1 else "fixes"
        click.echo(f"integrity-lint: {outcome.fixed} {noun} would be applied", err=True)
        sys.exit(1 if outcome.fixed and not exit_zero else 0)
    if fix:
        noun = "finding" if outcome.fixed == 1 else "findings"
        click.echo(f"integrity-lint: fixed {outcome.fixed} {noun}", err=True)
    text = render(fmt, report, catalog, RenderOptions(statistics, show_suppressed))
    if output is not None:
        try:
            output.write_text(click.unstyle(text), encoding="utf-8")  # a file gets no colours
        except OSError as error:
            fail(f"--output {output}: {error.strerror}")
    elif fix and stdin_filename is not None:
        sys.stdout.buffer.write(outcome.stdin_fixed or request.stdin or b"")
        click.echo(text, nl=False, err=True)
    else:
        click.echo(text, nl=False)
    failing = report.failing(fail_on or config.fail_on)
    sys.exit(0 if exit_zero or write_baseline is not None or not failing else 1)


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Explain a rule (by CODE or NAME): why it matters, examples, how to fix."""
    from integrity_lint.ruledocs import render_explanation

    catalog = _catalog()
    found = catalog.get(rule)
    if found is None:
        from integrity_lint.config import selector_problem

        fail(selector_problem(rule, catalog) or f"unknown rule {rule!r}")
    click.echo(render_explanation(found, catalog), nl=False)


@main.command()
@click.option("--pillar", type=click.Choice(list(PREFIXES.values())), help="Only this pillar.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
)
def rules(pillar: str | None, fmt: str) -> None:
    """List the rules, optionally of one pillar."""
    from integrity_lint.ruledocs import render_rules

    catalog = _catalog()
    selected = [r for r in catalog.rules if pillar is None or r.pillar == pillar]
    click.echo(render_rules(selected, catalog, fmt), nl=False)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Use this file.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json", "toml"]),
    default="markdown",
    show_default=True,
    help="toml drafts manifest entries for what is undeclared.",
)
def inventory(paths: tuple[Path, ...], config_file: Path | None, fmt: str) -> None:
    """List every telemetry call and personal-data field found.

    Each event is marked declared, undeclared or unverifiable, with its sensitivity, the
    properties it sends and where; each field that stores or collects personal data with its
    category and whether the manifest declares it. `--format toml` prints manifest entries
    for what is undeclared, with TODO placeholders for a person to fill in: the way to adopt
    integrity-lint on an existing codebase.
    """
    from integrity_lint import inventory as listing
    from integrity_lint.config import ConfigError, RunOptions, Settings, load_config
    from integrity_lint.engine import TELEMETRY_CODES
    from integrity_lint.manifest import ManifestError
    from integrity_lint.run import CheckRequest, load_project_manifest, run_check

    catalog = _catalog()
    try:
        config = load_config(catalog, config_file)
        manifest = load_project_manifest(config)
    except (ConfigError, ManifestError) as error:
        fail(str(error))
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(missing)}")
    settings = Settings(config, catalog, RunOptions(select=tuple(sorted(TELEMETRY_CODES))))
    report = run_check(settings, CheckRequest(paths=paths)).report
    entries = listing.build(report.sites)
    fields = listing.build_fields(report.fields)
    if fmt == "json":
        click.echo(listing.render_json(entries, fields), nl=False)
    elif fmt == "toml":
        click.echo(listing.render_toml(entries, manifest, fields), nl=False)
    else:
        click.echo(listing.render_markdown(entries, fields), nl=False)


@main.command()
def init() -> None:
    """Write a starter configuration and an empty data manifest here.

    The configuration goes into `[tool.integrity-lint]` of pyproject.toml (or
    integrity-lint.toml when there is no pyproject.toml); nothing that exists is overwritten.
    """
    from integrity_lint.config import ConfigError
    from integrity_lint.starter import write_starter

    try:
        said = write_starter(Path.cwd())
    except ConfigError as error:
        fail(str(error))
    for line in said:
        click.echo(line)
