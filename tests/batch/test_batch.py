"""`kneetriage batch` end to end: records, order, exit statuses, input edge cases, the line-size
limit, streaming and progress.

Run by CTest as `python3 test_batch.py BINARY SOURCE_DIR [TestCase ...]`.
"""

import itertools
import json
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import unittest

BINARY = None
SOURCE_DIR = None
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
LIMIT = 1 << 20  # the documented line limit: 1 MiB

# A complete answer set for the built-in rules: both knees, no red flag.
BASE = {
    "knees": "both", "weight_bearing": True, "very_painful": False, "trauma": False, "deformity": False,
    "locking": False, "swelling": False, "hot": False, "numbness": False,
    "circulation": False, "location": "front",
    "stops_running": False, "severity": "mild", "strength_training": False,
    "new_to_running": False,
}


def answer_sets():
    """Complete, varied answer sets: every location and severity, one knee or both, a hot knee
    with and without fever."""
    sets = []
    for location, severity, knees, hot in itertools.product(
            ["front", "outer", "inner", "back", "all-over"], ["mild", "moderate", "severe"],
            ["both", "left", "right"], [None, False, True]):
        answers = dict(BASE, location=location, severity=severity)
        if location == "back":
            answers["calf"] = False  # asked only about pain behind the knee
        if knees != "both":
            answers.update(knees="one", side=knees)
        if hot is not None:
            answers.update(hot=True, fever=hot)
        sets.append(answers)
    return sets


def line(answers):
    return json.dumps(answers, separators=(",", ":"))


def run(args, input_bytes=b"", env=None, **kwargs):
    full_env = dict(os.environ)
    full_env.pop("KNEETRIAGE_RULES", None)
    full_env.update(env or {})
    return subprocess.run([BINARY] + list(args), input=input_bytes, capture_output=True,
                          env=full_env, timeout=120, **kwargs)


def records(result):
    """stdout as JSON Lines; fails the test if any line is not one JSON document."""
    text = result.stdout.decode("utf-8")
    assert text == "" or text.endswith("\n"), "the output ends with a newline"
    return [json.loads(record) for record in text.splitlines()]


def peak_rss_kb(args, stdin_path):
    """The peak resident set of one run, from GNU time. None when GNU time is not installed, or
    under AddressSanitizer, whose shadow memory and quarantine say nothing about ours."""
    if not GNU_TIME or os.environ.get("KNEETRIAGE_SANITIZED"):
        return None
    with tempfile.NamedTemporaryFile() as report, open(stdin_path, "rb") as stdin:
        subprocess.run([GNU_TIME, "-f", "%M", "-o", report.name, BINARY] + list(args),
                       stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120)
        with open(report.name) as text:
            return int(text.read().split()[-1])


