"""Benchmark: stream a generated Apple Health export.xml (1 GB by default) through the importer.

Run on demand (pytest ignores tests/bench):

    .venv/bin/python tests/bench/bench_apple_health.py [--size-mb 1024] [--file /tmp/...]

The export is generated once into /tmp (never into the repository) and reused while its size
still fits. Each measured pass runs in a fresh interpreter, so its peak RSS is its own:
- baseline: a plain `xml.etree.ElementTree.iterparse` pass over the same file that clears
  every element (the cheapest "real" streaming parse most readers start from);
- floor: expat with no callbacks at all (what parsing alone costs);
- import: `importers.apple_health.read_stream` with a progress callback, frames built.
The figures printed are seconds, MB/s, peak RSS, and import time as a ratio of the baseline
(best time of each pass over --repeat interleaved rounds; peak RSS is the highest seen).
It fails (exit 1) if the import's peak RSS reaches RSS_LIMIT_MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

RSS_LIMIT_MB = 200
DEFAULT_FILE = Path("/tmp/taperdash-bench/apple-health-export.xml")

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 13 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
]>
<HealthData locale="en_GB">
 <ExportDate value="2026-04-20 08:00:00 +0200"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-01-01" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>
"""
WATCH = "Anna’s Apple Watch"
PHONE = "Anna’s iPhone"
DEVICE = (
    "&lt;&lt;HKDevice: 0x283d1a3a0&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,2, software:10.4&gt;"
)
REC = (
    ' <Record type="{t}" sourceName="{s}" sourceVersion="10.4" device="{d}" unit="{u}" '
    'creationDate="{e}" startDate="{a}" endDate="{e}" value="{v}"'
)
ZONE = ZoneInfo("Europe/Berlin")
STAGES = ("AsleepCore", "AsleepDeep", "AsleepCore", "AsleepREM", "Awake")


def _stamp(t: dt.datetime) -> str:
    return t.astimezone(ZONE).strftime("%Y-%m-%d %H:%M:%S %z")


def _day(d: dt.datetime) -> str:
    """About half a megabyte: the record mix of a watch wearer's day (energy and heart rate
    dominate real exports; steps, sleep and workouts are a small share)."""
    out: list[str] = []
    add = out.append
    for minute in range(0, 1440, 1):
        a, e = (
            _stamp(d + dt.timedelta(minutes=minute)),
            _stamp(d + dt.timedelta(minutes=minute + 1)),
        )
        add(
            REC.format(
                t="HKQuantityTypeIdentifierActiveEnergyBurned",
                s=WATCH,
                d=DEVICE,
                u="kcal",
                a=a,
                e=e,
                v="0.412",
            )
            + "/>\n"
        )
        if minute % 5 == 0:
            add(
                REC.format(
                    t="HKQuantityTypeIdentifierHeartRate",
                    s=WATCH,
                    d=DEVICE,
                    u="count/min",
                    a=a,
                    e=a,
                    v="64",
                )
                + '>\n  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n </Record>\n'
            )
        if minute % 8 == 0 and 420 <= minute < 1320:
            add(
                REC.format(
                    t="HKQuantityTypeIdentifierStepCount",
                    s=WATCH,
                    d=DEVICE,
                    u="count",
                    a=a,
                    e=e,
                    v="57",
                )
                + "/>\n"
            )
            add(
                REC.format(
                    t="HKQuantityTypeIdentifierStepCount",
                    s=PHONE,
                    d="",
                    u="count",
                    a=a,
                    e=e,
                    v="44",
                )
                + "/>\n"
            )
            add(
                REC.format(
                    t="HKQuantityTypeIdentifierDistanceWalkingRunning",
                    s=WATCH,
                    d=DEVICE,
                    u="km",
                    a=a,
                    e=e,
                    v="0.04",
                )
                + "/>\n"
            )
    night = d + dt.timedelta(hours=23)
    add(
        REC.format(
            t="HKCategoryTypeIdentifierSleepAnalysis",
            s=PHONE,
            d="",
            u="",
            a=_stamp(night),
            e=_stamp(night + dt.timedelta(hours=8)),
            v="HKCategoryValueSleepAnalysisInBed",
        )
        + "/>\n"
    )
    t = night + dt.timedelta(minutes=10)
    for i in range(30):
        step = dt.timedelta(minutes=14 + i % 5)
        value = "HKCategoryValueSleepAnalysis" + STAGES[i % len(STAGES)]
        add(
            REC.format(
                t="HKCategoryTypeIdentifierSleepAnalysis",
                s=WATCH,
                d=DEVICE,
                u="",
                a=_stamp(t),
                e=_stamp(t + step),
                v=value,
            )
            + "/>\n"
        )
        t += step
    if d.toordinal() % 2 == 0:
        a, e = _stamp(d + dt.timedelta(hours=18)), _stamp(d + dt.timedelta(hours=18, minutes=40))
        add(
            f' <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="40" durationUnit="min" '
            f'sourceName="{WATCH}" sourceVersion="10.4" device="{DEVICE}" creationDate="{e}" startDate="{a}" endDate="{e}">\n'
            f'  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" startDate="{a}" endDate="{e}" sum="402" unit="kcal"/>\n'
            f'  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" startDate="{a}" endDate="{e}" sum="6.1" unit="km"/>\n'
            f'  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="{a}" endDate="{e}" average="148" minimum="95" maximum="176" unit="count/min"/>\n'
            " </Workout>\n"
        )
    add(
        f' <ActivitySummary dateComponents="{d:%Y-%m-%d}" activeEnergyBurned="512" activeEnergyBurnedUnit="kcal" appleExerciseTime="41" appleStandHours="11"/>\n'
    )
    return "".join(out)


