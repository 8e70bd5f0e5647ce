"""Configuration: discovery, validation and the settings a run resolves from it.

``[tool.integrity-lint]`` in ``pyproject.toml``, or the same keys at the top level of
``.integrity-lint.toml`` / ``integrity-lint.toml`` (which win over ``pyproject.toml`` in the
same folder). The first folder, walking up from the current one, that has any of them holds
the configuration, and is the project root. Every key, type and rule code is validated; a
problem is a :class:`ConfigError` with a one-line message naming file, line, key and value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from integrity_lint.catalog import PREFIXES, SEVERITIES, Catalog
from integrity_lint.globs import PatternError, PatternSet, compile_pattern
from integrity_lint.resources import toml_syntax_error, tomllib, utf8_error

CONFIG_FILES = (".integrity-lint.toml", "integrity-lint.toml", "pyproject.toml")
ALWAYS_ON = ("INT001", "INT006")  # a file that was not checked is never silent


if TYPE_CHECKING:
    from integrity_lint.cache import FileCache


class ConfigError(Exception):
    """A configuration problem: the run stops with exit 2 and this one-line message."""


Validator = Callable[[Any, str], None]


@dataclass(frozen=True)
class Wrapper:
    call: str
    event: int | str | None = None
    properties: int | str | None = None
    user: int | str | None = None


@dataclass(frozen=True)
class Override:
    paths: tuple[str, ...]
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)


DEFAULT_FILE_TIMEOUT = 60.0


@dataclass(frozen=True)
class Config:
    """The validated configuration, as written (selectors are not resolved yet)."""

    root: Path
    path: Path | None = None
    manifest: tuple[str, ...] = ()
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fail_on: str = "warning"
    non_suppressible: tuple[str, ...] = ()
    require_reason: bool = True
    baseline: str | None = None
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
    consent_guards: tuple[str, ...] = ()
    wrappers: tuple[Wrapper, ...] = ()
    moderation: tuple[str, ...] = ()
    user_content_models: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    personal_data_extra: dict[str, str] = field(default_factory=dict)
    not_personal: tuple[str, ...] = ()
    sanitizers: tuple[str, ...] = ()
    # Seconds one file may take before it is stopped and reported (INT006); 0: no limit.
    # Not in the repr, which keys the cache: a stopped file's result is not cached anyway.
    file_timeout: float = field(default=DEFAULT_FILE_TIMEOUT, repr=False)


# --- discovery -------------------------------------------------------------------------------


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration file at or above ``start``, with its integrity-lint table."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            data = _read_toml(candidate)
            if name != "pyproject.toml":
                return candidate, data
            table = data.get("tool", {}).get("integrity-lint")
            if table is not None:
                return candidate, table
    return None


def load_config(catalog: Catalog, explicit: Path | None = None, cwd: Path | None = None) -> Config:
    """Find (or read the given) configuration file and validate it."""
    cwd = (cwd or Path.cwd()).resolve()
    if explicit is not None:
        path = explicit.resolve()
        if not path.is_file():
            raise ConfigError(f"{explicit}: configuration file not found")
        data = _read_toml(path)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("integrity-lint", {})
        return parse_config(data, catalog, root=path.parent, path=path)
    found = find_config(cwd)
    if found is None:
        return Config(root=cwd)
    path, data = found
    return parse_config(data, catalog, root=path.parent, path=path)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
        return tomllib.loads(text)
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}:{utf8_error(error)}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}:{toml_syntax_error(error, text)}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None


# --- validation ------------------------------------------------------------------------------


class _Validator:
    def __init__(self, catalog: Catalog, path: Path | None) -> None:
        self.catalog = catalog
        self.path = path
        self.text = path.read_text(encoding="utf-8") if path else ""
        self.prefix = "[tool.integrity-lint] " if path and path.name == "pyproject.toml" else ""

    def fail(self, key: str, problem: str) -> ConfigError:
        where = str(self.path) if self.path else "configuration"
        line = _line_of(self.text, key, pyproject=bool(self.prefix))
        location = f"{where}:{line}" if line else where
        return ConfigError(f"{location}: {self.prefix}{key}: {problem}")

    def table(self, value: Any, key: str, schema: dict[str, Validator]) -> None:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table, got {_describe(value)}")
        for name, item in value.items():
            full = f"{key}.{name}" if key else name
            if name not in schema:
                hint = _did_you_mean(name, schema)
                raise self.fail(full, f"unknown key{hint}")
            schema[name](item, full)

    def string(self, value: Any, key: str) -> None:
        if not isinstance(value, str):
            raise self.fail(key, f"expected a string, got {_describe(value)}")

    def seconds(self, value: Any, key: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise self.fail(
                key, f"expected a number of seconds (0: no limit), got {_describe(value)}"
            )

    def boolean(self, value: Any, key: str) -> None:
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {_describe(value)}")

    def strings(self, value: Any, key: str) -> None:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"expected a list of strings, got {_describe(value)}")

    def string_or_strings(self, value: Any, key: str) -> None:
        if not isinstance(value, str) and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raise self.fail(key, f"expected a string or a list of strings, got {_describe(value)}")

    def patterns(self, value: Any, key: str) -> None:
        self.strings(value, key)
        for pattern in value:
            self.pattern(pattern, key)

    def pattern_or_patterns(self, value: Any, key: str) -> None:
        self.string_or_strings(value, key)
        self.patterns([value] if isinstance(value, str) else value, key)

    def pattern(self, pattern: str, key: str) -> None:
        try:
            compile_pattern(pattern)
        except PatternError as error:
            raise self.fail(key, str(error)) from None

    def severity(self, value: Any, key: str) -> None:
        if value not in SEVERITIES:
            raise self.fail(key, f"expected one of {', '.join(SEVERITIES)}, got {value!r}")

    def selectors(self, value: Any, key: str) -> None:
        self.strings(value, key)
        for selector in value:
            problem = selector_problem(selector, self.catalog)
            if problem:
                raise self.fail(key, problem)

    def code_table(self, value: Any, key: str) -> None:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table, got {_describe(value)}")
        for code, severity in value.items():
            problem = selector_problem(code, self.catalog)
            if problem:
                raise self.fail(f"{key}.{code}", problem)
            self.severity(severity, f"{key}.{code}")

    def glob_table(self, value: Any, key: str) -> None:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table of glob = [codes], got {_describe(value)}")
        for pattern, codes in value.items():
            self.pattern(pattern, f'{key}."{pattern}"')
            self.selectors(codes, f'{key}."{pattern}"')

    def slot(self, value: Any, key: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise self.fail(key, f"expected an argument position or keyword, got {value!r}")

    def wrappers(self, value: Any, key: str) -> None:
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list of tables, got {_describe(value)}")
        schema = {"call": self.string, "event": self.slot, "properties": self.slot}
        schema["user"] = self.slot
        for index, item in enumerate(value):
            self.table(item, f"{key}[{index}]", schema)
            if "call" not in item:
                raise self.fail(f"{key}[{index}]", "a wrapper needs 'call'")

    def string_map(self, value: Any, key: str) -> None:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.fail(key, f"expected a table of strings, got {_describe(value)}")

    def overrides(self, value: Any, key: str) -> None:
        if not isinstance(value, list):
            raise self.fail(key, f"expected an array of tables, got {_describe(value)}")
        schema: dict[str, Validator] = {
            "path": self.pattern_or_patterns,
            "select": self.selectors,
            "extend-select": self.selectors,
            "ignore": self.selectors,
            "severity": self.code_table,
        }
        for index, item in enumerate(value):
            self.table(item, f"{key}[{index}]", schema)
            if "path" not in item:
                raise self.fail(f"{key}[{index}]", "an override needs 'path'")

    def root_schema(self) -> dict[str, Validator]:
        def sub(schema: dict[str, Validator]) -> Validator:
            return lambda value, key: self.table(value, key, schema)

        return {
            "manifest": self.string_or_strings,
            "select": self.selectors,
            "extend-select": self.selectors,
            "ignore": self.selectors,
            "exclude": self.patterns,
            "fail-on": self.severity,
            "non-suppressible": self.selectors,
            "require-reason": self.boolean,
            "file-timeout": self.seconds,
            "baseline": self.string,
            "severity": self.code_table,
            "per-file-ignores": self.glob_table,
            "overrides": self.overrides,
            "telemetry": sub({"consent-guards": self.strings, "wrappers": self.wrappers}),
            "safety": sub({"moderation": self.strings, "user-content-models": self.strings}),
            "network": sub({"allowed-hosts": self.strings}),
            "personal-data": sub(
                {
                    "extra": self.string_map,
                    "not-personal": self.strings,
                    "sanitizers": self.strings,
                }
            ),
        }


def parse_config(
    data: dict[str, Any], catalog: Catalog, root: Path, path: Path | None = None
) -> Config:
    """Validate a configuration table and turn it into a :class:`Config`."""
    validator = _Validator(catalog, path)
    validator.table(data, "", validator.root_schema())
    telemetry = data.get("telemetry", {})
    safety = data.get("safety", {})
    personal = data.get("personal-data", {})
    manifest = data.get("manifest", ())
    return Config(
        root=root,
        path=path,
        manifest=(manifest,) if isinstance(manifest, str) else tuple(manifest),
        select=tuple(data["select"]) if "select" in data else None,
        extend_select=tuple(data.get("extend-select", ())),
        ignore=tuple(data.get("ignore", ())),
        exclude=tuple(data.get("exclude", ())),
        fail_on=data.get("fail-on", "warning"),
        non_suppressible=tuple(data.get("non-suppressible", ())),
        require_reason=data.get("require-reason", True),
        file_timeout=float(data.get("file-timeout", DEFAULT_FILE_TIMEOUT)),
        baseline=data.get("baseline"),
        severity=dict(data.get("severity", {})),
        per_file_ignores={k: tuple(v) for k, v in data.get("per-file-ignores", {}).items()},
        overrides=tuple(
            Override(
                paths=(o["path"],) if isinstance(o["path"], str) else tuple(o["path"]),
                select=tuple(o["select"]) if "select" in o else None,
                extend_select=tuple(o.get("extend-select", ())),
                ignore=tuple(o.get("ignore", ())),
                severity=dict(o.get("severity", {})),
            )
            for o in data.get("overrides", ())
        ),
        consent_guards=tuple(telemetry.get("consent-guards", ())),
        wrappers=tuple(Wrapper(**w) for w in telemetry.get("wrappers", ())),
        moderation=tuple(safety.get("moderation", ())),
        user_content_models=tuple(safety.get("user-content-models", ())),
        allowed_hosts=tuple(data.get("network", {}).get("allowed-hosts", ())),
        personal_data_extra=dict(personal.get("extra", {})),
        not_personal=tuple(personal.get("not-personal", ())),
        sanitizers=tuple(personal.get("sanitizers", ())),
    )


def _describe(value: Any) -> str:
    kinds = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    kinds.update({list: "a list", dict: "a table"})
    kind = kinds.get(type(value), type(value).__name__)
    shown = repr(value) if not isinstance(value, (list, dict)) else ""
    return f"{kind} {shown}".strip()


_KEY_PART = re.compile(r'(?:"[^"]*"|[^."])+')
_INDEXED = re.compile(r"(.*)\[(\d+)\]")
_OUR_TABLE = re.compile(r"^\s*\[+\s*tool\s*\.\s*[\"']?integrity-lint\b")


def _line_of(text: str, key: str, pyproject: bool = False) -> int | None:
    """The line that sets ``key`` (``overrides[1].severity.SEC301``): its last part, written
    as ``name =`` (also inside an inline table) or as a table header, or failing that the
    nearest part above it; ``[n]`` picks the n-th such line. In a ``pyproject.toml`` the
    search starts at the integrity-lint table, past other tools' keys of the same name."""
    lines = text.splitlines()
    start = 0
    if pyproject:
        start = next((n for n, line in enumerate(lines) if _OUR_TABLE.match(line)), 0)
    for part in reversed(_KEY_PART.findall(key)):
        indexed = _INDEXED.fullmatch(part)
        index = int(indexed[2]) if indexed else 0
        name = re.escape((indexed[1] if indexed else part).strip("\"'"))
        pattern = re.compile(
            rf"(?:^|[{{,])\s*[\"']?{name}[\"']?\s*=|^\s*\[+[^\]]*\b{name}[\"']?\s*\]"
        )
        found = [n for n in range(start, len(lines)) if pattern.search(lines[n])]
        if found:
            return found[min(index, len(found) - 1)] + 1
    return None


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    import difflib  # only for a misspelt setting

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


