"""The words of the data model that the UI needs at start-up, kept free of Polars so the
first frame does not wait for it to import."""

from __future__ import annotations

FORMS = ("powder", "capsule", "tea", "extract", "other")

# Subjective Opiate Withdrawal Scale (Handelsman et al. 1987): 16 items, each 0-4.
SOWS_ITEMS: dict[str, str] = {
    "anxious": "I feel anxious",
    "yawning": "I feel like yawning",
    "perspiring": "I am perspiring",
    "tearing": "My eyes are tearing",
    "runny_nose": "My nose is running",
    "goosebumps": "I have goosebumps",
    "shaking": "I am shaking",
    "hot_flushes": "I have hot flushes",
    "cold_flushes": "I have cold flushes",
    "aches": "My bones and muscles ache",
    "restless": "I feel restless",
    "nauseous": "I feel nauseous",
    "vomiting": "I feel like vomiting",
    "twitching": "My muscles twitch",
    "cramps": "I have stomach cramps",
    "craving_use": "I feel like using now",
}
SOWS_COLUMNS = tuple(f"sows_{k}" for k in SOWS_ITEMS)
LIFESTYLE = ("exercise", "mindfulness", "support")

EXERCISE_MIN = 30.0  # a day with this many workout minutes is an exercise day (links, Activity)
