"""PostHog: the module-level API and ``Posthog`` clients, in the >= 6 call shape
(``capture(event, distinct_id=..., properties=...)``) and the <= 5 one
(``capture(distinct_id, event, properties)``)."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

FILES = {
    "api/analytics.py": """
        import os

        import posthog
        from posthog import Posthog

        posthog.project_api_key = os.environ["POSTHOG_KEY"]
        posthog.host = "https://eu.i.posthog.com"

        client = Posthog(os.environ["POSTHOG_KEY"], host="https://eu.i.posthog.com")

        FILE_UPLOADED = "file uploaded"
    """,
    "api/routes.py": """
        import posthog
        from posthog import capture, new_context, tag

        from api.analytics import FILE_UPLOADED, client

        def upload(user, upload):
            with new_context():
                posthog.identify_context(user.id)
                tag("plan", user.plan)
                tag("email", user.email)  # expect: PRV605
                capture(FILE_UPLOADED, properties={"size": upload.size})

        def delete(user, upload):
            # expect: PRV102
            client.capture("file deleted", distinct_id=user.id, properties={"size": upload.size})
            client.set(distinct_id=user.id, properties={"files": user.file_count})

        def login_old_style(user):
            # The <= 5 shape through a client imported from another module.
            client.capture(user.id, "user logged in", {"method": "sso"})
    """,
    "api/legacy.py": """
        import posthog

        def login(user):
            posthog.capture(user.id, "user logged in", {"method": "password"})
            posthog.identify(user.id, {"email": user.email})  # expect: PRV102
            posthog.set(user.id, {"files": user.file_count, "name": user.name})  # expect: PRV605
    """,
}

MANIFEST = manifest(
    ["posthog"],
    event("file uploaded", "posthog", properties=("size",)),
    event("user logged in", "posthog", properties=("method",)),
    event("context", "posthog", kind="context", properties=("plan",)),
    event("person", "posthog", kind="profile", properties=("files",)),
)


def test_posthog_sites_in_both_call_shapes(catalog):
    routes, legacy = lines(FILES, "api/routes.py"), lines(FILES, "api/legacy.py")
    report = check_project(catalog, FILES, MANIFEST)
    assert sites(report, "posthog") == {
        (*routes('tag("plan"'), "context", "declared"),
        (*routes('tag("email"'), "context", "declared"),
        (*routes("capture(FILE_UPLOADED"), "file uploaded", "declared"),
        (*routes('client.capture("file deleted"'), "file deleted", "undeclared"),
        (*routes("client.set("), "profile", "declared"),
        (*routes('"user logged in", {"method": "sso"}'), "user logged in", "declared"),
        (*legacy("posthog.capture("), "user logged in", "declared"),
        (*legacy("posthog.identify("), "identify", "undeclared"),
        (*legacy("posthog.set("), "profile", "declared"),
    }
