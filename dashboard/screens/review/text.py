"""The Review screen's words: tiles' deltas, the advisor, the links that changed, the ISI
line and the per-step table, as Textual markup or Rich renderables (pure functions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.core.words import count, plural

if TYPE_CHECKING:
    from rich.console import RenderableType

    from dashboard.core.clinical.review.model import WeeklyReview


CHANGES_SHOWN = 6  # the Links screen has the rest


def _diff(now: float | None, before: float | None, digits: int | None = None) -> float | None:
    if now is None or before is None:
        return None
    return now - before if digits is None else round(now - before, digits)


def _x100(value: float | None) -> float | None:
    return None if value is None else value * 100


def _hm(minutes: float | None) -> str | None:
    from dashboard.core.words import hm

    return None if minutes is None else hm(minutes, unit="")


def _escape(text: str) -> str:
    from textual.markup import escape

    return escape(text)


def _next_text(review: WeeklyReview) -> str:
    nw = review.next_week
    plan = (
        f"[b]{nw.plan_daily_g:.2f} g a day[/b] planned for {nw.week}"
        if nw.plan_daily_g is not None
        else f"No taper plan set for {nw.week}."
    )
    lines = [
        plan,
        f"Advisor: {_escape(nw.headline)}",
        *(f"[$text-muted]{_escape(r)}[/]" for r in nw.reasons),
    ]
    return "\n".join(lines)


def _links_text(review: WeeklyReview) -> str:
    changed = [lc for lc in review.links if lc.change]
    holding = len(review.links) - len(changed)
    lines: list[str] = [
        f"• [b $accent]{_escape(lc.change or '')}:[/] {_escape(lc.link.text)}"
        # where the adjusted and plain figures differ, one faint line says why
        + (f"\n  [$text-muted]why: {_escape(lc.link.note)}[/]" if lc.link.note else "")
        for lc in changed[:CHANGES_SHOWN]
    ]
    if len(changed) > CHANGES_SHOWN:
        lines.append(f"[$text-muted]and {len(changed) - CHANGES_SHOWN} more[/]")
    if not changed:
        lines.append("[$text-muted]No link changed this week.[/]")
    if holding:
        lines.append(
            f"[$text-muted]{count(holding, 'link')} {plural(holding, 'holds', 'hold')} unchanged; press 5 for the Links screen.[/]"
        )
    return "\n".join(lines)


def _isi_text(review: WeeklyReview, *, answerable: bool) -> str:
    from dashboard.core.weeks import next_week

    isi = review.isi
    if isi is None:
        return "[$text-muted]No ISI data.[/]"
    lines: list[str] = []
    if isi.due and answerable:
        lines.append(
            "[b $warning]Insomnia Severity Index due[/] (it asks about the last two weeks):"
            " press [b]i[/b]"
        )
    elif isi.due:
        lines.append(f"[$text-muted]The ISI was due in {review.week} and was not answered.[/]")
    if isi.latest_total is None:
        lines.append("[$text-muted]No ISI answered yet.[/]")
        return "\n".join(lines)
    change = (
        f" · {isi.change:+d} since the one before".replace("-", "−")
        if isi.change is not None
        else ""
    )
    this_week = " (this week" + ("; i corrects it)" if answerable else ")")
    lines.append(
        f"Latest [b]{isi.latest_total}/28[/b] · {isi.band_text} · {isi.latest_week}"
        + (this_week if isi.latest_week == review.week else "")
    )
    if len(isi.trend) > 1:
        lines.append(f"Trend: {isi.trend_text()}{change}")
    if not isi.due:
        # not due: answered in this week (due again in two) or the week before (in one)
        due = next_week(review.week)
        if isi.latest_week == review.week:
            due = next_week(due)
        lines.append(f"[$text-muted]Next due in {due}.[/]")
    return "\n".join(lines)


def _steps_table(review: WeeklyReview) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    from dashboard.core.clinical.review.render import STEP_MEASURES, step_rows

    rows = step_rows(review.step_effects)
    if not rows:
        return Text("No taper step in the last four weeks.", style="dim")
    table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold", expand=False)
    table.add_column("Step", no_wrap=True)
    table.add_column("Dose", no_wrap=True)
    for _, heading, _, _ in STEP_MEASURES:
        table.add_column(heading, justify="right", no_wrap=True)
    for row in rows:
        step = Text(f"{row.step_date:%a %d %b}")
        if row.running:
            step.append("\nrunning", style="italic")
        cells = [
            Text.assemble(
                (cell.diff, "bold" if cell.clear else ""),
                "\n",
                (f"{cell.interval}  {cell.n}" if cell.interval else cell.n, "dim"),
            )
            for cell in row.cells
        ]
        table.add_row(step, row.dose, *cells)
    return table
