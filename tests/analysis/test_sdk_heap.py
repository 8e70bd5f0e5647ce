"""Heap: ``heapapi.HeapAPIClient(app_id).track(identity, event, properties)`` and raw posts
to the server-side API."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

FILES = {
    "crm/heap.py": """
        import os

        from heapapi import HeapAPIClient

        heap = HeapAPIClient(os.environ["HEAP_APP_ID"])

        def track(user, event_name, properties=None):
            heap.track(user.email, event_name, properties)
    """,
    "crm/deals.py": """
        import requests

        from crm.heap import heap, track

        HEAP_TRACK = "https://heapanalytics.com/api/track"

        def won(user, deal):
            heap.track(user.email, "Deal Won", {"amount": deal.amount})
            heap.track(user.email, "Deal Lost", {"amount": deal.amount})  # expect: PRV102
            heap.add_user_properties(user.email, {"deals": user.deal_count})
            track(user, "Deal Won", {"amount": deal.amount, "notes": deal.notes})  # expect: PRV605

        def imported(user, deal):
            requests.post(  # the server-side track API
                HEAP_TRACK,
                json={
                    "app_id": "1",
                    "identity": user.email,
                    "event": "Deal Imported",
                    "properties": {"source": deal.source},
                },
                timeout=5,
            )
            requests.post(  # expect: PRV605
                "https://heapanalytics.com/api/add_user_properties",
                json={"app_id": "1", "identity": user.email, "properties": {"phone": user.phone}},
                timeout=5,
            )
    """,
}

MANIFEST = manifest(
    ["heap"],
    event("Deal Won", "heap", properties=("amount",)),
    event("Deal Imported", "heap", properties=("source",)),
    event("user", "heap", kind="profile", properties=("deals",)),
)


def test_heap_client_and_http_api(catalog):
    heap, deals = lines(FILES, "crm/heap.py"), lines(FILES, "crm/deals.py")
    report = check_project(catalog, FILES, MANIFEST)
    assert sites(report, "heap") == {
        (*heap("heap.track("), None, "forwarding"),
        (*deals('heap.track(user.email, "Deal Won"'), "Deal Won", "declared"),
        (*deals('"Deal Lost"'), "Deal Lost", "undeclared"),
        (*deals("heap.add_user_properties("), "profile", "declared"),
        (*deals('track(user, "Deal Won"'), "Deal Won", "declared"),
        (*deals("the server-side track API"), "Deal Imported", "declared"),
        (*deals("requests.post(  # expect: PRV605"), "profile", "declared"),
    }
