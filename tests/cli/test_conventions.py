"""Command-line conventions: did-you-mean, dashed flags, help that fits, man page, completions."""
import json
import os
import re
import shlex
import shutil
import subprocess

import harness
from harness import BOTH_KNEES, CliTestCase, run


def lines(result):
    return result.stdout.decode().splitlines()


class Suggestions(CliTestCase):

    def test_misspelt_flag_names_the_words_in_order_and_the_flag_meant(self):
        result = run(["--kness", "both"])
        self.assertExit(result, 64)
        self.assertIn(b"--kness both", result.stderr)
        self.assertIn(b"did you mean --knees?", result.stderr)

    def test_misspelt_commands_and_flags(self):
        for typed, meant in [("questoins", b"'questions'"), ("chek", b"'check'"),
                             ("--verison", b"--version")]:
            result = run([typed])
            self.assertExit(result, 64)
            self.assertIn(b"did you mean " + meant, result.stderr)

    def test_misspelt_values(self):
        result = run(["--format", "jsn"] + BOTH_KNEES)
        self.assertExit(result, 64)
        self.assertIn(b"did you mean json?", result.stderr)
        result = run(harness.with_answers(BOTH_KNEES, knees="bth"))
        self.assertExit(result, 64)
        self.assertIn(b"did you mean --knees both?", result.stderr)
        result = run(["graph", "--format", "mermid"])  # a subcommand's value too
        self.assertExit(result, 64)
        self.assertIn(b"did you mean mermaid?", result.stderr)

    def test_color_takes_its_value_after_an_equals_sign_or_none(self):
        for args in [["--color"], ["--color=always"], ["--color", "always"]]:
            result = run(BOTH_KNEES + args)
            self.assertExit(result, 0)
            self.assertIn(b"\x1b[", result.stdout)
        self.assertNotIn(b"\x1b[", run(BOTH_KNEES + ["--color=never"]).stdout)
        self.assertExit(run(["--color"] + ["questions"]), 0)


class DashedFlags(CliTestCase):

    def test_dashed_and_underscored_flags_give_the_same_result(self):
        dashed = [a.replace("_", "-") if a.startswith("--") else a for a in BOTH_KNEES]
        self.assertNotEqual(dashed, BOTH_KNEES)  # the harness uses underscores
        one = run(dashed + ["--format", "json"])
        two = run(BOTH_KNEES + ["--format", "json"])
        self.assertExit(one, 0)
        self.assertEqual(one.stdout, two.stdout)

    def test_help_and_messages_show_dashes(self):
        text = run(["--help"]).stdout.decode()
        self.assertIn("--weight-bearing yes|no", text)
        self.assertNotIn("--weight_bearing", text)
        missing = run(["--knees", "one"])
        self.assertExit(missing, 64)
        self.assertIn(b"--weight-bearing", missing.stderr)


class HelpFits(CliTestCase):

    def test_top_help_is_short_and_fits_every_width(self):
        for width in [40, 60, 80, 120]:
            result = run(["--help"], env={"COLUMNS": str(width)})
            self.assertExit(result, 0)
            for line in lines(result):
                self.assertLessEqual(len(line), min(width, 80), line)
            if width == 80:
                # The answers list is the rules' questions, one line each where they fit: 53
                # lines for the rest, and one per question (73 with the built-in rules).
                questions = len(json.loads(run(["questions", "--format", "json"]).stdout)
                                ["questions"])
                self.assertLessEqual(len(lines(result)), 53 + questions)
                # Not medical advice, and what to do in an emergency, before anything else.
                self.assertIn("Not medical advice; in an emergency call 999",
                              " ".join(lines(result)[:3]))

    def test_every_command_help_fits_and_shows_only_its_own(self):
        commands = ["questions", "check", "batch", "completions"]
        for command in commands:
            for width in [40, 60, 80, 120]:
                result = run([command, "--help"], env={"COLUMNS": str(width)})
                self.assertExit(result, 0)
                for line in lines(result):
                    self.assertLessEqual(len(line), min(width, 80), (command, line))
                text = result.stdout.decode()
                self.assertNotIn("q at the prompt", text)
                self.assertNotIn("--weight-bearing", text)
        batch = run(["batch", "--help"]).stdout.decode()
        self.assertIn("--format json|summary ", batch)
        self.assertNotIn("{json,summary}", batch)

    def test_question_flags_are_described_in_plain_words(self):
        text = run(["--help"]).stdout.decode()
        self.assertIn("(asked if swollen or hot or red)", " ".join(text.split()))
        self.assertNotIn("equal true", text)
        self.assertIn("--color[=WHEN]", text)
        self.assertIn("(asked if knees is one)", " ".join(text.split()))
        questions = run(["questions"]).stdout.decode()
        self.assertIn("Asked if: knees is one", questions)
        self.assertIn("Red flag when: can put weight on the leg: no", questions)
        self.assertNotIn("equal", questions)


