"""Writes the demo history (or a long one for benchmarks) from the seeded story.

    python -m sample_data.generate [--seed 7] [--out sample_data/demo] [--weeks 16]
    python -m sample_data.generate --years 5 --out /tmp/taperdash-5y [--jobs 2]

The same seed gives byte-identical files: every timestamp inside a file comes from the
story, never from the clock, and files are written in a fixed order by content alone (the
worker pool only changes which process encodes a file, not what it encodes).

Layout of the output folder:
    config.toml      the demo's config (plan, time zone), written through dashboard.core.store.config
    TODAY            the ISO date of the story's last day: the demo's "today"
    doses.csv        the dose log, taperdash's own format
    checkins.csv     the daily check-ins, taperdash's own format
    garmin/sleep/    one FIT sleep file per night the watch was worn
    garmin/monitor/  one FIT monitoring file per day the watch was worn
    garmin/activity/ one FIT activity file per run, walk or ride (per-second records)
    oura/            the Oura ring's trends CSV for the second half
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sample_data import logs, oura
from sample_data.story import DEMO_WEEKS, Story, build_story

DEFAULT_OUT = Path(__file__).resolve().parent / "demo"
MARKER = "TODAY"  # a folder holding it is one we generated, and may be regenerated
OWNED = ("config.toml", "TODAY", "doses.csv", "checkins.csv", "garmin", "oura")


class GenerateError(Exception):
    """A refusal the caller can fix (an output folder that is not ours)."""


def config_toml(story: Story) -> str:
    """The demo's settings (time zone, plan) through the project's own Config, so they are
    valid by construction. The plan is the story's and is written whole; of the rest only
    what differs from the app's defaults, so a default the app changes later reaches the
    demo instead of being pinned in it."""
    import tomli_w

    from dashboard.core.store import config as cfg

    plan = cfg.PlanConfig(
        mode="proportional",
        start_dose_g=story.plan.start_dose_g,
        rate_pct=story.plan.rate_pct,
        start=story.plan.start,
        target_g=story.plan.target_g,
        step_g=story.plan.step_g,
        holds=tuple(cfg.Hold(h.start, h.end) for h in story.plan.holds),
    )
    wanted = cfg.Config(timezone=story.timezone, plan=plan)
    full, defaults = cfg.to_toml_dict(wanted), cfg.to_toml_dict(cfg.Config())
    minimal: dict[str, object] = {}
    for key, value in full.items():
        if key == "plan":
            minimal[key] = value
        elif isinstance(value, dict):
            section = {k: v for k, v in value.items() if defaults.get(key, {}).get(k) != v}
            if section:
                minimal[key] = section
        elif defaults.get(key) != value:
            minimal[key] = value
    text = tomli_w.dumps(minimal)
    if cfg.parse(text) != wanted:  # the schema moved under us: fail here, not in the demo
        raise AssertionError(
            "the demo config does not round-trip through dashboard.core.store.config"
        )
    return text


@dataclass(frozen=True)
class Job:
    """One file to write: a path relative to the output folder and how to make its bytes."""

    rel: str
    make: Callable[..., bytes]
    args: tuple[object, ...]
    cost: float = 0.0  # rough encoding time, to start the slow ones first


def _run(job_and_root: tuple[Job, str]) -> tuple[str, int]:
    job, root = job_and_root
    data = job.make(*job.args)
    path = Path(root) / job.rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return job.rel, len(data)


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise GenerateError(
                f"{out}: not empty and not a generated history (no {MARKER} file); "
                "choose an empty or new folder"
            )
        # a regenerated history must not keep files of an older, longer one
        for name in OWNED:
            p = out / name
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            elif p.exists() or p.is_symlink():
                p.unlink()
    out.mkdir(parents=True, exist_ok=True)


def jobs_for(story: Story) -> list[Job]:
    out = [
        Job("doses.csv", logs.doses_csv, (story.doses,)),
        Job("checkins.csv", logs.checkins_csv, (story.checkins,)),
        Job("config.toml", _text, (config_toml(story),)),
        Job(MARKER, _text, (story.today.isoformat() + "\n",)),
    ]
    if any(d.device == "oura" for d in story.daily):
        out.append(Job(f"oura/{oura.file_name(story)}", oura.trends_csv, (story,)))
    try:
        from sample_data import garmin
    except ImportError as exc:  # the FIT writer has not landed yet
        print(f"note: no FIT files ({exc})", file=sys.stderr)
    else:
        out.extend(Job(*spec) for spec in garmin.jobs(story))
    return out


def _text(s: str) -> bytes:
    return s.encode("utf-8")


def write(
    story: Story, out: Path, jobs: int = 0, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Writes every file of `story` under `out`; returns {relative path: size}."""
    _prepare(out)
    work = jobs_for(story)
    # biggest first, so the pool does not end waiting on one long activity
    work.sort(key=lambda j: (-j.cost, j.rel))
    sizes: dict[str, int] = {}
    n_proc = jobs or min(len(os.sched_getaffinity(0)), 8)
    items: Iterable[tuple[str, int]]
    if n_proc <= 1 or len(work) < 2:
        items = map(_run, ((j, str(out)) for j in work))
        for k, (rel, size) in enumerate(items, 1):
            sizes[rel] = size
            if progress:
                progress(k, len(work))
    else:
        ctx = multiprocessing.get_context(
            "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        )
        with ctx.Pool(n_proc) as pool:
            for k, (rel, size) in enumerate(
                pool.imap_unordered(_run, ((j, str(out)) for j in work), chunksize=4), 1
            ):
                sizes[rel] = size
                if progress:
                    progress(k, len(work))
    return dict(sorted(sizes.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m sample_data.generate", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--out", type=Path, default=None, help="output folder (default: sample_data/demo)"
    )
    ap.add_argument(
        "--weeks", type=int, default=DEMO_WEEKS, help="length of the taper story (default 16)"
    )
    ap.add_argument(
        "--years",
        type=int,
        default=0,
        help="prepend a prehistory so the history spans this many years (benchmarks)",
    )
    ap.add_argument(
        "--jobs", type=int, default=0, help="worker processes (default: the usable CPUs)"
    )
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.weeks < 2:
        ap.error("--weeks must be at least 2")
    if args.years and args.out is None:
        ap.error("--years needs --out: a long history is for benchmarks and is never committed")
    out = args.out or DEFAULT_OUT
    t0 = time.perf_counter()
    story = build_story(args.seed, weeks=args.weeks, years=args.years)

    def progress(k: int, n: int) -> None:
        if not args.quiet and (k == n or k % 200 == 0):
            print(f"\r{k}/{n} files", end="\n" if k == n else "", file=sys.stderr, flush=True)

    try:
        sizes = write(story, out, jobs=args.jobs, progress=progress)
    except GenerateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        total = sum(sizes.values())
        print(
            f"{out}: {len(sizes)} files, {total / 1e6:.1f} MB, {story.start} .. {story.today}, "
            f"{time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
