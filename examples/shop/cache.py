"""Caches rendered carts between requests."""

import json
import pickle


def load_cart(raw: bytes) -> dict:
    # Carts come back from a shared cache that other services can write to.
    return pickle.loads(raw)


def load_price_table(path: str) -> dict:
    with open(path, "rb") as handle:
        return pickle.load(handle)  # integrity: ignore[SEC306] built by our own release job


def load_cart_v2(raw: bytes) -> dict:
    return json.loads(raw)
