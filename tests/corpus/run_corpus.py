#!/usr/bin/env python3
"""Runs the bad-input corpus (tests/corpus/cases.txt) against the kneetriage binary.

Each case is a command line run by bash, with the exact exit status it must end with and the
parts of its messages that must appear. On top of what each case asks, every case is held to
what must hold for any input at all:
  - no crash and no hang: the exact status, within the case's time limit;
  - no internal error, uncaught exception or sanitizer report on stderr;
  - nothing written that could drive a terminal: no control character but newline and tab, no
    C1 control, no bidi override, only valid UTF-8, and escape sequences only as SGR colours in
    a case that asks for colour (`color: yes`).

    run_corpus.py --bin build/kneetriage                 every case
    run_corpus.py --bin build/kneetriage --case NAME     one case (ctest runs them one by one)
    run_corpus.py --list                                 the case names
    run_corpus.py --generate DIR                         make the large inputs ($GEN) in DIR

Large inputs (a 100 MB rules file, a 10 MB answers line, conditions nested 100,000 deep) are
generated at test time into $GEN, never committed; see GENERATORS below.
"""

import argparse
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SKIPPED = 77  # the exit status when every case run was skipped (ctest's SKIP_RETURN_CODE)
CASES_FILE = os.path.join(HERE, "cases.txt")
FILES = os.path.join(HERE, "files")

# Complete answers for files/valid.json, as flags and as one JSON line.
VALID_FLAGS = "--knees both --hot no --pain 3 --places front"
VALID_LINE = '{"knees": "both", "hot": false, "pain": 3, "places": ["front"]}'

KEYS = {"about", "setup", "run", "status", "stdout", "stderr", "unchanged", "color", "needs",
        "timeout", "known-bug", "stdout-lines", "stdout-json", "pipe"}
REPEATABLE = {"stdout", "stderr", "unchanged", "needs", "setup"}
NEEDS = {"root", "nobody", "mknod"}

# ---- the large inputs, generated at test time ----


def valid_rules():
    with open(os.path.join(FILES, "valid.json"), encoding="utf-8") as f:
        return json.load(f)


def write_json(path, document):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f)


def gen_nested_100000(path):
    """A rule whose condition is nested 100,000 deep: an error, not a stack overflow."""
    when = {"fact": "knees", "operator": "equal", "value": "both"}
    text = json.dumps(when)
    text = '{"not": ' * 50000 + '{"all": [' * 50000 + text + "]}" * 50000 + "}" * 50000
    rules = valid_rules()
    rules["rules"][0]["when"] = "@WHEN@"
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(rules, indent=1).replace('"@WHEN@"', text))


def gen_named_chain_100000(path):
    """100,000 named conditions, each referring to the next: as deep, through references."""
    rules = valid_rules()
    count = 100000
    conditions = {}
    for i in range(count - 1):
        conditions[f"c{i}"] = {"condition": f"c{i + 1}"}
    conditions[f"c{count - 1}"] = {"fact": "knees", "operator": "equal", "value": "both"}
    rules["conditions"].update(conditions)
    rules["rules"] = [{"id": "deep", "source": ["A1"], "when": {"condition": "c0"},
                       "then": {"urgency": "self-care"}}]
    write_json(path, rules)


def gen_deep_value(path):
    """A condition whose value is an array nested 100,000 deep (the loader quotes values)."""
    rules = valid_rules()
    rules["rules"][0]["when"] = {"fact": "places", "operator": "contains", "value": "@V@"}
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(rules).replace('"@V@"', "[" * 100000 + "]" * 100000))


def gen_rules_100mb(path):
    """A 100 MB rules file: a valid one with a 100 MB comment."""
    rules = valid_rules()
    text = json.dumps(rules)
    filler = "x" * (100 * 1024 * 1024)
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"$comment": "' + filler + '", ' + text[1:])