def generate(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    d = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        written = len(HEADER)
        while written < size:
            block = _day(d)
            fh.write(block)
            written += len(block.encode())
            d += dt.timedelta(days=1)
        fh.write("</HealthData>\n")
    os.replace(tmp, path)


# --------------------------------------------------------------------------------------
# measured passes, each in its own interpreter


def _child(mode: str, path: str) -> None:
    # Imports happen before the clock starts: a fixed cost that says nothing about streaming.
    import xml.etree.ElementTree as ET
    from xml.parsers import expat

    from importers import apple_health
    from importers.registry import ReadContext

    info: dict[str, object] = {}
    started = time.perf_counter()
    if mode == "iterparse":
        n = 0
        context = ET.iterparse(path, events=("start", "end"))
        _, root = next(context)
        for event, elem in context:
            if event == "end":
                n += 1
                elem.clear()
                if n % 10_000 == 0:
                    root.clear()
        info["elements"] = n
    elif mode == "expat":
        parser = expat.ParserCreate()
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    else:
        calls = 0

        def progress(n: int) -> None:
            nonlocal calls
            calls += 1

        with open(path, "rb") as fh:
            result = apple_health.read_stream(
                fh, Path(path).name, ReadContext(tz=ZoneInfo("UTC")), progress
            )
        info["rows"] = result.rows()
        info["progress_calls"] = calls
    info["seconds"] = time.perf_counter() - started
    info["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(info))


def _run(mode: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=int, default=1024)
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--repeat", type=int, default=3, help="rounds; best time of each pass")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(*args.child)
        return 0

    size = args.size_mb << 20
    path: Path = args.file
    if not path.exists() or not (size <= path.stat().st_size < size + (4 << 20)):
        print(f"generating {args.size_mb} MB export at {path} ...", flush=True)
        started = time.perf_counter()
        generate(path, size)
        print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)
    mb = path.stat().st_size / (1 << 20)
    print(f"file: {path} ({mb:.0f} MB); best of {args.repeat} interleaved rounds")

    # Rounds interleave the passes and each keeps its best time, so a burst of load from
    # elsewhere on the machine does not land on one pass only and skew the ratio.
    results: dict[str, dict] = {}
    for _ in range(args.repeat):
        for mode in ("expat", "iterparse", "import"):
            r = _run(mode, path)
            best = results.get(mode)
            if best is None or r["seconds"] < best["seconds"]:
                r["maxrss_mb"] = max(r["maxrss_mb"], best["maxrss_mb"] if best else 0.0)
                results[mode] = r
            else:
                best["maxrss_mb"] = max(best["maxrss_mb"], r["maxrss_mb"])
    print(f"{'pass':<28}{'seconds':>9}{'MB/s':>9}{'peak RSS MB':>13}")
    labels = {
        "expat": "floor: expat, no callbacks",
        "iterparse": "baseline: ET.iterparse",
        "import": "apple_health.read_stream",
    }
    for mode, r in results.items():
        print(
            f"{labels[mode]:<28}{r['seconds']:>9.1f}{mb / r['seconds']:>9.1f}{r['maxrss_mb']:>13.0f}"
        )
    imp = results["import"]
    ratio = imp["seconds"] / results["iterparse"]["seconds"]
    print(f"import / iterparse time ratio: {ratio:.2f} (below 1 is faster than the baseline)")
    print(f"import / bare expat time ratio: {imp['seconds'] / results['expat']['seconds']:.2f}")
    print(f"rows: {imp['rows']}; progress callbacks: {imp['progress_calls']}")
    if imp["maxrss_mb"] >= RSS_LIMIT_MB:
        print(f"FAIL: peak RSS {imp['maxrss_mb']:.0f} MB is not under {RSS_LIMIT_MB} MB")
        return 1
    print(f"ok: peak RSS {imp['maxrss_mb']:.0f} MB < {RSS_LIMIT_MB} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
