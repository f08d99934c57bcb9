"""Opening the dashboard: on the user's home, or on a private copy of the demo history."""

from __future__ import annotations

from pathlib import Path


def run_dashboard(home: str | None, demo: bool) -> int:
    from dashboard.core.store.home import default_home

    if demo:
        from dashboard.demo import prepare_demo_home

        path, today = prepare_demo_home()
        import os

        os.environ.setdefault("TAPERDASH_TODAY", today.isoformat())
    else:
        path = Path(home).expanduser() if home else default_home()
    from dashboard.app import TaperdashApp

    TaperdashApp(home=path, demo=demo).run()
    return 0