def gen_rules_60mb_many_problems(path):
    """60 MB, under the size limit, with 600 problems at its end: checked in seconds."""
    rules = {"$comment": "x" * (60 * 1024 * 1024)}
    rules.update(valid_rules())
    for i in range(600):
        rules["causes"][0][f"bogus{i}"] = i
    write_json(path, rules)


def gen_rules_many_ids(path):
    """50,000 questions and 600 rules on unknown questions: no 50,000 x 600 typo hunt."""
    rules = valid_rules()
    for i in range(50000):
        rules["questions"].append({"id": f"question-number-{i:06d}", "text": "t", "help": "h",
                                   "type": "boolean"})
    for i in range(600):
        rules["rules"].append({"id": f"r{i}", "source": ["A1"],
                               "when": {"fact": f"unknown-fact-{i:05d}-abcdefgh",
                                        "operator": "equal", "value": True},
                               "then": {"urgency": "self-care"}})
    write_json(path, rules)


def gen_answers_many_keys(path):
    """One line of answers with 80,000 unknown keys (870 KB, under batch's line limit)."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({f"k{i}": 1 for i in range(80000)}, separators=(",", ":")) + "\n")


def gen_answers_deep(path):
    """An answers file whose answer is an array nested 100,000 deep."""
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"knees": ' + "[" * 100000 + "]" * 100000 + "}\n")


def gen_batch_10mb_line(path):
    """Three lines for batch: a good one, one of 10 MB, a good one."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(VALID_LINE + "\n")
        f.write('{"knees": "both", "$comment": "' + "x" * (10 * 1024 * 1024) + '"}\n')
        f.write(VALID_LINE + "\n")


