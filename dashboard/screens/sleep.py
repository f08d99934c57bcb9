"""Sleep: minutes asleep per night as bars (insomnia nights marked), averages over a span of
weeks, and the hypnogram of the night under the chart's cursor.

All of it comes from the bundle: the daily frame says which night each source gave (the
configured priority picked it), the raw sleep tables give the chosen session's id and stages.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from dashboard.core.store.config import DIARY_SOURCE
from dashboard.core.words import count
from dashboard.screens.base import DataScreen
from widgets.daily_chart import DailyChart
from widgets.hypnogram import Hypnogram, fmt_minutes
from widgets.stat_tile import StatTile

if TYPE_CHECKING:
    from dashboard.core.analysis.bundle import Bundle
    from dashboard.core.store.config import InsomniaConfig

SPANS_WEEKS: tuple[int, ...] = (1, 2, 4, 6, 8, 13, 26, 52, 0)
"""Spans the w/W keys step through; 0 is the whole history."""
DEFAULT_WEEKS = 8
CHART_CHROME = 8
"""Columns of the chart that are not bars: padding, y labels and the axis line."""


def fitted_weeks(width: int, most: int = DEFAULT_WEEKS) -> int:
    """The longest span up to `most` weeks whose nights get two columns each (a bar and a gap).

    At one column per night the bars run together and the chart stops at half the width.
    """
    return max(2, min(most, (width - CHART_CHROME) // 14))


@dataclass(frozen=True)
class NightInfo:
    """One night as the dashboard shows it: the chosen session and what the others were."""

    date: dt.date
    source: str
    source_id: str | None
    start: dt.datetime | None  # UTC, aware
    end: dt.datetime | None
    utc_offset_min: int
    asleep_min: float | None
    in_bed_min: float | None
    efficiency: float | None  # 0..1
    latency_min: float | None
    awakenings: int | None
    waso_min: float | None
    light_min: float | None
    deep_min: float | None
    rem_min: float | None
    insomnia: bool | None
    others: tuple[str, ...] = ()  # other sources that recorded this night too


def next_span(weeks: int, step: int) -> int:
    """The next longer (step > 0) or shorter span; a fitted span between two steps moves to
    its neighbour, and 0 (all) counts as the longest."""
    order = [w or 10_000 for w in SPANS_WEEKS]
    current = weeks or 10_000
    if step > 0:
        target = next((w for w in order if w > current), order[-1])
    else:
        target = next((w for w in reversed(order) if w < current), order[0])
    return 0 if target == 10_000 else target


def span_label(weeks: int) -> str:
    if weeks == 0:
        return "all nights"
    return "last week" if weeks == 1 else f"last {weeks} weeks"


def insomnia_reasons(night: NightInfo, cfg: InsomniaConfig) -> list[str]:
    """Which thresholds made it an insomnia night, in the words of the config."""
    out = []
    if night.asleep_min is not None and night.asleep_min < cfg.asleep_min:
        out.append(f"asleep < {fmt_minutes(cfg.asleep_min)}")
    if night.efficiency is not None and night.efficiency < cfg.efficiency:
        out.append(f"efficiency < {cfg.efficiency * 100:.0f} %")
    if night.latency_min is not None and night.latency_min > cfg.latency_min:
        out.append(f"latency > {cfg.latency_min:.0f} min")
    if night.waso_min is not None and night.waso_min > cfg.waso_min:
        out.append(f"awake after sleep onset > {cfg.waso_min:.0f} min")
    return out


def is_diary_source(source: str | None) -> bool:
    """The sleep diary is its own series beside the devices, never ranked against them."""
    return (source or "").split(":")[0] == DIARY_SOURCE


@dataclass(frozen=True)
class DiaryNight:
    asleep_min: float | None
    in_bed_min: float | None
    quality: int | None
    device_asleep_min: float | None

    @property
    def diff_min(self) -> float | None:
        if self.asleep_min is None or self.device_asleep_min is None:
            return None
        return self.asleep_min - self.device_asleep_min


def collect_diary(bundle: Bundle) -> dict[dt.date, DiaryNight]:
    """Diary nights beside the device's night of the same date (empty without a diary)."""
    import polars as pl

    sessions = bundle.tables["sleep_sessions"]
    has_diary = sessions.filter(pl.col("source").str.split(":").list.first() == DIARY_SOURCE).height
    if not has_diary:
        return {}
    from dashboard.core.analysis import columns as C
    from dashboard.core.clinical.diary import nights_side_by_side

    side = nights_side_by_side(sessions, bundle.config)
    return {
        row[C.DATE]: DiaryNight(
            asleep_min=row[f"diary_{C.ASLEEP_MIN}"],
            in_bed_min=row[f"diary_{C.IN_BED_MIN}"],
            quality=row["diary_quality"],
            device_asleep_min=row[f"device_{C.ASLEEP_MIN}"],
        )
        for row in side.iter_rows(named=True)
        if row[f"diary_{C.ASLEEP_MIN}"] is not None
    }


