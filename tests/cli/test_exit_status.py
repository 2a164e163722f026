"""Every documented exit status, and the --exit-code mapping, from the user's side."""

import json
import subprocess

import harness
from harness import BOTH_KNEES, CliTestCase, run, with_answers


# Questions asked after the warning signs that cannot change an emergency: how bad, gym work,
# new to running. (Where it hurts can: behind the knee asks about the calf.)
AFTER_WARNING_SIGNS = ["severity", "strength_training", "new_to_running"]


def without(args, ids):
    """`args` with the flags of these question ids (and their values) left out."""
    out = []
    pairs = iter(args)
    for flag, value in zip(pairs, pairs):
        if flag[2:] not in ids:
            out += [flag, value]
    return out


# Every warning sign answered, a cold or blue leg among them (an emergency), and none of the
# questions after them that could only add what an emergency holds back.
EMERGENCY_DECIDED = without(with_answers(BOTH_KNEES, circulation="yes"), AFTER_WARNING_SIGNS)

# Small rules, to say exactly which answers can change the result: flag=yes is an emergency that
# holds back strength work, and detail=a only adds strength work.
DECIDING_RULES = {
    "format": "kneetriage-rules/1", "id": "deciding", "version": "1", "title": "Deciding",
    "disclaimer": "Not medical advice.",
    "sources": [{"id": "s", "title": "S"}],
    "citations": [{"id": "C1", "source": "s", "point": "p"}],
    "urgencies": [
        {"id": "emergency", "title": "Emergency", "action": "Call now", "withhold": ["strength"]},
        {"id": "self-care", "title": "Self-care", "action": "Do the plan"}],
    "questions": [
        {"id": "flag", "text": "Flag?", "help": "h", "type": "boolean",
         "red_flag": {"fact": "flag", "operator": "equal", "value": True},
         "red_flag_message": "A flag"},
        {"id": "detail", "text": "Detail?", "help": "h", "type": "choice",
         "choices": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]}],
    "causes": [{"id": "c", "title": "C", "explanation": "e", "source": ["C1"]}],
    "advice": [{"id": "stop", "text": "Stop", "source": ["C1"]}],
    "exercises": [{"id": "squat", "name": "Squat", "kind": "strength", "how": "h", "dose": "d",
                   "frequency": "daily", "cues": [], "start": "now", "source": ["C1"]}],
    "plan": [],
    "rules": [
        {"id": "flagged", "title": "Flagged", "source": ["C1"],
         "when": {"fact": "flag", "operator": "equal", "value": True},
         "then": {"urgency": "emergency", "causes": ["c"], "advice": ["stop"]}},
        {"id": "detail-a", "title": "Detail a", "source": ["C1"],
         "when": {"fact": "detail", "operator": "equal", "value": "a"},
         "then": {"exercises": ["squat"]}}],
}


