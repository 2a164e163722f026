"""--save FILE: the answers as JSON, written atomically, and read back with --answers."""

import json
import os
import resource
import signal
import stat
import subprocess

import harness
from harness import BOTH_KNEES, BOTH_KNEES_ANSWERS, CliTestCase, run, with_answers


def run_on_terminal(args, typed=b"q\n"):
    """Runs the binary with a terminal as standard input (so it asks the questions), `typed`
    already waiting there; stdout and stderr are pipes."""
    master, slave = os.openpty()
    try:
        os.write(master, typed)
        env = dict(os.environ, TERM="xterm", NO_COLOR="1")
        env.pop("KNEETRIAGE_RULES", None)
        return subprocess.run([harness.BINARY] + list(args), stdin=slave, capture_output=True,
                              env=env, timeout=30)
    finally:
        os.close(master)
        os.close(slave)


class Save(CliTestCase):

    def test_saved_answers_reproduce_the_assessment(self):
        target = self.path("answers.json")
        first = run(BOTH_KNEES + ["--save", target, "--format", "json"])
        self.assertExit(first, 0)
        self.assertIn(b"saved to", first.stderr)
        with open(target, encoding="utf-8") as f:
            self.assertEqual(json.load(f), {"$schema": "kneetriage/answers/1", **BOTH_KNEES_ANSWERS})
        again = run(["--answers", target, "--format", "json"])
        self.assertEqual(again.stdout, first.stdout)

    def test_an_answer_that_does_not_apply_saves_nothing(self):
        # It is refused (64) before anything is written, so no answer is lost in a saved file.
        target = self.path("answers.json")
        self.assertExit(run(BOTH_KNEES + ["--side", "left", "--save", target]), 64)
        self.assertFalse(os.path.exists(target))

    def test_new_file_is_private(self):
        target = self.path("answers.json")
        run(BOTH_KNEES + ["--save", target])
        self.assertEqual(stat.S_IMODE(os.stat(target).st_mode), 0o600)

    def test_overwrite_keeps_the_mode_and_leaves_no_temporary_file(self):
        target = self.write("answers.json", "old")
        os.chmod(target, 0o644)
        self.assertExit(run(with_answers(BOTH_KNEES, knees="one", side="left") + ["--save", target]), 0)
        self.assertEqual(stat.S_IMODE(os.stat(target).st_mode), 0o644)
        with open(target, encoding="utf-8") as f:
            self.assertEqual(json.load(f)["side"], "left")
        self.assertEqual(os.listdir(self.tmp), ["answers.json"])

    def test_failed_write_is_74_and_leaves_the_old_file_untouched(self):
        target = self.write("answers.json", "precious")

        def small_files():
            # Writes beyond 10 bytes fail with EFBIG (SIGXFSZ ignored, as exec keeps SIG_IGN).
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (10, 10))

        process = subprocess.run([harness.BINARY] + BOTH_KNEES + ["--save", target],
                                 capture_output=True, stdin=subprocess.DEVNULL,
                                 preexec_fn=small_files, timeout=30)
        self.assertEqual(process.returncode, 74, process.stderr)
        self.assertIn(target.encode(), process.stderr)
        self.assertIn(b"SELF-CARE", process.stdout, "the result is still shown")
        with open(target, encoding="utf-8") as f:
            self.assertEqual(f.read(), "precious")
        self.assertEqual(os.listdir(self.tmp), ["answers.json"], "temporary file removed")

    def test_saving_onto_a_directory_is_74(self):
        os.mkdir(self.path("dir"))
        result = run(BOTH_KNEES + ["--save", self.path("dir")])
        self.assertExit(result, 74)
        self.assertIn(b"Is a directory", result.stderr)

    def test_saving_through_a_symlink_updates_its_target(self):
        target = self.write("real.json", "{}")
        os.symlink(target, self.path("link.json"))
        self.assertExit(run(BOTH_KNEES + ["--save", self.path("link.json")]), 0)
        self.assertTrue(os.path.islink(self.path("link.json")))
        with open(target, encoding="utf-8") as f:
            self.assertEqual(json.load(f), {"$schema": "kneetriage/answers/1", **BOTH_KNEES_ANSWERS})

    # At the prompt the save is checked before the first question, not after the last.

    def test_the_questionnaire_checks_the_save_before_the_first_question(self):
        result = run_on_terminal(["--save", self.path("no/such/dir/answers.json")])
        self.assertExit(result, 74)
        self.assertIn(b"cannot write", result.stderr)
        self.assertIn(b"No such file or directory", result.stderr)
        self.assertNotIn(b"Question 1", result.stderr)
        self.assertEqual(result.stdout, b"")

    def test_the_questionnaire_will_not_save_onto_a_directory(self):
        os.mkdir(self.path("dir"))
        result = run_on_terminal(["--save", self.path("dir")])
        self.assertExit(result, 74)
        self.assertIn(b"Is a directory", result.stderr)
        self.assertNotIn(b"Question 1", result.stderr)

    def test_the_questionnaire_checks_the_directory_can_be_written(self):
        if os.geteuid() == 0:
            self.skipTest("root can write to a read-only directory")
        os.mkdir(self.path("read-only"))
        os.chmod(self.path("read-only"), 0o555)
        try:
            result = run_on_terminal(["--save", self.path("read-only/answers.json")])
        finally:
            os.chmod(self.path("read-only"), 0o755)
        self.assertExit(result, 74)
        self.assertIn(b"Permission denied", result.stderr)
        self.assertNotIn(b"Question 1", result.stderr)

    def test_the_check_leaves_no_trace_and_an_existing_file_untouched(self):
        target = self.write("answers.json", "precious")
        os.utime(target, (1_000_000_000, 1_000_000_000))
        result = run_on_terminal(["--save", target], b"q\n")  # q before any red flag: no save
        self.assertExit(result, 130)
        self.assertIn(b"Question 1", result.stderr)
        with open(target, encoding="utf-8") as f:
            self.assertEqual(f.read(), "precious")
        self.assertEqual(os.stat(target).st_mtime, 1_000_000_000)
        self.assertEqual(os.listdir(self.tmp), ["answers.json"], "no temporary file left")


if __name__ == "__main__":
    harness.main()
