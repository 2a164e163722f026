"""--format json: one document on stdout, the documented fields, answers from files and flags."""

import json
from collections import OrderedDict

import harness
from harness import BOTH_KNEES, BOTH_KNEES_ANSWERS, CliTestCase, run, with_answers

TOP_LEVEL_KEYS = ["schema", "rules_id", "rules_version", "urgency", "action", "partial",
                  "unanswered", "not_needed", "causes", "advice", "exercises", "plan", "withheld",
                  "on_hold", "fired", "answers", "disclaimer"]


class JsonDocument(CliTestCase):

    def assess(self, args):
        result = run(args + ["--format", "json"])
        self.assertExit(result, 0)
        return self.json_stdout(result)

    def test_stdout_is_exactly_one_json_document_ending_in_newline(self):
        result = run(BOTH_KNEES + ["--format", "json"])
        self.assertExit(result, 0)
        self.assertTrue(result.stdout.endswith(b"}\n"))
        self.assertEqual(json.loads(result.stdout), self.json_stdout(result))
        self.assertEqual(result.stderr, b"", "nothing for humans on a clean run")

    def test_documented_fields_are_present_with_a_schema_version(self):
        doc = self.assess(BOTH_KNEES)
        for key in TOP_LEVEL_KEYS:
            self.assertIn(key, doc)
        self.assertRegex(doc["schema"], r"^kneetriage/assessment/\d+$")
        rules = harness.load_builtin_rules()
        self.assertEqual(doc["rules_id"], rules["id"])
        self.assertEqual(doc["rules_version"], rules["version"])
        self.assertEqual(doc["disclaimer"], rules["disclaimer"])

    def test_key_order_is_stable(self):
        first = run(BOTH_KNEES + ["--format", "json"]).stdout
        second = run(list(reversed_pairs(BOTH_KNEES)) + ["--format", "json"]).stdout
        self.assertEqual(first, second, "flag order must not change the document")
        keys = list(json.loads(first, object_pairs_hook=OrderedDict).keys())
        self.assertEqual([k for k in keys if k in TOP_LEVEL_KEYS], TOP_LEVEL_KEYS)

    def test_both_knees_points_to_weak_quads_with_why(self):
        doc = self.assess(BOTH_KNEES)
        self.assertEqual(doc["urgency"], "self-care")
        cause = next(c for c in doc["causes"] if c["id"] == "quad-weakness")
        self.assertTrue(cause["title"])
        self.assertTrue(cause["why"])
        self.assertIn({"question": "knees", "answer": "both"}, cause["because"])

    def test_fired_rules_carry_source_and_matched_conditions(self):
        doc = self.assess(BOTH_KNEES)
        fired = {f["rule"]: f for f in doc["fired"]}
        self.assertIn("both-knees-quads", fired)
        rule = fired["both-knees-quads"]
        self.assertTrue(rule["source"])
        self.assertIn({"fact": "knees", "operator": "equal", "value": "both", "answer": "both",
                       "negated": False}, rule["matched"])

    def test_exercises_have_the_documented_fields(self):
        doc = self.assess(BOTH_KNEES)
        self.assertTrue(doc["exercises"])
        for exercise in doc["exercises"]:
            for key in ["id", "name", "dose", "frequency", "cues"]:
                self.assertIn(key, exercise)
            self.assertIsInstance(exercise["cues"], list)
        self.assertIn("squat", [e["id"] for e in doc["exercises"]])

    def test_red_flag_withholds_running_and_exercise(self):
        doc = self.assess(with_answers(BOTH_KNEES, weight_bearing="no"))
        self.assertEqual(doc["urgency"], "urgent")
        kinds = {e.get("kind") for e in doc["exercises"]}
        self.assertNotIn("running", kinds)
        self.assertNotIn("plyometric", kinds)
        self.assertFalse([p for p in doc["plan"] if p["kind"] == "running"])
        self.assertTrue(doc["withheld"])

    def test_overuse_causes_are_set_aside_at_urgent_in_their_own_records(self):
        doc = self.assess(with_answers(BOTH_KNEES, knees="one", side="left", locking="yes"))
        self.assertEqual(doc["urgency"], "urgent")
        self.assertEqual([c["id"] for c in doc["causes"]], ["structural-injury"])
        set_aside = [w["id"] for w in doc["withheld"] if w["type"] == "cause"]
        self.assertIn("hip-biomechanics", set_aside)
        self.assertIsNotNone(doc["on_hold"])

    def test_a_severe_result_leads_with_the_week_off(self):
        doc = self.assess(with_answers(BOTH_KNEES, severity="severe"))
        self.assertEqual(doc["urgency"], "self-care")
        self.assertEqual(doc["action"]["id"], "week-off-now")
        self.assertIn("week off", doc["action"]["text"])
        self.assertIn("A17", [c["id"] for c in doc["action"]["source"]])
        mild = self.assess(BOTH_KNEES)
        self.assertIsNone(mild["action"]["id"])
        self.assertEqual(mild["action"]["text"], mild["urgency_action"])

    def test_frequencies_fit_the_level(self):
        doc = self.assess(with_answers(BOTH_KNEES, hot="yes", fever="no"))
        self.assertEqual(doc["urgency"], "see-doctor")
        for exercise in doc["exercises"]:
            self.assertNotIn("run", exercise["frequency"])
        self.assertFalse(doc["partial"])
        self.assertEqual(doc["unanswered"], [])

    def test_answers_echo_every_answer_given(self):
        result = run(BOTH_KNEES + ["--format", "json"])
        doc = self.json_stdout(result)
        self.assertEqual(doc["answers"], BOTH_KNEES_ANSWERS)
        # An answer that does not apply is refused, never left out of the echo.
        self.assertExit(run(BOTH_KNEES + ["--side", "left", "--format", "json"]), 64)


