#!/usr/bin/env bash
# Build cost (issue 9), measured in one run so that the ratios hold on a busy machine: the CPU
# seconds (user + sys, all processes) of
#   heavy    compiling bench/heavy_file.cpp (nlohmann/json, CLI11, fmt) with -O2 -g
#   first    the README's first command up to the program: configure, build --target kneetriage
#   tests    then the rest of the README's test command's build (every test program)
# for this tree and, optionally, for other trees given (e.g. an older checkout), each copied to a
# scratch folder first, as a fresh clone would be. Prints each figure and first / heavy.
#   bash bench/build_cost.sh [OTHER_TREE...]
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="$(mktemp -d -t kneetriage-build-cost.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT

cpu() {  # CPU seconds of a command and all its children
  /usr/bin/time -f "%U %S" -o "$scratch/time" "$@" >"$scratch/log" 2>&1 ||
    { cat "$scratch/log" >&2; return 1; }
  awk '{ printf "%.1f", $1 + $2 }' "$scratch/time"
}

heavy=$(cpu g++ -std=c++20 -O2 -g -DNDEBUG -c bench/heavy_file.cpp -o "$scratch/heavy.o")
echo "heavy file (nlohmann/json + CLI11 + fmt, -O2 -g): ${heavy} CPU-s"

trees=("$PWD" "$@")
for tree in "${trees[@]}"; do
  copy="$scratch/tree-$(basename "$tree")-$RANDOM"
  mkdir -p "$copy"
  (cd "$tree" && tar --exclude='./build*' --exclude='./bench/out' -cf - .) | (cd "$copy" && tar -xf -)
  first=$(cpu bash -c "cd '$copy' && cmake -S . -B build && cmake --build build -j2 --target kneetriage")
  tests=$(cpu bash -c "cd '$copy' && cmake --build build -j2")
  awk -v t="$tree" -v f="$first" -v s="$tests" -v h="$heavy" 'BEGIN {
    printf "%s\n  README first command (configure + build kneetriage): %6.1f CPU-s = %.1fx the heavy file (target <= 3x)\n", t, f, f / h
    printf "  the rest of the test build:                          %6.1f CPU-s; whole test build %.1f CPU-s\n", s, f + s }'
  rm -rf "$copy"
done
