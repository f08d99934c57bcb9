"""The dependency direction (dashboard -> importers, widgets) and the light start-up path,
checked in fresh interpreters so one test's imports cannot hide another's."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _modules(package: str) -> list[str]:
    """Every module of the package, its subpackages' included."""
    path = ROOT / package.replace(".", "/")
    return [m.name for m in pkgutil.walk_packages([str(path)], prefix=f"{package}.")]


def _loaded_after(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return {name.split(".")[0] for name in out.stdout.split()}


@pytest.mark.parametrize(
    "module",
    [
        "importers",
        *_modules("importers"),  # with its subpackages (vendors, sheets, databases)
        "widgets",
        *_modules("widgets"),
    ],
)
def test_importers_and_widgets_never_import_dashboard(module: str) -> None:
    assert "dashboard" not in _loaded_after(module)


@pytest.mark.parametrize("module", _modules("dashboard.core"))
def test_core_never_imports_textual(module: str) -> None:
    assert "textual" not in _loaded_after(module)


def test_app_start_up_path_does_not_import_the_heavy_libraries(tmp_path: Path) -> None:
    """Up to the first frame: the app and its first screen, and the saved glance read."""
    code = (
        "import sys, pathlib, dashboard.app, dashboard.screens.today\n"
        f"app = dashboard.app.TaperdashApp(home=pathlib.Path({str(tmp_path)!r}))\n"
        "print('\\n'.join(sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded = {name.split(".")[0] for name in out.stdout.split()}
    assert "dashboard" in loaded
    heavy = {"polars", "pyarrow", "numpy", "fitparse"}
    assert not loaded & heavy, loaded & heavy
