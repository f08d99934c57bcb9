from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Markdown

from dashboard.screens.base import DataScreen

ABOUT = """\
# About taperdash

**taperdash is a personal record-keeping tool, not medical advice.** It does not diagnose,
treat or prescribe. The advisor repeats general tapering guidance (small steps of 10–20 % a
week, holds when withdrawal or sleep get bad, no sudden drops); it cannot know your health.
Talk to a doctor or pharmacist before changing how you take any substance, and get help at
once if withdrawal is severe: seizures, chest pain, fainting, thoughts of harming yourself.

The links it shows are associations in your own data, with their uncertainty and how many
days they rest on. They are not proof of cause.

Your data stays on this machine: taperdash makes no network connections, and its folder is
readable by you alone.

Keys: `1`–`9` switch screens, `?` shows the keys of this screen, `ctrl+p` opens the command
palette, `q` quits. The mouse works too.

## How the links are worked out

In a taper things travel together: after a step people often exercise less, sleep worse and
dose later. So each link's headline figure is the difference one cause makes **with the
other causes held fixed**, along with the slow drift of your sleep and symptoms over the
months and weekends: one linear model per effect (time asleep, sleep efficiency,
awakenings, withdrawal score, cravings) that holds every cause at once. The plain
comparison (days with the cause against days without) is shown faintly beside it, and
when the two differ by more than the interval, one line says why ("part of the plain
difference came with taper steps").

The 95 % interval comes from resampling runs of 7 days in a row, because one bad night tends
to follow another. "Holds" means the link survives a correction for how many links are
looked at (Benjamini–Hochberg).

The causes:

- **≥ 30 min of exercise** on the day, from your tracker's workouts, or your check-in's
  exercise tick where no tracker was recording.
- **Taper step**: the 3 nights (or days) from a step down of 5 % or more in the planned dose
  (without a plan, the 7-day median of what you took).
- **Late dose**: a dose within 3 hours before going to bed (for symptoms, the evening
  before).
- **Daily dose**, in leaf-gram equivalents, that day and the day before: a figure per gram.
- **Doses per day**: a figure per extra dose in the day.
- **Supplements**, each by name, from the check-ins.
- **Mindfulness** and **support contact**: the check-in's ticks for the day.
- **Regular bedtime**: the 7 nights before had bedtimes within about ±30 minutes of each
  other (their standard deviation at most 30 min, at least 5 of the 7 recorded).
- **Strain switch**: the strains you took that day were not the ones of the day before.

Unknown is not no: a day that no tracker covered (from its first to its last workout) and
no check-in described has unknown exercise, and a day without a check-in has unknown
supplements and ticks. Those days are left out of that cause's link, and the link says how
many and why. Where the data cannot separate two causes (magnesium taken only on step days),
or have too few days for everything the model holds (about 10 days for each thing held
fixed), the link says so in words instead of giving a number.
"""


class AboutScreen(DataScreen):
    TITLE = "About"
    NEEDS_DATA = False

    def compose_body(self) -> ComposeResult:
        yield Markdown(ABOUT, id="about")

    def show(self, bundle: object) -> None:
        home = getattr(bundle, "home", None)
        if home is not None:
            self.query_one("#about", Markdown).update(ABOUT + f"\nData folder: `{home}`\n")
