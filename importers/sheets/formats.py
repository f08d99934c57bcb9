"""The `dose-sheet` and `checkin-sheet` import formats: sniffers, readers and the line that
explains a file that is almost one of them.

They are fallbacks (tried after every vendor format and taperdash's own CSVs), so a vendor
export with a "Date" column is never taken for a log. Sniffers see only the file's head, not the
ReadContext: the person's --columns and the config's [dose_csv.NAME] mappings reach them through
`configure()`, which the import pipeline calls first (as with the generic CSV mappings).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from importers.model import ImportRefused, ImportResult
from importers.registry import Format, ReadContext
from importers.sheets import checkins, doses, layout, text
from importers.sheets.options import SheetOptions, from_config

_configured: dict[str, Any] = {"cli": SheetOptions(), "mappings": {}}


def context_options(
    date_order: str | None = None,
    unit: str | None = None,
    columns: Mapping[str, str] | None = None,
    mappings: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """What ReadContext.options carries for the sheet readers (plain data: it is pickled)."""
    return {
        "sheet": {"date_order": date_order, "unit": unit, "columns": dict(columns or {})},
        "dose_csv": {k: dict(v) for k, v in (mappings or {}).items()},
    }


def _from(options: Mapping[str, Any]) -> tuple[SheetOptions, dict[str, Mapping[str, Any]]]:
    raw = options.get("sheet") or {}
    cli = SheetOptions(raw.get("date_order"), raw.get("unit"), dict(raw.get("columns") or {}))
    return cli, dict(options.get("dose_csv") or {})


def configure(options: Mapping[str, Any]) -> None:
    cli, mappings = _from(options)
    _configured["cli"], _configured["mappings"] = cli, mappings


def options_for(
    header: list[str], cli: SheetOptions, mappings: Mapping[str, Mapping[str, Any]]
) -> SheetOptions:
    """--columns wins; else the first [dose_csv.NAME] whose every column is in the header."""
    if cli.columns:
        return cli
    keys = {" ".join(h.casefold().split()) for h in header}
    for name, table in mappings.items():
        mapped = from_config(str(name), table)
        if mapped.columns and all(
            " ".join(c.casefold().split()) in keys for c in mapped.columns.values()
        ):
            return SheetOptions(
                cli.date_order or mapped.date_order,
                cli.unit or mapped.unit,
                mapped.columns,
                mapped.mapping_name,
            )
    return cli


def _layout(head: bytes, sows: Mapping[str, str]) -> tuple[list[str], layout.Layout] | None:
    decoded = text.head_text(head)
    header = text.header_of(decoded)
    if len(header) < 2:
        return None
    opts = options_for(header, _configured["cli"], _configured["mappings"])
    lay = layout.place(header, opts.columns, sows, opts.mapping_name)
    return header, layout.refine(lay, text.first_row(decoded))


class SheetFormats:
    """Both formats, bound to the SOWS item names the caller's data model defines."""

    def __init__(self, sows: Mapping[str, str]) -> None:
        self.sows = dict(sows)

    def sniff_doses(self, name: str, head: bytes) -> bool:
        placed = _layout(head, self.sows)
        return placed is not None and layout.dose_gap(placed[1]) is None

    def sniff_checkins(self, name: str, head: bytes) -> bool:
        placed = _layout(head, self.sows)
        if placed is None:
            return False
        lay = placed[1]
        return lay.amount() is None and layout.checkin_gap(lay) is None

    def _opts(self, data: bytes, ctx: ReadContext) -> SheetOptions:
        cli, mappings = _from(ctx.options)
        return options_for(text.header_of(text.head_text(data[:65536])), cli, mappings)

    def read_doses(self, data: bytes, name: str, ctx: ReadContext) -> ImportResult:
        return doses.read(data, name, ctx, self._opts(data, ctx))

    def read_checkins(self, data: bytes, name: str, ctx: ReadContext) -> ImportResult:
        return checkins.read(data, name, ctx, self._opts(data, ctx), self.sows)

    def explain(self, name: str, head: bytes) -> tuple[int, str] | None:
        """(closeness, line) for a file neither sniffer claimed: what it lacked, or None."""
        try:
            placed = _layout(head, self.sows)
        except ImportRefused as exc:  # a --columns / [dose_csv] mapping that does not fit
            return 100, str(exc)
        if placed is None:
            return None
        header, lay = placed
        dose_roles = [r for r in lay.roles if r in layout.DOSE_ROLES and r != "note"]
        checkin_roles = lay.checkin_roles()
        dated = "date" in lay.roles or "timestamp" in lay.roles
        # near only where the file says what it holds: a lone "sport" or "night" column (an
        # export of workouts or nights) is no check-in sheet, a lone date no dose log
        if checkin_roles and lay.amount() is None and (dated or len(checkin_roles) >= 2):
            gap = layout.checkin_gap(lay) or "cravings"
            return len(checkin_roles) + len(dose_roles), layout.gap_line("checkins", gap, header)
        timed = dated or "time" in lay.roles
        content = any(r in ("grams", "mg", "strain", "form") for r in dose_roles)
        # a dated file with nothing else placed is near only while narrow: a hand-kept log has
        # a few columns, another program's table (steps, ISI answers ...) many
        if timed and (content or (dated and ("time" in lay.roles or len(header) <= 4))):
            gap = layout.dose_gap(lay) or "grams"
            return len(dose_roles), layout.gap_line("doses", gap, header)
        return None

    def formats(self) -> tuple[Format, Format]:
        return (
            Format(
                doses.NAME,
                "a dose log kept in a spreadsheet (date/time or timestamp, amount, strain ...)",
                self.sniff_doses,
                self.read_doses,
                fallback=True,
                explain=self.explain,
            ),
            Format(
                checkins.NAME,
                "a symptoms/mood check-in spreadsheet (date plus cravings, mood, SOWS items ...)",
                self.sniff_checkins,
                self.read_checkins,
                fallback=True,
                explain=self.explain,
            ),
        )
