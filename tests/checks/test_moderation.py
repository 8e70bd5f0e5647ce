"""SAF301 user-content-without-moderation: writes of configured models, and what moderates."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.engine import lint_source
from tests.checks.support import findings_of
from tests.conftest import make_settings

CONFIG = """
[safety]
user-content-models = ["forum.models.Post", "forum.db.Review"]
moderation = ["forum.safety.screen", "check_content"]
"""


def flagged(catalog: Catalog, source: str, path: str = "forum/views.py") -> list[int]:
    return [f.line for f in findings_of(catalog, "SAF301", source, path, CONFIG)]


@pytest.mark.parametrize(
    "source",
    [
        "from forum.models import Post\ndef f(t):\n    Post.objects.get_or_create(text=t)",
        "from forum import models\ndef f(t):\n    models.Post(text=t).save()",
        "from forum.db import Review\ndef f(session, t):\n    r = Review(text=t)\n"
        "    session.add(r)",
        "from forum.db import Review as R\ndef f(s, t):\n    s.add(R(text=t))",
        # A moderation call in another function does not count.
        "from forum.models import Post\nfrom forum.safety import screen\n"
        "def g(t):\n    screen(t)\ndef f(t):\n    Post.objects.create(text=t)",
    ],
)
def test_unmoderated_writes(catalog, source):
    assert len(flagged(catalog, source)) == 1


def test_a_model_defined_in_the_same_module(catalog):
    source = "class Post:\n    pass\ndef f(t):\n    Post.objects.create(text=t)"
    assert flagged(catalog, source, path="forum/models.py") == [4]


@pytest.mark.parametrize(
    "source",
    [
        "from forum.models import Post\nfrom forum.safety import screen\n"
        "def f(t):\n    Post.objects.create(text=screen(t))",
        "from forum.models import Post\nimport forum.safety as safety\n"
        "def f(t):\n    safety.screen(t)\n    Post(text=t).save()",
        "from forum.models import Post\ndef f(self, t):\n    self.mod.check_content(t)\n"
        "    Post.objects.create(text=t)",
        "from forum.models import Post\n@check_content\ndef f(t):\n    Post.objects.create(text=t)",
        "from other.models import Post\ndef f(t):\n    Post.objects.create(text=t)",
        "from forum.models import Post\nPost.objects.create(text='seed')",  # not in a function
        "from forum.models import Post\ndef f(p):\n    p.save()",  # not known to be new
    ],
)
def test_moderated_or_other_writes(catalog, source):
    assert flagged(catalog, source) == []


def test_silent_without_configured_models(catalog):
    settings = make_settings(catalog, select=("SAF301",))
    source = "from forum.models import Post\ndef f(t):\n    Post.objects.create(text=t)"
    assert lint_source(source, "forum/views.py", settings).findings == []
