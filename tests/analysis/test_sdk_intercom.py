"""Intercom: ``Intercom(token=...).events.create(request=CreateDataEventRequestWith...(
event_name=..., metadata={...}))`` (5.x) and the 3.x ``Client().events.create(event_name=...,
metadata=...)``; the ``metadata`` keys are the properties."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

FILES = {
    "support/intercom_events.py": """
        import os
        import time

        from intercom import (
            CreateDataEventRequestWithEmail,
            CreateDataEventRequestWithUserId,
            Intercom,
        )

        INVITED = "invited-friend"

        class Messenger:
            def __init__(self):
                self.client = Intercom(token=os.environ["INTERCOM_TOKEN"])

            def invited(self, user, friend):
                self.client.events.create(  # the request object in place
                    request=CreateDataEventRequestWithUserId(
                        user_id=user.id,
                        event_name=INVITED,
                        created_at=int(time.time()),
                        metadata={"channel": "email"},
                    )
                )

            def ordered(self, user, order):
                request = CreateDataEventRequestWithEmail(
                    email=user.email,
                    event_name="placed-order",
                    created_at=int(time.time()),
                    metadata={"total": order.total},
                )
                self.client.events.create(request=request)  # expect: PRV102
    """,
    "support/legacy.py": """
        from intercom.client import Client

        intercom = Client(personal_access_token="TOKEN")

        def invited(user, friend):
            intercom.events.create(  # expect: PRV605
                event_name="invited-friend", email=user.email, metadata={"friend": friend.email}
            )
    """,
    # Near miss: a project's own `events.create` (an ORM manager).
    "support/models.py": """
        from django.db import models

        class Event(models.Model):
            name = models.CharField(max_length=50)

        def log(name):
            Event.objects.create(name=name)
    """,
}

MANIFEST = manifest(
    ["intercom"],
    event("invited-friend", "intercom", properties=("channel",)),
)


def test_intercom_events(catalog):
    events, legacy = lines(FILES, "support/intercom_events.py"), lines(FILES, "support/legacy.py")
    report = check_project(catalog, FILES, MANIFEST)
    assert sites(report, "intercom") == {
        (*events("create(  # the request object in place"), "invited-friend", "declared"),
        (*events("create(request=request)"), "placed-order", "undeclared"),
        (*legacy("intercom.events.create("), "invited-friend", "declared"),
    }
