"""PRV203: telemetry calls outside a configured consent guard, across a project."""

from __future__ import annotations

from integrity_lint.engine import check_sources
from integrity_lint.manifest.native import load_native

from ..conftest import make_settings
from .support import _source, event, expected, manifest

CONFIG = """
[telemetry]
consent-guards = ["shop.privacy.has_consent", "requires_consent", "ANALYTICS_ENABLED"]
"""

FILES = {
    "shop/__init__.py": "",
    "shop/privacy.py": """
        def has_consent(user, purpose):
            return purpose in user.consents

        def requires_consent(purpose):
            return lambda function: function
    """,
    "shop/telemetry.py": """
        import segment.analytics as analytics

        from shop import privacy

        def emit(user, event, properties):
            analytics.track(user.id, event, properties)

        def emit_with_consent(user, event, properties):
            if privacy.has_consent(user, "analytics"):
                analytics.track(user.id, event, properties)
    """,
    "shop/views.py": """
        import segment.analytics as analytics
        from django.conf import settings

        from shop.privacy import has_consent as allowed, requires_consent
        from shop.telemetry import emit, emit_with_consent
        from other.privacy import has_consent

        def signup(user):
            emit(user, "Signup Completed", {})  # expect: PRV203
            emit_with_consent(user, "Signup Completed", {})
            if allowed(user, "analytics"):
                emit(user, "Signup Completed", {})
                if user.is_new:
                    analytics.track(user.id, "Signup Completed", {})
            else:
                analytics.track(user.id, "Signup Completed", {})  # expect: PRV203

        def checkout(user):
            if has_consent(user, "analytics"):  # another module's function of the same name
                analytics.track(user.id, "Signup Completed", {})  # expect: PRV203
            if not allowed(user, "analytics"):
                analytics.track(user.id, "Signup Completed", {})  # expect: PRV203
            else:
                analytics.track(user.id, "Signup Completed", {})

        def search(user):
            if not settings.ANALYTICS_ENABLED:
                return
            analytics.track(user.id, "Signup Completed", {})

        @requires_consent("analytics")
        def export(user):
            analytics.track(user.id, "Signup Completed", {})

        if settings.ANALYTICS_ENABLED:
            analytics.track("system", "Signup Completed", {})
        analytics.track("system", "Signup Completed", {})  # expect: PRV203
    """,
}


def run(catalog, config: str):
    sources = {path: _source(text) for path, text in FILES.items()}
    text = manifest(["segment"], event("Signup Completed", "segment"))
    report = check_sources(
        [(path, source.encode()) for path, source in sources.items()],
        make_settings(catalog, config),
        load_native(text, "data-manifest.toml"),
        whole_project=True,
    )
    found = {(f.path, f.line, f.code) for f in report.findings if f.code == "PRV203"}
    return found, {(p, n, c) for p, n, c in expected(sources) if c == "PRV203"}


def test_unguarded_calls_are_reported_through_wrappers_imports_and_branches(catalog):
    found, wanted = run(catalog, CONFIG)
    assert wanted and found == wanted


def test_silent_without_configured_guards(catalog):
    found, _ = run(catalog, "")
    assert found == set()