class AnswersFile(CliTestCase):

    def test_answers_file_gives_the_same_result_as_flags(self):
        path = self.write("answers.json", json.dumps(BOTH_KNEES_ANSWERS))
        from_file = run(["--answers", path, "--format", "json"])
        from_flags = run(BOTH_KNEES + ["--format", "json"])
        self.assertExit(from_file, 0)
        self.assertEqual(from_file.stdout, from_flags.stdout)

    def test_flags_override_the_file(self):
        path = self.write("answers.json", json.dumps(BOTH_KNEES_ANSWERS))
        result = run(["--answers", path, "--knees", "one", "--side", "right", "--format", "json"])
        self.assertExit(result, 0)
        doc = self.json_stdout(result)
        self.assertEqual(doc["answers"]["knees"], "one")
        self.assertEqual(doc["answers"]["side"], "right")
        self.assertIn("hip-biomechanics", [c["id"] for c in doc["causes"]])

    def test_answers_from_standard_input(self):
        result = run(["--answers", "-", "--format", "json"],
                     input_bytes=json.dumps(BOTH_KNEES_ANSWERS).encode())
        self.assertExit(result, 0)
        self.assertEqual(self.json_stdout(result)["answers"], BOTH_KNEES_ANSWERS)

    def test_comment_keys_and_nulls_are_accepted(self):
        answers = dict(BOTH_KNEES_ANSWERS, **{"$comment": "from the clinic form", "side": None})
        path = self.write("answers.json", json.dumps(answers))
        self.assertExit(run(["--answers", path]), 0)

    def test_incomplete_file_lists_missing_flags(self):
        answers = dict(BOTH_KNEES_ANSWERS)
        del answers["severity"]
        path = self.write("answers.json", json.dumps(answers))
        result = run(["--answers", path])
        self.assertExit(result, 64)
        self.assertIn(b"--severity mild|moderate|severe", result.stderr)


def reversed_pairs(args):
    pairs = [args[i:i + 2] for i in range(0, len(args), 2)]
    for pair in reversed(pairs):
        yield from pair


if __name__ == "__main__":
    harness.main()
