"""Product analytics: every event the shop sends goes through `track_event`."""

import segment.analytics as analytics

from shop.settings import SEGMENT_WRITE_KEY

analytics.write_key = SEGMENT_WRITE_KEY

SIGNUP_COMPLETED = "Signup Completed"


def track_event(user_id: str, event: str, properties: dict) -> None:
    """The one place the shop talks to Segment; integrity-lint checks its callers."""
    analytics.track(user_id, event, properties)
