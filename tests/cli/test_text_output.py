"""Text output: golden files, colour (NO_COLOR, --color, terminals), sanitising, --explain,
wrapping, and a reader that goes away (| head)."""

import json
import os
import re
import shlex
import subprocess

import harness
from harness import BOTH_KNEES, CliTestCase, run, run_in_pty, with_answers

ESC = b"\x1b"


def golden_dir():
    return os.path.join(harness.SOURCE_DIR, "tests", "golden")


def golden_cases():
    """Each tests/golden/NAME.args (flags, shell-quoted) with its expected NAME.txt."""
    for name in sorted(os.listdir(golden_dir())):
        if name.endswith(".args"):
            yield name[:-len(".args")]


class Golden(CliTestCase):
    """Text output matches the reviewed golden files (KNEETRIAGE_UPDATE_GOLDEN=1 rewrites them)."""

    def test_golden_files(self):
        cases = list(golden_cases())
        self.assertGreaterEqual(len(cases), 5)
        update = os.environ.get("KNEETRIAGE_UPDATE_GOLDEN") == "1"
        for name in cases:
            with self.subTest(case=name):
                with open(os.path.join(golden_dir(), name + ".args"), encoding="utf-8") as f:
                    args = shlex.split(f.read(), comments=True)
                result = run(args)
                self.assertExit(result, 0)
                expected_path = os.path.join(golden_dir(), name + ".txt")
                if update:
                    with open(expected_path, "wb") as f:
                        f.write(result.stdout)
                    continue
                with open(expected_path, "rb") as f:
                    expected = f.read()
                self.assertEqual(result.stdout.decode(), expected.decode(),
                                 f"{name}: output differs from {expected_path}")


class Colour(CliTestCase):

    def test_no_colour_when_stdout_is_not_a_terminal(self):
        result = run(with_answers(BOTH_KNEES, hot="yes", fever="yes"))
        self.assertNotIn(ESC, result.stdout)
        self.assertNotIn(ESC, result.stderr)

    def test_colour_always_forces_colour_into_a_pipe(self):
        result = run(with_answers(BOTH_KNEES, hot="yes", fever="yes") + ["--color", "always"])
        self.assertIn(b"\x1b[1;31m!! EMERGENCY !!\x1b[0m", result.stdout)

    def test_colour_on_a_terminal_by_default(self):
        status, output = run_in_pty(with_answers(BOTH_KNEES, locking="yes"))
        self.assertEqual(status, 0)
        self.assertIn(b"\x1b[1;31m", output)

    def test_no_color_turns_colour_off_on_a_terminal(self):
        status, output = run_in_pty(with_answers(BOTH_KNEES, locking="yes"), env={"NO_COLOR": "1"})
        self.assertEqual(status, 0)
        self.assertIn(b"SEE A DOCTOR TODAY", output)
        self.assertNotIn(ESC, output)

    def test_color_never_on_a_terminal(self):
        status, output = run_in_pty(BOTH_KNEES + ["--color", "never"])
        self.assertEqual(status, 0)
        self.assertNotIn(ESC, output)

    def test_json_never_has_colour(self):
        result = run(BOTH_KNEES + ["--format", "json", "--color", "always"])
        self.assertNotIn(ESC, result.stdout)


class Sanitising(CliTestCase):
    """Control characters from a rules file or the command line never reach the terminal raw."""

    def hostile_rules(self):
        rules = harness.load_builtin_rules()
        rules["disclaimer"] = "Not advice.\u001b[2J\u001b]0;pwned\u0007 Really\r\n\u009b31m."
        for cause in rules["causes"]:
            cause["title"] = "\u001b[31m" + cause["title"]
        rules["questions"][0]["text"] += "\u001b[8m"
        return self.write("hostile.json", json.dumps(rules))

    def test_escape_sequences_in_rules_are_neutralised(self):
        path = self.hostile_rules()
        for extra in [[], ["--explain"], ["--color", "always"]]:
            result = run(["--rules", path] + BOTH_KNEES + extra)
            self.assertExit(result, 0)
            body = result.stdout.replace(b"\x1b[1m", b"").replace(b"\x1b[1;31m", b"")
            body = body.replace(b"\x1b[2m", b"").replace(b"\x1b[0m", b"")
            self.assertNotIn(ESC, body, f"raw ESC with {extra}")
            self.assertNotIn(b"\r", result.stdout)
            self.assertNotIn(b"\x07", result.stdout)
            self.assertNotIn("\u009b".encode(), result.stdout)
            self.assertIn(b"^[[2J", result.stdout)

    def test_questions_and_help_are_sanitised(self):
        path = self.hostile_rules()
        for args in [["questions"], ["--help"]]:
            result = run(["--rules", path] + args)
            self.assertExit(result, 0)
            self.assertNotIn(ESC, result.stdout)

    def test_hostile_flag_values_are_shown_safely(self):
        result = run(with_answers(BOTH_KNEES, knees="\x1b[2Jboth"))
        self.assertExit(result, 64)
        self.assertNotIn(ESC, result.stderr)
        self.assertIn(b"^[[2J", result.stderr)


