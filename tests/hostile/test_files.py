"""Hostile input files (SPEC §12): each is checked beside a good file, through the real command
line; the run never crashes, the hostile file gets its finding (INT001 when it cannot be decoded
or parsed) or is checked as usual, and the good file's finding is still reported."""

from __future__ import annotations

import shutil
import sysconfig
import time
from pathlib import Path

import pytest

from .support import FINDING_LINE, GOOD_FINDING, check, project_with

IMPORT = b"import requests\n"
CHECKED = IMPORT + FINDING_LINE  # a file that is checked reports SEC301 on line 2

SYNTAX_ERRORS = {
    "missing-paren": (b"def f(:\n    pass\n", 1, "invalid syntax"),
    "unterminated-string": (b'x = "abc\n', 1, "unterminated string literal"),
    "unterminated-triple-quote": (b'x = """abc\n\n', 1, "unterminated triple-quoted"),
    "bracket-never-closed": (b"x = (1,\n", 1, "'(' was never closed"),
    "unmatched-bracket": (b"x = 1)\n", 1, "unmatched ')'"),
    "missing-indent": (b"def f():\nreturn 1\n", 2, "expected an indented block"),
    "bad-dedent": (b"if x:\n        a = 1\n    b = 2\n", 3, "unindent does not match"),
    "tabs-and-spaces": (b"if x:\n\ta = 1\n        b = 2\n", 3, "inconsistent use of tabs"),
    "keyword-as-name": (b"class = 1\n", 1, "invalid syntax"),
    "assign-to-call": (b"f() = 1\n", 1, "cannot assign to function call"),
    "dangling-operator": (b"x = 1 +\n", 1, "invalid syntax"),
    "broken-f-string": (b'x = f"{"\n', 1, "f-string"),
    "continuation-at-eof": (b"x = 1 \\", 1, "unexpected EOF"),
    "invalid-character": ("x\u20ac = 1\n".encode(), 1, "invalid character"),
    "top-level-walrus": (b"x := 1\n", 1, "invalid syntax"),
    "indentation-101-deep": (
        b"".join(b"    " * i + b"if x:\n" for i in range(101)) + b"    " * 101 + b"pass\n",
        101,
        "too many levels of indentation",
    ),
}
PYTHON_2 = {
    "print-statement": (b'print "hello"\n', 1, "Missing parentheses in call to 'print'"),
    "exec-statement": (b'exec "x = 1"\n', 1, "Missing parentheses in call to 'exec'"),
    "backticks": (b"x = `1`\n", 1, "invalid syntax"),
    "octal-literal": (b"x = 0777\n", 1, "leading zeros"),
    "long-literal": (b"x = 10L\n", 1, "invalid decimal literal"),
    "ur-prefix": (b'x = ur"text"\n', 1, "invalid syntax"),
    "raise-comma": (b'raise ValueError, "message"\n', 1, "invalid syntax"),
    "not-equal-diamond": (b"if 1 <> 2:\n    pass\n", 1, "invalid syntax"),
}
UNDECODABLE = {
    "invalid-utf8": (b'x = "\xff\xfe"\n', 1, "cannot decode file"),
    "unknown-cookie": (b"# -*- coding: klingon -*-\nx = 1\n", 1, "unknown encoding: klingon"),
    "wrong-cookie": (b'# -*- coding: ascii -*-\nx = "\xc3\xa9"\n', 1, "cannot decode file"),
    "bom-with-latin-1-cookie": (b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", 1, "cannot decode"),
    "nul-in-code": (b"x = 1\x00\n", 1, "cannot contain null bytes"),
    "nul-in-comment": (b"import os\n# a\x00b\nx = 1\n" + FINDING_LINE, 2, "null bytes"),
    "utf-16": ("x = 1\n".encode("utf-16"), 1, "null bytes"),
}


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [*SYNTAX_ERRORS.values(), *PYTHON_2.values(), *UNDECODABLE.values()],
    ids=[*SYNTAX_ERRORS, *PYTHON_2, *UNDECODABLE],
)
def test_unparseable_file_is_int001_and_the_others_are_checked(
    tmp_path: Path, content: bytes, line: int, message: str
) -> None:
    run = check(project_with(tmp_path, {"hostile.py": content}))
    assert run.code == 1
    assert [(f["code"], f["line"]) for f in run.findings("hostile.py")] == [("INT001", line)]
    assert message in run.findings("hostile.py")[0]["message"]
    assert GOOD_FINDING in run.found
    assert run.report["summary"]["files"] == 2


