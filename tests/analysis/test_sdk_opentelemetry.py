"""OpenTelemetry: spans (named by the span name, attributes as properties), the current span
(its attributes are context), metric instruments and baggage."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

FILES = {
    "svc/otel.py": """
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider

        provider = TracerProvider()
        trace.set_tracer_provider(provider)
        tracer = provider.get_tracer("svc")

        CHECKOUT_SPAN = "checkout"
    """,
    "svc/orders.py": """
        from opentelemetry import baggage, metrics, trace

        from svc.otel import CHECKOUT_SPAN

        tracer = trace.get_tracer(__name__)
        meter = metrics.get_meter(__name__)
        orders = meter.create_counter("orders.placed", unit="1")

        def checkout(user, cart):
            attributes = {"cart.size": len(cart)}
            with tracer.start_as_current_span(CHECKOUT_SPAN, attributes=attributes) as span:
                span.set_attribute("cart.total", cart.total)
                span.set_attribute("user.email", user.email)  # expect: PRV605
                trace.get_current_span().set_attribute("tenant.id", user.tenant)
                baggage.set_baggage("user.id", user.id)  # expect: PRV605
                orders.add(1, {"plan": user.plan})
    """,
    "svc/refunds.py": """
        from opentelemetry import trace

        from svc.otel import tracer

        @tracer.start_as_current_span("refund")  # expect: PRV102
        def refund(order):
            span = trace.get_current_span()
            span.set_attributes({"order.id": order.id})
    """,
}

MANIFEST = manifest(
    ["opentelemetry"],
    event("checkout", "opentelemetry", kind="span", properties=("cart.size", "cart.total")),
    event("context", "opentelemetry", kind="context", properties=("tenant.id", "order.id")),
    event("orders.placed", "opentelemetry", kind="metric", properties=("plan",)),
)


def test_opentelemetry_sites(catalog):
    orders, refunds = lines(FILES, "svc/orders.py"), lines(FILES, "svc/refunds.py")
    report = check_project(catalog, FILES, MANIFEST)
    assert sites(report, "opentelemetry") == {
        (*orders("start_as_current_span("), "checkout", "declared"),
        (*orders('"cart.total"'), "checkout", "declared"),
        (*orders('"user.email"'), "checkout", "declared"),
        (*orders("get_current_span()"), "context", "declared"),
        (*orders("set_baggage("), "context", "declared"),
        (*orders("orders.add("), "orders.placed", "declared"),
        (*refunds('start_as_current_span("refund")'), "refund", "undeclared"),
        (*refunds("span.set_attributes("), "context", "declared"),
    }