class ManPage(CliTestCase):

    def test_man_page_documents_everything_and_passes_lint(self):
        result = run(["--man"])
        self.assertExit(result, 0)
        page = result.stdout.decode()
        for section in ["NAME", "SYNOPSIS", "OPTIONS", "QUESTIONS", "COMMANDS", "EXIT STATUS",
                        "ENVIRONMENT", "FILES", "EXAMPLES"]:
            self.assertIn(".SH " + section, page)
        for question in harness.load_builtin_rules()["questions"]:
            self.assertIn("\\-\\-" + question["id"].replace("_", "\\-"), page)
        for command in ["questions", "check", "batch", "completions"]:
            self.assertIn(".SS " + command, page)
        for word in ["NO_COLOR", "KNEETRIAGE_RULES", "COLUMNS", "\\fB130\\fR"]:
            self.assertIn(word, page)
        # The question list reads its conditions in plain words, as `questions` does.
        self.assertIn("\nAsked if knees is one.\n", page)
        self.assertIn("\nAsked if swollen or hot or red.\n", page)
        mandoc = shutil.which("mandoc")
        if mandoc is None:
            self.skipTest("mandoc is not installed")
        self.lint(page)

    def test_man_page_has_everything_a_user_can_do(self):
        page = run(["--man"]).stdout.decode()
        plain = page.replace("\\-", "-").replace("\\fB", "").replace("\\fI", "").replace(
            "\\fR", "")
        # Every command, and every option each command's help lists.
        top = run(["--help"]).stdout.decode()
        commands = re.findall(r"^  ([a-z]+)  ", top.split("Commands:")[1].split("\n\n")[0],
                              re.MULTILINE)
        self.assertIn("help", commands)
        for command in commands:
            self.assertIn(".SS " + command + "\n", page)
            help_text = run([command, "--help"]).stdout.decode()
            for option in re.findall(r"^  (--[a-z-]+)", help_text, re.MULTILINE):
                self.assertIn(option, plain, (command, option))
        for option in re.findall(r"^  (--[a-z-]+)", top, re.MULTILINE):
            self.assertIn(option, plain, option)
        # The questionnaire's keys, in both spellings.
        for key in ["? or help", "b or back", "q or quit", "Ctrl-C, Ctrl-D", "Enter", "NUMBER",
                    "WORD", "not sure"]:
            self.assertIn("\n" + key, plain, key)
        # --save's behaviour.
        self.assertIn(".SH SAVING ANSWERS", page)
        for words in ["mode 0600", "before the first question", "renames it over FILE"]:
            self.assertIn(words, plain)
        # Every exit status: the enum in errors.hpp, docs/cli.md's table, 1 (a failing test) and 70.
        with open(os.path.join(harness.SOURCE_DIR, "src", "cli", "errors.hpp")) as f:
            statuses = set(re.findall(r"= (\d+),", f.read()))
        with open(os.path.join(harness.SOURCE_DIR, "docs", "cli.md")) as f:
            reference = f.read()
        table = reference.split("## Exit statuses")[1].split("\n\n")[1]
        statuses |= set(re.findall(r"^\| (\d+) \|", table, re.MULTILINE))
        self.assertTrue({"0", "1", "64", "70", "130", "141"} <= statuses, statuses)
        exit_section = page.split(".SH EXIT STATUS")[1].split(".SH ")[0]
        for status in statuses:
            self.assertIn(".TP\n\\fB" + status + "\\fR\n", exit_section, status)
        # Examples for each kind of user, each with a command.
        examples = page.split(".SH EXAMPLES")[1].split(".SH ")[0]
        for who in ["A runner at a terminal", "A script", "JSON", "A rules author", "FHIR"]:
            self.assertIn(who, examples)
        for command in ["check", "test", "diff", "graph", "batch", "jq", "--format fhir",
                        "--save", "--exit-code"]:
            self.assertIn(command, examples.replace("\\-", "-"))

    def lint(self, page):
        mandoc = shutil.which("mandoc")
        path = self.write("kneetriage.1", page)
        lint = subprocess.run([mandoc, "-T", "lint", "-W", "warning", path],
                              capture_output=True)
        self.assertEqual(lint.returncode, 0, lint.stdout + lint.stderr)
        self.assertEqual(lint.stdout + lint.stderr, b"")