DECODABLE = {
    "empty": (b"", None),
    "only-newlines": (b"\n\n   \n", None),
    "only-a-bom": (b"\xef\xbb\xbf", None),
    "utf-8-bom": (b"\xef\xbb\xbf" + CHECKED, 2),
    "bom-with-utf-8-cookie": (b"\xef\xbb\xbf# coding: utf-8\n" + CHECKED, 3),
    "latin-1-cookie-on-line-2": (b"#!/usr/bin/env python\n# coding: latin-1\n" + CHECKED, 4),
    "latin-1-bytes-under-its-cookie": (b'# coding: latin-1\nname = "Ren\xe9"\n' + CHECKED, 4),
    "crlf-line-ends": (CHECKED.replace(b"\n", b"\r\n"), 2),
    "cr-line-ends": (CHECKED.replace(b"\n", b"\r"), 2),
    "no-final-newline": (CHECKED.rstrip(b"\n"), 2),
    "form-feed": (b"\x0c" + CHECKED, 2),
    # Valid in Python 3.14 (PEP 758: `except A, B:`), and libcst reads it so: checked.
    "except-comma": (b"try:\n    pass\nexcept ValueError, e:\n    pass\n" + CHECKED, 6),
    # A compiler error, not a syntax error: Python parses the file (ast.parse accepts it).
    "return-outside-function": (b"return 1\n" + CHECKED, 3),
}


@pytest.mark.parametrize(("content", "line"), list(DECODABLE.values()), ids=list(DECODABLE))
def test_odd_but_valid_file_is_checked(tmp_path: Path, content: bytes, line: int | None) -> None:
    run = check(project_with(tmp_path, {"odd.py": content}))
    expected = [] if line is None else [("SEC301", line)]
    assert [(f["code"], f["line"]) for f in run.findings("odd.py")] == expected
    assert GOOD_FINDING in run.found
    assert run.report["summary"]["files"] == 2


def _nested(depth: int) -> dict[str, bytes]:
    """Expressions nested ``depth`` deep, each followed by a finding on its line 3."""
    expressions = {
        "not": b"not " * depth + b"y",
        "unary-minus": b"-" * depth + b"y",
        "conditional": b"a if b else " * depth + b"c",
        "lambda": b"lambda: " * depth + b"1",
        "attribute-chain": b"y" + b".a" * depth,
        "call-chain": b"y" + b"()" * depth,
        "power": b"**".join([b"2"] * depth),
        "string-concatenation": b" + ".join([b'"a"'] * depth),
        "implicit-concatenation": b" ".join([b'"a"'] * depth),
    }
    return {
        name: IMPORT + b"x = " + text + b"\n" + FINDING_LINE for name, text in expressions.items()
    }


@pytest.mark.parametrize("content", list(_nested(1000).values()), ids=list(_nested(1)))
def test_expressions_nested_1000_deep_are_checked(tmp_path: Path, content: bytes) -> None:
    """In seconds: a 1,000-term ``+`` chain took 18 s and a 1,000-call chain 6.7 s, with
    checks that looked at every operand's whole subtree."""
    started = time.monotonic()
    run = check(project_with(tmp_path, {"deep.py": content}))
    assert time.monotonic() - started < 8
    assert [(f["code"], f["line"]) for f in run.findings("deep.py")] == [("SEC301", 3)]
    assert GOOD_FINDING in run.found


@pytest.mark.parametrize(
    ("opening", "closing"), [(b"(", b")"), (b"[", b"]"), (b"{", b"}"), (b"f(", b")")]
)
def test_brackets_nested_1000_deep_are_int001_at_once(
    tmp_path: Path, opening: bytes, closing: bytes
) -> None:
    """Python refuses brackets nested past 200; libcst took 15 s and 2.3 GB on 1,000 calls."""
    content = CHECKED + b"x = " + opening * 1000 + b"1" * (opening != b"[") + closing * 1000
    started = time.monotonic()
    run = check(project_with(tmp_path, {"deep.py": content + b"\n"}))
    assert time.monotonic() - started < 5
    [finding] = run.findings("deep.py")
    assert (finding["code"], finding["line"]) == ("INT001", 3)
    assert finding["message"] == "syntax error: too many nested parentheses"
    assert GOOD_FINDING in run.found


def test_brackets_in_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    content = b'x = "' + b"(" * 1000 + b'"\n# ' + b"[" * 1000 + b"\n" + CHECKED
    run = check(project_with(tmp_path, {"brackets.py": content}))
    assert [(f["code"], f["line"]) for f in run.findings("brackets.py")] == [("SEC301", 4)]


def test_long_lines_of_a_megabyte_are_checked(tmp_path: Path) -> None:
    megabyte = 1 << 20
    files = {
        "string.py": IMPORT + b'x = "' + b"a" * megabyte + b'"\n' + FINDING_LINE,
        "comment.py": IMPORT + b"# " + b"a" * megabyte + b"\n" + FINDING_LINE,
        "finding-after-a-long-string.py": IMPORT
        + b'x = "'
        + b"a" * megabyte
        + b'"; '
        + FINDING_LINE,
    }
    run = check(project_with(tmp_path, files))
    assert run.found == {
        GOOD_FINDING,
        ("string.py", 3, "SEC301"),
        ("comment.py", 3, "SEC301"),
        ("finding-after-a-long-string.py", 2, "SEC301"),
    }
    [last] = run.findings("finding-after-a-long-string.py")
    assert last["column"] == megabyte + 9


