#!/usr/bin/env python3
"""The whole-process benchmark, run by bench/run.sh (which builds the programs first).

Every comparison is measured in this one run, so the ratios hold even on a noisy machine where
absolute times do not carry from one run to the next:

  one-shot   kneetriage --format json with all flags, against floor_oneshot (a C++ program that
             only prints a JSON document of the same size with fmt), via hyperfine or perf stat;
  batch      kneetriage batch over N answer lines covering the whole answer space, against
             floor_batch (reads each line, parses it with nlohmann/json, writes a fixed document
             of the mean record size) and json-rules-engine (the same rules, the same lines);
  scaling    synthetic rules files of 10 to 10,000 rules: load time and evaluation time;
  memory     the peak resident set of the batch runs.

Batch runs alternate between the programs and keep each one's fastest run (the least disturbed
by the rest of the machine); CPU times are shown beside wall times.
"""

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

TARGETS = {
    "one_shot": 1.3,       # kneetriage / floor latency, at most
    "batch_floor": 0.5,    # kneetriage / floor throughput, at least
    "batch_jre": 30.0,     # kneetriage / json-rules-engine throughput, at least
    "load_ms": 50.0,       # loading 10,000 rules, at most
    "growth": 1.1,         # log-log slope of evaluation time against rules, at most (1 = linear)
    "rss_mb": 20.0,        # batch peak memory, at most
}


def log(message=""):
    print(message, flush=True)


def step(title):
    log()
    log(f"== {title}")


class Run:
    """One finished process: wall and CPU seconds, peak resident set."""

    def __init__(self, wall, user, system, maxrss_kb, status):
        self.wall, self.user, self.system = wall, user, system
        self.cpu = user + system
        self.maxrss_kb = maxrss_kb
        self.status = status


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def measure(command, stdin_path=None, stdout_path=os.devnull, env=None):
    """Runs `command` with stdin from a file and stdout to a file: wall time, CPU time (wait4)
    and peak RSS. The peak comes from GNU time when installed: Linux carries a process's peak
    across exec, so a child forked by this (large) Python process would report Python's."""
    with tempfile.NamedTemporaryFile(prefix="kneetriage-rss-") as rss:
        argv = [GNU_TIME, "-f", "%M", "-o", rss.name] + command if GNU_TIME else command
        with open(stdin_path or os.devnull, "rb") as stdin, open(stdout_path, "wb") as stdout:
            start = time.perf_counter()
            process = subprocess.Popen(argv, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE,
                                       env=env)
            error = process.stderr.read().decode(errors="replace")
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
            process.stderr.close()
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            sys.exit(f"benchmark: {' '.join(command)} exited {code}\n{error}")
        if GNU_TIME:
            with open(rss.name) as text:
                maxrss_kb = int(text.read().split()[-1])
        else:
            maxrss_kb = usage.ru_maxrss
    return Run(wall, usage.ru_utime, usage.ru_stime, maxrss_kb, code)


