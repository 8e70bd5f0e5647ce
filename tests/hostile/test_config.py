"""Bad configuration (SPEC §6, §8): every key of ``[tool.integrity-lint]`` with a wrong type, an
unknown key or rule code, invalid TOML and bytes that are not text. Each stops the run with
exit 2 and exactly one line on stderr naming the file, the line and the key, both in
``integrity-lint.toml`` (top-level keys) and in ``pyproject.toml`` (under our table)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from integrity_lint.cli import main
from integrity_lint.config import CONFIG_FILES

from .support import check, project_with

# (the configuration, as keys at the top level; the line of the problem; what the line says)
BAD = {
    "manifest-number": ("manifest = 3", 1, "manifest: expected a string or a list of strings"),
    "manifest-items": ("manifest = [1]", 1, "manifest: expected a string or a list of strings"),
    "select-string": ('select = "SEC"', 1, "select: expected a list of strings, got a string"),
    "select-unknown": ('select = ["SECX"]', 1, "select: unknown rule code or name 'SECX'"),
    "select-did-you-mean": (
        'select = ["tls-verification-disable"]',
        1,
        "(did you mean 'tls-verification-disabled'?)",
    ),
    "extend-select-items": ("extend-select = [1]", 1, "extend-select: expected a list"),
    "ignore-unknown": ('ignore = ["PRV999"]', 1, "ignore: unknown rule code or name 'PRV999'"),
    "exclude-string": ("exclude = 'vendor/'", 1, "exclude: expected a list of strings"),
    "exclude-invalid-glob": ('exclude = ["[z-a]"]', 1, "exclude: invalid pattern '[z-a]'"),
    "fail-on-unknown": ('fail-on = "fatal"', 1, "fail-on: expected one of info, warning, error"),
    "fail-on-number": ("fail-on = 1", 1, "fail-on: expected one of info, warning, error, got 1"),
    "non-suppressible-string": ('non-suppressible = "SEC313"', 1, "non-suppressible: expected"),
    "non-suppressible-unknown": ('non-suppressible = ["X"]', 1, "unknown rule code or name 'X'"),
    "require-reason-string": ('require-reason = "yes"', 1, "require-reason: expected true or"),
    "baseline-number": ("baseline = 1", 1, "baseline: expected a string, got a number 1"),
    "severity-number": ("severity = 1", 1, "severity: expected a table, got a number 1"),
    "severity-value": ('[severity]\nSEC301 = "fatal"', 2, "severity.SEC301: expected one of"),
    "severity-code": ('[severity]\nSEC999 = "error"', 2, "severity.SEC999: unknown rule code"),
    "per-file-ignores-list": ('per-file-ignores = ["x"]', 1, "per-file-ignores: expected a table"),
    "per-file-ignores-codes": (
        '[per-file-ignores]\n"t/**" = "SEC301"',
        2,
        'per-file-ignores."t/**": expected a list of strings',
    ),
    "per-file-ignores-unknown": (
        '[per-file-ignores]\n"t/**" = ["NOPE"]',
        2,
        "unknown rule code or name 'NOPE'",
    ),
    "per-file-ignores-glob": (
        '[per-file-ignores]\n"[z-a]" = ["SEC301"]',
        2,
        "invalid pattern '[z-a]': bad character range z-a",
    ),
    "overrides-number": ("overrides = 1", 1, "overrides: expected an array of tables"),
    "overrides-item": ("overrides = [1]", 1, "overrides[0]: expected a table, got a number 1"),
    "overrides-without-path": (
        'select = []\n\n[[overrides]]\nignore = ["SEC301"]',
        3,
        "overrides[0]: an override needs 'path'",
    ),
    "second-override-without-path": (
        '[[overrides]]\npath = "a"\n\n[[overrides]]\nignore = ["SEC301"]',
        4,
        "overrides[1]: an override needs 'path'",
    ),
    "overrides-unknown-key": ('[[overrides]]\npath = "x"\nbogus = 1', 3, "overrides[0].bogus"),
    "overrides-path-number": (
        "[[overrides]]\npath = 3",
        2,
        "overrides[0].path: expected a string or a list of strings, got a number 3",
    ),
    "overrides-path-glob": ('[[overrides]]\npath = ["ok/", "[z-a]"]', 2, "invalid pattern"),
    "overrides-select": ('[[overrides]]\npath = "x"\nselect = ["NOPE"]', 3, "'NOPE'"),
    "overrides-inline-severity": (
        '[[overrides]]\npath = "x"\n\nseverity = { SEC301 = "loud" }',
        4,
        "overrides[0].severity.SEC301: expected one of info, warning, error, got 'loud'",
    ),
    "telemetry-number": ("telemetry = 1", 1, "telemetry: expected a table, got a number 1"),
    "telemetry-unknown-key": ("[telemetry]\nbogus = 1", 2, "telemetry.bogus: unknown key"),
    "consent-guards-string": ("[telemetry]\nconsent-guards = 'x'", 2, "telemetry.consent-guards"),
    "wrappers-table": ("[telemetry]\nwrappers = {call='x'}", 2, "telemetry.wrappers: expected"),
    "wrappers-item": ("[telemetry]\nwrappers = [1]", 2, "telemetry.wrappers[0]: expected a table"),
    "wrappers-without-call": (
        "[telemetry]\n\nwrappers = [{event=0}]",
        3,
        "telemetry.wrappers[0]: a wrapper needs 'call'",
    ),
    "wrappers-slot-boolean": (
        "[telemetry]\nwrappers = [\n  { call = 'a' },\n  { call = 'x', event = true },\n]",
        4,
        "telemetry.wrappers[1].event: expected an argument position or keyword, got True",
    ),
    "wrappers-unknown-key": (
        "[telemetry]\nwrappers = [{call='x', evnt=0}]",
        2,
        "telemetry.wrappers[0].evnt: unknown key (did you mean 'event'?)",
    ),
    "safety-moderation": ("[safety]\nmoderation = 1", 2, "safety.moderation: expected a list"),
    "safety-models": ("[safety]\nuser-content-models = [1]", 2, "safety.user-content-models"),
    "safety-unknown": ("[safety]\nmoderate = []", 2, "safety.moderate: unknown key"),
    "network-list": ("network = []", 1, "network: expected a table, got a list"),
    "allowed-hosts-string": ("[network]\nallowed-hosts = 'x'", 2, "network.allowed-hosts"),
    "personal-data-extra-list": ("[personal-data]\nextra = ['x']", 2, "personal-data.extra"),
    "personal-data-extra-values": ("[personal-data]\nextra = {a = 1}", 2, "a table of strings"),
    "not-personal-number": ("[personal-data]\nnot-personal = 1", 2, "personal-data.not-personal"),
    "sanitizers-items": ("[personal-data]\nsanitizers = [1]", 2, "personal-data.sanitizers"),
    "unknown-key": ("selct = []", 1, "selct: unknown key (did you mean 'select'?)"),
    "unknown-table": ("[foo]\na = 1", 1, "foo: unknown key"),
    "toml-unclosed-list": ("select = [", 2, "invalid TOML: Invalid value"),
    "toml-duplicate-key": ("fail-on = 'error'\nfail-on = 'info'", 2, "TOML: Cannot overwrite"),
    "toml-bare-word": ("select = SEC", 1, "invalid TOML: Invalid value"),
}


def _pyproject(body: str) -> str:
    """The same keys under ``[tool.integrity-lint]``, after another tool's table that uses
    some of the same key names (their lines must not be taken for ours)."""
    tables = re.sub(r"^\[(\[?)", r"[\1tool.integrity-lint.", body, flags=re.MULTILINE)
    return (
        '[tool.ruff]\nexclude = ["build"]\nselect = ["E"]\n\n[tool.integrity-lint]\n'
        + tables
        + "\n"
    )


@pytest.mark.parametrize(("body", "line", "problem"), list(BAD.values()), ids=list(BAD))
@pytest.mark.parametrize("file", ["integrity-lint.toml", "pyproject.toml"])
def test_bad_configuration_is_one_line_naming_file_line_and_key(
    tmp_path: Path, file: str, body: str, line: int, problem: str
) -> None:
    text = body + "\n" if file != "pyproject.toml" else _pyproject(body)
    root = project_with(tmp_path, {file: text})
    offset = 5 if file == "pyproject.toml" else 0
    message = check(root).error_line()
    prefix = f"{root / file}:{line + offset}"
    assert message.startswith((f"{prefix}: ", f"{prefix}:")), message
    if file == "pyproject.toml" and "TOML" not in problem:
        assert "[tool.integrity-lint] " in message
    assert problem in message


@pytest.mark.parametrize("file", CONFIG_FILES)
def test_a_configuration_that_is_not_utf8_is_an_error_not_a_traceback(
    tmp_path: Path, file: str
) -> None:
    """It raised UnicodeDecodeError (a traceback and exit 1) before."""
    header = b"[tool.integrity-lint]\n" if file == "pyproject.toml" else b""
    root = project_with(tmp_path, {file: header + b'select = ["SEC"]\n\xff = 1\n'})
    line = 3 if header else 2
    assert check(root).error_line() == (
        f"{root / file}:{line}:1: not UTF-8 text: byte 0xff cannot be decoded"
    )


def test_an_explicit_configuration_that_is_missing_or_a_folder_is_an_error(
    tmp_path: Path,
) -> None:
    root = project_with(tmp_path, {"conf/x": ""})
    assert check(root, "--config", "nowhere.toml").error_line() == (
        "nowhere.toml: configuration file not found"
    )
    assert check(root, "--config", "conf").error_line() == "conf: configuration file not found"


def test_a_configuration_that_is_binary_garbage_is_an_error(tmp_path: Path) -> None:
    root = project_with(tmp_path, {"integrity-lint.toml": b"\x89PNG\r\n\x1a\n\x00\x00"})
    message = check(root).error_line()
    assert message.startswith(f"{root / 'integrity-lint.toml'}:1:")


def test_the_command_line_selectors_are_checked_like_the_configurations(tmp_path: Path) -> None:
    root = project_with(tmp_path, {})
    for option in ("--select", "--extend-select", "--ignore"):
        message = check(root, option, "SEC301,BOGUS").error_line()
        assert message.startswith(f"{option}: unknown rule code or name 'BOGUS'")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe[tool.x]\n", "pyproject.toml:1:1: not UTF-8 text: byte 0xff cannot be decoded"),
        (b"[tool.x\n", "pyproject.toml:1:8: invalid TOML: Expected ']' at the end of a table"),
    ],
    ids=["not-utf-8", "invalid-toml"],
)
def test_init_beside_a_broken_pyproject_is_an_error_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, message: str
) -> None:
    """It raised UnicodeDecodeError or TOMLDecodeError (a traceback, exit 1) before."""
    (tmp_path / "pyproject.toml").write_bytes(content)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"integrity-lint: error: {message}")
    assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml"]
    assert (tmp_path / "pyproject.toml").read_bytes() == content


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 100_000, "base.json: not an integrity-lint baseline (nested too deeply)"),
        (b"\xff", "base.json: invalid baseline JSON: 'utf-8' codec can't decode byte 0xff"),
        (b"[1, 2]", "base.json: not an integrity-lint baseline (no 'findings' list)"),
        (b'{"findings": [1]}', "base.json: findings[0] is not a valid entry"),
    ],
    ids=["nested-100000-deep", "not-utf-8", "a-list", "bad-entry"],
)
def test_a_bad_baseline_is_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    """A baseline nested 100,000 deep raised RecursionError: a traceback, exit 1."""
    root = project_with(tmp_path, {"base.json": content})
    assert check(root, "--baseline", "base.json").error_line().startswith(message)
