"""The demo history's pinned today, for tests that open the app on it (the homes themselves
are the session fixtures in conftest.py)."""

from __future__ import annotations

from dashboard.demo import DEMO_SRC

DEMO_TODAY = (DEMO_SRC / "TODAY").read_text().strip()
