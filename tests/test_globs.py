from __future__ import annotations

import pytest

from integrity_lint.globs import PatternSet


@pytest.mark.parametrize(
    ("patterns", "path", "is_dir", "expected"),
    [
        (["migrations/"], "app/migrations/0001.py", False, True),
        (["migrations/"], "app/migrations.py", False, False),
        (["/build"], "build/x.py", False, True),
        (["/build"], "src/build/x.py", False, False),
        (["tests/**"], "tests/unit/test_a.py", False, True),
        (["tests/**"], "src/tests/test_a.py", False, False),
        (["**/test_*.py"], "a/b/test_x.py", False, True),
        (["*.py"], "deep/down/file.py", False, True),
        (["*.py", "!keep.py"], "keep.py", False, False),
        (["vendor"], "vendor", True, True),
        (["a?c.py"], "abc.py", False, True),
        (["a?c.py"], "a/c.py", False, False),
        (["[ab].py"], "b.py", False, True),
        (["scripts/*.py"], "scripts/sub/x.py", False, False),
    ],
)
def test_gitignore_semantics(patterns, path, is_dir, expected):
    assert PatternSet(patterns).matches(path, is_dir) is expected


def test_comments_and_blank_lines_are_not_patterns():
    assert not PatternSet(["# comment", "", "   "])