class UsageErrors(CliTestCase):
    """64: the command line is wrong."""

    def test_complete_answers_exit_0(self):
        self.assertExit(run(BOTH_KNEES), 0)

    def test_unknown_flag_is_64_and_names_it(self):
        result = run(BOTH_KNEES + ["--kness", "both"])
        self.assertExit(result, 64)
        self.assertIn(b"--kness", result.stderr)
        self.assertEqual(result.stdout, b"")

    def test_value_not_allowed_is_64_naming_flag_and_allowed_values(self):
        result = run(with_answers(BOTH_KNEES, knees="three"))
        self.assertExit(result, 64)
        self.assertIn(b"--knees", result.stderr)
        self.assertIn(b"both, one", result.stderr)
        self.assertEqual(result.stdout, b"")

    def test_yes_no_flag_rejects_other_words(self):
        result = run(with_answers(BOTH_KNEES, swelling="maybe"))
        self.assertExit(result, 64)
        self.assertIn(b"--swelling", result.stderr)
        self.assertIn(b"yes or no", result.stderr)

    def test_missing_answers_are_listed_as_flags_to_add(self):
        result = run(["--knees", "one", "--weight_bearing", "yes"])
        self.assertExit(result, 64)
        err = result.stderr.decode()
        # knees=one makes --side apply; every missing one is listed with its values.
        for flag in ["--side left|right", "--trauma yes|no", "--location front|outer",
                     "--severity mild|moderate|severe"]:
            self.assertIn(flag, err)
        self.assertNotIn("--knees ", err.split("add:")[1])
        self.assertNotIn("--fever", err, "fever applies only to a hot or swollen knee")

    def test_follow_up_question_becomes_required(self):
        result = run(with_answers(BOTH_KNEES, hot="yes"))
        self.assertExit(result, 64)
        self.assertIn(b"--fever yes|no", result.stderr)

    def test_answers_that_already_decide_the_result_are_enough(self):
        result = run(EMERGENCY_DECIDED + ["--format", "json"])
        self.assertExit(result, 0)
        document = self.json_stdout(result)
        self.assertEqual(document["urgency"], "emergency")
        self.assertFalse(document["partial"])
        self.assertEqual(document["unanswered"], [])
        self.assertEqual(document["not_needed"], AFTER_WARNING_SIGNS)

    def test_answers_from_a_file_that_decide_the_result_are_enough(self):
        pairs = iter(EMERGENCY_DECIDED)
        answers = {flag[2:]: {"yes": True, "no": False}.get(value, value)
                   for flag, value in zip(pairs, pairs)}
        result = run(["--answers", self.write("answers.json", json.dumps(answers)),
                      "--format", "json"])
        self.assertExit(result, 0)
        self.assertEqual(result.stdout, run(EMERGENCY_DECIDED + ["--format", "json"]).stdout)

    def test_complete_answers_have_nothing_not_needed(self):
        document = self.json_stdout(run(BOTH_KNEES + ["--format", "json"]))
        self.assertEqual(document["not_needed"], [])
        self.assertFalse(document["partial"])

    def test_missing_answers_that_could_change_the_result_are_64(self):
        # Below urgent, a warning sign left unanswered could change what is shown.
        result = run(without(BOTH_KNEES, ["numbness"]))
        self.assertExit(result, 64)
        self.assertIn(b"--numbness yes|no", result.stderr)
        self.assertEqual(result.stdout, b"")

    def test_an_emergency_is_given_at_once_however_much_is_missing(self):
        # Every way of answering the rest is an emergency too: the result comes now, partial.
        for given in (["--circulation", "yes"], ["--weight-bearing", "no", "--trauma", "yes"],
                      without(EMERGENCY_DECIDED, ["numbness"])):
            with self.subTest(given=given):
                result = run(given + ["--exit-code"])
                self.assertExit(result, 30)
                text = result.stdout.decode()
                self.assertTrue(text.startswith("!! EMERGENCY !!\nGo to A&E now"), text)
                self.assertIn("PARTIAL RESULT", text)
                document = self.json_stdout(run(given + ["--format", "json"]))
                self.assertEqual(document["urgency"], "emergency")
                self.assertTrue(document["partial"])
                self.assertTrue(document["urgency_is_floor"])
                self.assertTrue(document["unanswered"])

    def test_an_urgent_answer_alone_is_urgent_at_once(self):
        result = run(["--locking", "yes", "--exit-code"])
        self.assertExit(result, 20)
        self.assertIn(b"PARTIAL RESULT", result.stdout)

    def test_an_answer_to_a_question_that_does_not_apply_is_64(self):
        result = run(BOTH_KNEES + ["--fever", "yes"])
        self.assertExit(result, 64)
        self.assertEqual(result.stdout, b"")
        message = result.stderr.decode()
        self.assertIn("--fever is asked only if", message)
        self.assertIn("you answered --swelling no --hot no", message)
        self.assertIn("say --swelling yes or --hot yes; otherwise leave --fever out", message)
        from_file = self.write("answers.json", json.dumps(dict(harness.BOTH_KNEES_ANSWERS,
                                                              badly_swollen=True)))
        result = run(["--answers", from_file])
        self.assertExit(result, 64)
        message = result.stderr.decode()
        self.assertIn("answers.json:", message)
        self.assertIn('/badly_swollen: "badly_swollen" is asked only if swollen', message)
        # null still means "not answered".
        none = self.write("none.json", json.dumps(dict(harness.BOTH_KNEES_ANSWERS, fever=None)))
        self.assertExit(run(["--answers", none]), 0)

    def test_only_the_answers_that_cannot_matter_may_be_left_out(self):
        rules = self.write("deciding.json", json.dumps(DECIDING_RULES))
        decided = run(["--rules", rules, "--flag", "yes", "--format", "json"])
        self.assertExit(decided, 0)
        self.assertEqual(self.json_stdout(decided)["not_needed"], ["detail"])
        for args in (["--flag", "no"], ["--detail", "a"]):
            with self.subTest(args=args):
                result = run(["--rules", rules] + args)
                self.assertExit(result, 64)
                self.assertIn(b"no answer", result.stderr)

    def test_no_answers_without_a_terminal_shows_how_to_pass_them(self):
        result = run([])
        self.assertExit(result, 64)
        err = result.stderr.decode()
        self.assertIn("not a terminal", err)
        self.assertIn("--answers", err)
        # The example command line is complete and runs as it stands.
        example = next(line.strip() for line in err.splitlines()
                       if line.strip().startswith("kneetriage --"))
        self.assertExit(run(example.split()[1:]), 0)

    def test_save_to_stdout_is_refused(self):
        self.assertExit(run(BOTH_KNEES + ["--save", "-"]), 64)

    def test_bad_format_and_color_values_are_64(self):
        self.assertExit(run(BOTH_KNEES + ["--format", "xml"]), 64)
        self.assertExit(run(BOTH_KNEES + ["--color", "sometimes"]), 64)

    def test_assessment_flags_do_not_go_with_subcommands(self):
        result = run(["questions", "--explain"])
        self.assertExit(result, 64)
        self.assertIn(b"--explain", result.stderr)

    def test_last_flag_wins_when_repeated(self):
        result = run(BOTH_KNEES + ["--knees", "one", "--side", "left", "--format", "json"])
        self.assertExit(result, 0)
        self.assertEqual(self.json_stdout(result)["answers"]["knees"], "one")

    def test_an_answer_that_does_not_apply_is_never_dropped_quietly(self):
        result = run(BOTH_KNEES + ["--side", "left", "--format", "json"])
        self.assertExit(result, 64)
        self.assertEqual(result.stdout, b"")
        self.assertIn(b"--side is asked only if knees is one; you answered --knees both",
                      result.stderr)
        self.assertIn(b"say --knees one; otherwise leave --side out", result.stderr)


