"""Datadog: DogStatsd metrics (the metric name is the event, ``"key:value"`` tags are its
properties) and ddtrace spans and tags."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

FILES = {
    "billing/monitoring.py": """
        from datadog import initialize, statsd
        from datadog.dogstatsd import DogStatsd

        initialize(statsd_host="localhost", statsd_port=8125)
        dogstatsd = DogStatsd(host="localhost", port=8125, constant_tags=["service:billing"])

        PAYMENTS = "billing.payments"
    """,
    "billing/charge.py": """
        from datadog import statsd
        from ddtrace.contrib.trace_utils import set_user
        from ddtrace.trace import tracer

        from billing.monitoring import PAYMENTS, dogstatsd

        @statsd.timed("billing.charge.latency", tags=["endpoint:charge"])
        def charge(customer, amount):
            statsd.increment(PAYMENTS, tags=[f"plan:{customer.plan}", "currency:eur"])
            # expect: PRV605
            dogstatsd.histogram("billing.amount", amount, tags=[f"customer:{customer.id}"])
            dogstatsd.gauge("billing.queue", 3)  # expect: PRV102
            with tracer.trace("billing.charge", service="billing") as span:
                span.set_tag("plan", customer.plan)
                span.set_tag("customer.email", customer.email)  # expect: PRV605
            tracer.current_root_span().set_tag("usr.id", customer.id)
            set_user(tracer, customer.id, email=customer.email)  # expect: PRV102
    """,
    # Near misses: pystatsd's client, a project object that happens to be called statsd.
    "billing/legacy.py": """
        import statsd

        from billing.stats import statsd as local_stats

        client = statsd.StatsClient("localhost", 8125)

        def count():
            client.incr("billing.legacy")
            local_stats.increment("billing.legacy", tags=["user:1"])
    """,
    "billing/stats.py": """
        class Stats:
            def increment(self, name, tags=None):
                print(name, tags)

        statsd = Stats()
    """,
}

MANIFEST = manifest(
    ["datadog"],
    event("billing.charge.latency", "datadog", kind="metric", properties=("endpoint",)),
    event("billing.payments", "datadog", kind="metric", properties=("plan", "currency")),
    event("billing.amount", "datadog", kind="metric"),
    event("billing.charge", "datadog", kind="span", properties=("plan",)),
    event("context", "datadog", kind="context", properties=("usr.id",)),
)


def test_datadog_metrics_and_spans(catalog):
    charge = lines(FILES, "billing/charge.py")
    report = check_project(catalog, FILES, MANIFEST)
    assert sites(report, "datadog") == {
        (*charge("@statsd.timed"), "billing.charge.latency", "declared"),
        (*charge("statsd.increment(PAYMENTS"), "billing.payments", "declared"),
        (*charge("dogstatsd.histogram("), "billing.amount", "declared"),
        (*charge("dogstatsd.gauge("), "billing.queue", "undeclared"),
        (*charge("tracer.trace("), "billing.charge", "declared"),
        (*charge('span.set_tag("plan"'), "billing.charge", "declared"),
        (*charge('span.set_tag("customer.email"'), "billing.charge", "declared"),
        (*charge("current_root_span()"), "context", "declared"),
        (*charge("set_user(tracer"), "identify", "undeclared"),
    }
