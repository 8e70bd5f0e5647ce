"""SEC307 shell-injection: callees, what makes a command fixed, module constants."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.checks.shell import ShellInjection
from tests.checks.support import findings_of


def flagged(catalog: Catalog, source: str) -> list[tuple[int, str]]:
    """``(line, message)`` of every SEC307 finding."""
    return [(f.line, f.message) for f in findings_of(catalog, "SEC307", source)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import subprocess as sp\nsp.Popen(cmd, shell=True)", "`subprocess.Popen` with"),
        ("from os import system as sh\nsh(cmd)", "`os.system` hands"),
        ("import os\nos.popen(cmd).read()", "`os.popen`"),
        ("import subprocess\nsubprocess.getstatusoutput(cmd)", "`subprocess.getstatusoutput`"),
        ("import commands\ncommands.getstatusoutput(cmd)", "`commands.getstatusoutput`"),
        (
            "from asyncio import subprocess\nsubprocess.create_subprocess_shell(cmd)",
            "`asyncio.subprocess.create_subprocess_shell`",
        ),
        ("import subprocess\nsubprocess.run(args=cmd, shell=True)", "from a variable"),
        ("import subprocess\nsubprocess.run(self.cmd, shell=True)", "from a variable"),
        ("import os\nos.system(command=cmd)", "from a variable"),
        ("import os\nos.system(f'ls {path!r}')", "from an f-string"),
        ("import os\nos.system('ls ' f'{path}')", "from an f-string"),
        ("import os\nos.system('ls %(p)s' % {'p': path})", "from `%` formatting"),
        ("import os\nos.system('ls {}'.format(path))", "from `str.format`"),
        ("import os\nos.system(' '.join(['ls', path]))", "from `str.join`"),
        ("import os, sys\nos.system(sys.argv[1])", "a value computed at run time"),
        ("import os\nos.system(build_command())", "a value computed at run time"),
        ("import os\nos.system(os.path.join(bin_dir, tool))", "a value computed at run time"),
        ("import subprocess\nsubprocess.run(['ls', path], shell=True)", "a list with"),
        ("import os\nos.system('ls ' + path)", "string concatenation"),
    ],
)
def test_flags_one_finding(catalog: Catalog, source: str, expected: str) -> None:
    found = flagged(catalog, source)
    assert len(found) == 1, found
    assert expected in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "import subprocess\nsubprocess.run(cmd, shell=use_shell)",
        "import subprocess\nsubprocess.run(cmd, shell=False)",
        "import subprocess\nsubprocess.Popen(cmd)",
        "import subprocess\nsubprocess.run(['ls', '-l'], shell=True)",
        "import subprocess\nsubprocess.run('ls ' '-l', shell=True)",
        "import subprocess\nsubprocess.run('ls ' + '-l', shell=True)",
        "import subprocess\nsubprocess.run(f'ls -l', shell=True)",
        "import shlex, os\nos.system('ls %s' % shlex.quote(p))",
        "import shlex, os\nos.system('ls %s %s' % (shlex.quote(a), '-l'))",
        "import shlex, os\nos.system('ls {} {}'.format(shlex.quote(a), '-l'))",
        "import shlex, os\nos.system(shlex.join(['ls', path]))",
        "import pipes, os\nos.system('ls ' + pipes.quote(p))",
        "from shlex import quote\nimport os\nos.system(f'cat {quote(p)} | wc -l')",
        # Not imported, so not the standard library's.
        "system(cmd)",
        "sp.run(cmd, shell=True)",
        # Same names in other modules.
        "import platform\nplatform.system()",
        "import subprocess\nsubprocess.run(*cmd, shell=True)",
    ],
)
def test_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source) == []


def test_module_constants_are_fixed_but_only_when_bound_once(catalog: Catalog) -> None:
    source = """
        import os
        TOOL = "git"
        HEAD = TOOL + " rev-parse HEAD"
        BRANCH = "git branch"
        BRANCH = os.environ["BRANCH_COMMAND"]
        lower = "ls"
        FROM_CALL = read_config()
        FIRST, SECOND = "ls", cmd
        ADDED = "ls"
        ADDED += suffix

        os.system(HEAD)
        os.system(f"{TOOL} log")
        os.system(BRANCH)
        os.system(lower)
        os.system(FROM_CALL)
        os.system(FIRST)
        os.system(ADDED)
    """
    assert [line for line, _ in flagged(catalog, source)] == [15, 16, 17, 18, 19]


def test_message_says_what_to_do(catalog: Catalog) -> None:
    [(_, message)] = flagged(catalog, "import subprocess\nsubprocess.run(cmd, shell=True)")
    assert "without `shell=True`" in message
    assert "`shlex.quote`" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("import subprocess\n", True),
        ("from os import system\n", True),
        ("import os\nos.popen(cmd)\n", True),
        ("import commands\ncommands.getoutput(cmd)\n", True),
        ("from os import popen as run\n", True),
        ("import os\nos.getcwd()\n", False),
        ("import platform\nplatform.system()\n", False),
        ("import sys\nsys.exit('no file system')\n", False),
    ],
)
def test_prefilter(text: str, expected: bool) -> None:
    assert ShellInjection.may_match(text, text.casefold()) is expected
