#!/usr/bin/env bash
# The benchmarks, with one command: builds kneetriage and the benchmark programs in
# Release, installs json-rules-engine into a temporary folder, then bench/compare.py measures
# everything in the same run and prints each figure beside its target.
#
#   bash bench/run.sh            1,000,000 answer lines: a few minutes on two cores
#   bash bench/run.sh --quick    100,000 lines and shorter runs, for a CI smoke test
#   bash bench/run.sh --lines N  any number of lines
#   bash bench/run.sh --build-cost  also the build-cost target (bench/build_cost.sh; ~5 minutes)
#
# Needs cmake, a C++20 compiler, libbenchmark-dev and python3; hyperfine, node and npm, valgrind and
# GNU time are used when present (without node the json-rules-engine comparison is skipped). Scratch files go to
# bench/out/ (ignored by git). Set KNEETRIAGE_BENCH_BUILD to use another build directory.
set -euo pipefail
cd "$(dirname "$0")/.."

args=()
build_cost=0
while (($#)); do
  case "$1" in
    --quick) args+=(--quick) ;;
    --lines) args+=(--lines "${2:?--lines needs a number}"); shift ;;
    --build-cost) build_cost=1 ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown argument '$1' (try --help)" >&2; exit 64 ;;
  esac
  shift
done

build="${KNEETRIAGE_BENCH_BUILD:-build-bench}"
echo "== building (Release) in $build" >&2
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DKNEETRIAGE_BENCH=ON -DKNEETRIAGE_TESTS=OFF \
  >/dev/null
cmake --build "$build" -j2 --target kneetriage kneetriage_micro kneetriage_scaling make_answers \
  make_rules floor_oneshot floor_batch eval_cost >/dev/null

jre_dir=""
cleanup() { if [[ -n "$jre_dir" ]]; then rm -rf "$jre_dir"; fi; }
trap cleanup EXIT
if command -v node >/dev/null && command -v npm >/dev/null; then
  jre_dir="$(mktemp -d -t kneetriage-jre.XXXXXX)"
  echo "== installing json-rules-engine into $jre_dir" >&2
  if npm install --prefix "$jre_dir" --no-audit --no-fund --no-save --silent \
    json-rules-engine@7 >&2; then
    args+=(--jre "$jre_dir/node_modules")
  else
    echo "bench/run.sh: npm install failed; the json-rules-engine comparison is skipped" >&2
  fi
fi

python3 bench/compare.py --build "$build" "${args[@]}"
if ((build_cost)); then
  echo "== build cost (bench/build_cost.sh)" >&2
  bash bench/build_cost.sh
fi