def gen_batch_deep_line(path):
    """A good line, a line nested 100,000 deep, a good line."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(VALID_LINE + "\n")
        f.write('{"knees": ' + "[" * 100000 + "]" * 100000 + "}\n")
        f.write(VALID_LINE + "\n")


def gen_batch_1000(path):
    """1,000 good lines: more output than a pipe holds, for `| head -c 10`."""
    with open(path, "w", encoding="utf-8") as f:
        f.write((VALID_LINE + "\n") * 1000)


GENERATORS = {
    "nested-100000.json": gen_nested_100000,
    "named-chain-100000.json": gen_named_chain_100000,
    "deep-value-100000.json": gen_deep_value,
    "rules-100mb.json": gen_rules_100mb,
    "rules-60mb-600-problems.json": gen_rules_60mb_many_problems,
    "rules-50000-questions.json": gen_rules_many_ids,
    "answers-80000-keys.jsonl": gen_answers_many_keys,
    "answers-deep-100000.json": gen_answers_deep,
    "batch-10mb-line.jsonl": gen_batch_10mb_line,
    "batch-deep-line.jsonl": gen_batch_deep_line,
    "batch-1000.jsonl": gen_batch_1000,
}


def generate(directory, names):
    os.makedirs(directory, exist_ok=True)
    for name in names:
        path = os.path.join(directory, name)
        if os.path.exists(path):
            continue
        if name not in GENERATORS:
            raise SystemExit(f"error: no generator for $GEN/{name}; known: {', '.join(GENERATORS)}")
        temporary = path + f".{os.getpid()}.tmp"
        GENERATORS[name](temporary)
        os.replace(temporary, path)  # concurrent test processes may generate the same file


# ---- the cases ----


class Case:
    def __init__(self, name, line):
        self.name = name
        self.line = line
        self.fields = {}

    def get(self, key, default=None):
        value = self.fields.get(key)
        if value is None:
            return default
        return value

    def all(self, key):
        return self.fields.get(key, [])


def parse_cases(path):
    cases = []
    case = None
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            match = re.fullmatch(r"\[([a-z0-9][a-z0-9-]*)\]", line.strip())
            if match:
                case = Case(match.group(1), number)
                cases.append(case)
                continue
            if case is None:
                raise SystemExit(f"{path}:{number}: a field before the first [case]")
            key, sep, value = line.partition(":")
            key = key.strip()
            if not sep or key not in KEYS:
                raise SystemExit(f"{path}:{number}: unknown field '{key}'; fields: {sorted(KEYS)}")
            value = value.strip()
            if key in REPEATABLE:
                case.fields.setdefault(key, []).append(value)
            elif key in case.fields:
                raise SystemExit(f"{path}:{number}: '{key}' given twice in [{case.name}]")
            else:
                case.fields[key] = value
    names = [c.name for c in cases]
    for c in cases:
        if names.count(c.name) > 1:
            raise SystemExit(f"{path}:{c.line}: case [{c.name}] defined twice")
        for key in ("about", "run", "status"):
            if key not in c.fields:
                raise SystemExit(f"{path}:{c.line}: [{c.name}] needs '{key}'")
        for need in c.all("needs"):
            if need not in NEEDS:
                raise SystemExit(f"{path}:{c.line}: [{c.name}] unknown need '{need}'")
    return cases


def missing_need(need):
    """Why a case cannot run here, or None."""
    if need in ("root", "mknod", "nobody") and os.geteuid() != 0:
        return "not running as root"
    if need == "nobody":
        if shutil.which("runuser") is None:
            return "runuser not found"
        try:
            import pwd
            pwd.getpwnam("nobody")
        except KeyError:
            return "no user 'nobody'"
    if need == "mknod":
        probe = tempfile.mkdtemp()
        try:
            os.mknod(os.path.join(probe, "full"), 0o600 | stat.S_IFCHR, os.makedev(1, 7))
        except OSError as error:
            return f"cannot create a device node ({error.strerror})"
        finally:
            shutil.rmtree(probe)
    return None


ALLOWED_CONTROLS = {0x09, 0x0A}
SGR = re.compile(rb"\x1b\[[0-9;]*m")
BIDI = {0x061C, 0x200E, 0x200F} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
CRASH_MARKERS = ["internal error", "terminate called", "AddressSanitizer", "LeakSanitizer",
                 "UndefinedBehaviorSanitizer", "runtime error:", "Segmentation fault",
                 "core dumped", "std::bad_alloc", "what():"]


def terminal_problem(data, color, json_text=False):
    """Why `data` is not safe to print on a terminal, or None. JSON text is held to JSON's own
    rule (C0 controls escaped) and to UTF-8; the C1 and bidi checks are for text output."""
    if color:
        data = SGR.sub(b"", data)
    for i, byte in enumerate(data):
        if (byte < 0x20 and byte not in ALLOWED_CONTROLS) or (byte == 0x7F and not json_text):
            return f"raw control character 0x{byte:02x} at byte {i}: {data[max(0, i - 30):i + 10]!r}"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"invalid UTF-8 at byte {error.start}: {data[max(0, error.start - 30):error.start + 10]!r}"
    if json_text:
        return None
    for i, char in enumerate(text):
        code = ord(char)
        if 0x80 <= code <= 0x9F or code in BIDI:
            return f"C1 control or bidi override U+{code:04X} at character {i}"
    return None


def snapshot(path):
    """What must stay the same about a file: its type, mode, and (regular files) bytes."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return ("missing",)
    content = None
    if stat.S_ISREG(status.st_mode):
        with open(path, "rb") as f:
            content = f.read()
    return (stat.S_IFMT(status.st_mode), stat.S_IMODE(status.st_mode), status.st_rdev, content)


def describe_snapshot(shot):
    if shot[0] == "missing":
        return "missing"
    kind = {stat.S_IFREG: "regular file", stat.S_IFCHR: "character device",
            stat.S_IFDIR: "directory", stat.S_IFLNK: "symbolic link"}.get(shot[0], "other")
    text = f"{kind}, mode {shot[1]:o}"
    if shot[3] is not None:
        text += f", {len(shot[3])} bytes: {shot[3][:60]!r}"
    return text


