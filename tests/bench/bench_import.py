"""Benchmark (issue 8): importing the 5-year FIT-heavy history, against decoding it with fitparse.

    .venv/bin/python -m pytest tests/bench/bench_import.py -s -p no:cacheprovider -o addopts=""

- import: `ingest.import_paths` (what `taperdash import DIR` calls) of the whole corpus into a
  fresh home, each run in a fresh interpreter; the time of the call itself, and the wall time
  of the whole process (interpreter and imports included).
- baseline: `for f in files: list(fitparse.FitFile(f).get_messages())` in one process. Decoding
  all ~4000 files takes most of a minute, so it is timed on a fixed random sample (seed 8,
  SAMPLE_FRACTION of each of sleep/, monitor/, activity/: their files differ in size and in
  cost per byte) and each folder's time is scaled by its bytes.
- ROUNDS rounds (TAPERDASH_BENCH_ROUNDS, default 3) of import then baseline, interleaved so the
  machine's load weighs on both alike; the speed-up is the median of the per-round ratios.
  The baseline decodes FIT files only; the import also reads the dose, check-in and Oura CSVs.
- re-import: `taperdash import` of the same, unchanged folder into that home (every file a
  duplicate by the ledger's size/mtime fast path): end-to-end wall time of the command.
Budgets: import >= 10x faster than the baseline; re-import <= 1 s.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bench.conftest import PYTHON, REPO, Corpus, median, new_home, report

SPEEDUP_BUDGET = 10.0
REIMPORT_BUDGET_S = 1.0
ROUNDS = int(os.environ.get("TAPERDASH_BENCH_ROUNDS", "3"))
SAMPLE_FRACTION = 0.08
SAMPLE_SEED = 8


def _child_import(home: str, paths: list[str]) -> dict[str, object]:
    import resource

    from dashboard.core.store import config as config_mod
    from dashboard.core.store import ingest
    from dashboard.core.store.disk import Store
    from importers.registry import ReadContext

    cfg = config_mod.load(Path(home))
    ctx = ReadContext(tz=cfg.zone(), options={"generic_csv": cfg.generic_csv})
    t0 = time.perf_counter()
    outcomes = ingest.import_paths(Store(Path(home)), paths, ctx)
    seconds = time.perf_counter() - t0
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    return {
        "seconds": seconds,
        "counts": counts,
        "failed": [o.line() for o in outcomes if o.status == "failed"][:5],
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child_baseline(args: list[str]) -> dict[str, object]:
    """args: --folder NAME FILE... [--folder NAME FILE...]; seconds per folder."""
    import warnings

    import fitparse

    warnings.filterwarnings("ignore")
    folders: dict[str, list[str]] = {}
    current: list[str] = []
    it = iter(args)
    for arg in it:
        if arg == "--folder":
            current = folders.setdefault(next(it), [])
        else:
            current.append(arg)
    seconds: dict[str, float] = {}
    messages = 0
    for name, files in folders.items():
        t0 = time.perf_counter()
        for f in files:
            messages += len(list(fitparse.FitFile(f).get_messages()))
        seconds[name] = time.perf_counter() - t0
    return {"seconds": seconds, "messages": messages}


def _run_child(*args: str, env: dict[str, str] | None = None) -> tuple[dict[str, object], float]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [PYTHON, "-m", "tests.bench.bench_import", "--child", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
    )
    wall = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1]), wall


def _strata(corpus: Corpus) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for f in corpus.fit_files():
        out.setdefault(f.parent.name, []).append(f)
    return out


def test_import_is_10x_faster_than_fitparse(corpus: Corpus, bench_root: Path) -> None:
    inputs = [str(p) for p in corpus.inputs]
    n_files, total = corpus.n_files(), corpus.total_bytes()
    fit_files = corpus.fit_files()
    fit_bytes = sum(f.stat().st_size for f in fit_files)

    # -- baseline sample: fitparse over a fixed sample of each folder, scaled by bytes -------
    rng = random.Random(SAMPLE_SEED)
    plan: list[tuple[str, list[Path], int, int]] = []  # folder, sample, its bytes, folder bytes
    for name, files in sorted(_strata(corpus).items()):
        k = max(5, round(len(files) * SAMPLE_FRACTION))
        sample = sorted(rng.sample(files, min(k, len(files))))
        plan.append(
            (
                name,
                sample,
                sum(f.stat().st_size for f in sample),
                sum(f.stat().st_size for f in files),
            )
        )
    sample_args = [
        arg for name, sample, *_ in plan for arg in ("--folder", name, *map(str, sample))
    ]

    # -- rounds: import (fresh interpreter, fresh home), then the baseline, interleaved so that
    # the machine's load weighs on both alike; the ratio is taken per round ----------------
    env = {**os.environ, "TAPERDASH_TODAY": corpus.today}
    t_imports: list[float] = []
    walls: list[float] = []
    peaks: list[float] = []
    t_bases: list[float] = []
    per_folder: dict[str, list[float]] = {name: [] for name, *_ in plan}
    homes: list[Path] = []
    for i in range(ROUNDS):
        home = new_home(bench_root / f"import-{i}", corpus.root / "config.toml")
        res, wall = _run_child("import", str(home), *inputs, env=env)
        assert res["failed"] == [], res["failed"]
        t_imports.append(float(str(res["seconds"])))
        peaks.append(float(str(res["maxrss_mb"])))
        walls.append(wall)
        homes.append(home)
        base, _ = _run_child("baseline", *sample_args)
        folder_s = base["seconds"]
        assert isinstance(folder_s, dict)
        t_base_i = 0.0
        for name, _sample, sb, fb in plan:
            per_folder[name].append(float(folder_s[name]))
            t_base_i += float(folder_s[name]) * fb / sb
        t_bases.append(t_base_i)
    ratios = [b / t for b, t in zip(t_bases, t_imports, strict=True)]
    t_import, t_wall, t_base = median(t_imports), median(walls), median(t_bases)
    base_lines: list[str] = []
    for name, sample, sb, fb in plan:
        t = median(per_folder[name])
        base_lines.append(
            f"  {name:9} {len(sample):4} files {sb / 1e6:6.2f} MB in {t:6.2f} s "
            f"({sb / t / 1e6:5.2f} MB/s) -> {fb / 1e6:6.2f} MB: {t * fb / sb:6.1f} s"
        )

    # -- re-import of the unchanged folder: the whole `taperdash import` command -------------
    re_walls: list[float] = []
    re_calls: list[float] = []
    for _ in range(3):
        t0 = time.perf_counter()
        proc = subprocess.run(
            [PYTHON, "-m", "dashboard", "--home", str(homes[0]), "import", *inputs, "--json"],
            cwd=REPO,
            capture_output=True,
            text=True,
            env=env,
        )
        re_walls.append(time.perf_counter() - t0)
        assert proc.returncode == 0, proc.stderr[-2000:]
        doc = json.loads(proc.stdout)
        assert doc["summary"] == {"duplicate": n_files}, doc["summary"]
        res, _ = _run_child("import", str(homes[0]), *inputs, env=env)
        re_calls.append(float(str(res["seconds"])))
    t_re = median(re_walls)

    speedup = median(ratios)
    speedup_wall = median([b / w for b, w in zip(t_bases, walls, strict=True)])
    run_list = ", ".join(f"{t:.2f}" for t in t_imports)
    peak = max(peaks)
    report(
        f"Import: {corpus.root} ({n_files} files, {total / 1e6:.1f} MB; {len(fit_files)} FIT, "
        f"{fit_bytes / 1e6:.1f} MB), {os.cpu_count()} CPUs",
        [
            f"import_paths, fresh home (median of {ROUNDS}): {t_import:.2f} s = "
            f"{n_files / t_import:.0f} files/s, {total / 1e6 / t_import:.2f} MB/s "
            f"(runs {run_list} s; peak RSS {peak:.0f} MB)",
            f"`taperdash import` whole process, wall (median): {t_wall:.2f} s",
            f"baseline: fitparse get_messages() of every FIT file, one process: {t_base:.1f} s "
            f"(ESTIMATED: timed on a seed-{SAMPLE_SEED} random sample of {SAMPLE_FRACTION:.0%} "
            f"of each folder, scaled by bytes; median of {ROUNDS})",
            *base_lines,
            f"speed-up vs baseline (median of the per-round ratios "
            f"{', '.join(f'{r:.1f}' for r in ratios)}): {speedup:.1f}x (budget >= {SPEEDUP_BUDGET:.0f}x: "
            f"{'met' if speedup >= SPEEDUP_BUDGET else 'MISSED'}); whole process: {speedup_wall:.1f}x",
            f"re-import of the unchanged folder, `taperdash import` wall (median of 3): {t_re:.2f} s "
            f"(import_paths alone {median(re_calls):.3f} s; budget <= {REIMPORT_BUDGET_S:.1f} s: "
            f"{'met' if t_re <= REIMPORT_BUDGET_S else 'MISSED'})",
        ],
    )
    assert speedup >= SPEEDUP_BUDGET, (
        f"import {speedup:.1f}x faster than the baseline, budget {SPEEDUP_BUDGET}x"
    )
    assert t_re <= REIMPORT_BUDGET_S, f"re-import took {t_re:.2f} s, budget {REIMPORT_BUDGET_S} s"


def _child_main(argv: list[str]) -> int:
    mode, *rest = argv
    if mode == "import":
        out = _child_import(rest[0], rest[1:])
    elif mode == "baseline":
        out = _child_baseline(rest)
    else:
        raise SystemExit(f"unknown child mode {mode!r}")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.exit(_child_main(sys.argv[2:]))
    sys.exit(pytest.main([__file__, "-s", "-p", "no:cacheprovider", "-o", "addopts="]))
