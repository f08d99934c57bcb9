"""The weekly review: model (dataclasses, JSON), compute (from the daily frame), render (words)."""