def expand(text, env):
    """$NAME replaced by the case's environment (TMP, FILES, GEN, ...)."""
    return re.sub(r"\$([A-Z_]+)", lambda m: env.get(m.group(1), m.group(0)), text)


def run_case(case, binary, generated, verbose):
    """Returns (verdict, details): verdict is 'ok', 'skip' or 'FAIL'."""
    for need in case.all("needs"):
        why = missing_need(need)
        if why:
            return "skip", [f"needs {need}: {why}"]
    text = case.get("run") + "\n" + "\n".join(case.all("setup"))
    generate(generated, sorted(set(re.findall(r"\$GEN/([A-Za-z0-9._-]+)", text))))

    work = tempfile.mkdtemp(prefix=f"kneetriage-corpus-{case.name}-")
    os.chmod(work, 0o755)  # cases that run as `nobody` read their files from here
    env = dict(os.environ)
    for variable in ("KNEETRIAGE_RULES", "NO_COLOR", "COLUMNS"):
        env.pop(variable, None)
    env.update({"KT": binary, "FILES": FILES, "TMP": work, "GEN": generated,
                "VALID_FLAGS": VALID_FLAGS, "VALID_LINE": VALID_LINE, "LC_ALL": "C.UTF-8",
                "TERM": "xterm"})
    details = []
    try:
        for setup in case.all("setup"):
            result = subprocess.run(["bash", "-c", "set -euo pipefail\n" + setup], cwd=work,
                                    env=env, capture_output=True, timeout=120)
            if result.returncode != 0:
                return "FAIL", [f"setup failed ({result.returncode}): {setup}",
                                result.stderr.decode(errors="replace")]
        watched = [os.path.join(work, expand(p, env)) for p in case.all("unchanged")]
        before = [snapshot(p) for p in watched]

        # A case's timeout catches a hang; a sanitizer build runs several times slower, and its
        # CMakeLists sets KNEETRIAGE_TIMEOUT_SCALE to allow for that.
        timeout = float(case.get("timeout", "60")) * float(
            os.environ.get("KNEETRIAGE_TIMEOUT_SCALE", "1"))
        stdout_target = subprocess.PIPE
        closed_pipe = None
        if case.get("pipe") == "closed":
            # A pipe whose reader has gone before the program writes: EPIPE on the first write.
            read_end, write_end = os.pipe()
            os.close(read_end)
            stdout_target = write_end
            closed_pipe = write_end
        start = time.monotonic()
        process = subprocess.Popen(["bash", "-c", case.get("run")], cwd=work, env=env,
                                   stdin=subprocess.DEVNULL, stdout=stdout_target,
                                   stderr=subprocess.PIPE, start_new_session=True)
        if closed_pipe is not None:
            os.close(closed_pipe)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return "FAIL", [f"still running after {timeout:.0f}s: a hang (limit: 'timeout:')"]
        elapsed = time.monotonic() - start
        stdout = stdout or b""
        status = process.returncode

        expected = int(case.get("status"))
        if status != expected:
            details.append(f"exit status {status}, expected {expected}")
        shown_err = stderr.decode("utf-8", errors="replace")
        for marker in CRASH_MARKERS:
            if marker in shown_err:
                details.append(f"stderr shows a crash or internal error ({marker!r})")
        color = case.get("color") == "yes"
        json_out = case.get("stdout-json") == "yes" or case.get("stdout-lines") is not None
        for stream, data, json_text in (("stdout", stdout, json_out), ("stderr", stderr, False)):
            problem = terminal_problem(data, color, json_text)
            if problem:
                details.append(f"{stream} is not safe for a terminal: {problem}")
        shown_out = stdout.decode("utf-8", errors="replace")
        for stream, shown, wanted_list in (("stdout", shown_out, case.all("stdout")),
                                           ("stderr", shown_err, case.all("stderr"))):
            for wanted in wanted_list:
                if wanted == "(empty)":
                    if shown:
                        details.append(f"{stream} should be empty")
                elif expand(wanted, env) not in shown:
                    details.append(f"{stream} lacks {wanted!r}")
        if case.get("stdout-json") == "yes":
            try:
                json.loads(shown_out)
            except ValueError as error:
                details.append(f"stdout is not one JSON document: {error}")
        if case.get("stdout-lines") is not None:
            lines = shown_out.splitlines()
            if len(lines) != int(case.get("stdout-lines")):
                details.append(f"stdout has {len(lines)} lines, expected {case.get('stdout-lines')}")
            for number, line in enumerate(lines, 1):
                try:
                    json.loads(line)
                except ValueError:
                    details.append(f"stdout line {number} is not JSON: {line[:80]!r}")
                    break
        after = [snapshot(p) for p in watched]
        for path, old, new in zip(watched, before, after):
            if old != new:
                details.append(f"{path} changed: was {describe_snapshot(old)}, "
                               f"now {describe_snapshot(new)}")
        failed = bool(details)
        if failed and case.get("known-bug"):
            details.insert(0, f"known bug: {case.get('known-bug')}")
        if failed or verbose:
            details.append(f"command: {case.get('run')}")
            details.append(f"status {status} in {elapsed:.1f}s")
            details.append("stderr: " + (shown_err[:2000] if shown_err else "(empty)"))
            details.append("stdout: " + (shown_out[:500] if shown_out else "(empty)"))
        return ("FAIL" if failed else "ok"), details
    finally:
        subprocess.run(["chmod", "-R", "u+rwX", work], check=False)
        shutil.rmtree(work, ignore_errors=True)


