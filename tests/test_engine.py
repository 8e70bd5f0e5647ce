from __future__ import annotations

import libcst as cst

from integrity_lint import filepass
from integrity_lint.checks import all_checks
from integrity_lint.checks.base import Check
from integrity_lint.engine import check_sources, lint_paths, lint_source
from integrity_lint.results import fingerprint

from .conftest import make_settings


def test_positions_are_one_based_and_end_exclusive(catalog):
    source = "import pickle\n\ndef f(blob):\n    return pickle.loads(blob)\n"
    [finding] = lint_source(source, "a.py", make_settings(catalog)).findings
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (4, 12, 4, 30)


def test_fingerprint_ignores_line_numbers_and_whitespace(catalog):
    source = "import pickle\n\ndef f(blob):\n    return pickle.loads(blob)\n"
    moved = "import pickle\n\n\n# a new comment\n\ndef f(blob):\n    return pickle.loads( blob )\n"
    settings = make_settings(catalog)
    first = lint_source(source, "a.py", settings).findings[0].fingerprint
    second = lint_source(moved, "a.py", settings).findings[0].fingerprint
    assert first == second
    assert first != fingerprint("SEC306", "b.py", "f", "pickle.loads(blob)")


def test_syntax_error_is_int001_with_python_position(catalog):
    [finding] = lint_source("x = (1,\n", "a.py", make_settings(catalog)).findings
    assert finding.code == "INT001" and finding.line == 1


def test_undecodable_and_nul_bytes_are_int001(catalog):
    settings = make_settings(catalog)
    bad = lint_source(b"# coding: latin-9x\nx = 1\n", "a.py", settings).findings
    assert [f.code for f in bad] == ["INT001"]
    nul = lint_source(b"import pickle\nx = 1\x00\n", "b.py", settings).findings
    assert [f.code for f in nul] == ["INT001"]


def test_files_no_check_needs_are_not_parsed_but_still_syntax_checked(catalog, monkeypatch):
    calls = []
    original = cst.parse_module
    monkeypatch.setattr(cst, "parse_module", lambda *a: calls.append(a) or original(*a))
    settings = make_settings(catalog, 'select = ["SEC306"]')
    assert lint_source("x = 1\n", "a.py", settings).findings == []
    assert calls == []
    assert [f.code for f in lint_source("x = (\n", "b.py", settings).findings] == ["INT001"]


def test_check_that_raises_is_int006_and_others_still_run(catalog, monkeypatch):
    class Exploding(Check):
        codes = ("SEC306",)

        def visit_Name(self, node: cst.Name) -> None:
            raise ValueError("boom")

    checks = all_checks()
    monkeypatch.setattr("integrity_lint.filepass.all_checks", lambda: (Exploding, *checks))
    source = "import pickle\nx = pickle.loads(b'')\n"
    findings = lint_source(source, "a.py", make_settings(catalog)).findings
    assert [f.code for f in findings] == ["INT006", "SEC306"]
    assert "Exploding" in findings[0].message and "boom" in findings[0].message


def test_lint_paths_reports_unreadable_files_and_sorts(tmp_path, catalog):
    good = tmp_path / "b.py"
    good.write_text("import pickle\npickle.loads(b'')\n")
    gone = tmp_path / "a.py"
    report = lint_paths([(good, "b.py"), (gone, "a.py")], make_settings(catalog))
    assert [(f.path, f.code) for f in report.findings] == [("a.py", "INT001"), ("b.py", "SEC306")]
    assert report.files == 2


def test_deeply_nested_code_is_checked_not_a_crash(catalog):
    nested = "x = " + "(" * 190 + "1" + ")" * 190 + "\n"  # CPython allows 200 levels
    # 3,000 implicitly concatenated strings nest 3,000 deep in libcst's tree.
    concatenated = "x = (\n" + "".join(f'    "part {i}"\n' for i in range(3000)) + ")\n"
    source = "import pickle\n" + nested + concatenated + "y = pickle.loads(b'')\n"
    findings = lint_source(source, "deep.py", make_settings(catalog)).findings
    assert [(f.code, f.line) for f in findings] == [("SEC306", 3005)]


def test_the_project_pass_reads_no_file_for_calls_that_are_not_telemetry(catalog, monkeypatch):
    """A module-level instance of a class without wrapper methods, and a constant passed to a
    function that sends nothing, are no reason to parse the files that use or define them."""
    files = {
        "app/__init__.py": "",
        "app/util.py": (
            "from app import constants\n\n"
            "class Registry:\n    def lookup(self, key):\n        return key\n\n"
            "registry = Registry()\n\n"
            "def request_id(value):\n    return value\n\n"
            "request_id(constants.PREFIX)\n"
        ),
        "app/constants.py": "PREFIX = 'r-'\n",
        "app/views.py": "from app.util import registry\n\nregistry.lookup(1)\n",
    }
    collected: list[str] = []
    original = filepass.lint_file

    def lint_file(data, path, settings, collect_only=False):
        if collect_only:
            collected.append(path)
        return original(data, path, settings, collect_only)

    monkeypatch.setattr(filepass, "lint_file", lint_file)
    sources = [(path, text.encode()) for path, text in files.items()]
    report = check_sources(sources, make_settings(catalog), whole_project=True)
    assert report.findings == []
    assert collected == []