# --- rule selection --------------------------------------------------------------------------


def selector_problem(selector: str, catalog: Catalog) -> str | None:
    """Why ``selector`` is invalid, or ``None`` for a code, prefix, name or ``ALL``.

    Codes of the v1 catalog that have not landed yet are valid (and select nothing).
    """
    if resolve_selector(selector, catalog) or selector in PREFIXES:
        return None
    planned = catalog.planned
    if selector in planned or selector in planned.values():
        return None
    if re.fullmatch(r"[A-Z]{3}\d{1,2}", selector) and any(c.startswith(selector) for c in planned):
        return None
    choices = [*catalog.codes, *(rule.name for rule in catalog.rules), *planned, *planned.values()]
    return f"unknown rule code or name {selector!r}{_did_you_mean(selector, choices)}"


def resolve_selector(selector: str, catalog: Catalog) -> list[str]:
    """The codes a selector stands for: ``ALL``, a prefix (``SEC``, ``SEC3``), a code or name."""
    if selector == "ALL":
        return catalog.codes
    rule = catalog.get(selector)
    if rule is not None:
        return [rule.code]
    if re.fullmatch(r"[A-Z]{3}\d{0,2}", selector):
        return [code for code in catalog.codes if code.startswith(selector)]
    return []


def resolve_selectors(selectors: Iterable[str], catalog: Catalog) -> set[str]:
    codes: set[str] = set()
    for selector in selectors:
        codes.update(resolve_selector(selector, catalog))
    return codes