class BatchTestCase(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="kneetriage-batch-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def write(self, name, content):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(content if isinstance(content, bytes) else content.encode())
        return path

    def assertExit(self, result, status):
        self.assertEqual(result.returncode, status,
                         f"stderr: {result.stderr.decode(errors='replace')[:2000]}")


class Records(BatchTestCase):
    """N non-blank lines in, N records out, in order, whatever the lines hold."""

    def test_one_record_per_line_in_order_with_bad_lines_mixed_in(self):
        sets = answer_sets()
        bad = ['{"knees": "both",', '{"knees": "three"}', '{"knees": "one"}', '[1, 2]', 'null',
               '{"kness": "both"}', '"text"', '{"hot": "yes"}']
        lines, expected = [], []  # expected: (physical line number, good?)
        for i, answers in enumerate(sets):
            lines.append(line(answers))
            expected.append((len(lines), True))
            if i % 5 == 0:
                lines.append(bad[(i // 5) % len(bad)])
                expected.append((len(lines), False))
            if i % 7 == 0:
                lines.append("")  # blank: skipped, but it has a line number
        result = run(["batch", "--format", "summary"], ("\n".join(lines) + "\n").encode())
        self.assertExit(result, 65)
        out = records(result)
        self.assertEqual(len(out), len(expected))
        for record, (number, good) in zip(out, expected):
            self.assertEqual(record["line"], number)
            self.assertEqual(record["file"], "<stdin>")
            self.assertEqual("error" not in record, good, record)
            if good:
                self.assertIn(record["urgency"], ["emergency", "urgent", "see-doctor", "self-care"])
        bad_count = sum(1 for _, good in expected if not good)
        self.assertIn(f"{bad_count} of {len(expected)} records were bad".encode(), result.stderr)
        self.assertEqual(len(result.stderr.decode().splitlines()), 1, "one line on stderr")

    def test_a_full_record_is_the_one_shot_json_document(self):
        sets = answer_sets()[::9]
        result = run(["batch"], "".join(line(a) + "\n" for a in sets).encode())
        self.assertExit(result, 0)
        out = records(result)
        self.assertEqual(len(out), len(sets))
        for answers, record in zip(sets, out):
            path = self.write("answers.json", json.dumps(answers))
            one_shot = run(["--answers", path, "--format", "json"])
            self.assertExit(one_shot, 0)
            self.assertEqual(record, json.loads(one_shot.stdout))

    def test_a_summary_record_names_what_the_full_record_holds(self):
        text = "".join(line(a) + "\n" for a in answer_sets()[:40]).encode()
        full = records(run(["batch", "--format", "json"], text))
        summary = records(run(["batch", "--format", "summary"], text))
        for number, (f, s) in enumerate(zip(full, summary), start=1):
            self.assertEqual(list(s), ["schema", "file", "line", "urgency", "causes", "fired"])
            self.assertEqual(s["line"], number)
            self.assertEqual(s["urgency"], f["urgency"])
            self.assertEqual(s["causes"], [cause["id"] for cause in f["causes"]])
            self.assertEqual(s["fired"], [fired["rule"] for fired in f["fired"]])

    def test_a_line_whose_missing_answers_cannot_change_the_result_is_a_result(self):
        # Every warning sign answered, a cold or blue leg among them: the questions after them
        # (how bad, gym work, new to running) could only add what an emergency holds back.
        after = ["severity", "strength_training", "new_to_running"]
        decided = {key: value for key, value in BASE.items() if key not in after}
        decided["circulation"] = True
        # The same emergency with a warning sign unanswered: that one could still add to it, but
        # every answer to it is an emergency too, so the result comes at once, marked partial.
        open_ = {key: value for key, value in decided.items() if key != "numbness"}
        # Below urgent, an answer left out that could change the result is still an error.
        unsettled = {key: value for key, value in BASE.items() if key != "numbness"}
        text = (line(decided) + "\n" + line(open_) + "\n" + line(unsettled) + "\n").encode()

        result = run(["batch"], text)
        self.assertExit(result, 65)
        full, partial, error = records(result)
        self.assertEqual(full["urgency"], "emergency")
        self.assertFalse(full["partial"])
        self.assertEqual(full["unanswered"], [])
        self.assertEqual(full["not_needed"], after)
        path = self.write("answers.json", json.dumps(decided))
        self.assertEqual(full, json.loads(run(["--answers", path, "--format", "json"]).stdout))
        self.assertEqual(partial["urgency"], "emergency")
        self.assertTrue(partial["partial"])
        self.assertTrue(partial["urgency_is_floor"])
        self.assertIn("numbness", partial["unanswered"])
        path = self.write("open.json", json.dumps(open_))
        self.assertEqual(partial, json.loads(run(["--answers", path, "--format", "json"]).stdout))
        self.assertEqual(error["error"], "missing answers")
        self.assertEqual(["/numbness"], [p["pointer"] for p in error["problems"]])

        summary, partial_summary, error = records(run(["batch", "--format", "summary"], text))
        self.assertEqual(summary["urgency"], "emergency")
        self.assertNotIn("error", summary)
        self.assertEqual(partial_summary["urgency"], "emergency")
        self.assertEqual(error["error"], "missing answers")

    def test_an_answer_to_a_question_that_does_not_apply_is_an_error_record(self):
        # fever is asked only if the knee is swollen or hot: never dropped quietly.
        text = (line(dict(BASE, fever=True)) + "\n" + line(dict(BASE, badly_swollen=True)) + "\n"
                + line(dict(BASE, fever=None)) + "\n").encode()
        result = run(["batch"], text)
        self.assertExit(result, 65)
        fever, swollen, null = records(result)
        for record, question in ((fever, "fever"), (swollen, "badly_swollen")):
            self.assertEqual(record["error"], "answers to questions that do not apply")
            problem = record["problems"][0]
            self.assertEqual(problem["pointer"], "/" + question)
            self.assertIn('"swelling": false', problem["what"])
            self.assertIn('"swelling": true', problem["hint"])
            self.assertIn('remove "%s"' % question, problem["hint"])
        # null still means "not answered".
        self.assertNotIn("error", null)
        self.assertEqual(null["urgency"], "self-care")

    def test_error_records_say_what_is_wrong_and_where(self):
        result = run(["batch"], b'{"knees": "both", "hot": "yes"}\n{"knees": \n')
        first, second = records(result)
        self.assertEqual(first["error"], "invalid answers")
        self.assertEqual(first["problems"][0]["pointer"], "/hot")
        self.assertIn("true or false", first["problems"][0]["hint"])
        self.assertIn("/weight_bearing", [p["pointer"] for p in first["problems"]])
        self.assertEqual(second["error"], "not valid JSON")
        self.assertEqual(second["line"], 2)


class ExitStatus(BatchTestCase):
    """0 all good, 65 a bad line, 66 a file that cannot be read, 64 usage, 74 cannot write."""

    def test_all_good_is_0_and_quiet(self):
        result = run(["batch"], (line(BASE) + "\n").encode())
        self.assertExit(result, 0)
        self.assertEqual(result.stderr, b"")

    def test_a_bad_line_is_65_after_every_line_is_done(self):
        result = run(["batch"], (line(BASE) + "\nnope\n" + line(BASE) + "\n").encode())
        self.assertExit(result, 65)
        self.assertEqual(len(records(result)), 3)

    def test_a_file_that_cannot_be_read_is_66_and_the_others_are_still_read(self):
        good = self.write("good.jsonl", line(BASE) + "\n")
        missing = os.path.join(self.tmp, "missing.jsonl")
        result = run(["batch", "--format", "summary", missing, good, self.tmp])
        self.assertExit(result, 66)
        self.assertEqual([r["file"] for r in records(result)], [good])
        err = result.stderr.decode()
        self.assertIn("cannot read " + missing, err)
        self.assertIn("Is a directory", err)

    def test_66_outranks_65(self):
        bad = self.write("bad.jsonl", "nope\n")
        result = run(["batch", bad, os.path.join(self.tmp, "missing")])
        self.assertExit(result, 66)

    def test_an_unknown_format_is_64(self):
        result = run(["batch", "--format", "text"], b"")
        self.assertExit(result, 64)
        self.assertEqual(result.stdout, b"")

    def test_a_full_disk_is_74_with_a_message(self):
        with open("/dev/full", "wb") as full:
            result = subprocess.run([BINARY, "batch"], input=(line(BASE) + "\n").encode(),
                                    stdout=full, stderr=subprocess.PIPE, timeout=60)
        self.assertExit(result, 74)
        self.assertIn(b"cannot write", result.stderr)

    def test_a_reader_that_goes_away_ends_the_run_quietly(self):
        path = self.write("many.jsonl", (line(BASE) + "\n") * 20000)
        process = subprocess.Popen([BINARY, "batch", path], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        process.stdout.readline()
        process.stdout.close()  # as `| head -1` does
        _, err = process.communicate(timeout=60)
        self.assertEqual(err, b"")
        self.assertEqual(process.returncode, 141, "128 + SIGPIPE, as a killed filter would")

    def test_rules_that_do_not_load_are_65_before_any_line(self):
        rules = self.write("rules.json", "{}")
        result = run(["batch", "--rules", rules], (line(BASE) + "\n").encode())
        self.assertExit(result, 65)
        self.assertEqual(result.stdout, b"")


class Input(BatchTestCase):
    """Blank lines, a last line without newline, several files, standard input."""

    def test_a_final_line_without_newline_is_still_read(self):
        result = run(["batch", "--format", "summary"], (line(BASE) + "\n" + line(BASE)).encode())
        self.assertExit(result, 0)
        self.assertEqual([r["line"] for r in records(result)], [1, 2])

    def test_blank_lines_are_skipped_but_keep_their_line_numbers(self):
        text = "\n  \t\n" + line(BASE) + "\r\n\r\n" + line(BASE) + "\n\n"
        result = run(["batch", "--format", "summary"], text.encode())
        self.assertExit(result, 0)
        self.assertEqual([r["line"] for r in records(result)], [3, 5])

    def test_empty_input_gives_no_records(self):
        result = run(["batch"], b"")
        self.assertExit(result, 0)
        self.assertEqual(result.stdout, b"")

    def test_several_files_are_read_in_turn_and_numbered_each_from_1(self):
        a = self.write("a.jsonl", line(BASE) + "\n" + line(BASE))  # no final newline
        b = self.write("b.jsonl", "nope\n" + line(BASE) + "\n")
        result = run(["batch", "--format", "summary", a, "-", b], (line(BASE) + "\n").encode())
        self.assertExit(result, 65)
        places = [(r["file"], r["line"], "error" in r) for r in records(result)]
        self.assertEqual(places, [(a, 1, False), (a, 2, False), ("<stdin>", 1, False),
                                  (b, 1, True), (b, 2, False)])

    def test_unusual_but_valid_json_is_read_like_any_other(self):
        plain = records(run(["batch"], (line(BASE) + "\n").encode()))[0]
        unusual = ('{ "$id": {"runner": [1, 2.5, "caf\\u00e9"]}, "knees" : "b\\u006fth", '
                   + line(dict(BASE, knees="one"))[1:-1] + ', "knees": "both", "fever": null }')
        result = run(["batch"], (unusual + "\n").encode())
        self.assertExit(result, 0)
        self.assertEqual(records(result)[0], plain)


class Limits(BatchTestCase):
    """Lines over 1 MiB are error records, read without being held; memory stays flat."""

    def padded(self, size):
        """A valid answers line of exactly `size` bytes (a `$pad` key is ignored)."""
        text = line(dict(BASE, **{"$pad": ""}))
        return text.replace('"$pad":""', '"$pad":"' + "x" * (size - len(text)) + '"')

    def test_a_10_mb_line_is_an_error_record_and_the_lines_around_it_are_read(self):
        big = '{"knees": "' + "x" * 10_000_000 + '"}'
        path = self.write("big.jsonl", line(BASE) + "\n" + big + "\n" + line(BASE) + "\n")
        result = run(["batch", "--format", "summary", path])
        self.assertExit(result, 65)
        out = records(result)
        self.assertEqual([r["line"] for r in out], [1, 2, 3])
        self.assertEqual(out[1]["error"], "line too long")
        self.assertIn(f"{len(big)} bytes", out[1]["problems"][0]["what"])
        self.assertIn("1048576", out[1]["problems"][0]["what"])
        self.assertNotIn("error", out[2])
        self.assertLess(len(result.stdout), 4096, "the line is not echoed")
        rss = peak_rss_kb(["batch", path], path)
        if rss is not None:
            self.assertLess(rss, 20 * 1024, "the 10 MB line was never held whole")

    def test_a_10_mb_last_line_without_newline_is_an_error_record(self):
        path = self.write("big.jsonl", line(BASE) + "\n" + "[" * 10_000_000)
        out = records(run(["batch", "--format", "summary", path]))
        self.assertEqual([r.get("error") for r in out], [None, "line too long"])

    def test_the_limit_is_1_mib_exactly(self):
        at_limit, over = self.padded(LIMIT), self.padded(LIMIT + 1)
        self.assertEqual((len(at_limit), len(over)), (LIMIT, LIMIT + 1))
        result = run(["batch", "--format", "summary"], (at_limit + "\n" + over + "\n").encode())
        first, second = records(result)
        self.assertNotIn("error", first)
        self.assertEqual(second["error"], "line too long")

    def test_memory_stays_flat_over_many_lines(self):
        text = "".join(line(a) + "\n" for a in answer_sets()) * 150  # about 20,000 lines
        path = self.write("many.jsonl", text)
        small = self.write("few.jsonl", "".join(line(a) + "\n" for a in answer_sets()[:10]))
        rss_many, rss_few = peak_rss_kb(["batch", path], path), peak_rss_kb(["batch", small], small)
        if rss_many is None:
            self.skipTest("no GNU time, or a sanitizer build")
        self.assertLess(rss_many, 20 * 1024)
        self.assertLess(rss_many - rss_few, 4 * 1024, "no growth with the number of lines")


class Streaming(BatchTestCase):
    """batch is a filter: each record leaves as soon as it is made, before more input comes."""

    def test_a_record_comes_out_before_the_input_ends(self):
        process = subprocess.Popen([BINARY, "batch", "--format", "summary"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            for number in (1, 2):
                process.stdin.write((line(BASE) + "\n").encode())
                process.stdin.flush()
                ready, _, _ = select.select([process.stdout], [], [], 10)
                self.assertTrue(ready, "no record while the input is still open")
                self.assertEqual(json.loads(process.stdout.readline())["line"], number)
            process.stdin.close()
            self.assertEqual(process.wait(timeout=10), 0)
        finally:
            process.kill()
            process.wait()


class Progress(BatchTestCase):
    """A progress line on stderr only when stderr is a terminal."""

    def test_no_progress_when_stderr_is_not_a_terminal(self):
        result = run(["batch"], ((line(BASE) + "\n") * 3000).encode())
        self.assertExit(result, 0)
        self.assertEqual(result.stderr, b"")

    def test_progress_on_a_terminal_updates_in_place(self):
        path = self.write("in.jsonl", (line(BASE) + "\n") * 3000 + "nope\n")
        controller, terminal = pty.openpty()
        try:
            with open(os.devnull, "wb") as devnull:
                process = subprocess.Popen([BINARY, "batch", path], stdin=subprocess.DEVNULL,
                                           stdout=devnull, stderr=terminal)
            os.close(terminal)
            terminal = None
            seen = b""
            while True:
                ready, _, _ = select.select([controller], [], [], 30)
                if not ready:
                    break
                try:
                    chunk = os.read(controller, 4096)
                except OSError:  # EIO: the other end closed
                    break
                if not chunk:
                    break
                seen += chunk
            self.assertEqual(process.wait(timeout=30), 65)
        finally:
            os.close(controller)
            if terminal is not None:
                os.close(terminal)
        text = seen.decode(errors="replace")
        self.assertIn("\r\x1b[K", text, "redrawn in place")
        self.assertIn("3001 lines", text)
        self.assertIn("lines/s", text)
        self.assertIn("1 bad", text)
        self.assertIn("1 of 3001 records was bad", text)


def main():
    global BINARY, SOURCE_DIR
    if len(sys.argv) < 3:
        sys.exit(f"usage: {sys.argv[0]} BINARY SOURCE_DIR [TestCase ...]")
    BINARY = os.path.abspath(sys.argv[1])
    SOURCE_DIR = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:], module="__main__")


if __name__ == "__main__":
    main()
