"""Keen: the module-level ``keen.add_event(collection, body)`` and ``KeenClient``; the event
collection is the event name, the body's keys its properties."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

FILES = {
    "news/keen_setup.py": """
        import os

        import keen
        from keen.client import KeenClient

        keen.project_id = os.environ["KEEN_PROJECT_ID"]
        keen.write_key = os.environ["KEEN_WRITE_KEY"]

        client = KeenClient(os.environ["KEEN_PROJECT_ID"], write_key=os.environ["KEEN_WRITE_KEY"])

        class Collections:
            ARTICLE_VIEWS = "article_views"
    """,
    "news/articles.py": """
        import keen
        from keen import add_event

        from news.keen_setup import Collections, client

        def viewed(article, reader):
            keen.add_event(Collections.ARTICLE_VIEWS, {"article": article.slug})
            add_event("shares", {"article": article.slug})  # expect: PRV102
            # expect: PRV605
            client.add_event("comments", {"article": article.slug, "ip": reader.ip})
    """,
}

MANIFEST = manifest(
    ["keen"],
    event("article_views", "keen", properties=("article",)),
    event("comments", "keen", properties=("article",)),
)


def test_keen_collections(catalog):
    articles = lines(FILES, "news/articles.py")
    report = check_project(catalog, FILES, MANIFEST)
    assert sites(report, "keen") == {
        (*articles("keen.add_event("), "article_views", "declared"),
        (*articles('add_event("shares"'), "shares", "undeclared"),
        (*articles("client.add_event("), "comments", "declared"),
    }
