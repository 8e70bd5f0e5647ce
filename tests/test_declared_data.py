"""Declared data end to end: a project with clients, constants, enums and wrappers across
modules, a manifest, and the check, inventory and init commands as users run them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .conftest import run_cli as run

MANIFEST = """\
[telemetry]
sdks = ["segment"]

[[event]]
name = "Signup Completed"
sdk = "segment"
properties = ["plan"]
purpose = "Measure the signup funnel"
owner = ["growth@example.org"]
review = ["https://example.org/review/1"]
sensitivity = "interaction"
expires = "2027-06-30"

[[event]]
name = "Unused Event"
sdk = "segment"
purpose = "TODO"
owner = ["growth@example.org"]
review = ["https://example.org/review/2"]
sensitivity = "interaction"
expires = "never"
"""

FILES = {
    "app/__init__.py": "",
    "app/events.py": (
        "import enum\n\n\nclass Events(str, enum.Enum):\n"
        '    SIGNUP = "Signup Completed"\n    LOGIN = "Login"\n'
    ),
    "app/telemetry.py": (
        "from segment.analytics import Client\n\n"
        'client = Client("write-key")\n\n\n'
        "def emit(user_id, event, properties):\n"
        "    client.track(user_id, event, properties)\n"
    ),
    "app/views.py": (
        "from app.events import Events\n"
        "from app.telemetry import client, emit\n\n\n"
        "def signup(user, plan):\n"
        '    client.track(user.id, Events.SIGNUP, {"plan": plan})\n'
        '    emit(user.id, Events.SIGNUP.value, {"plan": plan, "email": user.email})\n'
        "    emit(user.id, Events.LOGIN, {})\n"
        '    emit(user.id, f"Clicked {plan}", {})\n'
    ),
    "app/analytics.py": "def track(*args):\n    return args\n",
    "app/vision.py": (
        "from app import analytics\n\n\n"
        "def follow(model, frame):\n"
        "    model.track(frame)\n"
        '    analytics.track("not", "telemetry")\n'
    ),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.integrity-lint]\nmanifest = ["data-manifest.toml"]\n'
    )
    (tmp_path / "data-manifest.toml").write_text(MANIFEST)
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def findings(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int, str]]:
    data = json.loads(result.stdout)
    return [(f["path"], f["line"], f["code"]) for f in data["findings"]]


def test_sites_across_modules_are_checked_against_the_manifest(project):
    result = run("check", "--format", "json", cwd=project)
    assert result.returncode == 1, result.stderr
    assert findings(result) == [
        ("app/views.py", 7, "PRV303"),  # email is personal data, not declared as a field
        ("app/views.py", 7, "PRV605"),  # email through the wrapper
        ("app/views.py", 8, "PRV102"),  # Events.LOGIN, resolved across modules
        ("app/views.py", 9, "PRV103"),  # f-string event through the wrapper
        ("data-manifest.toml", 14, "PRV602"),  # purpose = "TODO"
        ("data-manifest.toml", 14, "PRV604"),  # declared, never sent
    ]


def test_checking_some_files_does_not_report_unused_declarations(project):
    result = run("check", "--format", "json", "app/views.py", "app/telemetry.py", cwd=project)
    codes = [code for _, _, code in findings(result)]
    assert "PRV604" not in codes and "PRV605" in codes


def test_messages_point_reviewers_at_the_declaration_to_add(project):
    result = run("check", cwd=project)
    assert 'add an [[event]] with name = "Login" and sdk = "segment"' in result.stdout
    assert "(through `app.telemetry.emit`)" in result.stdout


def test_manifest_errors_are_exit_2_naming_file_line_and_key(project):
    (project / "data-manifest.toml").write_text(MANIFEST + '\n[[event]]\nnmae = "x"\n')
    result = run("check", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "integrity-lint: error: data-manifest.toml:24: event[2].nmae: unknown key "
        "(did you mean 'name'?)"
    )
    (project / "pyproject.toml").write_text('[tool.integrity-lint]\nmanifest = ["gone.toml"]\n')
    missing = run("check", cwd=project)
    assert missing.returncode == 2 and "gone.toml: manifest file not found" in missing.stderr


def test_no_manifest_says_how_to_start_one(project):
    (project / "pyproject.toml").write_text("[tool.integrity-lint]\n")
    result = run("check", "--select", "PRV101,PRV102", cwd=project)
    assert "there is no data manifest: `integrity-lint init` starts one" in result.stdout
    assert "app/telemetry.py:1:1: PRV101" in result.stdout


def test_inventory_formats(project):
    data = json.loads(run("inventory", "--format", "json", cwd=project).stdout)
    rows = {(e["event"], e["status"]) for e in data["events"]}
    assert rows == {
        ("Signup Completed", "declared"),
        ("Login", "undeclared"),
        ("(dynamic)", "unverifiable"),
    }
    signup = next(e for e in data["events"] if e["event"] == "Signup Completed")
    assert signup["properties"] == ["email", "plan"] and signup["sensitivity"] == ["interaction"]
    assert signup["wrappers"] == ["app.telemetry.emit"]
    markdown = run("inventory", cwd=project).stdout
    assert "| `Login` | track | undeclared |" in markdown


def test_inventory_toml_drafts_entries_that_prv602_flags_until_filled(project):
    draft = run("inventory", "--format", "toml", cwd=project).stdout
    assert 'name = "Login"' in draft and 'name = "Signup Completed"' not in draft
    with (project / "data-manifest.toml").open("a") as manifest:
        manifest.write("\n" + draft)
    result = run("check", "--format", "json", cwd=project)
    assert ("app/views.py", 8, "PRV102") not in findings(result)
    assert sum(1 for _, _, code in findings(result) if code == "PRV602") == 2


def test_init_writes_a_config_and_manifest_that_check_accepts(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    first = run("init", cwd=tmp_path)
    assert first.returncode == 0
    assert "added [tool.integrity-lint] to pyproject.toml" in first.stdout
    assert "wrote data-manifest.toml" in first.stdout
    again = run("init", cwd=tmp_path)
    assert "left as it is" in again.stdout
    assert (tmp_path / "pyproject.toml").read_text().count("[tool.integrity-lint]") == 1
    (tmp_path / "app.py").write_text("import posthog\n\nposthog.capture('Signed Up')\n")
    result = run("check", "--format", "json", cwd=tmp_path)
    assert findings(result) == [("app.py", 1, "PRV101"), ("app.py", 3, "PRV102")]


def test_init_without_pyproject_writes_integrity_lint_toml(tmp_path):
    run("init", cwd=tmp_path)
    assert (tmp_path / "integrity-lint.toml").read_text().startswith("manifest = ")


def test_personal_data_fields_in_check_inventory_and_draft(project):
    (project / "app" / "models.py").write_text(
        "from django.db import models\n\n\n"
        "class Customer(models.Model):\n"
        "    email = models.EmailField()\n"
        "    phone = models.CharField(max_length=30, blank=True)\n"
        "    plan = models.CharField(max_length=10)\n\n\n"
        "class Product(models.Model):\n"
        "    name = models.CharField(max_length=100)\n"
    )
    with (project / "data-manifest.toml").open("a") as manifest:
        manifest.write(
            '\n[[field]]\nname = "email"\nmodel = "app.models.Customer"\n'
            'category = "contact.email"\nsensitivity = "highly_sensitive"\n'
            'purpose = "Sign-in"\nowner = ["a@example.org"]\nreview = ["https://e.org/r/3"]\n'
            'retention = "account lifetime"\n'
        )
    assert [
        f for f in findings(run("check", "--format", "json", cwd=project)) if f[2] == "PRV601"
    ] == [("app/models.py", 6, "PRV601")]
    data = json.loads(run("inventory", "--format", "json", cwd=project).stdout)
    assert {(f["model"], f["name"], f["status"]) for f in data["fields"]} == {
        ("app.models.Customer", "email", "declared"),
        ("app.models.Customer", "phone", "undeclared"),
    }
    draft = run("inventory", "--format", "toml", cwd=project).stdout
    assert '[[field]]\nname = "phone"\nmodel = "app.models.Customer"' in draft
    with (project / "data-manifest.toml").open("a") as manifest:
        manifest.write("\n" + draft)
    result = findings(run("check", "--format", "json", cwd=project))
    assert not [f for f in result if f[2] == "PRV601"]
    assert ("data-manifest.toml", 1, "PRV602") not in result
    assert sum(1 for _, _, code in result if code == "PRV602") >= 2  # the drafts' TODOs
