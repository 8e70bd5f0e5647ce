"""The rule catalog: one Markdown file per rule with TOML front matter, grouped by pillar.

The catalog is data that reviewers read; this module loads and validates it. Every problem
with a rule file is a :class:`CatalogError`, so a broken catalog fails the test suite loudly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from integrity_lint.resources import load_data, rules_dir, tomllib

SEVERITIES = ("info", "warning", "error")
FIX_KINDS = ("none", "safe", "unsafe")
PREFIXES = {
    "PRV": "privacy",
    "SEC": "security",
    "SAF": "safety",
    "INC": "inclusion",
    "SUS": "sustainability",
    "INT": "linter",
}
FRONT_MATTER_KEYS = {
    "code": str,
    "name": str,
    "pillar": str,
    "practice": int,
    "severity": str,
    "default": bool,
    "cwe": list,
    "fix": str,
}
# Each entry lists the headings that satisfy it ("How to fix" or "How to declare").
REQUIRED_SECTIONS = (
    ("Why it matters",),
    ("Example",),
    ("Use instead",),
    ("How to fix", "How to declare"),
    ("References",),
)
DOCS_BASE_URL = "https://github.com/integrity-lint/integrity-lint/blob/main/rules/"

_CODE_RE = re.compile(r"^(PRV|SEC|SAF|INC|SUS|INT)\d{3}$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_CWE_RE = re.compile(r"^CWE-\d+$")
_FENCE_RE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_EXPECT_RE = re.compile(r"#\s*expect:\s*([A-Z]{3}\d{3}(?:\s*,\s*[A-Z]{3}\d{3})*)\s*$")


class CatalogError(Exception):
    """A rule file or data file of the catalog is invalid."""


@dataclass(frozen=True)
class Example:
    """A fenced ``python`` block of a rule file: a test case for its rule."""

    source: str
    expected: dict[int, tuple[str, ...]]
    config: str | None = None
    manifest: str | None = None
    line: int = 0
    manifest_expected: dict[int, tuple[str, ...]] = field(default_factory=dict)
    fixed: str | None = None  # the source after the rule's fixes (a ``python fixed`` block)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    pillar: str
    practice: int
    severity: str
    default: bool
    cwe: tuple[str, ...]
    fix: str
    title: str
    markdown: str = field(repr=False)
    path: str = ""

    @property
    def help_uri(self) -> str:
        return DOCS_BASE_URL + self.path

    @property
    def summary(self) -> str:
        """The first paragraph after the title: what the rule flags."""
        body = self.markdown.split("\n## ", 1)[0]
        paragraphs = [p.strip() for p in body.split("\n\n")[1:] if p.strip()]
        return " ".join(paragraphs[0].split()) if paragraphs else self.title

    def section(self, heading: str) -> str:
        """The text of a ``## heading`` section (matched by prefix), without the heading."""
        for chunk in self.markdown.split("\n## ")[1:]:
            title, _, text = chunk.partition("\n")
            if title.strip().lower().startswith(heading.lower()):
                return text.strip()
        return ""

    def examples(self) -> list[Example]:
        return parse_examples(self.markdown)


@dataclass(frozen=True)
class Pillar:
    id: str
    prefix: str
    title: str
    summary: str
    link: str
    practices: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    rules: tuple[Rule, ...]
    pillars: dict[str, Pillar]
    planned: dict[str, str] = field(default_factory=dict)  # code -> name, not yet implemented

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", _index(self.rules))

    def get(self, key: str) -> Rule | None:
        """A rule by code or name (case-insensitive for codes)."""
        by_key: dict[str, Rule] = self._by_key  # type: ignore[attr-defined]
        return by_key.get(key) or by_key.get(key.upper())

    @property
    def codes(self) -> list[str]:
        return [rule.code for rule in self.rules]


