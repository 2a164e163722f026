#!/usr/bin/env python3
"""The pain diary end to end: a runner's first three weeks, the diary's errors, export and import.

Every run has a fixed clock (KNEETRIAGE_TODAY) and its own diary (KNEETRIAGE_DIARY).
"""

import json
import os
import resource
import signal
import stat
import subprocess
import unittest

import harness
from harness import CliTestCase, run

# Really suffering, no red flag: self-care with a week off, then Couch to 5K.
SEVERE = harness.with_answers(harness.BOTH_KNEES, severity="severe", new_to_running="yes")

START = 1  # 2026-02-01 is day 0
WEEKS = [
    # week 1: the week off, pain falling, exercises most days
    [(7, None, "all"), (6, None, "all"), (6, None, "squat,knee-dip,clams"), (5, None, "all"),
     (4, None, "all"), (3, None, "none"), (3, None, "all")],
    # week 2: Couch to 5K, pain flat
    [(3, 2.0, "all"), (3, None, "all"), (3, 2.5, "all"), (3, None, "all"), (3, 2.5, "all"),
     (3, None, "squat"), (3, 3.0, "all")],
    # week 3: pain rising
    [(3, 3.0, "all"), (4, None, "all"), (4, 3.0, "all"), (5, None, "all"), (5, 3.0, "all"),
     (6, None, "all"), (6, 3.0, "all")],
]


def day(n):
    return f"2026-02-{START + n:02d}"


class DiaryCase(CliTestCase):
    def setUp(self):
        super().setUp()
        self.diary = self.path("diary.sqlite")

    def kt(self, args, today=day(0), **kwargs):
        env = {"KNEETRIAGE_DIARY": self.diary, "KNEETRIAGE_TODAY": today, "COLUMNS": "80"}
        env.update(kwargs.pop("env", {}))
        return run(args, env=env, **kwargs)

    def keep_first_assessment(self):
        self.assertExit(self.kt(SEVERE + ["--log"]), 0)

    def log_days(self, days, first):
        for n, (pain, km, exercises) in enumerate(days, start=first):
            args = ["log", "--pain-after", str(pain), "--exercises", exercises]
            if km is not None:
                args += ["--distance", str(km), "--pain-during", str(max(pain - 1, 0))]
            self.assertExit(self.kt(args, today=day(n)), 0)


class ThreeWeeks(DiaryCase):
    """Assessment on day 0, then falling, flat and rising pain: the screens, checked as golden."""

    def check_golden(self, name, text):
        path = os.path.join(harness.SOURCE_DIR, "tests", "golden", "diary", name)
        if os.environ.get("KNEETRIAGE_UPDATE_GOLDEN"):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        with open(path, encoding="utf-8") as f:
            self.assertEqual(text, f.read(), f"{name} differs (KNEETRIAGE_UPDATE_GOLDEN=1 to update)")

    def test_three_weeks(self):
        self.keep_first_assessment()
        kept = os.stat(self.diary)
        self.assertEqual(stat.S_IMODE(kept.st_mode), 0o600)
        trends = []
        for week in range(3):
            self.log_days(WEEKS[week], first=7 * week + 1)
            today = day(7 * (week + 1))
            text = self.kt(["progress"], today=today)
            self.assertExit(text, 0)
            screen = text.stdout.decode()
            self.check_golden(f"week{week + 1}.txt", screen)
            lines = screen.splitlines()
            self.assertLessEqual(len(lines), 24, "the progress screen fits 24 rows")
            self.assertLessEqual(max(len(line) for line in lines), 80)
            document = self.kt(["progress", "--format", "json"], today=today)
            self.assertExit(document, 0)
            self.check_golden(f"week{week + 1}.json", document.stdout.decode())
            trends.append(self.json_stdout(document)["facts"]["pain_trend"])
        self.assertEqual(trends, ["better", "same", "worse"])

        # Where the runner is on the way back: the week off; still in pain after it, no running
        # yet (as the follow-up says); Couch to 5K counted from the first run (day 8); and
        # stopped once the follow-up sends them to a doctor (day 21), whatever the week.
        stages = [self.json_stdout(self.kt(["progress", "--format", "json"], today=day(n)))["running"]
                  for n in (3, 7, 14, 21)]
        self.assertEqual([(s["stage"], s["week"], s["day"]) for s in stages],
                         [("week-off", 0, 4), ("waiting", 0, 0), ("couch-to-5k", 1, 0),
                          ("stopped", 0, 0)])

    def test_yesterday_can_be_corrected(self):
        self.keep_first_assessment()
        self.assertExit(self.kt(["log", "--pain-after", "5"], today=day(1)), 0)
        fixed = self.kt(["log", "--yesterday", "--pain-after", "2", "--exercises", "all"],
                        today=day(2))
        self.assertExit(fixed, 0)
        self.assertIn("Corrected", fixed.stdout.decode())
        history = self.kt(["history", "--format", "json"], today=day(2)).stdout.decode().splitlines()
        entries = [json.loads(line) for line in history if '"entry"' in line]
        self.assertEqual([(e["day"], e["pain_after"]) for e in entries], [(day(1), 2)])

    def test_a_new_warning_sign_runs_the_triage_again(self):
        self.keep_first_assessment()
        result = self.kt(["log", "--pain-after", "6", "--new-sign", "locking"], today=day(3))
        self.assertExit(result, 0)
        out = result.stdout.decode()
        self.assertIn("the triage was run again", out)
        progress = self.json_stdout(self.kt(["progress", "--format", "json"], today=day(3)))
        self.assertEqual(progress["plan"]["origin"], "new-sign")
        self.assertNotEqual(progress["plan"]["urgency"], "self-care")

    def test_nothing_is_written_without_log(self):
        self.assertExit(self.kt(SEVERE), 0)
        self.assertFalse(os.path.exists(self.diary))


