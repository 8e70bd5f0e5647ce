"""Snowplow: ``tracker.track(StructuredEvent(category, action, ...))`` is named by its action,
a self-describing event by its schema URI (its ``data`` keys are the properties); the legacy
``track_struct_event(category, action, ...)`` too."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

SIGNUP_SCHEMA = "iglu:com.acme/signup/jsonschema/1-0-0"

FILES = {
    "store/snowplow.py": """
        from snowplow_tracker import Emitter, Snowplow, Subject, Tracker

        tracker = Snowplow.create_tracker(namespace="store", endpoint="collector.acme.com")
        legacy = Tracker("store", Emitter("collector.acme.com"), subject=Subject())

        ADD_TO_BASKET = "add-to-basket"
    """,
    "store/basket.py": """
        from snowplow_tracker import SelfDescribing, SelfDescribingJson, StructuredEvent

        from store.snowplow import ADD_TO_BASKET, legacy, tracker

        def add(product, quantity):
            tracker.track(StructuredEvent(category="shop", action=ADD_TO_BASKET, label=product.sku))
            # expect: PRV102
            tracker.track(StructuredEvent("shop", "remove-from-basket", product.sku))
            legacy.track_struct_event("shop", "checkout", label=product.sku)

        def sign_up(user):
            data = {"plan": user.plan, "email": user.email}
            tracker.track(SelfDescribing(SelfDescribingJson("SCHEMA", data)))  # expect: PRV605

        def track_action(action, label=None):
            tracker.track(StructuredEvent(category="shop", action=action, label=label))
    """.replace("SCHEMA", SIGNUP_SCHEMA),
    "store/views.py": """
        from store.basket import track_action

        def basket_page(request):
            track_action("checkout", label=request.path)
            track_action("view-basket")  # expect: PRV102
    """,
}

MANIFEST = manifest(
    ["snowplow"],
    event("add-to-basket", "snowplow"),
    event("checkout", "snowplow"),
    event(SIGNUP_SCHEMA, "snowplow", properties=("plan",)),
)


def test_snowplow_event_objects(catalog):
    basket, views = lines(FILES, "store/basket.py"), lines(FILES, "store/views.py")
    report = check_project(catalog, FILES, MANIFEST)
    assert sites(report, "snowplow") == {
        (*basket("action=ADD_TO_BASKET"), "add-to-basket", "declared"),
        (*basket('"remove-from-basket"'), "remove-from-basket", "undeclared"),
        (*basket("legacy.track_struct_event("), "checkout", "declared"),
        (*basket("SelfDescribing("), SIGNUP_SCHEMA, "declared"),
        (*basket("action=action"), None, "forwarding"),
        (*views('track_action("checkout"'), "checkout", "declared"),
        (*views('track_action("view-basket")'), "view-basket", "undeclared"),
    }
