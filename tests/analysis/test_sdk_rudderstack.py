"""RudderStack: ``rudderstack.analytics`` (2.x), the 1.x ``rudder_analytics`` module, and
``Client`` held by a project class."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

FILES = {
    "shop/constants.py": """
        ORDER_COMPLETED = "Order Completed"
        PRODUCT_VIEWED = "Product Viewed"
    """,
    "shop/tracking.py": """
        import rudderstack.analytics as rudder_analytics
        from rudderstack.analytics import Client

        from shop.constants import ORDER_COMPLETED

        rudder_analytics.write_key = "WRITE_KEY"
        rudder_analytics.dataPlaneUrl = "https://acme.dataplane.rudderstack.com"

        class Tracker:
            def __init__(self, write_key):
                self.client = Client(write_key, host="https://acme.dataplane.rudderstack.com")

            def order(self, order):
                properties = {"total": order.total}
                self.client.track(order.user_id, ORDER_COMPLETED, properties)
                self.client.track(order.user_id, "Order Refunded", properties)  # expect: PRV102

        def viewed(user_id, product):
            rudder_analytics.track(  # expect: PRV605
                user_id,
                "Product Viewed",
                properties={"sku": product.sku, "email": product.owner.email},
            )
    """,
    "shop/old.py": """
        import rudder_analytics

        def renamed(user):
            rudder_analytics.identify(user.id, {"name": user.name})  # expect: PRV102
    """,
}

MANIFEST = manifest(
    ["rudderstack"],
    event("Order Completed", "rudderstack", properties=("total",)),
    event("Product Viewed", "rudderstack", properties=("sku",)),
)


def test_rudderstack_sites(catalog):
    tracking, old = lines(FILES, "shop/tracking.py"), lines(FILES, "shop/old.py")
    report = check_project(catalog, FILES, MANIFEST)
    assert sites(report, "rudderstack") == {
        (*tracking("ORDER_COMPLETED, properties"), "Order Completed", "declared"),
        (*tracking('"Order Refunded"'), "Order Refunded", "undeclared"),
        (*tracking("rudder_analytics.track("), "Product Viewed", "declared"),
        (*old("rudder_analytics.identify("), "identify", "undeclared"),
    }