def complete(script_path, words, cwd):
    """What bash's completion offers for the command line `words` (the last one being typed)."""
    quoted = " ".join(shlex.quote(w) for w in words)
    program = (f"source {script_path}\n"
               f"COMP_WORDS=({quoted})\n"
               f"COMP_CWORD={len(words) - 1}\n"
               "_kneetriage\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    out = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], capture_output=True,
                         cwd=cwd, check=True)
    return sorted(out.stdout.decode().split())


class Completions(CliTestCase):

    def script(self, shell):
        result = run(["completions", shell])
        self.assertExit(result, 0)
        return self.write("completion." + shell, result.stdout.decode())

    def test_bash_completes_flags_values_commands_and_files(self):
        path = self.script("bash")
        work = self.path("work")
        os.makedirs(work)
        with open(os.path.join(work, "my-rules.json"), "w") as f:
            f.write("{}")
        self.assertEqual(complete(path, ["kneetriage", "--kn"], work), ["--knees"])
        self.assertEqual(complete(path, ["kneetriage", "--knees", ""], work), ["both", "one"])
        self.assertEqual(complete(path, ["kneetriage", "--weight_bearing", ""], work),
                         ["no", "yes"])
        self.assertEqual(complete(path, ["kneetriage", "--rules", "my"], work), ["my-rules.json"])
        self.assertEqual(complete(path, ["kneetriage", "che"], work), ["check"])
        self.assertEqual(complete(path, ["kneetriage", "batch", "--format", ""], work),
                         ["json", "summary"])
        self.assertEqual(complete(path, ["kneetriage", "completions", "z"], work), ["zsh"])
        self.assertEqual(complete(path, ["kneetriage", "help", "ba"], work), ["batch"])
        # Each command offers its own formats, and completions none.
        self.assertEqual(complete(path, ["kneetriage", "questions", "--format", ""], work),
                         ["fhir", "json", "text"])
        self.assertEqual(complete(path, ["kneetriage", "--format", ""], work), ["json", "text"])
        self.assertNotIn("--format", complete(path, ["kneetriage", "completions", "--"], work))

    def test_zsh_and_fish_scripts_parse(self):
        for shell in ["zsh", "fish"]:
            program = shutil.which(shell)
            if program is None:
                continue
            path = self.script(shell)
            check = subprocess.run([program, "-n", path], capture_output=True)
            self.assertEqual(check.returncode, 0, check.stderr)
            self.assertIn("--weight-bearing" if shell == "zsh" else "-l weight-bearing",
                          open(path).read())

    def test_unknown_shell_is_a_usage_error(self):
        result = run(["completions", "tcsh"])
        self.assertExit(result, 64)
        self.assertIn(b"bash, zsh, fish", result.stderr)


if __name__ == "__main__":
    harness.main()
