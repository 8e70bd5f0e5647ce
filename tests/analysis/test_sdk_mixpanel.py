"""Mixpanel: a ``Mixpanel`` client created in one module and used from others."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

FILES = {
    "web/mixpanel_client.py": """
        from django.conf import settings
        from mixpanel import BufferedConsumer, Mixpanel

        mp = Mixpanel(settings.MIXPANEL_TOKEN, consumer=BufferedConsumer())

        class Events:
            SIGN_UP = "Sign Up"
            UPGRADE = "Plan Upgraded"

        def track_event(user, event_name, properties):
            mp.track(str(user.pk), event_name, properties)
    """,
    "web/views.py": """
        from web.mixpanel_client import Events, mp, track_event

        def sign_up(request, user):
            track_event(user, Events.SIGN_UP, {"source": request.GET.get("utm_source")})
            mp.people_set(str(user.pk), {"$email": user.email, "plan": user.plan})

        def upgrade(user, plan):
            user_id = str(user.pk)
            mp.track(user_id, Events.UPGRADE, {"plan": plan, "price": plan.price})  # expect: PRV605
            mp.track(user_id, "Plan Downgraded", {"plan": plan})  # expect: PRV102
            mp.people_track_charge(user_id, plan.price, {"coupon": plan.coupon})  # expect: PRV605
    """,
    # Near miss: `mp` is multiprocessing here.
    "web/workers.py": """
        import multiprocessing as mp

        def start(job):
            mp.Process(target=job.track, args=("Sign Up",)).start()
    """,
}

MANIFEST = manifest(
    ["mixpanel"],
    event("Sign Up", "mixpanel", properties=("source",)),
    event("Plan Upgraded", "mixpanel", properties=("plan",)),
    event("profile", "mixpanel", kind="profile", properties=("$email", "plan")),
)


def test_mixpanel_sites(catalog):
    client, views = lines(FILES, "web/mixpanel_client.py"), lines(FILES, "web/views.py")
    report = check_project(catalog, FILES, MANIFEST)
    assert sites(report, "mixpanel") == {
        (*client("mp.track("), None, "forwarding"),
        (*views("track_event(user, Events.SIGN_UP"), "Sign Up", "declared"),
        (*views("mp.people_set("), "profile", "declared"),
        (*views("Events.UPGRADE"), "Plan Upgraded", "declared"),
        (*views('"Plan Downgraded"'), "Plan Downgraded", "undeclared"),
        (*views("mp.people_track_charge("), "profile", "declared"),
    }