@pytest.fixture(scope="session")
def five_megabytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A generated data module of 5 MB with a finding at its start and at its end.

    Data, not code: libcst parses dense code at about 7 s per megabyte on this kind of
    machine, which no test can afford (see the README's "Bad input").
    """
    row = b'CHUNK_%05d = "' + b"v" * 4000 + b'"\n'
    rows = b"".join(row % index for index in range(5 * (1 << 20) // len(row % 0) + 1))
    return CHECKED + rows + FINDING_LINE


def test_a_5_mb_file_is_checked_to_its_end(tmp_path: Path, five_megabytes: bytes) -> None:
    assert len(five_megabytes) > 5 * (1 << 20)
    last_line = five_megabytes.count(b"\n")
    run = check(project_with(tmp_path, {"huge.py": five_megabytes}))
    assert run.found == {GOOD_FINDING, ("huge.py", 2, "SEC301"), ("huge.py", last_line, "SEC301")}


def test_the_standard_librarys_pydoc_topics_is_really_checked(tmp_path: Path) -> None:
    """15.7k lines of implicitly concatenated strings: libcst's visitors recurse once per
    string, past Python's default limit; the large-stack thread checks it to its end."""
    topics = Path(sysconfig.get_paths()["stdlib"]) / "pydoc_data" / "topics.py"
    root = project_with(tmp_path, {})
    shutil.copy(topics, root / "topics.py")
    with (root / "topics.py").open("ab") as handle:
        handle.write(b"\nimport requests\n" + FINDING_LINE)
    last_line = (root / "topics.py").read_bytes().count(b"\n")
    started = time.monotonic()
    run = check(root)
    assert time.monotonic() - started < 30
    assert run.found == {GOOD_FINDING, ("topics.py", last_line, "SEC301")}


def test_hostile_suppression_comments_are_findings_not_a_flood(tmp_path: Path) -> None:
    """A code repeated 5,000 times in one suppression gave 5,000 identical INT002."""
    repeated = ",".join(["SEC301"] * 5000)
    content = (
        b"import os\n"
        b"x = 1  # integrity: ignore[\n"
        b"y = 2  # integrity: fixme[SEC301] until=9999-99-99 why\n"
        + f"z = 3  # integrity: ignore[{repeated}] why\n".encode()
        + b"# integrity: ignore[SEC301,,, ,] \x01\n"
    )
    run = check(project_with(tmp_path, {"comments.py": content}))
    assert [(f["line"], f["code"]) for f in run.findings("comments.py")] == [
        (2, "INT004"),
        (3, "INT005"),
        (4, "INT002"),
        (5, "INT002"),
    ]
    assert GOOD_FINDING in run.found


FIXABLE = b'requests.get("https://api.example.org", verify=False, timeout=5)'
FIXED = b'requests.get("https://api.example.org", timeout=5)'


@pytest.mark.parametrize(
    "layout",
    [
        b"\xef\xbb\xbfimport requests\r\n%s\r\n",
        b"import requests\r%s\r",
        b'# coding: latin-1\nimport requests\nname = "Ren\xe9"\n%s\n',
        b"import requests\n%s",
        b"\x0cimport requests\n\n%s  # a comment\n",
    ],
    ids=["bom-crlf", "cr-only", "latin-1", "no-final-newline", "form-feed"],
)
def test_fixes_keep_the_files_bytes_but_the_fix(tmp_path: Path, layout: bytes) -> None:
    """A fix on a file with CR-only line ends dropped its last line end: libcst writes it
    back without it, and the edit reached to the end of the file."""
    root = project_with(tmp_path, {"odd.py": layout % FIXABLE})
    run = check(root, "--fix", "--unsafe-fixes", "--select", "SEC301")
    assert run.code == 0, run.stdout
    assert (root / "odd.py").read_bytes() == layout % FIXED


MODERN = """\
import requests
import logging
type Alias[T] = list[T]
class Box[T: (int, str), *Ts, **P]:
    def get[U](self, x: U) -> U: ...
def f[T](x: T) -> T:
    match x:
        case {"email": email, **rest} if (y := email):
            logging.info(f"{email!r:>{10}} {f'{rest["a"]}'}")
        case [1, *others] | (2 | 3) as z:
            pass
        case Box(a=1):
            pass
    try:
        pass
    except* ValueError as eg:
        pass
    return x
async def g():
    async with a as b, c as d:
        return [i async for i in aiter() if await i]
lambda: (yield)
x = [*a, *b]; y = {**a, 'b': 1}
print(f"{'nested' + f'{1:{2}}'}" "plain")
del (a), [b]
global q
@(lambda f: f)
def h(*, a=1, b, **kw): ...
requests.get("https://a", verify=False, timeout=5)
"""


def test_every_check_runs_on_the_newest_syntax(tmp_path: Path) -> None:
    """PEP 695 generics and `type`, match with guards and captures, except*, f-strings
    nested with the same quotes (3.12): parsed by libcst whatever Python runs the linter,
    and no check fails on them (no INT006)."""
    run = check(project_with(tmp_path, {"modern.py": MODERN}), "--select", "ALL")
    assert [(f["line"], f["code"]) for f in run.findings("modern.py")] == [
        (9, "PRV301"),
        (29, "SEC301"),
    ]
