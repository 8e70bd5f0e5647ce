"""Talks to the payment provider."""

import requests

from shop.settings import PAYMENTS_API_KEY

PROVIDER = "https://payments.example.com/v1"


def charge(order_id: str, amount_cents: int) -> dict:
    response = requests.post(
        f"{PROVIDER}/charges",
        json={"order": order_id, "amount": amount_cents},
        headers={"Authorization": f"Bearer {PAYMENTS_API_KEY}"},
        timeout=10,
        verify=False,
    )
    response.raise_for_status()
    return response.json()


def refund(charge_id: str) -> dict:
    response = requests.post(f"{PROVIDER}/refunds", json={"charge": charge_id}, timeout=10)
    return response.json()