@dataclass(frozen=True)
class RunOptions:
    """What the command line adds to the configuration."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    build_fixes: bool = False  # compute fix edits (for --fix and --diff); else only mark them
    jobs: int = 0  # processes for the per-file pass; 0: one per core
    cache_dir: Path | None = None  # where per-file results are cached; None: no cache
    # Told ``(files done, files in all)`` as the per-file pass goes; not part of the results.
    progress: Callable[[int, int], None] | None = None


@dataclass
class Settings:
    """The configuration resolved for a run: which rules apply to which file, how severe."""

    config: Config
    catalog: Catalog
    options: RunOptions = field(default_factory=RunOptions)

    @cached_property
    def enabled(self) -> frozenset[str]:
        """Codes enabled project-wide (before per-file ignores and overrides)."""
        if self.options.select is not None:
            base = resolve_selectors(self.options.select, self.catalog)
        elif self.config.select is not None:
            base = resolve_selectors(self.config.select, self.catalog)
        else:
            base = {rule.code for rule in self.catalog.rules if rule.default}
        base |= resolve_selectors(self.config.extend_select, self.catalog)
        base |= resolve_selectors(self.options.extend_select, self.catalog)
        base -= resolve_selectors(self.config.ignore, self.catalog)
        base -= resolve_selectors(self.options.ignore, self.catalog)
        return frozenset(base | set(ALWAYS_ON))

    @cached_property
    def file_cache(self) -> FileCache | None:
        """The per-file cache of this run, if caching is on."""
        if self.options.cache_dir is None:
            return None
        from integrity_lint.cache import FileCache

        return FileCache(self.options.cache_dir, self)

    @cached_property
    def fail_on(self) -> str:
        return self.options.fail_on or self.config.fail_on

    @cached_property
    def _per_file(self) -> list[tuple[PatternSet, set[str]]]:
        return [
            (PatternSet([pattern]), resolve_selectors(codes, self.catalog))
            for pattern, codes in self.config.per_file_ignores.items()
        ]

    @cached_property
    def _overrides(self) -> list[tuple[PatternSet, Override]]:
        return [(PatternSet(list(o.paths)), o) for o in self.config.overrides]

    @cached_property
    def wrapper_tokens(self) -> tuple[str, ...]:
        """Names whose presence in a file may mean a call to a configured wrapper."""
        return tuple(w.call.rsplit(".", 1)[-1] for w in self.config.wrappers)

    @cached_property
    def non_suppressible(self) -> frozenset[str]:
        return frozenset(resolve_selectors(self.config.non_suppressible, self.catalog))

    def codes_for(self, path: str) -> frozenset[str]:
        """The codes enabled for a file, given as a path relative to the project root."""
        codes = set(self.enabled)
        for patterns, override in self._overrides:
            if patterns.matches(path):
                if override.select is not None:
                    codes = resolve_selectors(override.select, self.catalog)
                codes |= resolve_selectors(override.extend_select, self.catalog)
                codes -= resolve_selectors(override.ignore, self.catalog)
        for patterns, ignored in self._per_file:
            if patterns.matches(path):
                codes -= ignored
        return frozenset(codes | set(ALWAYS_ON))

    @cached_property
    def _severities(self) -> dict[str, str]:
        """Project-wide severity overrides, resolved to codes."""
        return _resolve_severities(self.config.severity, self.catalog)

    @cached_property
    def _override_severities(self) -> list[tuple[PatternSet, dict[str, str]]]:
        return [
            (patterns, _resolve_severities(override.severity, self.catalog))
            for patterns, override in self._overrides
            if override.severity
        ]

    def severity_for(self, code: str, path: str) -> str:
        rule = self.catalog.get(code)
        severity = self._severities.get(code, rule.severity if rule else "error")
        for patterns, severities in self._override_severities:
            if code in severities and patterns.matches(path):
                severity = severities[code]
        return severity


def _resolve_severities(table: dict[str, str], catalog: Catalog) -> dict[str, str]:
    resolved: dict[str, str] = {}
    for selector, severity in table.items():
        for code in resolve_selector(selector, catalog):
            resolved[code] = severity
    return resolved
