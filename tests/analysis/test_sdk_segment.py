"""Segment: ``segment.analytics`` (2.x), the legacy ``analytics`` package, and ``Client``."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

FILES = {
    "app/events.py": """
        import enum

        class Event(str, enum.Enum):
            SIGNUP = "Signup Completed"
            CHECKOUT = "Checkout Started"
    """,
    "app/telemetry.py": """
        import os

        import segment.analytics as analytics
        from segment.analytics import Client

        analytics.write_key = os.environ["SEGMENT_WRITE_KEY"]
        client = Client(os.environ["SEGMENT_WRITE_KEY"], sync_mode=False)

        def track(user, event, properties=None):
            analytics.track(user.id, event, properties or {})
    """,
    "app/views.py": """
        from app.events import Event
        from app.telemetry import client, track

        def signup(user, plan):
            track(user, Event.SIGNUP.value, {"plan": plan})
            track(user, "Signup Failed", {"plan": plan})  # expect: PRV102

        def checkout(user, cart):
            # expect: PRV605
            client.track(user.id, Event.CHECKOUT, {"items": len(cart), "email": user.email})
            client.identify(user_id=user.id, traits={"plan": user.plan})
            client.page(user.id, "Shop", "Cart", {"items": len(cart)})  # expect: PRV102
    """,
    "app/legacy.py": """
        import analytics

        def invite(user, friend):
            analytics.track(anonymous_id=user.session, event="Friend Invited", properties={})
    """,
    # Near misses: the project's own `analytics` module, a vision model's `track`.
    "app/metrics.py": """
        import logging

        def track(name, **fields):
            logging.getLogger("metrics").info(name, extra=fields)
    """,
    "app/jobs.py": """
        from ultralytics import YOLO

        from app import metrics

        def follow(frames):
            model = YOLO("yolov8n.pt")
            metrics.track("frames", count=len(frames))
            return model.track(source=frames, persist=True)
    """,
}

MANIFEST = manifest(
    ["segment"],
    event("Signup Completed", "segment", properties=("plan",)),
    event("Checkout Started", "segment", properties=("items",)),
    event("Friend Invited", "segment"),
    event("traits", "segment", kind="identify", properties=("plan",)),
)


def test_segment_sites_across_modules(catalog):
    telemetry, views = lines(FILES, "app/telemetry.py"), lines(FILES, "app/views.py")
    legacy = lines(FILES, "app/legacy.py")
    report = check_project(catalog, FILES, MANIFEST)
    assert sites(report, "segment") == {
        (*telemetry("analytics.track("), None, "forwarding"),
        (*views("Event.SIGNUP.value"), "Signup Completed", "declared"),
        (*views('"Signup Failed"'), "Signup Failed", "undeclared"),
        (*views("Event.CHECKOUT"), "Checkout Started", "declared"),
        (*views("client.identify("), "identify", "declared"),
        (*views("client.page("), "Cart", "undeclared"),
        (*legacy("analytics.track("), "Friend Invited", "declared"),
    }


def test_a_project_module_named_analytics_is_not_segment(catalog):
    files = {
        "analytics.py": """
            def track(user_id, event, properties=None):
                print(user_id, event, properties)
        """,
        "app/signup.py": """
            import analytics

            def signup(user):
                analytics.track(user.id, "Signup Completed", {"email": user.email})
        """,
    }
    report = check_project(catalog, files, manifest([]))
    assert sites(report, "segment") == set()
