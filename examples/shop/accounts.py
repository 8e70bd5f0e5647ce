"""Sign-up and checkout flows, instrumented through shop.analytics."""

from shop.analytics import SIGNUP_COMPLETED, track_event


def signup(user_id: str, plan: str, referrer: str) -> None:
    track_event(user_id, SIGNUP_COMPLETED, {"plan": plan, "referrer": referrer})


def checkout(user_id: str, email: str, total_cents: int) -> None:
    # An event nobody declared, carrying the shopper's email address.
    track_event(user_id, "Order Placed", {"total_cents": total_cents, "email": email})
