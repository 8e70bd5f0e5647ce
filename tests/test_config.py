from __future__ import annotations

from pathlib import Path

import pytest

from integrity_lint.config import ConfigError, RunOptions, Settings, load_config

from .conftest import make_settings


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_configuration_is_valid(tmp_path, catalog):
    config = load_config(catalog, cwd=tmp_path)
    assert config.path is None and config.root == tmp_path.resolve()


def test_found_by_walking_up_and_dedicated_file_wins(tmp_path, catalog):
    write(tmp_path / "pyproject.toml", '[tool.integrity-lint]\nselect = ["SEC"]\n')
    write(tmp_path / "integrity-lint.toml", 'select = ["INC"]\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    config = load_config(catalog, cwd=nested)
    assert config.path == (tmp_path / "integrity-lint.toml").resolve()
    assert config.select == ("INC",)


def test_pyproject_without_our_table_is_skipped(tmp_path, catalog):
    write(tmp_path / "pyproject.toml", '[tool.integrity-lint]\nfail-on = "error"\n')
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    config = load_config(catalog, cwd=tmp_path / "sub")
    assert config.fail_on == "error" and config.root == tmp_path.resolve()


def test_every_documented_key_is_accepted(tmp_path, catalog):
    path = write(
        tmp_path / "pyproject.toml",
        """
[tool.integrity-lint]
manifest = ["data-manifest.toml", "metrics.yaml"]
select = ["PRV", "SEC"]
extend-select = ["INC501"]
ignore = ["SUS205"]
exclude = ["migrations/", "vendor/"]
fail-on = "warning"
non-suppressible = ["SEC313"]
require-reason = true
baseline = ".integrity-baseline.json"

[tool.integrity-lint.severity]
PRV301 = "error"

[tool.integrity-lint.per-file-ignores]
"tests/**" = ["SEC313", "PRV301"]

[tool.integrity-lint.telemetry]
consent-guards = ["myapp.privacy.has_consent"]
wrappers = [{ call = "myapp.analytics.emit", event = 0, properties = "props", user = "user_id" }]

[tool.integrity-lint.safety]
moderation = ["myapp.moderation.screen"]
user-content-models = ["chat.models.Message"]

[tool.integrity-lint.network]
allowed-hosts = ["api.example.org"]

[tool.integrity-lint.personal-data]
extra = { "member_no" = "identifier" }
not-personal = ["product_name"]
sanitizers = ["myapp.privacy.redact"]

[[tool.integrity-lint.overrides]]
path = "scripts/**"
ignore = ["PRV301"]
""",
    )
    config = load_config(catalog, explicit=path)
    assert config.wrappers[0].call == "myapp.analytics.emit"
    assert config.wrappers[0].event == 0
    assert config.personal_data_extra == {"member_no": "identifier"}
    assert config.overrides[0].paths == ("scripts/**",)
    assert config.allowed_hosts == ("api.example.org",)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            'selct = ["SEC"]',
            r"pyproject.toml:2: \[tool.integrity-lint\] selct: unknown key "
            r"\(did you mean 'select'\?\)",
        ),
        (
            'select = ["SEC306X"]',
            r"select: unknown rule code or name 'SEC306X' "
            r"\(did you mean 'SEC306'\?\)",
        ),
        ('select = "SEC"', "select: expected a list of strings, got a string 'SEC'"),
        ('fail-on = "fatal"', "fail-on: expected one of info, warning, error, got 'fatal'"),
        ("require-reason = 1", "require-reason: expected true or false, got a number 1"),
        ('[tool.integrity-lint.severity]\nSEC306 = "loud"', "severity.SEC306: expected one of"),
        ("[tool.integrity-lint.telemetry]\nwrappers = [{ event = 0 }]", "needs 'call'"),
        ("[tool.integrity-lint.network]\nallowed = []", "network.allowed: unknown key"),
        ("[[tool.integrity-lint.overrides]]\nignore = ['SEC306']", "an override needs 'path'"),
        ('select = ["unsafe-deserialisation"]', "did you mean 'unsafe-deserialization'"),
    ],
)
def test_bad_configuration_names_file_key_and_value(tmp_path, catalog, body, expected):
    path = write(tmp_path / "pyproject.toml", f"[tool.integrity-lint]\n{body}\n")
    with pytest.raises(ConfigError, match=expected):
        load_config(catalog, explicit=path)


def test_invalid_toml_is_a_config_error(tmp_path, catalog):
    path = write(tmp_path / "integrity-lint.toml", "select = [\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(catalog, explicit=path)


def test_selection_by_prefix_name_and_ignore(catalog):
    settings = make_settings(catalog, 'select = ["SEC"]\nignore = ["unsafe-deserialization"]')
    assert "SEC306" not in settings.enabled
    assert all(c.startswith(("SEC", "INT001", "INT006")) for c in settings.enabled)


def test_syntax_and_check_failures_cannot_be_deselected(catalog):
    settings = make_settings(catalog, 'select = ["SEC306"]\nignore = ["INT"]')
    assert {"INT001", "INT006", "SEC306"} == set(settings.enabled)


def test_command_line_select_replaces_config_select(catalog):
    base = make_settings(catalog, 'select = ["INT"]\nextend-select = ["SEC306"]')
    settings = Settings(base.config, catalog, RunOptions(select=("INC",)))
    assert "SEC306" in settings.enabled and "INT002" not in settings.enabled


def test_per_file_ignores_overrides_and_severity(catalog):
    settings = make_settings(
        catalog,
        """
select = ["SEC306", "INT"]
[severity]
SEC306 = "warning"
[per-file-ignores]
"tests/**" = ["SEC306"]
[[overrides]]
path = "scripts/**"
ignore = ["INT002"]
severity = { SEC306 = "info" }
""",
    )
    assert "SEC306" not in settings.codes_for("tests/test_x.py")
    assert "SEC306" in settings.codes_for("app/x.py")
    assert "INT002" not in settings.codes_for("scripts/run.py")
    assert settings.severity_for("SEC306", "app/x.py") == "warning"
    assert settings.severity_for("SEC306", "scripts/run.py") == "info"