def device_nodes():
    """/dev/full and /dev/null: no case may replace them (a --save over them once did)."""
    return {path: snapshot(path)[:3] for path in ("/dev/full", "/dev/null")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", help="the kneetriage binary")
    parser.add_argument("--case", action="append", help="run only this case (repeatable)")
    parser.add_argument("--list", action="store_true", help="print the case names")
    parser.add_argument("--generate", metavar="DIR", help="generate the large inputs into DIR")
    parser.add_argument("--gen-dir", help="where large inputs are generated (default: a temp dir)")
    parser.add_argument("--verbose", action="store_true", help="show every case's output")
    args = parser.parse_args()

    if args.generate:
        generate(args.generate, sorted(GENERATORS))
        return 0
    cases = parse_cases(CASES_FILE)
    if args.list:
        print("\n".join(c.name for c in cases))
        return 0
    if not args.bin:
        parser.error("--bin is required")
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"error: {binary} is not an executable; build it first")
    if args.case:
        unknown = set(args.case) - {c.name for c in cases}
        if unknown:
            raise SystemExit(f"error: no case named {', '.join(sorted(unknown))}")
        cases = [c for c in cases if c.name in args.case]

    generated = args.gen_dir or tempfile.mkdtemp(prefix="kneetriage-corpus-gen-")
    nodes = device_nodes()
    counts = {"ok": 0, "skip": 0, "FAIL": 0}
    try:
        for case in cases:
            verdict, details = run_case(case, binary, generated, args.verbose)
            counts[verdict] += 1
            print(f"{verdict:4} {case.name}: {case.get('about')}")
            for detail in details:
                for line in detail.splitlines() or [""]:
                    print(f"       {line}")
            sys.stdout.flush()
            if device_nodes() != nodes:
                print(f"FAIL {case.name} replaced /dev/full or /dev/null: restore them "
                      "(mknod -m 666 /dev/full c 1 7) and fix the program", file=sys.stderr)
                return 1
    finally:
        if not args.gen_dir:
            shutil.rmtree(generated, ignore_errors=True)
    print(f"corpus: {len(cases)} cases: {counts['ok']} passed, {counts['FAIL']} failed, "
          f"{counts['skip']} skipped")
    if counts["FAIL"]:
        return 1
    return SKIPPED if counts["skip"] == len(cases) else 0


if __name__ == "__main__":
    sys.exit(main())
