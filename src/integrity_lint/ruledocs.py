"""Rule documentation for people: ``explain`` for a terminal and the ``rules`` listings."""

from __future__ import annotations

import json
import re

import click

from integrity_lint.catalog import Catalog, Rule

_LINK_RE = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")
_FIX_KINDS = {
    "none": "none",
    "safe": "safe (applied by check --fix)",
    "unsafe": "unsafe (applied by check --fix --unsafe-fixes; review the change)",
}


def _practice(rule: Rule, catalog: Catalog) -> str:
    pillar = catalog.pillars[rule.pillar]
    if not rule.practice:
        return pillar.title
    title = pillar.practices[rule.practice - 1]
    return f"{pillar.title}, best practice {rule.practice}: {title}"


def render_explanation(rule: Rule, catalog: Catalog) -> str:
    """The rule file rendered for a terminal: metadata first, then the text."""
    header = click.style(f"{rule.code} {rule.name}", bold=True) + f": {rule.title}"
    facts = [
        f"Pillar:    {_practice(rule, catalog)}",
        f"Severity:  {rule.severity}" + ("" if rule.default else " (not enabled by default)"),
        f"Fix:       {_FIX_KINDS[rule.fix]}",
    ]
    if rule.cwe:
        facts.append(f"CWE:       {', '.join(rule.cwe)}")
    facts.append(f"Docs:      {rule.help_uri}")
    body: list[str] = []
    in_code = False
    for line in rule.markdown.split("\n", 1)[1].strip("\n").splitlines():
        if line.startswith("```"):
            in_code = not in_code
            if line.split()[1:] == ["fixed"]:
                body.append(click.style("  after the fix:", italic=True))
            continue
        if in_code:
            body.append("    " + line)
        elif line.startswith("## "):
            body.append(click.style(line[3:], bold=True, underline=True))
        else:
            body.append(_LINK_RE.sub(r"\1 <\2>", line))
    return "\n".join([header, "", *facts, "", *body]).rstrip() + "\n"


def rule_summary(rule: Rule) -> dict[str, object]:
    return {
        "code": rule.code,
        "name": rule.name,
        "pillar": rule.pillar,
        "practice": rule.practice,
        "severity": rule.severity,
        "default": rule.default,
        "cwe": list(rule.cwe),
        "fix": rule.fix,
        "title": rule.title,
        "summary": rule.summary,
        "help_uri": rule.help_uri,
    }


def render_rules(rules: list[Rule], catalog: Catalog, fmt: str) -> str:
    if fmt == "json":
        return json.dumps([rule_summary(r) for r in rules], indent=2) + "\n"
    if fmt == "markdown":
        lines: list[str] = []
        for pillar_id, pillar in catalog.pillars.items():
            group = [r for r in rules if r.pillar == pillar_id]
            if not group:
                continue
            lines += [f"### {pillar.title}", "", "| code | name | severity | fix | what it flags |"]
            lines.append("|---|---|---|---|---|")
            for r in group:
                fix = "" if r.fix == "none" else r.fix
                lines.append(
                    f"| [{r.code}]({r.help_uri}) | {r.name} | {r.severity} | {fix} | {r.title} |"
                )
            lines.append("")
        return "\n".join(lines)
    width = max((len(r.name) for r in rules), default=4)
    lines = [f"{'CODE':7} {'NAME':{width}} {'PILLAR':14} {'SEVERITY':8} {'DEFAULT':7} TITLE"]
    for r in rules:
        default = "yes" if r.default else "no"
        lines.append(
            f"{r.code:7} {r.name:{width}} {r.pillar:14} {r.severity:8} {default:7} {r.title}"
        )
    return "\n".join(lines) + "\n"