class DiaryErrors(DiaryCase):
    """Bad input and bad files: a located message, a documented status, the file left alone."""

    def assertUnchanged(self, result, status, path, before, message):
        self.assertExit(result, status)
        self.assertIn(message, result.stderr.decode())
        with open(path, "rb") as f:
            self.assertEqual(f.read(), before)

    def test_a_file_that_is_not_a_diary(self):
        before = b"these are my running notes\n" * 200
        self.write("diary.sqlite", before)
        for args in (["progress"], ["log", "--pain-after", "2"], SEVERE + ["--log"]):
            self.assertUnchanged(self.kt(args), 65, self.diary, before, "not a database")

    def test_a_newer_diary(self):
        self.keep_first_assessment()
        subprocess.run(["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
                        "c.execute('PRAGMA user_version = 7'); c.commit()", self.diary], check=True)
        with open(self.diary, "rb") as f:
            before = f.read()
        for args in (["progress"], ["log", "--pain-after", "2"]):
            self.assertUnchanged(self.kt(args), 65, self.diary, before, "newer kneetriage")

    def test_a_full_disk(self):
        self.keep_first_assessment()
        self.assertExit(self.kt(["log", "--pain-after", "2"], today=day(1)), 0)
        with open(self.diary, "rb") as f:
            before = f.read()

        def no_room():
            # Any write past the file's current size fails (EFBIG), as on a full disk.
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (len(before), len(before)))

        result = self.kt(["log", "--pain-after", "3", "--note", "x" * 900], today=day(2),
                         preexec_fn=no_room)
        self.assertUnchanged(result, 74, self.diary, before, "nothing was written")
        entries = self.kt(["history", "--format", "json"], today=day(2)).stdout.decode()
        self.assertEqual(entries.count('"entry"'), 1)

    @unittest.skipIf(os.geteuid() == 0, "root can write to a read-only file")
    def test_a_read_only_diary(self):
        self.keep_first_assessment()
        os.chmod(self.diary, 0o400)
        with open(self.diary, "rb") as f:
            before = f.read()
        self.assertUnchanged(self.kt(["log", "--pain-after", "2"]), 74, self.diary, before,
                             "read-only")

    def test_no_diary_yet(self):
        result = self.kt(["progress"])
        self.assertExit(result, 66)
        self.assertIn("--log", result.stderr.decode())
        self.assertFalse(os.path.exists(self.diary))
        self.assertExit(self.kt(["log", "--pain-after", "2"]), 64)

    def test_bad_flags_are_named(self):
        self.keep_first_assessment()
        cases = [
            (["log", "--pain-after", "11"], "--pain-after: '11' is not a pain score"),
            (["log", "--pain-after", "2", "--pain-during", "-1"], "--pain-during: '-1'"),
            (["log", "--pain-after", "2", "--exercises", "sqaut"], "unknown exercise 'sqaut'"),
            (["log", "--pain-after", "2", "--distance", "far"], "--distance: 'far' is not a distance"),
            (["log", "--pain-after", "2", "--new-sign", "knees"], "'knees' is not a warning sign"),
            (["log", "--exercises", "all"], "--pain-after: is missing"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                result = self.kt(args)
                self.assertExit(result, 64)
                self.assertIn(message, result.stderr.decode())
        result = self.kt(["progress"], today="2026-02-30")
        self.assertExit(result, 64)
        self.assertIn("KNEETRIAGE_TODAY", result.stderr.decode())

    def test_two_loggers_at_once_both_land(self):
        self.keep_first_assessment()
        env = dict(os.environ, KNEETRIAGE_DIARY=self.diary)
        procs = [subprocess.Popen([harness.BINARY, "log", "--pain-after", str(n % 10)],
                                  env=dict(env, KNEETRIAGE_TODAY=day(n)),
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
                 for n in range(1, 9)]
        for proc in procs:
            _, err = proc.communicate(timeout=30)
            self.assertEqual(proc.returncode, 0, err.decode())
        history = self.kt(["history", "--format", "json"], today=day(9)).stdout.decode()
        self.assertEqual(history.count('"entry"'), 8)


class Interchange(DiaryCase):
    """Export, then import into an empty diary: the same diary; a bad file imports nothing."""

    def test_round_trip(self):
        self.keep_first_assessment()
        self.assertExit(self.kt(["log", "--pain-after", "4", "--note", 'a "quoted", note'],
                                today=day(1)), 0)
        self.assertExit(self.kt(["log", "--distance", "3.3", "--pain-during", "2", "--pain-after",
                                 "1", "--exercises", "all"], today=day(2)), 0)
        exported = self.kt(["export", "--output", self.path("out.jsonl")], today=day(2))
        self.assertExit(exported, 0)
        other = self.path("other.sqlite")
        env = {"KNEETRIAGE_DIARY": other}
        self.assertExit(self.kt(["import", self.path("out.jsonl")], env=env), 0)
        again = self.kt(["export"], env=env)
        with open(self.path("out.jsonl"), "rb") as f:
            self.assertEqual(again.stdout, f.read())
        # Importing the same again changes nothing.
        self.assertExit(self.kt(["import", self.path("out.jsonl")], env=env), 0)
        self.assertEqual(self.kt(["export"], env=env).stdout, again.stdout)
        csv = self.kt(["export", "--format", "csv"]).stdout.decode()
        self.assertTrue(csv.startswith("type,day,urgency"))
        self.assertIn('"a ""quoted"", note"', csv)

    def test_a_bad_file_imports_nothing(self):
        self.keep_first_assessment()
        lines = self.kt(["export"]).stdout.decode().splitlines()
        bad = lines + ['{"schema":"kneetriage/diary-record/1","type":"entry","day":"2026-02-31",'
                       '"pain_during":null,"pain_after":12,"exercises":[],"ran":false,'
                       '"distance_km":null,"note":"","new_signs":[]}', "{not json"]
        self.write("bad.jsonl", "\n".join(bad) + "\n")
        other = {"KNEETRIAGE_DIARY": self.path("other.sqlite")}
        result = self.kt(["import", self.path("bad.jsonl")], env=other)
        self.assertExit(result, 65)
        err = result.stderr.decode()
        self.assertIn("bad.jsonl:2:", err)
        self.assertIn("/day", err)
        self.assertIn("/pain_after", err)
        self.assertIn("bad.jsonl:3:", err)
        self.assertFalse(os.path.exists(self.path("other.sqlite")))

    def test_a_different_entry_for_a_day_is_a_conflict(self):
        self.keep_first_assessment()
        self.assertExit(self.kt(["log", "--pain-after", "4"], today=day(1)), 0)
        exported = self.kt(["export"]).stdout
        self.assertExit(self.kt(["log", "--yesterday", "--pain-after", "5"], today=day(2)), 0)
        self.write("old.jsonl", exported)
        result = self.kt(["import", self.path("old.jsonl")])
        self.assertExit(result, 65)
        self.assertIn(day(1), result.stderr.decode())


if __name__ == "__main__":
    harness.main()