class DataErrors(CliTestCase):
    """65: a rules file or an answers document is not valid."""

    def test_unknown_question_in_answers_file_is_65_with_pointer(self):
        answers = dict(harness.BOTH_KNEES_ANSWERS, kness="both")
        path = self.write("answers.json", json.dumps(answers))
        result = run(["--answers", path])
        self.assertExit(result, 65)
        self.assertIn(b"/kness", result.stderr)
        self.assertIn(b"did you mean 'knees'", result.stderr)
        self.assertEqual(result.stdout, b"")

    def test_every_problem_in_an_answers_file_is_reported(self):
        answers = dict(harness.BOTH_KNEES_ANSWERS, hot="yes", knees="three")
        path = self.write("answers.json", json.dumps(answers))
        result = run(["--answers", path])
        self.assertExit(result, 65)
        self.assertIn(b"/hot", result.stderr)
        self.assertIn(b"/knees", result.stderr)

    def test_malformed_json_is_65_with_line_and_column(self):
        path = self.write("answers.json", '{\n  "knees": "both",\n  oops\n}\n')
        result = run(["--answers", path])
        self.assertExit(result, 65)
        self.assertIn(f"{path}:3:3".encode(), result.stderr)

    def test_answers_that_are_not_an_object_are_65(self):
        path = self.write("answers.json", '["both"]')
        self.assertExit(run(["--answers", path]), 65)

    def test_bad_rules_file_prints_every_diagnostic(self):
        rules = harness.load_builtin_rules()
        rules["questions"][0]["type"] = "choise"
        rules["rules"][0]["then"]["urgency"] = "panic"
        path = self.write("rules.json", json.dumps(rules, indent=2))
        result = run(["--rules", path] + BOTH_KNEES)
        self.assertExit(result, 65)
        err = result.stderr.decode()
        self.assertIn("/questions/0/type", err)
        self.assertIn("/rules/0/then/urgency", err)
        self.assertEqual(result.stdout, b"")

    def test_bad_rules_from_environment_are_65(self):
        path = self.write("rules.json", "{")
        result = run(BOTH_KNEES, env={"KNEETRIAGE_RULES": path})
        self.assertExit(result, 65)
        self.assertIn(b"KNEETRIAGE_RULES", result.stderr)

    def test_question_id_clashing_with_an_option_is_65(self):
        rules = harness.load_builtin_rules()
        rules["questions"].append({"id": "format", "text": "Which format?", "help": "Why.",
                                   "type": "boolean"})
        path = self.write("rules.json", json.dumps(rules))
        # (`check` accepts the file: test_rule_tools.py, RuleCheck; it walks every answer set.)
        result = run(["--rules", path, "--help"])
        self.assertExit(result, 65)
        self.assertIn(b"'format'", result.stderr)


