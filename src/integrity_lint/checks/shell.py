"""Placeholder: this module's checks are being written."""
