"""Vendor export readers (CSV and JSON account exports). Importing this package registers one
format per vendor layout with importers.registry; each module's docstring names its layout
source and time convention."""

from importers.vendors import (
    fitbit,
    garmin_connect,
    oura,
    samsung,
    sleep_as_android,
    whoop,
    withings,
)

# isort: split
# Last, so a vendor's own layout wins over a user mapping that happens to match its header.
from importers.vendors import generic

__all__ = [
    "fitbit",
    "garmin_connect",
    "generic",
    "oura",
    "samsung",
    "sleep_as_android",
    "whoop",
    "withings",
]