class FileErrors(CliTestCase):
    """66: a file that cannot be read; 74: a file that cannot be written."""

    def test_missing_answers_file_is_66_with_path_and_reason(self):
        missing = self.path("nope.json")
        result = run(["--answers", missing])
        self.assertExit(result, 66)
        self.assertIn(missing.encode(), result.stderr)
        self.assertIn(b"No such file or directory", result.stderr)

    def test_directory_as_answers_file_is_66(self):
        result = run(["--answers", self.tmp])
        self.assertExit(result, 66)
        self.assertIn(b"Is a directory", result.stderr)

    def test_missing_rules_file_is_66(self):
        result = run(["--rules", self.path("none.json")] + BOTH_KNEES)
        self.assertExit(result, 66)
        self.assertIn(b"none.json", result.stderr)

    def test_stdout_that_cannot_be_written_is_74(self):
        with open("/dev/full", "wb") as full:
            process = subprocess.run([harness.BINARY] + BOTH_KNEES, stdout=full,
                                     stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=30)
        self.assertEqual(process.returncode, 74, process.stderr)
        self.assertIn(b"No space left on device", process.stderr)

    def test_save_into_missing_directory_is_74_and_still_prints_result(self):
        target = self.path("no/such/dir/answers.json")
        result = run(BOTH_KNEES + ["--save", target])
        self.assertExit(result, 74)
        self.assertIn(b"SELF-CARE", result.stdout)
        self.assertIn(b"to run this assessment again: kneetriage --knees both", result.stderr)


class ExitCodeMapping(CliTestCase):
    """--exit-code: self-care 0, see-doctor 10, urgent 20, emergency 30."""

    def check(self, args, status, urgency):
        result = run(args + ["--exit-code", "--format", "json"])
        self.assertExit(result, status)
        self.assertEqual(self.json_stdout(result)["urgency"], urgency)

    def test_self_care_is_0(self):
        self.check(BOTH_KNEES, 0, "self-care")

    def test_see_doctor_is_10(self):
        self.check(with_answers(BOTH_KNEES, swelling="yes", badly_swollen="no", fever="no"), 10,
                   "see-doctor")

    def test_urgent_is_20(self):
        self.check(with_answers(BOTH_KNEES, locking="yes"), 20, "urgent")

    def test_emergency_is_30(self):
        self.check(with_answers(BOTH_KNEES, hot="yes", fever="yes"), 30, "emergency")

    def test_a_result_decided_early_exits_with_its_urgency(self):
        self.check(EMERGENCY_DECIDED, 30, "emergency")

    def test_off_by_default(self):
        self.assertExit(run(with_answers(BOTH_KNEES, numbness="yes")), 0)

    def test_mapping_is_documented_in_help(self):
        result = run(["--help"])
        self.assertExit(result, 0)
        text = result.stdout.decode()
        self.assertIn("self-care 0, see-doctor 10, urgent 20, emergency 30", " ".join(text.split()))
        for status in ["64", "65", "66", "74", "130"]:
            self.assertRegex(text, rf"\b{status} [a-z]")


if __name__ == "__main__":
    harness.main()
