"""Google Analytics 4 Measurement Protocol: raw HTTP posts to the collection endpoint (one
site per event of the body's ``events`` list, ``params`` keys as properties) and the ga4mp
wrapper."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

FILES = {
    "site/ga.py": """
        import json
        import os

        import httpx
        import requests

        MEASUREMENT_ID = os.environ["GA_MEASUREMENT_ID"]
        API_SECRET = os.environ["GA_API_SECRET"]
        GA_ENDPOINT = "https://www.google-analytics.com/mp/collect"
        COLLECT_URL = f"{GA_ENDPOINT}?measurement_id={MEASUREMENT_ID}&api_secret={API_SECRET}"
        SIGN_UP = "sign_up"

        def signed_up(client_id, method):
            response = requests.post(
                COLLECT_URL,
                json={
                    "client_id": client_id,
                    "events": [{"name": SIGN_UP, "params": {"method": method}}],
                },
                timeout=5,
            )
            response.raise_for_status()

        def purchased(client_id, order):
            payload = {
                "client_id": client_id,
                "events": [
                    {"name": "purchase", "params": {"value": order.total, "currency": "EUR"}},
                    {"name": "refund", "params": {"value": order.total}},
                ],
            }
            url = f"{GA_ENDPOINT}?measurement_id={MEASUREMENT_ID}"
            requests.post(url, json=payload, timeout=5)  # expect: PRV102

        async def searched(client_id, q):
            async with httpx.AsyncClient() as http:
                await http.post(  # expect: PRV605
                    f"https://region1.google-analytics.com/mp/collect?measurement_id={MEASUREMENT_ID}",
                    content=json.dumps(
                        {"client_id": client_id, "events": [{"name": "search", "params": {"q": q}}]}
                    ),
                )

        def opened(events):
            # expect: PRV103
            requests.post(COLLECT_URL, json={"client_id": "1", "events": events}, timeout=5)
    """,
    "site/ga4.py": """
        from ga4mp import GtagMP

        ga = GtagMP(api_secret="SECRET", measurement_id="G-XXXX", client_id="1.2")

        def shared(article):
            event = ga.create_new_event(name="share")
            event.set_event_param(name="method", value="link")
            event.set_event_param(name="user_email", value=article.author.email)  # expect: PRV605
            ga.send(events=[event])
    """,
    # Near misses: a GET to an unrelated host, a post to the project's own API.
    "site/api.py": """
        import requests

        def sync(data):
            body = {"events": [{"name": "sign_up"}]}
            requests.post("https://api.example.org/collect", json=body, timeout=5)
            requests.get("https://www.example.org/google-analytics.com", timeout=5)
    """,
}

MANIFEST = manifest(
    ["google-analytics"],
    event("sign_up", "google-analytics", properties=("method",)),
    event("purchase", "google-analytics", properties=("value", "currency")),
    event("search", "google-analytics"),
    event("share", "google-analytics", properties=("method",)),
)


def test_measurement_protocol_posts(catalog):
    ga, ga4 = lines(FILES, "site/ga.py"), lines(FILES, "site/ga4.py")
    report = check_project(catalog, FILES, MANIFEST)
    assert sites(report, "google-analytics") == {
        (*ga("response = requests.post("), "sign_up", "declared"),
        (*ga("json=payload"), "purchase", "declared"),
        (*ga("json=payload"), "refund", "undeclared"),
        (*ga("await http.post("), "search", "declared"),
        (*ga('"events": events'), None, "unverifiable"),
        (*ga4("create_new_event"), "share", "declared"),
        (*ga4('name="method"'), "share", "declared"),
        (*ga4('name="user_email"'), "share", "declared"),
    }


def test_a_post_to_an_undeclared_vendor_is_prv101(catalog):
    files = {
        "site/ga.py": """
            import requests

            def signed_up(client_id):
                requests.post(  # expect: PRV101, PRV102
                    "https://www.google-analytics.com/mp/collect?measurement_id=G-1&api_secret=s",
                    json={"client_id": client_id, "events": [{"name": "sign_up"}]},
                    timeout=5,
                )
        """,
    }
    check_project(catalog, files, manifest(["segment"]))
