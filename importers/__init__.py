"""Wearable export readers. They depend on polars and fitparse only, never on dashboard/."""
