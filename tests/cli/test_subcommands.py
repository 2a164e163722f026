"""`questions`, `check`, --help, --version, and rules from --rules or KNEETRIAGE_RULES."""

import json
import os

import harness
from harness import BOTH_KNEES, CliTestCase, run


class Questions(CliTestCase):

    def test_json_lists_every_question_of_the_rules(self):
        result = run(["questions", "--format", "json"])
        self.assertExit(result, 0)
        doc = self.json_stdout(result)
        rules = harness.load_builtin_rules()
        self.assertRegex(doc["schema"], r"^kneetriage/questions/\d+$")
        self.assertEqual(doc["rules_id"], rules["id"])
        self.assertEqual([q["id"] for q in doc["questions"]], [q["id"] for q in rules["questions"]])
        for question, source in zip(doc["questions"], rules["questions"]):
            self.assertEqual(question["text"], source["text"])
            self.assertEqual(question["help"], source["help"])
            self.assertEqual(question["type"], source["type"])
            self.assertEqual(question["flag"], "--" + source["id"].replace("_", "-"))

    def test_json_has_allowed_answers_with_labels_and_conditions(self):
        doc = self.json_stdout(run(["questions", "--format", "json"]))
        by_id = {q["id"]: q for q in doc["questions"]}
        self.assertEqual(by_id["knees"]["choices"],
                         [{"value": "both", "label": "Both knees"},
                          {"value": "one", "label": "One knee"}])
        self.assertIsNone(by_id["knees"]["ask_if"])
        self.assertEqual(by_id["side"]["ask_if"],
                         {"fact": "knees", "operator": "equal", "value": "one"})
        self.assertEqual([c["value"] for c in by_id["swelling"]["choices"]], [True, False])
        self.assertEqual(by_id["swelling"]["red_flag"],
                         {"fact": "swelling", "operator": "equal", "value": True})
        self.assertTrue(by_id["swelling"]["red_flag_message"])
        self.assertIn("hot-or-swollen", doc["conditions"])

    def test_choices_from_json_are_accepted_as_answers(self):
        # A tool building its own form can send back any value it was offered.
        doc = self.json_stdout(run(["questions", "--format", "json"]))
        by_id = {q["id"]: q for q in doc["questions"]}
        answers = dict(harness.BOTH_KNEES_ANSWERS)
        for value in [c["value"] for c in by_id["location"]["choices"]]:
            answers["location"] = value
            # Pain behind the knee asks about the calf; elsewhere it is not asked.
            answers.pop("calf", None)
            if value == "back":
                answers["calf"] = False
            path = self.write("answers.json", json.dumps(answers))
            self.assertExit(run(["--answers", path]), 0)

    def test_text_lists_flags_values_and_conditions(self):
        result = run(["questions"])
        self.assertExit(result, 0)
        text = result.stdout.decode()
        self.assertIn("--knees both|one", text)
        self.assertIn("--side left|right", text)
        self.assertIn("Asked if: knees is one", text)
        self.assertIn("Red flag when: swollen\n", text)
        self.assertIn("Red flag when: can put weight on the leg: no\n", text)


def clean_rules_path():
    """A small rules file that check passes, for tests about check itself rather than about
    the built-in rules."""
    return os.path.join(harness.SOURCE_DIR, "tests", "corpus", "files", "valid.json")


class Check(CliTestCase):

    def test_builtin_rules_are_clean(self):
        result = run(["check"])
        self.assertExit(result, 0)
        self.assertRegex(result.stderr.decode(), r"^ok: \d+ questions, \d+ rules")
        self.assertEqual(result.stdout, b"")

    def test_source_rules_file_is_clean(self):
        result = run(["check", harness.rules_path()])
        self.assertExit(result, 0)
        rules = harness.load_builtin_rules()
        self.assertIn(f"ok: {len(rules['questions'])} questions, {len(rules['rules'])} rules",
                      result.stderr.decode())

    def test_every_problem_of_every_file_is_reported(self):
        rules = harness.load_builtin_rules()
        rules["exercices"] = []
        rules["rules"][0]["when"] = {"fact": "knee", "operator": "equal", "value": "both"}
        bad = self.write("bad.json", json.dumps(rules, indent=2))
        worse = self.write("worse.json", "{ not json")
        result = run(["check", bad, clean_rules_path(), worse])
        self.assertExit(result, 65)
        err = result.stderr.decode()
        self.assertIn("bad.json:", err)
        self.assertIn("/exercices", err)
        self.assertIn("/rules/0/when/fact", err)
        self.assertIn("worse.json:1:", err)
        self.assertIn("ok: ", err, "the good file in the middle is reported too")

    def test_unreadable_file_is_66(self):
        result = run(["check", self.path("missing.json")])
        self.assertExit(result, 66)
        self.assertIn(b"missing.json", result.stderr)

    def test_check_works_even_when_the_rules_in_effect_are_broken(self):
        broken = self.write("broken.json", "{}")
        result = run(["check", clean_rules_path()], env={"KNEETRIAGE_RULES": broken})
        self.assertExit(result, 0)


