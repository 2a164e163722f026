#!/usr/bin/env bash
# The diary benchmark (bench/diary.py): builds kneetriage and the floor in Release in build-bench
# (or $KNEETRIAGE_BENCH_BUILD), then times `log` and `progress` on ten years of daily entries
# against one SQLite query on the same file. Exit 1 when a command misses its 50 ms target.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${KNEETRIAGE_BENCH_BUILD:-build-bench}"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DKNEETRIAGE_BENCH=ON -DKNEETRIAGE_TESTS=OFF \
  >/dev/null
cmake --build "$build" -j2 --target kneetriage floor_diary >/dev/null
python3 bench/diary.py "$build" "$@"
