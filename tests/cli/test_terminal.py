"""The program at a terminal: widths (a resize mid-session, messages on stderr, the plan table, the
closing line), the questionnaire's prompts, and what each command's help and --format promise.

Widths are tried at 40, 80 and 120 columns on a pseudo-terminal, whose size is set as a terminal
window sets it (TIOCSWINSZ)."""
import os
import pty
import re
import subprocess

import harness
from harness import BOTH_KNEES, CliTestCase, PtySession, run, run_in_pty, screen_lines

WIDTHS = [40, 80, 120]
PROMPT = r"\] > $"


def rule(name, key):
    """A field of a question of the built-in rules, by question id."""
    for question in harness.load_builtin_rules()["questions"]:
        if question["id"] == name:
            return question[key]
    raise KeyError(name)


def worded_for_both_knees(name):
    """The question as asked once both knees hurt: its text_if for knees "both", or its text."""
    question = next(q for q in harness.load_builtin_rules()["questions"] if q["id"] == name)
    for wording in question.get("text_if", []):
        when = wording["when"]
        if when.get("fact") == "knees" and when.get("value") == "both":
            return wording["text"]
    return rule(name, "text")


def level_title(level):
    for urgency in harness.load_builtin_rules()["urgencies"]:
        if urgency["id"] == level:
            return urgency["title"]
    raise KeyError(level)


def stderr_on_terminal(args, columns, stdin=subprocess.DEVNULL, env=None):
    """Runs the binary with stderr on a terminal of `columns` columns and stdout on a pipe;
    returns (status, stdout bytes, the lines the terminal shows for stderr)."""
    full_env = dict(os.environ)
    for name in ("NO_COLOR", "KNEETRIAGE_RULES", "COLUMNS"):
        full_env.pop(name, None)
    full_env["TERM"] = "xterm"
    full_env.update(env or {})
    controller, terminal = pty.openpty()
    harness.set_window_size(terminal, columns)
    process = subprocess.Popen([harness.BINARY] + list(args), stdin=stdin,
                               stdout=subprocess.PIPE, stderr=terminal, env=full_env)
    os.close(terminal)
    shown = harness.read_pty(controller)
    os.close(controller)
    stdout = process.stdout.read()
    process.stdout.close()
    status = process.wait(timeout=10)
    lines = screen_lines(shown.decode(errors="replace"))
    while lines and lines[-1] == "":
        lines.pop()
    return status, stdout, lines


# Every answer but where on the knee: the longest flag to add.
EVERY_ANSWER_BUT_LOCATION = (
    BOTH_KNEES[:BOTH_KNEES.index("--location")] + BOTH_KNEES[BOTH_KNEES.index("--location") + 2:])


