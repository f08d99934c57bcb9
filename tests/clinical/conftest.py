from __future__ import annotations

import pytest

from dashboard.core.store.config import Config


@pytest.fixture
def config() -> Config:
    return Config(timezone="UTC")


@pytest.fixture
def berlin() -> Config:
    return Config(timezone="Europe/Berlin")
