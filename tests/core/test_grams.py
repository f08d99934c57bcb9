"""One reading of typed grams for the CLI and Today's form (issue 20, point 1): the form once
logged `2,5` as 25 g because its field dropped the comma while the CLI read 2.5."""

from __future__ import annotations

import asyncio
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.widgets import Input

from dashboard.cli import main
from dashboard.core.errors import InvalidDose
from dashboard.core.store import doses
from dashboard.core.store.disk import Store
from dashboard.screens.today import grams_field


@pytest.mark.parametrize(
    ("text", "grams"),
    [("2,5", 2.5), ("2.5", 2.5), ("2.5g", 2.5), (" 3 ", 3.0), (".5", 0.5), ("3 g", 3.0)],
)
def test_reads_decimal_points_commas_and_a_unit(text: str, grams: float) -> None:
    assert doses.parse_grams(text) == grams


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1,000", "ambiguous"),
        ("2,500", "ambiguous"),
        ("2..5", "not a number"),
        ("1e3", "not a number"),
        ("nan", "not a number"),
        ("inf", "not a number"),
        ("\u0663", "not a number"),  # Arabic-Indic three: float() would take it
        ("\uff13", "not a number"),  # full-width three
        ("", "type the grams"),
    ],
)
def test_refuses_what_could_be_misread(text: str, words: str) -> None:
    with pytest.raises(InvalidDose, match=words):
        doses.parse_grams(text)


class _Form(App[None]):
    def compose(self) -> ComposeResult:
        yield grams_field()


async def _typed(text: str) -> str:
    """What Today's grams field holds after `text` is typed into it, key by key."""
    app = _Form()
    async with app.run_test() as pilot:
        field = app.query_one(Input)
        field.focus()
        for ch in text:
            field.insert_text_at_cursor(ch)  # what Input does with a printable key
        await pilot.pause()
        return field.value


def _form(text: str) -> float | str:
    try:
        return doses.parse_grams(asyncio.run(_typed(text)))
    except InvalidDose as exc:
        return f"refused: {exc}"


def _cli(home: Path, text: str) -> float | str:
    try:
        rc = main(["log", "--home", str(home), "--", text])
    except SystemExit as exc:
        rc = int(exc.code or 0)
    if rc != 0:
        return "refused"
    return float(Store(home).read("doses").sort("id")["grams"][-1])


def test_form_field_keeps_the_comma() -> None:
    assert asyncio.run(_typed("2,5")) == "2,5"
    assert _form("2,5") == 2.5


GRAMMY = st.one_of(
    st.sampled_from(
        ["2,5", "2.5g", " 3 ", "1,000", "2..5", "-1", "1e3", "nan", "inf", "\u0663", "2,5 g", ",5"]
    ),
    st.from_regex(r"\A ?[0-9]{1,2}[.,]?[0-9]{0,3} ?g?\Z"),
    st.text(alphabet="0123456789.,-+eg \u0663\uff15", min_size=1, max_size=7),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=GRAMMY)
def test_the_form_reads_typed_grams_as_the_cli_does(
    text: str, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path_factory.mktemp("grams")
    cli = _cli(home, text)
    capsys.readouterr()
    form = _form(text)
    if isinstance(form, float) and 0 < form <= doses.MAX_GRAMS:
        assert cli == pytest.approx(form)
    else:  # a refusal in the form (or a dose validate() refuses) is one in the CLI too
        assert cli == "refused"


def test_taperdashs_own_dose_csv_reads_grams_as_the_form_does() -> None:
    from dashboard.core.store import logcsv
    from importers.model import ImportRefused
    from importers.registry import ReadContext

    ctx = ReadContext(tz=ZoneInfo("Europe/Berlin"))
    good = b'taken_at,grams\n2026-11-24T08:00:00+01:00,"2,5"\n'
    assert logcsv.read_doses(good, "doses.csv", ctx).tables["doses"]["grams"].to_list() == [2.5]
    ambiguous = b'taken_at,grams\n2026-11-24T08:00:00+01:00,"1,000"\n'
    with pytest.raises(ImportRefused, match=r"^doses\.csv: line 2, grams: '1,000' is ambiguous"):
        logcsv.read_doses(ambiguous, "doses.csv", ctx)


@pytest.mark.parametrize("potency", ["0", "-3", "75"])
def test_taperdashs_own_dose_csv_refuses_the_potencies_the_form_refuses(potency: str) -> None:
    from dashboard.core.store import logcsv
    from importers.model import ImportRefused
    from importers.registry import ReadContext

    data = f"taken_at,grams,potency\n2026-11-24T08:00:00+01:00,2,{potency}\n".encode()
    with pytest.raises(ImportRefused, match=r"line 2, potency: must be more than 0 and at most 50"):
        logcsv.read_doses(data, "doses.csv", ReadContext(tz=ZoneInfo("Europe/Berlin")))
