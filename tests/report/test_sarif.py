"""``--format sarif``: valid SARIF 2.1.0 that carries what GitHub code scanning reads."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

from integrity_lint import __version__
from integrity_lint.catalog import Catalog
from integrity_lint.report.sarif import artifact_uri, render_sarif

from .factories import finding, report

SCHEMA = Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json"
# An RFC 3986 path: unreserved, percent-encoded, sub-delims, ":", "@" and "/" (no "?", "#").
_URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*$")


@cache
def _validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def validate(document: dict[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def sarif(catalog: Catalog, *args: Any, **kwargs: Any) -> dict[str, Any]:
    document = json.loads(render_sarif(report(*args), catalog, **kwargs))
    validate(document)
    return document


def test_schema_fixture_is_the_oasis_2_1_0_schema():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_schema_rejects_what_it_should():
    """The validator is live: a result without a message is not SARIF."""
    document = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{}]}]}
    assert list(_validator().iter_errors(document))


def test_a_rich_report_validates_and_has_the_log_header(catalog):
    findings = [
        finding(catalog, "SEC306"),
        finding(catalog, "SEC307", path="tools/run it.py", line=2, end_line=5, end_column=2),
        finding(catalog, "INC501", severity="info", line=9, column=1, end_column=6),
        finding(catalog, "INT001", line=1, column=1, end_line=1, end_column=1),
    ]
    suppressed = [
        finding(catalog, "SEC301", suppression="pinned internal CA"),
        finding(catalog, "SEC313", suppression=""),
    ]
    document = sarif(catalog, findings, suppressed, include_suppressed=True)
    assert document["$schema"].endswith("sarif-schema-2.1.0.json")
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "integrity-lint"
    assert driver["version"] == driver["semanticVersion"] == __version__
    assert driver["informationUri"].startswith("https://")
    assert len(run["results"]) == 6


def test_rules_are_those_with_results_sorted_and_rule_index_points_at_them(catalog):
    findings = [
        finding(catalog, "SEC307", line=1),
        finding(catalog, "INC501", line=2),
        finding(catalog, "SEC307", line=3),
    ]
    run = sarif(catalog, findings)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["INC501", "SEC307"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert [r["ruleId"] for r in run["results"]] == ["SEC307", "INC501", "SEC307"]


def test_rule_descriptor_carries_catalog_text_links_tags_and_security_severity(catalog):
    rule = catalog.get("SEC306")
    (descriptor,) = sarif(catalog, [finding(catalog, "SEC306")])["runs"][0]["tool"]["driver"][
        "rules"
    ]
    assert descriptor["id"] == "SEC306"
    assert descriptor["name"] == "unsafe-deserialization"
    assert descriptor["shortDescription"] == {"text": rule.title}
    assert descriptor["fullDescription"] == {"text": rule.summary}
    assert descriptor["help"] == {"text": rule.markdown, "markdown": rule.markdown}
    assert descriptor["helpUri"] == rule.help_uri
    assert descriptor["defaultConfiguration"] == {"level": "error"}
    properties = descriptor["properties"]
    assert properties["tags"] == ["security", "external/cwe/cwe-502"]
    assert properties["precision"] == "high"
    assert properties["security-severity"] == "8.0"


def test_non_security_rule_has_pillar_tag_and_no_security_severity(catalog):
    document = sarif(catalog, [finding(catalog, "INC501")])
    (descriptor,) = document["runs"][0]["tool"]["driver"]["rules"]
    assert descriptor["properties"]["tags"] == ["inclusion"]
    assert "security-severity" not in descriptor["properties"]
    assert descriptor["defaultConfiguration"] == {"level": "note"}


@pytest.mark.parametrize(
    ("severity", "score"), [("error", "8.0"), ("warning", "5.0"), ("info", "3.0")]
)
def test_security_severity_follows_the_rules_catalog_severity(catalog, severity, score):
    rules = tuple(replace(r, severity=severity) if r.code == "SEC306" else r for r in catalog.rules)
    lowered = Catalog(rules=rules, pillars=catalog.pillars)
    document = sarif(lowered, [finding(catalog, "SEC306")])
    (descriptor,) = document["runs"][0]["tool"]["driver"]["rules"]
    assert descriptor["properties"]["security-severity"] == score


def test_long_descriptions_are_cut_to_githubs_limit(catalog):
    assert len(catalog.get("SEC301").summary) > 1024
    document = sarif(catalog, [finding(catalog, "SEC301")])
    (descriptor,) = document["runs"][0]["tool"]["driver"]["rules"]
    text = descriptor["fullDescription"]["text"]
    assert len(text) <= 1024
    assert text.endswith("…")


@pytest.mark.parametrize(
    ("severity", "level"), [("error", "error"), ("warning", "warning"), ("info", "note")]
)
def test_result_level_is_the_findings_severity_not_the_rules_default(catalog, severity, level):
    (result,) = sarif(catalog, [finding(catalog, "SEC306", severity=severity)])["runs"][0][
        "results"
    ]
    assert result["level"] == level


def test_result_location_fingerprint_and_message(catalog):
    item = finding(catalog, "SEC307", line=2, column=5, end_line=6, end_column=3)
    (result,) = sarif(catalog, [item])["runs"][0]["results"]
    assert result["message"] == {"text": item.message}
    (location,) = result["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "app/store.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 2, "startColumn": 5, "endLine": 6, "endColumn": 3},
    }
    assert result["partialFingerprints"] == {"integrityLint/v1": item.fingerprint}
    assert "suppressions" not in result


def test_srcroot_is_declared_without_an_absolute_path(catalog):
    run = sarif(catalog, [finding(catalog)])["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]
    assert "uri" not in base
    assert base["description"]["text"]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("app/store.py", "app/store.py"),
        ("my app/a#b?c%d.py", "my%20app/a%23b%3Fc%25d.py"),
        ("c:/x.py", "c%3A/x.py"),
        ("ünï/ñ.py", "%C3%BCn%C3%AF/%C3%B1.py"),
        ("evil\n::x.py", "evil%0A%3A%3Ax.py"),
        ("../outside.py", "../outside.py"),
        ("bad\udcff.py", "bad%FF.py"),
    ],
)
def test_artifact_uris_are_percent_encoded_relative_references(path, uri):
    assert artifact_uri(path) == uri
    assert _URI_REFERENCE.match(uri)
    assert unquote(uri, errors="surrogateescape") == path


def test_suppressed_findings_are_left_out_by_default(catalog):
    run = sarif(
        catalog, [finding(catalog, "SEC306")], [finding(catalog, "SEC301", suppression="x")]
    )
    results = run["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["SEC306"]
    assert [r["id"] for r in run["runs"][0]["tool"]["driver"]["rules"]] == ["SEC306"]


def test_suppressed_findings_carry_an_in_source_suppression_with_their_reason(catalog):
    suppressed = [
        finding(catalog, "SEC301", line=7, suppression="pinned internal CA"),
        finding(catalog, "SEC306", line=9, suppression=""),
    ]
    run = sarif(catalog, [], suppressed, include_suppressed=True)["runs"][0]
    first, second = run["results"]
    assert first["ruleId"] == "SEC301"
    assert first["suppressions"] == [{"kind": "inSource", "justification": "pinned internal CA"}]
    assert second["suppressions"] == [{"kind": "inSource"}]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["SEC301", "SEC306"]


def test_a_code_the_catalog_does_not_know_still_gives_a_complete_descriptor(catalog):
    unknown = replace(finding(catalog, "SEC306"), code="SEC399", name="future-rule")
    (descriptor,) = sarif(catalog, [unknown])["runs"][0]["tool"]["driver"]["rules"]
    assert descriptor["id"] == "SEC399"
    assert descriptor["shortDescription"]["text"] == "future-rule"
    assert descriptor["fullDescription"]["text"]
    assert unknown.help_uri in descriptor["help"]["text"]


def test_empty_report_is_valid_with_no_rules_and_no_results(catalog):
    run = sarif(catalog, [])["runs"][0]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []


def test_end_to_end_check_format_sarif_validates(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "store.py").write_text(
        "import pickle\n\ndef load(blob):\n    return pickle.loads(blob)\n"
    )
    (tmp_path / "pyproject.toml").write_text('[tool.integrity-lint]\nselect = ["SEC"]\n')
    result = subprocess.run(
        [sys.executable, "-m", "integrity_lint", "check", "--format", "sarif"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    validate(document)
    (sarif_result,) = document["runs"][0]["results"]
    assert sarif_result["ruleId"] == "SEC306"
    location = sarif_result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "app/store.py"
    assert location["region"]["startLine"] == 4
    assert location["region"]["startColumn"] == 12
    assert str(tmp_path) not in result.stdout
