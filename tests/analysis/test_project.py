"""The project pass's judgement of manifest entries (PRV602)."""

from __future__ import annotations

from integrity_lint.analysis.project import incomplete
from integrity_lint.manifest.model import EventDecl, FieldDecl, Location

HERE = Location("data-manifest.toml", 3)


def test_a_native_event_needs_every_review_key():
    assert incomplete(EventDecl("Signup", HERE)) == [
        "missing purpose, owner, review, sensitivity, expires"
    ]
    complete = EventDecl(
        "Signup",
        HERE,
        purpose="Funnel",
        owner=("a@example.org",),
        review=("https://example.org/r/1",),
        sensitivity=("interaction",),
        expires="2027-01-31",
    )
    assert incomplete(complete) == []
    assert incomplete(EventDecl(**{**vars(complete), "owner": ("TODO",)})) == [
        "placeholder value in owner"
    ]


def test_glean_entries_are_judged_by_what_they_map_to_and_segment_plans_are_not():
    glean = EventDecl(
        "browser.click",
        HERE,
        purpose="Clicks",
        owner=("a@example.org",),
        review=("https://example.org/r/1",),
        expires="never",
        source="glean",
    )
    assert incomplete(glean) == ["missing sensitivity"]
    assert incomplete(EventDecl("Signup Completed", HERE, source="segment")) == []


def test_a_field_needs_a_retention():
    assert "missing purpose, owner, review, sensitivity, retention" in incomplete(
        FieldDecl("email", HERE)
    )
