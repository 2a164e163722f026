#!/usr/bin/env bash
# Build cost, measured in one run so that the ratios hold on a busy machine: the CPU
# seconds (user + sys, all processes) and wall seconds of
#   heavy    compiling bench/heavy_file.cpp (nlohmann/json, CLI11, fmt) with -O2 -g
#   first    the README's first command up to the program: configure, build --target kneetriage
#   tests    then the rest of the README's test command's build (every test program; first round)
#   asan     with --ci, also the sanitizer build of .ci/run (configured as it does, all targets;
#            first round)
# for this tree and, optionally, for other trees given (e.g. an older checkout), each copied to a
# scratch folder first, as a fresh clone would be. The heavy file is compiled again just before
# each first command, and first / heavy is printed for that pair: the machine's load changes
# between runs, a ratio of two neighbours much less. --rounds N alternates the trees N times.
#   bash bench/build_cost.sh [--ci] [--rounds N] [OTHER_TREE...]
set -euo pipefail
cd "$(dirname "$0")/.."
ci=0
rounds=1
while (($#)); do
  case "$1" in
    --ci) ci=1 ;;
    --rounds) rounds="${2:?--rounds needs a number}"; shift ;;
    *) break ;;
  esac
  shift
done
scratch="$(mktemp -d -t kneetriage-build-cost.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT

cpu() {  # "CPU-seconds wall-seconds" of a command and all its children
  /usr/bin/time -f "%U %S %e" -o "$scratch/time" "$@" >"$scratch/log" 2>&1 ||
    { cat "$scratch/log" >&2; return 1; }
  awk '{ printf "%.1f %.0f\n", $1 + $2, $3 }' "$scratch/time"
}

trees=("$PWD" "$@")
for ((round = 1; round <= rounds; round++)); do
  for tree in "${trees[@]}"; do
    copy="$scratch/tree-$(basename "$tree")-$RANDOM"
    mkdir -p "$copy"
    (cd "$tree" && tar --exclude='./build*' --exclude='./bench/out' --exclude='./.git' \
      --exclude='./tests/fhir/node_modules' -cf - .) | (cd "$copy" && tar -xf -)
    read -r heavy _ < <(cpu g++ -std=c++20 -O2 -g -DNDEBUG -c bench/heavy_file.cpp -o "$scratch/heavy.o")
    read -r first first_wall < <(cpu bash -c "cd '$copy' && cmake -S . -B build && cmake --build build -j2 --target kneetriage")
    awk -v t="$tree" -v r="$round" -v f="$first" -v fw="$first_wall" -v h="$heavy" 'BEGIN {
      printf "%s (round %d)\n  heavy file (nlohmann/json + CLI11 + fmt, -O2 -g), just before: %6.1f CPU-s\n", t, r, h
      printf "  README first command (configure + build kneetriage):     %6.1f CPU-s = %.2fx the heavy file (target <= 3.5x), %d s wall\n", f, f / h, fw }'
    if ((round == 1)); then
      read -r tests tests_wall < <(cpu bash -c "cd '$copy' && cmake --build build -j2")
      awk -v s="$tests" -v sw="$tests_wall" -v f="$first" -v fw="$first_wall" 'BEGIN {
        printf "  the rest of the test build:                              %6.1f CPU-s; whole test build %.1f CPU-s, %d s wall\n", s, f + s, fw + sw }'
      if ((ci)); then
        read -r asan asan_wall < <(cpu bash -c "cd '$copy' && cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG='-g1 -O1' -DKNEETRIAGE_SANITIZE=ON && cmake --build build-asan -j2")
        echo "  the sanitizer build of .ci/run:                          ${asan} CPU-s, ${asan_wall} s wall"
      fi
    fi
    rm -rf "$copy"
  done
done