class Layout(CliTestCase):

    def test_lines_fit_80_columns_when_not_a_terminal(self):
        for args in [BOTH_KNEES, with_answers(BOTH_KNEES, hot="yes", fever="yes") + ["--explain"]]:
            result = run(args, env={"COLUMNS": "200"})
            for line in result.stdout.decode().splitlines():
                self.assertLessEqual(len(line), 80, line)

    def test_exercise_plan_is_an_aligned_table_with_a_cue_under_each_row(self):
        text = run(BOTH_KNEES).stdout.decode()
        table = text.split("Your plan\n")[1].split("\n\n")[0].splitlines()
        header = table[0]
        for column in ["Exercise", "Dose", "How often"]:
            self.assertIn(column, header)
        dose_column = header.index("Dose")
        lines = text.splitlines()
        squat = next(i for i, line in enumerate(lines) if line.startswith("  Bodyweight squat"))
        self.assertEqual(lines[squat][dose_column:dose_column + 2], "3 ")
        self.assertEqual(lines[squat + 1], "    \u21b3 Keep your knees in line with your toes, not falling inward")

    def test_the_one_thing_to_do_now_opens_and_closes_the_result(self):
        for args, action in [
                (BOTH_KNEES, "Look after it yourself with this plan."),
                (with_answers(BOTH_KNEES, severity="severe"),
                 "Take at least a week off running, and do your strength exercises every day."),
                (with_answers(BOTH_KNEES, circulation="yes"),
                 "Go to A&E now, or call 999 (112 in the EU) for an ambulance.")]:
            lines = run(args).stdout.decode().splitlines()
            self.assertTrue(lines[1].startswith(action[:40]), lines[:3])
            # The closing line names the level too: the top has scrolled away on a terminal.
            self.assertRegex("\n".join(lines).replace("\n", " "),
                             r"(SELF-CARE|BOOK A DOCTOR OR PHYSIOTHERAPIST|EMERGENCY) \u2014 now: "
                             + re.escape(action))

    def test_full_adds_the_background_the_default_leaves_out(self):
        plain = run(BOTH_KNEES).stdout.decode()
        full = run(BOTH_KNEES + ["--full"]).stdout.decode()
        for background in ["How to do the exercises", "Source:", "Running is actually good"]:
            self.assertNotIn(background, plain)
            self.assertIn(background, full)

    def test_urgency_comes_first(self):
        text = run(with_answers(BOTH_KNEES, locking="yes")).stdout.decode()
        self.assertTrue(text.startswith("!! SEE A DOCTOR TODAY !!\n"), text[:200])

    def test_explain_adds_each_fired_rule_with_conditions_and_sources(self):
        plain = run(BOTH_KNEES).stdout.decode()
        explained = run(BOTH_KNEES + ["--explain"]).stdout.decode()
        self.assertNotIn("How this was decided", plain)
        trace = explained.split("How this was decided\n")[1]
        doc = json.loads(run(BOTH_KNEES + ["--format", "json"]).stdout)
        for fired in doc["fired"]:
            self.assertIn(f"Rule {fired['rule']}:", trace)
        self.assertIn("knees is both ← you answered both", trace)
        self.assertIn("[A5]", trace)
        self.assertNotIn("Held back", trace)  # self-care withholds nothing

    def test_explain_reads_conditions_in_plain_words(self):
        trace = run(with_answers(BOTH_KNEES, swelling="yes", badly_swollen="no", fever="no") +
                    ["--explain"]).stdout.decode().split("How this was decided\n")[1]
        words = " ".join(trace.split())
        self.assertIn("matched: swollen ← you answered yes", words)
        self.assertIn("matched: hot or red: no ← you answered no", words)
        trace = run(BOTH_KNEES + ["--explain"]).stdout.decode().split("How this was decided\n")[1]
        words = " ".join(trace.split())
        self.assertIn("matched: severity is mild or moderate ← you answered mild", words)
        self.assertIn("matched: can put weight on the leg ← you answered yes", words)
        self.assertIn("matched: started with a fall, twist or pop: no ← you answered no", words)
        for raw in ["equal", "notEqual", " in [", "weight_bearing", "not ("]:
            self.assertNotIn(raw, words)

    def test_explain_lists_rules_the_urgency_holds_back_by_title_after_the_others(self):
        # An injured knee (urgent): the overuse cause, the "keep running" plan and the typical
        # presentation all wait until the knee has been seen, so they do not read as in force.
        args = with_answers(BOTH_KNEES, trauma="yes", new_to_running="yes") + ["--explain"]
        trace = run(args).stdout.decode().split("How this was decided\n")[1]
        in_force, held = trace.split("  Held back at this level (what they give waits until "
                                     "the knee has been seen):\n")
        self.assertIn("Rule nhs-trauma: The pain started with a fall, twist or pop", in_force)
        held_titles = [line[len("    • "):] for line in held.split("\n\n")[0].splitlines()]
        self.assertEqual(held_titles, [
            "Front-of-knee pain: the typical presentation",
            "Not severe: keep running, but build up gradually",
            "Both knees hurt: usually weak quads",
            "No strength work yet: general strength training is essential",
            "New to running or running further: new load",
            "Not severe: activate the glutes before running"])
        for title in held_titles:
            self.assertNotIn(title, in_force)
        self.assertNotIn("Rule not-severe-gradual", trace)
        self.assertNotIn("location is front", trace)  # no matched lines for a held-back rule
        # The JSON document marks the same rules, and only them.
        doc = json.loads(run(args[:-1] + ["--format", "json"]).stdout)
        self.assertEqual([f["title"] for f in doc["fired"] if f.get("held_back")], held_titles)
        self.assertEqual([f["rule"] for f in doc["fired"] if "held_back" not in f], ["nhs-trauma"])
        self.assertTrue(all(f["held_back"] is True for f in doc["fired"] if "held_back" in f))
        for line in trace.splitlines():
            self.assertLessEqual(len(line), 80, line)

    def test_a_lowest_level_that_holds_back_says_no_more_than_that(self):
        # No red flag, so nothing waits for a doctor: the heading does not say it does.
        rules = {
            "format": "kneetriage-rules/1", "id": "calm", "version": "1", "title": "Calm",
            "disclaimer": "Not advice.", "sources": [{"id": "s", "title": "S"}],
            "citations": [{"id": "C1", "source": "s", "point": "p"}],
            "urgencies": [{"id": "see-doctor", "title": "See a doctor", "action": "Book."},
                          {"id": "rest", "title": "Rest", "action": "Rest.",
                           "withhold": ["running"]}],
            "questions": [{"id": "a", "text": "A?", "help": "h", "type": "boolean"}],
            "causes": [], "exercises": [], "plan": [],
            "advice": [{"id": "jog", "text": "Jog.", "kind": "running", "source": ["C1"]},
                       {"id": "sleep", "text": "Sleep.", "source": ["C1"]}],
            "rules": [{"id": "sleep", "title": "Sleep on it", "source": ["C1"],
                       "when": {"fact": "a", "operator": "equal", "value": True},
                       "then": {"advice": ["sleep"]}},
                      {"id": "jog", "title": "Jog it off", "source": ["C1"],
                       "when": {"fact": "a", "operator": "equal", "value": True},
                       "then": {"advice": ["jog"]}}]}
        path = self.write("calm.json", json.dumps(rules))
        trace = run(["--rules", path, "--a", "yes", "--explain"]).stdout.decode()
        trace = trace.split("How this was decided\n")[1]
        self.assertIn("  Rule sleep: Sleep on it\n", trace)
        self.assertIn("\n  Held back at this level:\n    • Jog it off\n", trace)
        self.assertNotIn("seen", trace)

    def test_withheld_items_are_named_not_described(self):
        text = run(with_answers(BOTH_KNEES, weight_bearing="no")).stdout.decode()
        self.assertIn("On hold: Running and all exercise for this leg", text)
        # The squat would load the knee: neither its row nor its instructions are shown.
        self.assertNotIn("Bodyweight squat", text)
        self.assertNotIn("Sit your hips back", text)
        self.assertNotIn("Your plan", text)


class BrokenPipe(CliTestCase):

    def test_reader_going_away_is_a_quiet_exit(self):
        read_end, write_end = os.pipe()
        os.close(read_end)  # nobody will ever read: the first write fails with EPIPE
        process = subprocess.Popen([harness.BINARY] + BOTH_KNEES + ["--explain"],
                                   stdout=write_end, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL)
        os.close(write_end)
        _, stderr = process.communicate(timeout=30)
        self.assertEqual(stderr, b"", "no message when the reader has gone")
        self.assertEqual(process.returncode, 141)

    def test_head_keeps_the_start(self):
        result = subprocess.run(f"{shlex.quote(harness.BINARY)} {shlex.join(BOTH_KNEES)} --explain"
                                " | head -c 10; echo \" status=${PIPESTATUS[0]}\"",
                                shell=True, executable="/bin/bash", capture_output=True,
                                stdin=subprocess.DEVNULL, timeout=30)
        self.assertTrue(result.stdout.startswith(b"SELF-CARE\n"), result.stdout)
        self.assertEqual(result.stderr, b"")


if __name__ == "__main__":
    harness.main()