def collect_nights(bundle: Bundle) -> dict[dt.date, NightInfo]:
    """The nights of the daily frame, each joined back to its session for id and offset."""
    from dashboard.core.analysis import columns as C

    sessions = bundle.tables["sleep_sessions"]
    by_key: dict[tuple[str, dt.datetime], tuple[str | None, int | None]] = {}
    sources_of: dict[dt.date, set[str]] = {}
    for row in sessions.iter_rows(named=True):
        if row["is_nap"]:
            continue
        start = row["start"]
        by_key[(row["source"], start)] = (row["source_id"], row["utc_offset_min"])
        night = row["night"]
        if night is None and start is not None:
            offset = row["utc_offset_min"]
            local = (
                start + dt.timedelta(minutes=offset)
                if offset is not None
                else start.astimezone(bundle.tz)
            )
            night = (local.replace(tzinfo=None) - dt.timedelta(hours=12)).date()
        if night is not None and not is_diary_source(row["source"]):
            sources_of.setdefault(night, set()).add(row["source"])

    cols = [
        C.DATE, C.SLEEP_SOURCE, C.SLEEP_START, C.SLEEP_END, C.ASLEEP_MIN, C.IN_BED_MIN,
        C.EFFICIENCY, C.LATENCY_MIN, C.AWAKENINGS, C.WASO_MIN, C.LIGHT_MIN, C.DEEP_MIN,
        C.REM_MIN, C.INSOMNIA_NIGHT,
    ]  # fmt: skip
    frame = bundle.daily.select(cols).filter(bundle.daily[C.SLEEP_SOURCE].is_not_null())
    out: dict[dt.date, NightInfo] = {}
    for row in frame.iter_rows(named=True):
        source, start = row[C.SLEEP_SOURCE], row[C.SLEEP_START]
        source_id, offset = by_key.get((source, start), (None, None))
        if offset is None and start is not None:
            delta = start.astimezone(bundle.tz).utcoffset()
            offset = int(delta.total_seconds() // 60) if delta is not None else 0
        day = row[C.DATE]
        out[day] = NightInfo(
            date=day,
            source=source,
            source_id=source_id,
            start=start,
            end=row[C.SLEEP_END],
            utc_offset_min=offset or 0,
            asleep_min=row[C.ASLEEP_MIN],
            in_bed_min=row[C.IN_BED_MIN],
            efficiency=row[C.EFFICIENCY],
            latency_min=row[C.LATENCY_MIN],
            awakenings=row[C.AWAKENINGS],
            waso_min=row[C.WASO_MIN],
            light_min=row[C.LIGHT_MIN],
            deep_min=row[C.DEEP_MIN],
            rem_min=row[C.REM_MIN],
            insomnia=row[C.INSOMNIA_NIGHT],
            others=tuple(sorted(sources_of.get(day, set()) - {source})),
        )
    return out


def stage_rows(bundle: Bundle, night: NightInfo) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """The stages recorded for the night's own session (other sources' stages are not mixed in)."""
    import polars as pl

    if night.source_id is None:
        return []
    stages = bundle.tables["sleep_stages"].filter(
        (pl.col("source") == night.source) & (pl.col("source_id") == night.source_id)
    )
    return [
        (start, end, stage)
        for start, end, stage in stages.select("start", "end", "stage").iter_rows()
        if start is not None and end is not None
    ]


@dataclass(frozen=True)
class NightFix:
    """A hand correction (a night_overrides row that is not undone) and the night it concerns."""

    id: int
    night: dt.date
    kind: str  # nap | not_sleep | times
    start: dt.datetime | None = None  # local wall time of a times correction
    end: dt.datetime | None = None

    def describe(self) -> str:
        if self.kind == "nap":
            return "nap"
        if self.kind == "not_sleep":
            return "not sleep"
        if self.start is not None and self.end is not None:
            return f"times {self.start:%H:%M} → {self.end:%H:%M}"
        return self.kind


def collect_fixes(bundle: Bundle) -> dict[dt.date, list[NightFix]]:
    """The corrections in force, by night, oldest first.

    The bundle's sessions are already corrected: a night marked "not sleep" is gone from them,
    so only then are the imported sessions read again to find which night it was.
    """
    import polars as pl

    from dashboard.core.clinical.overrides import KEY, active

    fixes = active(bundle.tables["night_overrides"])
    if fixes.is_empty():
        return {}
    keys = fixes.select(KEY).unique()
    sessions = bundle.tables["sleep_sessions"].join(keys, on=KEY, how="semi")
    if sessions.height < keys.height:
        from dashboard.core.store.disk import Store

        raw = Store(bundle.home).read("sleep_sessions").join(keys, on=KEY, how="semi")
        sessions = pl.concat([sessions, raw.join(sessions.select(KEY), on=KEY, how="anti")])
    where: dict[tuple[str, str], tuple[dt.date | None, int | None]] = {}
    for row in sessions.iter_rows(named=True):
        night, start, offset = row["night"], row["start"], row["utc_offset_min"]
        if night is None and start is not None:
            local = start + dt.timedelta(minutes=offset or 0)
            night = (local.replace(tzinfo=None) - dt.timedelta(hours=12)).date()
        where[(row["source"], row["source_id"])] = (night, offset)
    out: dict[dt.date, list[NightFix]] = {}
    for row in fixes.sort("id").iter_rows(named=True):
        night, offset = where.get((row["source"], row["source_id"]), (None, None))
        if night is None:
            continue  # the session is gone from the store: nothing to show it on
        off = dt.timedelta(minutes=offset or 0)
        out.setdefault(night, []).append(
            NightFix(
                id=row["id"],
                night=night,
                kind=row["kind"],
                start=None if row["start"] is None else row["start"] + off,
                end=None if row["end"] is None else row["end"] + off,
            )
        )
    return out


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


class SleepScreen(DataScreen):
    TITLE = "Sleep"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w,plus", "span(1)", "Longer span", key_display="w/+", tooltip="Show more weeks"),
        Binding(
            "W,minus", "span(-1)", "Shorter span", key_display="W/-", tooltip="Show fewer weeks"
        ),
        Binding("c", "focus_chart", "Chart", tooltip="Focus the chart; ←/→ pick a night"),
        # New start and end times stay in the shell: a time form here would cost more than it
        # gives, so the help says where to do it.
        Binding(
            "n",
            "fix_night('nap')",
            "Mark nap",
            tooltip="The chosen night was a nap: it leaves the nights (u undoes it). New times:"
            " taperdash night --fix SOURCE:ID --start … --end … (ids: taperdash night --list)",
        ),
        Binding(
            "x",
            "fix_night('not_sleep')",
            "Not sleep",
            tooltip="The chosen night was not sleep (a watch left on): it is dropped (u undoes it)."
            " New times: taperdash night --fix SOURCE:ID --start … --end …",
        ),
        Binding(
            "u",
            "undo_fix",
            "Undo fix",
            tooltip="Undo the last hand correction of the chosen night (new times included)",
        ),
        Binding("left", "night(-1)", "Previous night", show=False),
        Binding("right", "night(1)", "Next night", show=False),
    ]

    DEFAULT_CSS = """
    SleepScreen #sleep-span { height: auto; padding: 0 1; color: $text-muted; }
    SleepScreen #sleep-chart { height: 12; }
    SleepScreen #night-detail { height: auto; padding: 0 1; }
    SleepScreen #no-stages { height: auto; padding: 0 1; color: $text-muted; }
    SleepScreen #sleep-sources { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.weeks = DEFAULT_WEEKS
        self._weeks_chosen = False  # until a key changes it, the span follows the width
        self._bundle: Bundle | None = None
        self._nights: dict[dt.date, NightInfo] = {}
        self._diary: dict[dt.date, DiaryNight] = {}
        self._shown_night: dt.date | None = None
        self._focused_once = False
        self._fixes: dict[dt.date, list[NightFix]] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", id="sleep-span")
        with Horizontal(classes="tiles", id="sleep-tiles"):
            yield StatTile("Asleep (mean)", id="tile-asleep", delta_suffix=" min")
            yield StatTile("Efficiency", id="tile-efficiency", unit="%", delta_suffix=" pp")
            yield StatTile(
                "Latency",
                id="tile-latency",
                unit="min",
                higher_is_better=False,
                delta_suffix=" min",
            )
            yield StatTile("Insomnia nights", id="tile-insomnia", higher_is_better=False)
        yield DailyChart(
            id="sleep-chart",
            title="Asleep per night",
            unit="min",
            marked_label="insomnia night",
        )
        yield Static("", id="night-detail")
        yield Hypnogram(id="hypnogram")
        yield Static("", id="no-stages")
        yield Static("", id="sleep-sources")

    # -- data ----------------------------------------------------------------------------
    def show(self, bundle: Bundle) -> None:
        self._bundle = bundle
        self._nights = collect_nights(bundle)
        self._diary = collect_diary(bundle)
        self._fixes = collect_fixes(bundle)
        series = next(iter(self._nights.values())).source if self._nights else ""
        chart = self.query_one("#sleep-chart", DailyChart)
        if self._diary:
            # Two series exist; the chart shows the one the analysis uses, and says which.
            kind = "diary" if is_diary_source(series) else "devices"
            chart.title = f"Asleep per night · {kind}"
        else:
            chart.title = "Asleep per night"
        if not self._weeks_chosen:
            self.weeks = fitted_weeks(self.size.width or self.app.size.width)
        self._shown_night = None
        self._refresh_span()
        if not self._focused_once:
            self._focused_once = True
            self.query_one("#sleep-chart", DailyChart).focus()

    def span_days(self) -> tuple[dt.date, dt.date] | None:
        """First and last night of the current span, clipped to the nights there are."""
        if not self._nights or self._bundle is None:
            return None
        first_night, last_night = min(self._nights), max(self._nights)
        today = self._bundle.today
        # Night d starts on the evening of d: tonight has not happened yet, so the span ends
        # last night (days without a record show as gaps), unless tonight is already in.
        end = today if today in self._nights else today - dt.timedelta(days=1)
        if self.weeks and last_night < end - dt.timedelta(days=7 * self.weeks - 1):
            # Nothing recorded in the recent span: show the latest nights there are.
            end = last_night
        end = max(end, first_night)
        if self.weeks == 0:
            return first_night, end
        start = max(first_night, end - dt.timedelta(days=7 * self.weeks - 1))
        return start, end

    def _nights_between(self, start: dt.date, end: dt.date) -> list[NightInfo]:
        return [n for d, n in sorted(self._nights.items()) if start <= d <= end]

    def _refresh_span(self) -> None:
        chart = self.query_one("#sleep-chart", DailyChart)
        span = self.span_days()
        if span is None:
            chart.set_data([])
            self.query_one("#sleep-span", Static).update(
                "No nights yet: import a wearable's export on the Imports screen (7)."
            )
            self._update_tiles([], [])
            self._show_night(None)
            self.query_one("#sleep-sources", Static).update("")
            return
        start, end = span
        nights = self._nights_between(start, end)
        days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        values = [(d, self._nights[d].asleep_min if d in self._nights else None) for d in days]
        marked = {n.date for n in nights if n.insomnia}
        chart.set_data(values, marked=marked)
        length = end - start
        before = self._nights_between(
            start - length - dt.timedelta(days=1), start - dt.timedelta(days=1)
        )
        if self.weeks == 0:
            before = []
        self.query_one("#sleep-span", Static).update(
            f"{span_label(self.weeks).capitalize()}: {start:%-d %b} – {end:%-d %b %Y} · "
            f"{count(len(nights), 'night')}"
            + (f" · ▲▼ vs the {span_label(self.weeks)[5:]} before" if before else "")
            + " · ←/→ pick a night"
        )
        self._update_tiles(nights, before)
        self._update_sources(nights)
        day = chart.selected_date
        self._show_night(day)

    def _update_tiles(self, nights: list[NightInfo], before: list[NightInfo]) -> None:
        def values(ns: list[NightInfo], attr: str) -> list[float]:
            return [v for n in ns if (v := getattr(n, attr)) is not None]

        def delta(attr: str, scale: float = 1.0) -> float | None:
            now, prev = _mean(values(nights, attr)), _mean(values(before, attr))
            # A comparison with one or two nights would mostly be noise.
            if now is None or prev is None or len(values(before, attr)) < 3:
                return None
            return round((now - prev) * scale, 1)

        asleep = _mean(values(nights, "asleep_min"))
        self.query_one("#tile-asleep", StatTile).set_stat(
            fmt_minutes(asleep) if asleep is not None else None,
            delta=None if (d := delta("asleep_min")) is None else round(d),
        )
        eff = _mean(values(nights, "efficiency"))
        self.query_one("#tile-efficiency", StatTile).set_stat(
            None if eff is None else round(eff * 100, 1), delta=delta("efficiency", 100.0)
        )
        latency = _mean(values(nights, "latency_min"))
        self.query_one("#tile-latency", StatTile).set_stat(
            None if latency is None else round(latency), delta=delta("latency_min")
        )
        judged = [n for n in nights if n.insomnia is not None]
        count = sum(1 for n in judged if n.insomnia)
        self.query_one("#tile-insomnia", StatTile).set_stat(
            f"{count} of {len(judged)}" if judged else None
        )

    def _update_sources(self, nights: list[NightInfo]) -> None:
        assert self._bundle is not None
        counts: dict[str, int] = {}
        for n in nights:
            counts[n.source] = counts.get(n.source, 0) + 1
        priority = self._bundle.config.source_priority
        rank = {name: i for i, name in enumerate(priority)}
        ordered = sorted(counts, key=lambda s: (rank.get(s, len(priority)), s))
        parts: list[str | tuple[str, str]] = [("Nights by source: ", "bold")]
        parts.append(" · ".join(f"{s} {counts[s]}" for s in ordered) or "none")
        seen = {s for n in self._nights.values() for s in (n.source, *n.others)}
        if len(seen) > 1:
            order = " > ".join(sorted(seen, key=lambda s: (rank.get(s, len(priority)), s)))
            parts.append(
                f"\nWhen sources overlap, the night is taken from {order} (source_priority in config.toml)."
            )
        diary = [
            d
            for day, d in self._diary.items()
            if nights and nights[0].date <= day <= nights[-1].date
        ]
        if diary:
            parts.append(("\nSleep diary: ", "bold"))
            parts.append(f"{count(len(diary), 'night')} in the span")
            diffs = [d.diff_min for d in diary if d.diff_min is not None]
            if diffs:
                mean = statistics.fmean(diffs)
                parts.append(
                    f" · on the {count(len(diffs), 'night')} with both, the diary says {mean:+.0f} min"
                    " asleep vs the device (diaries usually run longer)"
                )
        text = Content.assemble(*parts)
        self.query_one("#sleep-sources", Static).update(text)

    def _show_night(self, day: dt.date | None) -> None:
        detail = self.query_one("#night-detail", Static)
        hypnogram = self.query_one("#hypnogram", Hypnogram)
        no_stages = self.query_one("#no-stages", Static)
        self._shown_night = day
        night = self._nights.get(day) if day is not None else None
        if night is None or self._bundle is None:
            if day is None:
                detail.update("")
            else:
                parts: list[str | tuple[str, str]] = [
                    f"Night of {day:%a %-d %b}: no sleep recorded."
                ]
                detail.update(Content.assemble(*parts, *self._fix_parts(day)))
            hypnogram.display = False
            no_stages.display = False
            return
        detail.update(self._detail_text(night))
        rows = stage_rows(self._bundle, night)
        if rows:
            hypnogram.set_night(
                rows, utc_offset_min=night.utc_offset_min, title=f"Stages ({night.source})"
            )
            hypnogram.display = True
            no_stages.display = False
            return
        hypnogram.display = False
        no_stages.display = True
        totals = [
            f"{label} {fmt_minutes(v)}"
            for label, v in (
                ("light", night.light_min),
                ("deep", night.deep_min),
                ("REM", night.rem_min),
            )
            if v is not None
        ]
        no_stages.update(
            f"No stages from this source ({night.source}): "
            + ("totals only — " + " · ".join(totals) if totals else "totals only.")
        )

    def _detail_text(self, night: NightInfo) -> Content:
        assert self._bundle is not None
        off = dt.timedelta(minutes=night.utc_offset_min)
        parts: list[str | tuple[str, str]] = [(f"Night of {night.date:%a %-d %b}", "bold")]
        if night.start is not None and night.end is not None:
            parts.append(f" · {(night.start + off):%H:%M} → {(night.end + off):%H:%M}")
        if night.asleep_min is not None:
            parts.append(f" · asleep {fmt_minutes(night.asleep_min)}")
            if night.in_bed_min:
                parts.append(f" of {fmt_minutes(night.in_bed_min)} in bed")
        parts += ["\n", ("Source: ", "$text-muted"), (night.source, "bold")]
        if night.others:
            parts.append((f" (chosen over {', '.join(night.others)})", "$text-muted"))
        if night.efficiency is not None:
            parts.append(f" · efficiency {night.efficiency * 100:.0f} %")
        if night.latency_min is not None:
            parts.append(f" · latency {night.latency_min:.0f} min")
        if night.awakenings is not None:
            parts.append(f" · {count(night.awakenings, 'awakening')}")
        diary = self._diary.get(night.date)
        if diary is not None and not is_diary_source(night.source):
            parts.append(("\nDiary: ", "$text-muted"))
            if diary.asleep_min is not None:
                parts.append(f"asleep {fmt_minutes(diary.asleep_min)}")
            if diary.in_bed_min:
                parts.append(f" of {fmt_minutes(diary.in_bed_min)} in bed")
            if diary.quality is not None:
                parts.append(f" · quality {diary.quality}/5")
            if diary.diff_min is not None:
                parts.append((f" · {diary.diff_min:+.0f} min vs {night.source}", "$text-muted"))
        if night.insomnia:
            reasons = insomnia_reasons(night, self._bundle.config.insomnia)
            parts.append(("\nInsomnia night: " + ", ".join(reasons), "bold $text-warning"))
        parts += self._fix_parts(night.date)
        return Content.assemble(*parts)

    def _fix_parts(self, day: dt.date) -> list[str | tuple[str, str]]:
        fixes = self._fixes.get(day)
        if not fixes:
            return []
        last = fixes[-1]
        more = f" (and {len(fixes) - 1} earlier)" if len(fixes) > 1 else ""
        return [
            ("\nCorrected by hand: ", "bold $text-accent"),
            (last.describe(), "bold"),
            f"{more} — u to undo",
        ]

    # -- events and actions -------------------------------------------------------------
    @on(DailyChart.DaySelected, "#sleep-chart")
    def _day_selected(self, event: DailyChart.DaySelected) -> None:
        if event.date != self._shown_night:
            self._show_night(event.date)

    def on_resize(self) -> None:
        if not self._weeks_chosen and self._bundle is not None:
            weeks = fitted_weeks(self.size.width)
            if weeks != self.weeks:
                self.weeks = weeks
                self._refresh_span()

    def action_span(self, step: int) -> None:
        self._weeks_chosen = True
        self.weeks = next_span(self.weeks, step)
        if self._bundle is not None:
            self._refresh_span()

    def action_focus_chart(self) -> None:
        self.query_one("#sleep-chart", DailyChart).focus()

    def _now(self) -> dt.datetime:
        from dashboard.core.clock import effective_now

        assert self._bundle is not None
        pinned = self.tapp.pinned_today
        return effective_now(self._bundle.tz, dt.date.fromisoformat(pinned) if pinned else None)

    def action_fix_night(self, kind: str) -> None:
        from dashboard.core.clinical.overrides import fix_night
        from dashboard.core.errors import UserError
        from dashboard.core.store.disk import Store

        day = self._shown_night
        night = self._nights.get(day) if day is not None else None
        if night is None or self._bundle is None:
            self.notify("Pick a night with sleep on the chart first (←/→).", timeout=4)
            return
        if is_diary_source(night.source):
            self.notify(
                "This night is from your sleep diary: change the diary entry instead.", timeout=6
            )
            return
        if night.source_id is None:
            self.notify("This night has no session id to correct.", severity="warning")
            return
        ref = f"{night.source}:{night.source_id}"
        try:
            fix_night(Store(self.tapp.home), ref, kind, self._now())
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        what = "a nap" if kind == "nap" else "not sleep"
        self.tapp.data_changed(f"Night of {night.date:%a %-d %b} marked as {what} — u to undo")

    def action_undo_fix(self) -> None:
        from dashboard.core.clinical.overrides import undo
        from dashboard.core.errors import UserError
        from dashboard.core.store.disk import Store

        day = self._shown_night
        fixes = self._fixes.get(day) if day is not None else None
        if day is None or not fixes:
            self.notify("No hand correction on this night.", timeout=4)
            return
        try:
            undo(Store(self.tapp.home), fixes[-1].id)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.tapp.data_changed(
            f"Night of {day:%a %-d %b}: correction undone ({fixes[-1].describe()})"
        )

    def action_night(self, step: int) -> None:
        # Reached only when the chart is not focused (the chart binds ←/→ itself).
        self.query_one("#sleep-chart", DailyChart).action_move(step)