def output_bytes(command):
    """How many bytes `command` writes, counted as they stream past."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    total = 0
    for block in iter(lambda: process.stdout.read(1 << 20), b""):
        total += len(block)
    if process.wait() != 0:
        sys.exit(f"benchmark: {' '.join(command)} exited {process.returncode}")
    return total


def best(runs):
    return min(runs, key=lambda run: run.wall)


def rate(lines, run):
    return lines / run.wall


def verdict(ok):
    return "PASS" if ok else "MISS"


def count_lines(path):
    count = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            count += block.count(b"\n")
    return count


# ---- one-shot latency ----

def spread(values):
    """Mean, median and minimum of a list of times."""
    values = sorted(values)
    return {"mean": sum(values) / len(values), "median": values[len(values) // 2],
            "min": values[0]}


def perf_works():
    """True when `perf stat` can count task-clock here (it may be missing or not permitted)."""
    if not shutil.which("perf"):
        return False
    probe = subprocess.run(["perf", "stat", "-x,", "-e", "task-clock", "true"],
                           capture_output=True, text=True)
    return probe.returncode == 0 and "task-clock" in probe.stderr


def perf_task_clock(argv, runs):
    """Mean task-clock of `runs` runs of argv, in seconds (perf stat -r)."""
    result = subprocess.run(["perf", "stat", "-x,", "-e", "task-clock", "-r", str(runs)] + argv,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            check=True)
    for line in result.stderr.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2] == "task-clock":
            return float(fields[0]) / 1e3  # msec
    sys.exit(f"benchmark: no task-clock in perf's output:\n{result.stderr}")


def one_shot(args, tools):
    step("one-shot latency: kneetriage --format json with all flags, against floor_oneshot")
    flags = subprocess.run([tools["make_answers"], "--heaviest"], capture_output=True, text=True,
                           check=True).stdout.split()
    command = [tools["kneetriage"], "--format", "json"] + flags
    size = len(subprocess.run(command, capture_output=True, check=True).stdout)
    floor = [tools["floor_oneshot"], str(size)]
    log(f"the answers with the largest assessment ({size} bytes of JSON):")
    log("  kneetriage --format json " + " ".join(flags))
    runs = 100 if args.quick else 400
    if shutil.which("hyperfine"):
        with tempfile.NamedTemporaryFile(suffix=".json") as export:
            subprocess.run(["hyperfine", "-N", "--warmup", "20", "--runs", str(runs),
                            "--export-json", export.name, "--style", "basic",
                            " ".join(command), " ".join(floor)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            results = json.load(open(export.name))["results"]
        ours, base = (results[0], results[1])
        stats = {name: {key: r[key] for key in ("mean", "median", "min")}
                 for name, r in (("kneetriage", ours), ("floor", base))}
        tool = f"hyperfine, {runs} runs each"
    elif perf_works():
        # perf counts each process's own CPU time (task-clock), without this Python process's
        # fork and exec; rounds alternate between the two so that both see the same machine.
        rounds = 6
        means = {"kneetriage": [], "floor": []}
        for _ in range(rounds):
            for name, argv in (("kneetriage", command), ("floor", floor)):
                means[name].append(perf_task_clock(argv, runs // rounds))
        stats = {name: spread(values) for name, values in means.items()}
        tool = (f"perf stat task-clock (CPU time of the process), {rounds} alternating rounds of "
                f"{runs // rounds} runs; the figures are the rounds' means")
    else:  # a plain loop: it also times Python's fork and exec, which pulls the ratio towards 1
        stats = {}
        for name, argv in (("kneetriage", command), ("floor", floor)):
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
                times.append(time.perf_counter() - start)
            stats[name] = spread(times)
        tool = f"a Python loop, {runs} runs each (hyperfine not installed)"
    log(f"measured with {tool}")
    log(f"  {'':12} {'median':>10} {'mean':>10} {'min':>10}")
    for name in ("kneetriage", "floor"):
        s = stats[name]
        log(f"  {name:12} {s['median'] * 1e3:9.2f}ms {s['mean'] * 1e3:9.2f}ms {s['min'] * 1e3:9.2f}ms")
    ratio = stats["kneetriage"]["median"] / stats["floor"]["median"]
    log(f"  kneetriage / floor (median): {ratio:.2f}x   "
        f"(mean {stats['kneetriage']['mean'] / stats['floor']['mean']:.2f}x)")
    return ratio


# ---- batch throughput ----

def batch(args, tools, out_dir, answers, lines):
    step(f"batch throughput: {lines:,} answer lines")
    kneetriage = tools["kneetriage"]
    # The floor writes a document the size of a mean full record, measured on a sample.
    sample_lines = min(lines, 100_000)
    sample = os.path.join(out_dir, "sample.jsonl")
    with open(answers, "rb") as source, open(sample, "wb") as target:
        for _ in range(sample_lines):
            target.write(source.readline())
    record_bytes = round(output_bytes([kneetriage, "batch", sample]) / sample_lines)
    os.remove(sample)
    log(f"mean full record: {record_bytes:,} bytes (over the first {sample_lines:,} records)")

    programs = {
        "kneetriage batch (json)": [kneetriage, "batch"],
        "kneetriage batch (summary)": [kneetriage, "batch", "--format", "summary"],
        "floor_batch": [tools["floor_batch"], str(record_bytes)],
    }
    runs = {name: [] for name in programs}
    rounds = 5 if args.quick else 3
    for _ in range(rounds):
        for name, command in programs.items():
            runs[name].append(measure(command, stdin_path=answers))
    log(f"best of {rounds} alternating runs, stdout to /dev/null:")
    log(f"  {'':28} {'wall':>8} {'cpu':>8} {'lines/s':>12} {'peak RSS':>10}")
    for name in programs:
        run = best(runs[name])
        peak = max(r.maxrss_kb for r in runs[name])
        log(f"  {name:28} {run.wall:7.2f}s {run.cpu:7.2f}s {rate(lines, run):12,.0f} "
            f"{peak / 1024:8.1f}MB")
    ours, summary, floor = (best(runs[name]) for name in programs)
    ratio = floor.wall / ours.wall
    log(f"  kneetriage (json) / floor throughput: {ratio:.2f}x wall, "
        f"{floor.cpu / ours.cpu:.2f}x cpu")
    log(f"  kneetriage (summary) / floor throughput: {floor.wall / summary.wall:.2f}x wall")
    peak_mb = max(r.maxrss_kb for name in programs if name.startswith("kneetriage")
                  for r in runs[name]) / 1024
    return {"ratio": ratio, "json": ours, "summary": summary, "peak_mb": peak_mb,
            "record_bytes": record_bytes}


def strip_place(line):
    """A summary record without its "schema", "file" and "line": what jre_batch.js writes."""
    record = json.loads(line)
    for place in ("schema", "file", "line"):
        record.pop(place, None)
    return record


def peer(args, tools, out_dir, answers, lines, ours_runs):
    step("json-rules-engine on the same rules and the same lines")
    if not args.jre or not shutil.which("node"):
        log("skipped: node or json-rules-engine not available (bench/run.sh installs it)")
        return None
    env = dict(os.environ, NODE_PATH=args.jre)
    version = json.load(open(os.path.join(args.jre, "json-rules-engine", "package.json")))["version"]
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    log(f"json-rules-engine {version} on node {node}, allowUndefinedFacts: true")
    jre_out = os.path.join(out_dir, "jre-summary.jsonl")
    ours_out = os.path.join(out_dir, "kneetriage-summary.jsonl")
    rules = os.path.join(args.source, "rules", "knee.json")
    jre = measure(["node", os.path.join(args.source, "bench", "jre_batch.js"), rules],
                  stdin_path=answers, stdout_path=jre_out, env=env)
    # Ours on the same terms: the same records, written to a file too.
    ours = measure([tools["kneetriage"], "batch", "--format", "summary", "--rules", rules],
                   stdin_path=answers, stdout_path=ours_out)
    log(f"  {'':28} {'wall':>8} {'cpu':>8} {'lines/s':>12} {'peak RSS':>10}")
    for name, run in (("json-rules-engine", jre), ("kneetriage batch (summary)", ours)):
        log(f"  {name:28} {run.wall:7.2f}s {run.cpu:7.2f}s {rate(lines, run):12,.0f} "
            f"{run.maxrss_kb / 1024:8.1f}MB")
    # Do both engines reach the same verdicts? Every line, field by field.
    agree = total = 0
    first_difference = None
    with open(jre_out) as theirs, open(ours_out) as mine:
        for number, (a, b) in enumerate(zip(theirs, mine), start=1):
            total += 1
            if json.loads(a) == strip_place(b):
                agree += 1
            elif first_difference is None:
                first_difference = (number, a.strip(), b.strip())
    log(f"  the same urgency, causes and fired rules on {agree:,} of {total:,} lines"
        + ("" if agree == total == lines else "  <-- DISAGREEMENT"))
    if first_difference:
        log(f"  first difference at line {first_difference[0]}:\n    json-rules-engine {first_difference[1]}"
            f"\n    kneetriage        {first_difference[2]}")
    json_run, summary_run = ours_runs["json"], ours_runs["summary"]
    ratios = {
        "summary": jre.wall / summary_run.wall,
        "summary_file": jre.wall / ours.wall,
        "json": jre.wall / json_run.wall,
    }
    log(f"  kneetriage / json-rules-engine throughput: {ratios['summary']:.0f}x (summary), "
        f"{ratios['json']:.0f}x (full json records)")
    for path in (jre_out, ours_out):  # several hundred MB for a million lines
        os.remove(path)
    return {"ratios": ratios, "agree": agree == total == lines}


# ---- scaling ----

def slope(points):
    """Least-squares slope of log(time) against log(rules)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def scaling(args, tools, out_dir):
    step("scaling: synthetic rules files of 10 to 10,000 rules (bench/support.hpp)")
    min_time = "0.1" if args.quick else "0.5"
    result = subprocess.run([tools["kneetriage_scaling"], "--benchmark_format=json",
                             f"--benchmark_min_time={min_time}"],
                            capture_output=True, text=True, check=True)
    rows = {}
    for bench in json.loads(result.stdout)["benchmarks"]:
        name = bench["name"]
        if name.endswith(("_BigO", "_RMS")):
            if name.endswith("_BigO"):
                rows.setdefault("fit", {})[name[: -len("_BigO")]] = bench.get("big_o")
            continue
        kind, n = name.split("/")
        rows.setdefault(int(n), {})[kind] = bench
    sizes = sorted(n for n in rows if isinstance(n, int))
    to_ms = {"ms": 1.0, "us": 1e-3, "ns": 1e-6}
    to_us = {"ms": 1e3, "us": 1.0, "ns": 1e-3}
    log(f"  {'rules':>6} {'file':>9} {'load (cpu)':>12} {'per rule':>10} {'assess (cpu)':>13} "
        f"{'per rule':>10} {'fired/set':>10}")
    load_points, eval_points = [], []
    for n in sizes:
        load, evaluate = rows[n]["load_synthetic_rules"], rows[n]["assess_synthetic_rules"]
        load_ms = load["cpu_time"] * to_ms[load["time_unit"]]
        eval_us = evaluate["cpu_time"] * to_us[evaluate["time_unit"]]
        load_points.append((n, load_ms))
        eval_points.append((n, eval_us))
        log(f"  {n:6,} {load['rules_file_bytes'] / 1e6:7.2f}MB {load_ms:10.2f}ms "
            f"{load_ms * 1e3 / n:8.2f}us {eval_us:11.2f}us {eval_us * 1e3 / n:8.1f}ns "
            f"{evaluate['fired_per_set']:10.1f}")
    fit = rows.get("fit", {})
    growth = slope([p for p in eval_points if p[0] >= 100])
    load_growth = slope([p for p in load_points if p[0] >= 100])
    log(f"  growth in time (log-log slope, 100 to 10,000 rules): evaluation {growth:.2f}, "
        f"load {load_growth:.2f}  (1.00 = linear)")
    work_growth = instructions(tools, [100, 1000, 10000])
    if fit:
        log(f"  Google Benchmark's complexity fit: evaluation O({fit.get('assess_synthetic_rules', '?')}), "
            f"load O({fit.get('load_synthetic_rules', '?')})")
    # The same load, end to end: a process that loads and checks the 10,000-rule file, then
    # prints its questionnaire. (Not `kneetriage check`: after loading, it walks the answer space
    # to prove invariants, up to 2,000,000 answer sets, which takes hours at 10,000 rules.)
    biggest = os.path.join(out_dir, "synthetic-10000.json")
    with open(biggest, "wb") as f:
        subprocess.run([tools["make_rules"], "10000"], stdout=f, check=True)
    runs = [measure([tools["kneetriage"], "--rules", biggest, "questions"])
            for _ in range(3 if args.quick else 5)]
    log(f"  kneetriage --rules synthetic-10000.json questions, whole process: "
        f"{best(runs).wall * 1e3:.0f}ms wall (best of {len(runs)}), "
        f"peak RSS {max(r.maxrss_kb for r in runs) / 1024:.0f}MB")
    return {"load_10000_ms": dict(load_points)[10000], "growth": growth, "work_growth": work_growth}


