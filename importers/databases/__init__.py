"""Readers of exported SQLite databases (Android Health Connect, Gadgetbridge). Importing this
package registers their formats; each module's docstring names its layout source."""

from importers.databases import gadgetbridge, health_connect

__all__ = ["gadgetbridge", "health_connect"]