class RulesOverride(CliTestCase):

    def extended_rules(self, with_rule=True):
        """The built-in rules plus a question, and (with_rule) a rule that reads it."""
        rules = harness.load_builtin_rules()
        rules["version"] = "9.9.9-test"
        rules["questions"].append({
            "id": "shoe_age", "text": "How many months old are your running shoes?",
            "help": "Old shoes cushion less.", "type": "number", "min": 0, "max": 60})
        if with_rule:
            rules["rules"].append({
                "id": "old-shoes", "title": "Old shoes: new load",
                "when": {"fact": "shoe_age", "operator": "greaterThan", "value": 12},
                "then": {"causes": ["new-load"]}, "source": ["A8"]})
        return self.write("rules.json", json.dumps(rules))

    def test_new_question_becomes_a_flag_without_code_change(self):
        path = self.extended_rules()
        help_text = run(["--rules", path, "--help"]).stdout.decode()
        self.assertIn("--shoe-age 0-60", help_text)
        missing = run(["--rules", path] + BOTH_KNEES)
        self.assertExit(missing, 64)
        self.assertIn(b"--shoe-age 0-60", missing.stderr)
        result = run(["--rules", path] + BOTH_KNEES + ["--shoe_age", "7", "--format", "json"])
        self.assertExit(result, 0)
        doc = self.json_stdout(result)
        self.assertEqual(doc["rules_version"], "9.9.9-test")
        self.assertEqual(doc["answers"]["shoe_age"], 7)
        self.assertExit(run(["--rules", path] + BOTH_KNEES + ["--shoe_age", "61"]), 64)
        old = self.json_stdout(run(["--rules", path] + BOTH_KNEES + ["--shoe_age", "20",
                                                                      "--format", "json"]))
        self.assertIn("new-load", [cause["id"] for cause in old["causes"]])

    def test_question_no_rule_reads_is_not_needed(self):
        # A question no rule reads cannot change the result: one-shot mode does not demand it,
        # and the JSON says it was not needed.
        path = self.extended_rules(with_rule=False)
        result = run(["--rules", path] + BOTH_KNEES + ["--format", "json"])
        self.assertExit(result, 0)
        self.assertIn("shoe_age", self.json_stdout(result)["not_needed"])

    def test_multi_answer_question_takes_a_list_or_repeated_flags(self):
        rules = harness.load_builtin_rules()
        rules["questions"].append({
            "id": "surface", "text": "Where do you run?", "help": "Surfaces differ.",
            "type": "multi", "choices": [{"value": "road", "label": "Road"},
                                         {"value": "trail", "label": "Trail"},
                                         {"value": "track", "label": "Track"}]})
        path = self.write("rules.json", json.dumps(rules))
        for given in [["--surface", "road,trail"], ["--surface", "road", "--surface", "tr"]]:
            result = run(["--rules", path] + BOTH_KNEES + given + ["--format", "json"])
            if given[-1] == "tr":
                self.assertExit(result, 64)  # "tr" could be trail or track
                self.assertIn(b"ambiguous", result.stderr)
                continue
            self.assertExit(result, 0)
            self.assertEqual(self.json_stdout(result)["answers"]["surface"], ["road", "trail"])
        result = run(["--rules", path] + BOTH_KNEES +
                     ["--surface", "road", "--surface", "trai", "--format", "json"])
        self.assertExit(result, 0)
        self.assertEqual(self.json_stdout(result)["answers"]["surface"], ["road", "trail"])

    def test_rules_flag_after_subcommand_and_with_equals(self):
        path = self.extended_rules()
        for args in [["questions", "--rules", path], [f"--rules={path}", "questions"]]:
            result = run(args)
            self.assertExit(result, 0)
            self.assertIn(b"--shoe-age", result.stdout)

    def test_environment_names_the_rules(self):
        path = self.extended_rules()
        result = run(["--version"], env={"KNEETRIAGE_RULES": path})
        self.assertExit(result, 0)
        self.assertIn(b"9.9.9-test", result.stdout)

    def test_rules_flag_wins_over_environment(self):
        path = self.extended_rules()
        result = run(["--rules", harness.rules_path(), "--version"],
                     env={"KNEETRIAGE_RULES": path})
        self.assertNotIn(b"9.9.9-test", result.stdout)


class Help(CliTestCase):

    def test_help_lists_every_question_flag_with_its_values(self):
        result = run(["--help"])
        self.assertExit(result, 0)
        text = result.stdout.decode()
        for question in harness.load_builtin_rules()["questions"]:
            self.assertIn("--" + question["id"].replace("_", "-"), text)
        self.assertIn("--location front|outer|inner|back|all-over", text)
        self.assertEqual(result.stderr, b"")

    def test_help_example_runs(self):
        text = run(["--help"]).stdout.decode()
        example = text.split("Example")[1].split("\n\n")[0]
        line = next(l for l in example.replace("\\\n", " ").splitlines()
                    if "--knees" in l)
        self.assertExit(run(line.split()[1:]), 0)

    def test_version(self):
        result = run(["--version"])
        self.assertExit(result, 0)
        self.assertRegex(result.stdout.decode(), r"^kneetriage \d+\.\d+\.\d+ \(rules: ")

    def test_subcommand_help(self):
        result = run(["check", "--help"])
        self.assertExit(result, 0)
        self.assertIn(b"FILE", result.stdout)


if __name__ == "__main__":
    harness.main()
