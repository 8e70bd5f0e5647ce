"""A small demo shop: payments, order export, a cache and its settings."""