def _index(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    index: dict[str, Rule] = {}
    for rule in rules:
        index[rule.code] = rule
        index[rule.name] = rule
    return index


def split_front_matter(text: str, where: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("+++\n"):
        raise CatalogError(f"{where}: a rule file starts with a '+++' TOML front matter block")
    end = text.find("\n+++\n", 4)
    if end < 0:
        raise CatalogError(f"{where}: the front matter block is not closed with '+++'")
    try:
        meta = tomllib.loads(text[4:end])
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(f"{where}: invalid front matter: {error}") from None
    return meta, text[end + 5 :].lstrip("\n")


def parse_rule(text: str, path: str) -> Rule:
    meta, markdown = split_front_matter(text, path)
    unknown = sorted(set(meta) - set(FRONT_MATTER_KEYS))
    missing = sorted(set(FRONT_MATTER_KEYS) - set(meta))
    if unknown:
        raise CatalogError(f"{path}: unknown front matter key(s): {', '.join(unknown)}")
    if missing:
        raise CatalogError(f"{path}: missing front matter key(s): {', '.join(missing)}")
    for key, kind in FRONT_MATTER_KEYS.items():
        if not isinstance(meta[key], kind) or (kind is int and isinstance(meta[key], bool)):
            raise CatalogError(f"{path}: '{key}' must be a {kind.__name__}")
    code = meta["code"]
    if not _CODE_RE.match(code):
        raise CatalogError(f"{path}: invalid code {code!r}")
    if PREFIXES[code[:3]] != meta["pillar"]:
        raise CatalogError(f"{path}: code {code} belongs to pillar {PREFIXES[code[:3]]!r}")
    if code[:3] != "INT" and int(code[3]) != meta["practice"]:
        raise CatalogError(f"{path}: the first digit of {code} must be its practice number")
    if not _NAME_RE.match(meta["name"]):
        raise CatalogError(f"{path}: name {meta['name']!r} must be a lowercase slug")
    if meta["severity"] not in SEVERITIES:
        raise CatalogError(f"{path}: severity must be one of {', '.join(SEVERITIES)}")
    if meta["fix"] not in FIX_KINDS:
        raise CatalogError(f"{path}: fix must be one of {', '.join(FIX_KINDS)}")
    if not all(isinstance(c, str) and _CWE_RE.match(c) for c in meta["cwe"]):
        raise CatalogError(f"{path}: cwe entries look like 'CWE-295'")
    if Path(path).stem != code:
        raise CatalogError(f"{path}: the file must be named {code}.md")
    title_line = markdown.split("\n", 1)[0]
    if not title_line.startswith("# "):
        raise CatalogError(f"{path}: the text starts with a '# Title' line")
    headings = [line[3:].strip() for line in markdown.splitlines() if line.startswith("## ")]
    for choices in REQUIRED_SECTIONS:
        if not any(h.lower().startswith(c.lower()) for h in headings for c in choices):
            raise CatalogError(f"{path}: missing section '## {choices[0]}'")
    rule = Rule(
        code=code,
        name=meta["name"],
        pillar=meta["pillar"],
        practice=meta["practice"],
        severity=meta["severity"],
        default=meta["default"],
        cwe=tuple(meta["cwe"]),
        fix=meta["fix"],
        title=title_line[2:].strip(),
        markdown=markdown,
        path=path,
    )
    parse_examples(markdown, path)
    return rule


def parse_examples(markdown: str, where: str = "") -> list[Example]:
    """Every fenced ``python`` block, with the ``toml config``/``toml manifest`` before it.

    ``# expect:`` comments in a manifest block mark findings reported in the manifest.
    """
    examples: list[Example] = []
    pending: dict[str, str] = {}
    previous = ""
    for match in _FENCE_RE.finditer(markdown):
        info, body = match.group(1).split(), match.group(2)
        lang = info[0] if info else ""
        line = markdown.count("\n", 0, match.start()) + 1
        if info == ["python", "fixed"]:
            if previous != "python" or examples[-1].fixed is not None:
                raise CatalogError(f"{where}:{line}: a 'python fixed' block follows its example")
            examples[-1] = replace(examples[-1], fixed=body)
        elif lang == "toml" and len(info) > 1 and info[1] in ("config", "manifest"):
            pending[info[1]] = body
        elif lang == "python":
            examples.append(
                Example(
                    source=body,
                    expected=_expectations(body, f"{where}:{line}"),
                    config=pending.get("config"),
                    manifest=pending.get("manifest"),
                    line=line,
                    manifest_expected=_expectations(pending.get("manifest", ""), where),
                )
            )
            pending.clear()
        previous = lang
    return examples


def _expectations(source: str, where: str) -> dict[int, tuple[str, ...]]:
    """Map line numbers to the codes a ``# expect:`` comment says they produce.

    A comment at the end of a code line marks that line; a comment alone on its line marks
    the next line that is neither blank nor a comment.
    """
    expected: dict[int, tuple[str, ...]] = {}
    waiting: tuple[str, ...] = ()
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        match = _EXPECT_RE.search(line)
        if match and stripped.startswith("#"):
            waiting += tuple(c.strip() for c in match.group(1).split(","))
            continue
        if not stripped or stripped.startswith("#"):
            continue
        codes = waiting + (tuple(c.strip() for c in match.group(1).split(",")) if match else ())
        if codes:
            expected[number] = codes
        waiting = ()
    if waiting:
        raise CatalogError(f"{where}: '# expect:' comment with no code line after it")
    return expected


def _load_pillars() -> dict[str, Pillar]:
    data = load_data("pillars.toml")
    pillars: dict[str, Pillar] = {}
    for pillar_id, entry in data.get("pillar", {}).items():
        try:
            pillars[pillar_id] = Pillar(
                id=pillar_id,
                prefix=entry["prefix"],
                title=entry["title"],
                summary=entry["summary"],
                link=entry["link"],
                practices=tuple(entry["practices"]),
            )
        except KeyError as error:
            raise CatalogError(f"pillars.toml: pillar {pillar_id!r} lacks {error}") from None
    return pillars


@cache
def load_catalog() -> Catalog:
    """Load and validate every rule file under ``rules/``."""
    root = rules_dir()
    pillars = _load_pillars()
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for file in sorted(root.glob("*/*.md")):
        relative = file.relative_to(root).as_posix()
        rule = parse_rule(file.read_text(encoding="utf-8"), relative)
        if rule.pillar not in pillars:
            raise CatalogError(f"{relative}: pillar {rule.pillar!r} is not in pillars.toml")
        if file.parent.name != rule.pillar:
            raise CatalogError(f"{relative}: a {rule.pillar} rule lives in rules/{rule.pillar}/")
        if rule.practice and rule.practice > len(pillars[rule.pillar].practices):
            raise CatalogError(f"{relative}: practice {rule.practice} does not exist")
        for key in (rule.code, rule.name):
            if key in seen:
                raise CatalogError(f"{relative}: {key} is already used by {seen[key]}")
            seen[key] = relative
        rules.append(rule)
    rules.sort(key=lambda r: r.code)
    planned = dict(load_data("planned.toml").get("planned", {}))
    for code, name in planned.items():
        if code in seen or name in seen:
            raise CatalogError(f"planned.toml: {code} has a rule file; remove it from the plan")
    return Catalog(rules=tuple(rules), pillars=pillars, planned=planned)