class MessageWidth(CliTestCase):
    """Every message on stderr is wrapped on a terminal as --help is: a hanging indent, flags and
    their values kept whole, no line wider than the terminal (nor than 80, nor than COLUMNS)."""

    CASES = {
        "missing answers": ["--knees", "both", "--location", "front", "--stops-running", "no",
                            "--severity", "mild"],
        "missing --location": EVERY_ANSWER_BUT_LOCATION,
        "no answers, no terminal to ask on": [],
        "a value that is not allowed": ["--severity", "horrible"],
    }

    def unwrapped(self, args):
        result = run(args)
        self.assertExit(result, 64)
        return result.stderr.decode()

    def assertWrappedWithoutSplittingWords(self, lines, original, width):
        for line in lines:
            self.assertLessEqual(len(line), width, "\n".join(lines))
        words = set(original.split())
        for word in " ".join(lines).split():
            # A word is whole, or one too long for a line (a list of values, a path) broken after
            # a separator, or the shell's line continuation in a command line.
            if word in words or word == "\\":
                continue
            head = word.endswith(("|", ",", "/"))
            tail = any(w.endswith(word) and w[-len(word) - 1] in "|,/" for w in words)
            self.assertTrue(head or tail,
                            f"'{word}' is a piece of a word:\n" + "\n".join(lines))
        self.assertEqual("".join("".join(lines).split()).replace("\\", ""),
                         "".join(original.split()).replace("\\", ""))

    def test_errors_are_wrapped_at_every_width_without_splitting_a_word(self):
        for name, args in self.CASES.items():
            original = self.unwrapped(args)
            for width in WIDTHS:
                with self.subTest(name, width=width):
                    status, _, lines = stderr_on_terminal(args, width)
                    self.assertEqual(status, 64)
                    self.assertWrappedWithoutSplittingWords(lines, original, min(width, 80))

    def test_missing_flags_are_listed_as_help_lists_them(self):
        _, _, lines = stderr_on_terminal(self.CASES["missing answers"], 80)
        # Worded for the answers given: both knees.
        self.assertIn("  --weight-bearing yes|no     Can you put weight on each leg and walk?", lines)
        # Too wide beside its question at 40 columns: the flag whole, the question under it.
        _, _, lines = stderr_on_terminal(EVERY_ANSWER_BUT_LOCATION, 40)
        text = "\n".join(lines)
        self.assertIn("  --location front|outer|inner|back|\n    all-over\n      Where on the knee",
                      text)

    def test_columns_narrows_messages_as_it_narrows_help(self):
        _, _, lines = stderr_on_terminal(self.CASES["missing answers"], 120, env={"COLUMNS": "50"})
        self.assertTrue(lines)
        for line in lines:
            self.assertLessEqual(len(line), 50, line)

    def test_messages_stay_whole_off_a_terminal(self):
        # A log or a grep sees one line per missing flag, as before.
        text = self.unwrapped(self.CASES["missing answers"])
        self.assertRegex(text, r"\n  --very-painful yes\|no +Is either knee very painful even when "
                               r"walking or resting, or at night\?\n")

    def test_batch_closing_line_is_wrapped_too(self):
        path = self.write("bad.jsonl", '{"knees": "both"}\n')
        original = run(["batch", path]).stderr.decode()
        for width in WIDTHS:
            with self.subTest(width=width):
                status, stdout, lines = stderr_on_terminal(["batch", path], width)
                self.assertEqual(status, 65)
                self.assertIn(b'"error":"missing answers"', stdout)
                # After the progress line batch keeps on a terminal.
                start = next(i for i, line in enumerate(lines) if line.startswith("kneetriage:"))
                self.assertTrue(lines[start].startswith("kneetriage: 1 of 1 records was bad"))
                self.assertWrappedWithoutSplittingWords(lines[start:], original, min(width, 80))


class Resize(CliTestCase):
    """The questionnaire reads the terminal's width before each thing it prints."""

    def test_a_resize_mid_session_is_followed(self):
        session = PtySession(["--color", "never"], columns=80)
        try:
            session.expect(PROMPT)
            session.send("2")  # one knee
            session.expect(PROMPT)
            session.send("r")  # the right one
            session.expect(PROMPT)
            session.resize(40)
            session.send("y")  # can bear weight
            shown = session.expect(PROMPT)
            session.send("help")
            shown += session.expect(PROMPT)
            lines = screen_lines(shown)
            for line in lines:
                self.assertLessEqual(len(line), 40, shown)
            # The question (68 columns) and why it is asked are wrapped to the new width.
            self.assertIn("Why we ask:", shown)
            question = rule("very_painful", "text")
            self.assertNotIn(question, lines)
            self.assertEqual(" ".join(" ".join(lines).split()).count(question), 1)
            # And back to a wide window: the next question is on one line again.
            session.resize(120)
            session.send("n")
            lines = screen_lines(session.expect(PROMPT))
            self.assertIn(rule("trauma", "text"), lines)
        finally:
            session.close()


