"""Sentry: the top-level API and scopes (``new_scope()``, ``get_isolation_scope()``,
``Scope`` parameters); context calls are declared by kind."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

FILES = {
    "service/errors.py": """
        import sentry_sdk
        from sentry_sdk import Scope, set_tag

        sentry_sdk.init(dsn="https://key@o1.ingest.sentry.io/1", send_default_pii=False)

        def on_login(user):
            sentry_sdk.set_user({"id": user.id})
            set_tag("tenant", user.tenant)

        def on_payment(user, card):
            with sentry_sdk.new_scope() as scope:
                scope.set_user({"id": user.id, "email": user.email})  # expect: PRV605
                scope.set_context("payment", {"last4": card.last4})
                sentry_sdk.capture_message("payment failed")

        def before_send(event, hint, scope: Scope):
            scope.set_tag("region", hint.get("region"))

        def on_request(request):
            sentry_sdk.get_isolation_scope().set_extra("ip", request.remote_addr)  # expect: PRV605
    """,
}

MANIFEST = manifest(
    ["sentry"],
    event("user", "sentry", kind="identify", properties=("id",)),
    event("context", "sentry", kind="context", properties=("tenant", "payment", "region")),
)


def test_sentry_context_sites(catalog):
    errors = lines(FILES, "service/errors.py")
    report = check_project(catalog, FILES, MANIFEST)
    assert sites(report, "sentry") == {
        (*errors("sentry_sdk.set_user("), "identify", "declared"),
        (*errors('set_tag("tenant"'), "context", "declared"),
        (*errors("scope.set_user("), "identify", "declared"),
        (*errors("scope.set_context("), "context", "declared"),
        (*errors('scope.set_tag("region"'), "context", "declared"),
        (*errors("set_extra("), "context", "declared"),
    }
