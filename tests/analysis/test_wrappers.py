"""Wrappers in their less simple shapes: methods of a project class that forward into an SDK
call (on a module-level instance, also imported elsewhere, or on ``self``), and ``**kwargs``."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

FILES = {
    "app/__init__.py": "",
    "app/telemetry.py": """
        import os

        from posthog import Posthog

        class Telemetry:
            def __init__(self):
                self.client = Posthog(os.environ["POSTHOG_KEY"])

            def capture(self, event, properties=None):
                self.client.capture(event, distinct_id="anon", properties=properties or {})

            def signed_up(self, plan):
                self.capture("user signed up", {"plan": plan})

        telemetry = Telemetry()

        def booted():
            telemetry.capture("app booted", {"version": 1})
    """,
    "app/views.py": """
        from app.telemetry import Telemetry, telemetry

        def upload(size):
            telemetry.capture("file uploaded", {"size": size})
            telemetry.capture("file deleted", {"size": size})  # expect: PRV102

        def other(tracker):
            tracker.capture("not ours", {})  # an unknown object: not telemetry
    """,
}

MANIFEST = manifest(
    ["posthog"],
    event("user signed up", "posthog", properties=("plan",)),
    event("app booted", "posthog", properties=("version",)),
    event("file uploaded", "posthog", properties=("size",)),
)


def test_methods_of_a_project_class_are_wrappers(catalog):
    telemetry, views = lines(FILES, "app/telemetry.py"), lines(FILES, "app/views.py")
    report = check_project(catalog, FILES, MANIFEST)
    found = sites(report, "posthog")
    assert found == {
        (*telemetry('self.capture("user signed up"'), "user signed up", "declared"),
        (*telemetry('telemetry.capture("app booted"'), "app booted", "declared"),
        (*views('"file uploaded"'), "file uploaded", "declared"),
        (*views('"file deleted"'), "file deleted", "undeclared"),
        (*telemetry("self.client.capture("), None, "forwarding"),
    }


KWARGS_FILES = {
    "app/__init__.py": "",
    "app/events.py": """
        import segment.analytics as analytics

        def track(user_id, event, *, source="web", **properties):
            analytics.track(user_id, event, properties)

        def signup(user, extra):
            track(user.id, "Signed Up", plan=user.plan, source="app")
            track(user.id, "Signed Up", plan=user.plan, email=user.email)  # expect: PRV605
            track(user.id, "Signed Up", **extra)  # expect: PRV606
    """,
}


def test_keyword_arguments_into_a_kwargs_parameter_are_the_properties(catalog):
    text = manifest(["segment"], event("Signed Up", "segment", properties=("plan",)))
    report = check_project(catalog, KWARGS_FILES, text)
    events = lines(KWARGS_FILES, "app/events.py")
    assert sites(report, "segment") == {
        (*events("analytics.track("), None, "forwarding"),
        (*events('source="app"'), "Signed Up", "declared"),
        (*events("email=user.email"), "Signed Up", "declared"),
        (*events("**extra"), "Signed Up", "declared"),
    }


PAYLOAD_FILES = {
    "cli/__init__.py": "",
    "cli/telemetry.py": """
        import requests

        SEGMENT_ENDPOINT = "https://api.segment.io/v1/track"
        MODEL_TRAINED = "Model Trained"

        def payload(distinct_id, event_name, properties):
            return {"userId": distinct_id, "event": event_name, "properties": properties}

        def _send(distinct_id, event_name, properties):
            body = payload(distinct_id, event_name, properties)
            requests.post(SEGMENT_ENDPOINT, json=body, timeout=5)

        def _track(event_name, properties=None):
            if not properties:
                properties = {}
            _send("install-id", event_name, properties)

        def track_training(epochs):
            _track(MODEL_TRAINED, {"epochs": epochs})

        def track_shell():
            _track("Shell Started", {"mode": "cli"})  # expect: PRV102
    """,
}


def test_payloads_built_by_a_function_and_defaulted_parameters_carry_the_callers_values(
    catalog,
):
    text = manifest(["segment"], event("Model Trained", "segment", properties=("epochs",)))
    report = check_project(catalog, PAYLOAD_FILES, text)
    at = lines(PAYLOAD_FILES, "cli/telemetry.py")
    assert sites(report, "segment") == {
        (*at("requests.post("), None, "forwarding"),
        (*at('_send("install-id"'), None, "forwarding"),
        (*at("_track(MODEL_TRAINED"), "Model Trained", "declared"),
        (*at('_track("Shell Started"'), "Shell Started", "undeclared"),
    }


REQUEST_FILES = {
    "app/__init__.py": "",
    "app/tracking.py": """
        from posthog import Posthog

        client = Posthog("phc_key")

        def track(event, properties):
            client.capture(event, distinct_id="anon", properties=properties)
    """,
    "app/views.py": """
        from app.tracking import track

        def upload(request):
            track("file uploaded", {"size": request.POST.get("size")})
            track("file shared", {})  # expect: PRV102
    """,
}


def test_a_wrapper_is_found_in_a_file_collected_first_only_for_its_fields(catalog):
    """``request`` gets ``views.py`` collected for PRV601 fields without its calls; that it
    calls the wrapper gets it collected again, calls and all."""
    views = lines(REQUEST_FILES, "app/views.py")
    text = manifest(["posthog"], event("file uploaded", "posthog", properties=("size",)))
    found = sites(check_project(catalog, REQUEST_FILES, text), "posthog")
    assert (*views('"file uploaded"'), "file uploaded", "declared") in found
    assert (*views('"file shared"'), "file shared", "undeclared") in found