class Prompts(CliTestCase):
    """What the questionnaire says to what is typed at it."""

    def start(self, columns=80):
        session = PtySession(["--color", "never"], columns=columns)
        self.addCleanup(session.close)
        session.expect(PROMPT)
        return session

    def answer(self, session, *answers):
        for text in answers:
            session.send(text)
            shown = session.expect(PROMPT)
        return shown

    def test_yes_no_questions_take_1_and_2_and_say_so(self):
        for width in WIDTHS:
            with self.subTest(width=width):
                session = self.start(width)
                shown = self.answer(session, "1")  # both knees
                self.assertIn(rule("weight_bearing", "text").split()[0], shown)
                self.assertIn("[1 yes, 2 no] > ", shown)
                shown = self.answer(session, "1")  # yes: bears weight
                self.assertIn(worded_for_both_knees("very_painful")[:30], " ".join(shown.split()))
                shown = self.answer(session, "3")
                self.assertIn("There is no answer 3: type 1 for yes or 2 for no.",
                              " ".join(shown.split()))
                shown = self.answer(session, "2")  # no: not very painful
                self.assertIn(rule("trauma", "text")[:30], " ".join(shown.split()))
                for line in screen_lines(shown):
                    self.assertLessEqual(len(line), width)

    def test_a_runner_who_is_unsure_is_told_how_to_answer_and_what_is_safe(self):
        session = self.start()
        shown = self.answer(session, "maybe")  # at "Both knees or one?": not a warning sign
        self.assertIn("Not sure? Answer as well as you can: type the number of the answer "
                      "closest to yours. ? shows why we ask.", " ".join(shown.split()))
        self.assertNotIn("to be safe", shown)
        self.answer(session, "1")
        # Can you bear weight? The warning sign is "no", so no is the safe answer.
        for unsure in ["not sure", "dunno", "idk", "??", "I don't know"]:
            shown = " ".join(self.answer(session, unsure).split())
            self.assertIn("type 1 for yes or 2 for no", shown, unsure)
            self.assertIn("If you cannot tell, answer no to be safe", shown, unsure)
        self.answer(session, "y", "n")
        # A fall or a twist? There yes is the warning sign; ? says so too, after why it is asked.
        shown = " ".join(self.answer(session, "not sure").split())
        self.assertIn("If you cannot tell, answer yes to be safe", shown)
        shown = " ".join(self.answer(session, "?").split())
        self.assertIn("Why we ask:", shown)
        self.assertIn("If you cannot tell, answer yes to be safe", shown)

    def test_ambiguous_first_letters_name_the_answers_as_listed(self):
        for width in WIDTHS:
            with self.subTest(width=width):
                session = self.start(width)
                # Both knees, then no warning signs, up to "Where on the knee is the pain?".
                self.answer(session, "1", "y", "n", "n", "n", "n", "n", "n", "n", "n")
                shown = self.answer(session, "o")
                text = " ".join(shown.split())
                self.assertIn("'o' could be: 2 On the outer side (outer thigh, IT band); 3 On the "
                              "inner side. Type more letters or the number.", text)
                self.assertNotIn("outer or inner", text)
                shown += self.answer(session, "a")
                text = " ".join(shown.split())
                self.assertIn("'a' could be: 1 At the front, around the kneecap; 4 At the back of "
                              "the knee; 5 All over, or hard to say. Type more", text)
                for line in screen_lines(shown):
                    self.assertLessEqual(len(line), width)


def plan_lines(lines):
    start = lines.index("Your plan")
    end = next(i for i in range(start + 1, len(lines)) if lines[i] == "")
    return lines[start + 1:end]


class PlanTable(CliTestCase):

    def test_exercise_names_are_never_broken(self):
        names = ["Bodyweight squat", "Single-leg knee dip", "Clams", "Glute bridge",
                 "Foam rolling", "Box jumps"]
        for args in [BOTH_KNEES, harness.with_answers(BOTH_KNEES, knees="one", side="left")]:
            for width in WIDTHS:
                with self.subTest(args=args[:2], width=width):
                    status, out = run_in_pty(args + ["--color", "never"], columns=width)
                    self.assertEqual(status, 0)
                    table = plan_lines(screen_lines(out.decode()))
                    for line in table:
                        self.assertLessEqual(len(line), width)
                    shown = [name for name in names
                             if any(line.strip().startswith(name) for line in table)]
                    self.assertGreaterEqual(len(shown), 5, "\n".join(table))

    def test_the_long_column_wraps_rather_than_two_short_ones(self):
        status, out = run_in_pty(harness.with_answers(BOTH_KNEES, knees="one", side="right")
                                 + ["--color", "never"], columns=80)
        table = plan_lines(screen_lines(out.decode()))
        self.assertTrue(any("3 × 15–20 slow reps on each leg" in line for line in table),
                        "\n".join(table))
        self.assertTrue(any("2 × 15–20 slow reps on each side" in line for line in table),
                        "\n".join(table))


class ClosingLine(CliTestCase):
    """On a 24-row terminal the top of a result has scrolled away when it ends: its last screen
    still names the level and the one thing to do now."""

    def test_the_last_screen_names_the_level_and_what_to_do(self):
        for args, level in [(BOTH_KNEES, "self-care"),
                            (harness.with_answers(BOTH_KNEES, hot="yes", swelling="yes",
                                                  badly_swollen="no", fever="no"), "urgent")]:
            for width in WIDTHS:
                with self.subTest(level, width=width):
                    status, out = run_in_pty(args + ["--color", "never"], columns=width)
                    self.assertEqual(status, 0)
                    lines = screen_lines(out.decode())
                    last_screen = " ".join(" ".join(lines[-24:]).split())
                    self.assertIn(level_title(level).upper() + " \u2014 now: ", last_screen)


