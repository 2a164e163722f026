#!/usr/bin/env python3
"""`kneetriage log` and `progress` on a diary of ten years of daily entries, against a floor.

Makes the diary once (an assessment and 3,653 entries, through `kneetriage import`), then runs the
floor (bench/floor_diary.cpp: start a process, open the file, one SQLite query), `progress`,
`progress --format json` and `log` in turn, RUNS times each, interleaved so that all see the same
machine, and prints each median beside the 50 ms target and the floor.

    python3 bench/diary.py BUILD_DIR [--runs N]
    bash bench/diary.sh            builds build-bench (Release) and runs this
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_MS = 50.0
START = datetime.date(2016, 1, 1)
DAYS = 3653  # ten years


def records():
    yield {"schema": "kneetriage/diary-record/1", "type": "assessment", "day": START.isoformat(),
           "rules_id": "knee-pain-runners", "rules_version": "2.0.0", "urgency": "self-care",
           "causes": ["quad-weakness"],
           "exercises": ["squat", "knee-dip", "clams", "glute-bridge", "foam-roll"],
           "daily_exercises": ["squat", "knee-dip", "clams", "glute-bridge", "foam-roll"],
           "plan": ["couch-to-5k"], "answers": {"knees": "both"}, "origin": "assessment"}
    for n in range(1, DAYS):
        ran = n % 2 == 0
        yield {"schema": "kneetriage/diary-record/1", "type": "entry",
               "day": (START + datetime.timedelta(days=n)).isoformat(),
               "pain_during": (n * 7) % 11 if ran else None, "pain_after": (n * 3) % 11,
               "exercises": ["squat", "clams"] if n % 3 else [], "ran": ran,
               "distance_km": 5.0 if ran else None, "note": f"day {n}", "new_signs": []}


def timed(args, env):
    start = time.perf_counter()
    result = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {result.returncode}: {result.stderr.decode()}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build")
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()
    kneetriage = os.path.join(options.build, "kneetriage")
    floor = os.path.join(options.build, "bench", "floor_diary")
    with tempfile.TemporaryDirectory(prefix="kneetriage-diary-bench-") as tmp:
        diary = os.path.join(tmp, "diary.sqlite")
        lines = os.path.join(tmp, "diary.jsonl")
        with open(lines, "w") as f:
            for record in records():
                f.write(json.dumps(record) + "\n")
        today = (START + datetime.timedelta(days=DAYS - 1)).isoformat()
        env = dict(os.environ, KNEETRIAGE_DIARY=diary, KNEETRIAGE_TODAY=today, COLUMNS="80")
        env.pop("KNEETRIAGE_RULES", None)
        subprocess.run([kneetriage, "import", lines], env=env, check=True,
                       stderr=subprocess.DEVNULL)
        commands = {
            "floor: one SQLite query": [floor, diary],
            "kneetriage progress": [kneetriage, "progress"],
            "kneetriage progress --format json": [kneetriage, "progress", "--format", "json"],
            "kneetriage log (flags)": [kneetriage, "log", "--distance", "5", "--pain-during", "3",
                                       "--pain-after", "2", "--exercises", "all"],
        }
        for args in commands.values():  # warm the page cache
            timed(args, env)
        times = {name: [] for name in commands}
        for _ in range(options.runs):
            for name, args in commands.items():
                times[name].append(timed(args, env))
        size = os.path.getsize(diary)
        floor_ms = statistics.median(times["floor: one SQLite query"])
        print(f"diary: {DAYS - 1} daily entries over ten years, {size / 1024:.0f} KiB; "
              f"{options.runs} runs each, interleaved; medians")
        print(f"{'command':36} {'median':>9} {'p90':>9} {'target':>8} {'x floor':>8}")
        failed = False
        for name, samples in times.items():
            median = statistics.median(samples)
            p90 = sorted(samples)[int(0.9 * (len(samples) - 1))]
            is_floor = name.startswith("floor")
            ok = is_floor or median < TARGET_MS
            failed |= not ok
            print(f"{name:36} {median:7.1f}ms {p90:7.1f}ms "
                  f"{'' if is_floor else f'<{TARGET_MS:.0f}ms':>8} {median / floor_ms:7.1f}x"
                  f"{'' if ok else '  OVER TARGET'}")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