def instructions(tools, sizes, sets=50):
    """Instructions per evaluation, counted by callgrind: the work itself, which (unlike time)
    does not grow when the rules outgrow the CPU caches. None without valgrind."""
    if not shutil.which("valgrind"):
        log("  (valgrind not installed: instructions per evaluation not counted)")
        return None
    points = []
    with tempfile.TemporaryDirectory() as scratch:
        for n in sizes:
            out = os.path.join(scratch, f"callgrind-{n}.out")
            subprocess.run(["valgrind", "--tool=callgrind", "--toggle-collect=kneetriage::assess(*",
                            f"--callgrind-out-file={out}", tools["eval_cost"], str(n), str(sets)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            with open(out) as f:
                total = next(int(l.split()[1]) for l in f if l.startswith("totals:"))
            points.append((n, total / sets))
    log("  instructions per evaluation (callgrind, " + f"{sets} answer sets): " +
        ", ".join(f"{n:,} rules {ir:,.0f} ({ir / n:.0f} per rule)" for n, ir in points))
    work = slope(points)
    log(f"  growth in work (log-log slope of instructions): {work:.2f}; the time per rule rises "
        f"more than the work as the rules outgrow the caches")
    return work


def micro(args, tools):
    step("micro-benchmarks (Google Benchmark, built-in rules)")
    min_time = "0.05" if args.quick else "0.2"
    result = subprocess.run([tools["kneetriage_micro"], f"--benchmark_min_time={min_time}",
                             "--benchmark_format=json"], capture_output=True, text=True,
                            check=True)
    log(f"  {'benchmark':40} {'cpu time':>12} {'items/s':>14}")
    for bench in json.loads(result.stdout)["benchmarks"]:
        label = bench["name"] + (f" ({bench['label']})" if bench.get("label") else "")
        per_second = bench.get("items_per_second")
        log(f"  {label:40} {bench['cpu_time']:9.2f} {bench['time_unit']:2} "
            f"{per_second:14,.0f}" if per_second else
            f"  {label:40} {bench['cpu_time']:9.2f} {bench['time_unit']:2}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", required=True, help="the build directory (Release, with bench)")
    parser.add_argument("--source", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--jre", help="a node_modules folder holding json-rules-engine")
    parser.add_argument("--quick", action="store_true", help="100,000 lines and short runs")
    parser.add_argument("--lines", type=int, help="answer lines (default 1,000,000; quick 100,000)")
    args = parser.parse_args()
    lines = args.lines or (100_000 if args.quick else 1_000_000)

    build = os.path.abspath(args.build)
    tools = {"kneetriage": os.path.join(build, "kneetriage")}
    for name in ("kneetriage_micro", "kneetriage_scaling", "make_answers", "make_rules",
                 "floor_oneshot", "floor_batch", "eval_cost"):
        tools[name] = os.path.join(build, "bench", name)
    for name, path in tools.items():
        if not os.access(path, os.X_OK):
            sys.exit(f"benchmark: {path} is missing; build with -DKNEETRIAGE_BENCH=ON (bench/run.sh)")
    out_dir = os.path.join(args.source, "bench", "out")
    os.makedirs(out_dir, exist_ok=True)

    started = time.perf_counter()
    version = subprocess.run([tools["kneetriage"], "--version"], capture_output=True,
                             text=True).stdout.strip()
    log(f"{version}; {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} at the start")
    log(f"mode: {'quick' if args.quick else 'full'}, {lines:,} answer lines")

    answers = os.path.join(out_dir, f"answers-{lines}.jsonl")
    made = subprocess.run([tools["make_answers"], "--lines", str(lines)], stdout=open(answers, "wb"),
                          stderr=subprocess.PIPE, text=True, check=True)
    space = int(made.stderr.split("has ")[1].split()[0])
    log(f"the answer space has {space:,} complete answer sets; {lines:,} lines cover "
        + ("every one of them" if lines >= space else f"{lines:,} of them"))
    assert count_lines(answers) == lines

    micro(args, tools)
    latency = one_shot(args, tools)
    throughput = batch(args, tools, out_dir, answers, lines)
    jre = peer(args, tools, out_dir, answers, lines, throughput)
    scale = scaling(args, tools, out_dir)

    step("targets")
    rows = [
        ("one-shot latency / floor", f"{latency:.2f}x", f"<= {TARGETS['one_shot']}x",
         latency <= TARGETS["one_shot"]),
        ("batch throughput / floor", f"{throughput['ratio']:.2f}x", f">= {TARGETS['batch_floor']}x",
         throughput["ratio"] >= TARGETS["batch_floor"]),
    ]
    if jre:
        rows.append(("batch throughput / json-rules-engine", f"{jre['ratios']['summary']:.0f}x "
                     f"(json records {jre['ratios']['json']:.0f}x)", f">= {TARGETS['batch_jre']:.0f}x",
                     jre["ratios"]["json"] >= TARGETS["batch_jre"]))
        rows.append(("json-rules-engine agrees on every line", "yes" if jre["agree"] else "no",
                     "yes", jre["agree"]))
    rows += [
        ("load 10,000 rules", f"{scale['load_10000_ms']:.1f}ms", f"< {TARGETS['load_ms']:.0f}ms",
         scale["load_10000_ms"] < TARGETS["load_ms"]),
        ("evaluation growth with rules",
         (f"work {scale['work_growth']:.2f}, time {scale['growth']:.2f}"
          if scale["work_growth"] is not None else f"time {scale['growth']:.2f}"),
         f"slope <= {TARGETS['growth']} (linear)",
         (scale["work_growth"] if scale["work_growth"] is not None else scale["growth"])
         <= TARGETS["growth"]),
        (f"batch peak RSS ({lines:,} lines)", f"{throughput['peak_mb']:.1f}MB",
         f"< {TARGETS['rss_mb']:.0f}MB", throughput["peak_mb"] < TARGETS["rss_mb"]),
    ]
    for name, value, target, ok in rows:
        log(f"  {verdict(ok)}  {name:40} {value:26} target {target}")
    log()
    log(f"took {time.perf_counter() - started:.0f}s; load average {os.getloadavg()[0]:.2f} at the end")
    # A missed target is a finding to report, not a failure; two engines disagreeing is a bug.
    return 1 if jre and not jre["agree"] else 0


if __name__ == "__main__":
    sys.exit(main())