class CommandFormats(CliTestCase):
    """Each command lists and accepts only its own formats."""

    OWN = {
        None: "text|json",
        "questions": "text|json|fhir",
        "check": "text|json",
        "diff": "text|json",
        "test": "text|json",
        "graph": "dot|mermaid",
        "batch": "json|summary",
    }

    def test_help_lists_each_command_own_formats(self):
        for command, formats in self.OWN.items():
            args = [command, "--help"] if command else ["--help"]
            text = run(args).stdout.decode()
            listed = re.findall(r"^  --format (\S+)", text, re.MULTILINE)
            self.assertEqual(listed, [formats], command)
        self.assertNotIn("--format", run(["completions", "--help"]).stdout.decode())

    def test_formats_that_work_are_accepted_before_or_after_the_command(self):
        cases = [["questions", "--format", "fhir"], ["--format", "fhir", "questions"],
                 ["graph", "--format", "mermaid"], ["--format", "mermaid", "graph"],
                 ["test", "--format", "json", os.path.join(harness.SOURCE_DIR, "rules", "knee.test.json")],
                 BOTH_KNEES + ["--format", "json"]]
        for args in cases:
            self.assertExit(run(args), 0)
        self.assertExit(run(["batch", "--format", "summary"],
                            input_bytes=b'{"knees": "both"}\n'), 65)  # a bad line, read

    def test_formats_that_do_not_work_are_refused_with_what_does(self):
        cases = [
            (BOTH_KNEES + ["--format", "fhir"], "fhir is for 'kneetriage questions'"),
            (["check", "--format", "fhir"], "'fhir' is not one of text, json"),
            (["completions", "bash", "--format", "json"], "'completions' takes no --format"),
            (["--format", "json", "completions", "bash"], "'completions' takes no --format"),
            (["graph", "--format", "json"], "'json' is not one of dot, mermaid"),
            (["batch", "--format", "text"], "'text' is not one of json, summary"),
            (["--format", "summary"] + BOTH_KNEES, "summary is for 'kneetriage batch'"),
        ]
        for args, message in cases:
            with self.subTest(args=args[-3:]):
                result = run(args)
                self.assertExit(result, 64)
                self.assertIn(message.encode(), result.stderr)


class HelpCommand(CliTestCase):

    COMMANDS = ["questions", "check", "diff", "test", "graph", "batch", "completions", "help"]

    def test_help_and_help_command_show_what_dash_dash_help_shows(self):
        self.assertEqual(run(["help"]).stdout, run(["--help"]).stdout)
        for command in self.COMMANDS:
            result = run(["help", command])
            self.assertExit(result, 0)
            self.assertEqual(result.stdout, run([command, "--help"]).stdout, command)

    def test_help_with_an_unknown_command_suggests_one(self):
        result = run(["help", "chek"])
        self.assertExit(result, 64)
        self.assertIn(b"unknown command 'chek'", result.stderr)
        self.assertIn(b"did you mean 'kneetriage help check'?", result.stderr)

    def test_every_command_help_has_examples(self):
        for command in self.COMMANDS:
            text = run([command, "--help"]).stdout.decode()
            examples = text[text.index("\nExamples:\n"):].split("\n\n")[0]
            self.assertIn("kneetriage " + command, examples, command)

    def test_diff_takes_exactly_two_files_and_says_so(self):
        text = run(["diff", "--help"]).stdout.decode()
        self.assertIn("Usage: kneetriage diff [OPTION]... OLD NEW\n", text)
        self.assertNotIn("[OLD NEW", text)
        self.assertIn("Usage: kneetriage check [OPTION]... [FILE...]\n",
                      run(["check", "--help"]).stdout.decode())
        self.assertIn("Usage: kneetriage test [OPTION]... FILE...\n",
                      run(["test", "--help"]).stdout.decode())

    def test_v_and_capital_v_suggest_version(self):
        for flag in ["-v", "-V"]:
            result = run([flag])
            self.assertExit(result, 64)
            self.assertIn(b"did you mean --version?", result.stderr)
            self.assertNotIn(b"-h?", result.stderr)


if __name__ == "__main__":
    harness.main()
