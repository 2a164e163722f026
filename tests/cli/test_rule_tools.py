"""`kneetriage check` (invariants, dead rules and items) and `kneetriage diff`, end to end,
against rules files broken on purpose."""

import itertools
import json
import os
import re
import shlex

import harness
from harness import CliTestCase, load_builtin_rules, run, run_in_pty


def by_id(items, item_id):
    return next(item for item in items if item["id"] == item_id)


def counterexample(stderr):
    """The pasteable command line after 'counterexample', continuation lines joined."""
    text = stderr.split("counterexample", 1)[1].split("\n", 1)[1]
    lines = []
    for line in text.splitlines():
        lines.append(line.strip().rstrip("\\").strip())
        if not line.endswith("\\"):
            break
    return shlex.split(" ".join(lines))


# A small questionnaire whose answer space is counted by hand: a (yes/no), b (x/y/z), and c
# (yes/no, asked only when a is yes): 3 x 2 + 3 x 1 = 9 complete answer sets.
SMALL = {
    "format": "kneetriage-rules/1", "id": "small", "version": "1", "title": "Small",
    "disclaimer": "Not advice.",
    "sources": [{"id": "s", "title": "S"}],
    "citations": [{"id": "C1", "source": "s", "point": "p"}],
    "urgencies": [
        {"id": "urgent", "title": "Urgent", "action": "Go now.", "withhold": ["running"]},
        {"id": "see-doctor", "title": "See a doctor", "action": "Book.", "withhold": ["running"]},
        {"id": "self-care", "title": "Self-care", "action": "Rest."}],
    "questions": [
        {"id": "a", "text": "A?", "help": "h", "type": "boolean"},
        {"id": "b", "text": "B?", "help": "h", "type": "choice",
         "choices": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"},
                     {"value": "z", "label": "Z"}]},
        {"id": "c", "text": "C?", "help": "h", "type": "boolean",
         "ask_if": {"fact": "a", "operator": "equal", "value": True}}],
    "causes": [{"id": "cause", "title": "Cause", "explanation": "E.", "source": ["C1"]}],
    "advice": [{"id": "jog", "text": "Jog.", "kind": "running", "source": ["C1"]}],
    "exercises": [{"id": "squat", "name": "Squat", "kind": "strength", "how": "h", "dose": "d",
                   "frequency": "f", "cues": ["c"], "start": "now",
                   "source": ["C1"]}],
    "rules": [
        {"id": "a-and-c", "when": {"all": [{"fact": "a", "operator": "equal", "value": True},
                                           {"fact": "c", "operator": "equal", "value": True}]},
         "then": {"urgency": "urgent", "causes": ["cause"]}, "source": ["C1"]},
        {"id": "b-is-x", "when": {"fact": "b", "operator": "equal", "value": "x"},
         "then": {"advice": ["jog"], "exercises": ["squat"]}, "source": ["C1"]}],
    "invariants": [
        {"id": "a-and-c-urgent", "why": "a with c is urgent",
         "when": {"all": [{"fact": "a", "operator": "equal", "value": True},
                          {"fact": "c", "operator": "equal", "value": True}]},
         "then": {"urgency_at_least": "urgent"}}],
}


def long_walk_rules(questions=19):
    """Clean rules whose walk takes about as long as the knee rules' (a second or two): every
    yes/no answer matters, 2^19 complete answer sets. For the status-line tests, which need a
    walk long enough to draw one and a clean result after it."""
    return {
        "format": "kneetriage-rules/1", "id": "long-walk", "version": "1", "title": "Long walk",
        "disclaimer": "Not advice.",
        "sources": [{"id": "s", "title": "S"}],
        "citations": [{"id": "C1", "source": "s", "point": "p"}],
        "urgencies": [{"id": "self-care", "title": "Self-care", "action": "Rest."}],
        "questions": [{"id": f"q{i}", "text": f"Q{i}?", "help": "h", "type": "boolean"}
                      for i in range(questions)],
        "causes": [], "exercises": [], "plan": [],
        "advice": [{"id": "rest", "text": "Rest.", "source": ["C1"]}],
        "rules": [{"id": f"q{i}", "title": f"Q{i}", "source": ["C1"],
                   "when": {"fact": f"q{i}", "operator": "equal", "value": True},
                   "then": {"advice": ["rest"]}} for i in range(questions)],
    }


def small_space():
    """Every complete answer set of SMALL, listed independently of kneetriage."""
    for a, b in itertools.product([True, False], ["x", "y", "z"]):
        for c in ([True, False] if a else [None]):
            yield {"a": a, "b": b, "c": c}


class RuleCheck(CliTestCase):
    def check(self, document, *extra):
        path = self.write("rules.json", json.dumps(document, indent=2))
        return path, run(["check", path, *extra])

    def test_builtin_rules_pass_and_prove_their_invariants(self):
        result = run(["check"])
        self.assertExit(result, 0)
        self.assertRegex(result.stderr.decode(),
                         r"ok: \d+ questions, \d+ rules, 2\d invariants proved over 709,632 "
                         r"answer sets")
        # The follow-up section is walked too, over every set of the diary's facts.
        self.assertRegex(result.stderr.decode(),
                         r"ok: follow-up: 8 facts, \d+ rules, \d+ invariants proved over "
                         r"[\d,]+ sets of facts")

    def test_a_broken_follow_up_invariant_is_reported_with_the_facts_of_a_counterexample(self):
        rules = json.load(open(os.path.join(harness.SOURCE_DIR, "rules", "knee.json"),
                               encoding="utf-8"))
        # A one-question questionnaire keeps the walk short; the follow-up section is the knee's.
        rules["questions"] = [{"id": "hot", "text": "Hot?", "help": "Why.", "type": "boolean"}]
        rules["conditions"] = {}
        rules["rules"] = [{"id": "hot", "source": ["A19"], "then": {"urgency": "see-doctor"},
                           "when": {"fact": "hot", "operator": "equal", "value": True}}]
        rules["invariants"] = []
        # Pain getting worse off running no longer goes to a doctor.
        for rule in rules["follow_up"]["rules"]:
            if rule["id"] == "getting-worse":
                rule["then"]["urgency"] = "self-care"
        path, result = self.check(rules, "--format", "json")
        self.assertExit(result, 65)
        report = json.loads(result.stdout)["files"][0]
        pointers = [d["pointer"] for d in report["diagnostics"]]
        invariants = rules["follow_up"]["invariants"]
        broken = next(i for i, inv in enumerate(invariants)
                      if inv["id"] == "worse-off-running-sees-doctor")
        self.assertIn(f"/follow_up/invariants/{broken}", pointers)
        entry = report["analysis"]["follow_up"]["invariants"][broken]
        self.assertFalse(entry["holds"])
        facts = entry["counterexample"]["answers"]
        self.assertEqual(facts["pain_trend"], "worse")
        self.assertIs(facts["has_run"], False)

    def test_a_question_id_clashing_with_an_option_is_still_valid_rules(self):
        # The rules are fine for another program; only this one refuses them (exit 65 at
        # start-up: test_exit_status.py, DataErrors).
        rules = json.loads(json.dumps(SMALL))
        rules["questions"].append({"id": "format", "text": "Which format?", "help": "Why.",
                                   "type": "boolean"})
        rules["rules"].append({"id": "format-yes", "source": ["C1"],
                               "when": {"fact": "format", "operator": "equal", "value": True},
                               "then": {"causes": ["cause"]}})
        _, result = self.check(rules)
        self.assertExit(result, 0)

    def test_a_question_whose_answer_never_changes_the_result_is_reported(self):
        path = os.path.join(harness.SOURCE_DIR, "tests", "rules", "idle-questions.json")
        result = run(["check", path])
        self.assertExit(result, 65)
        stderr = result.stderr.decode()
        lines = open(path, encoding="utf-8").read().splitlines()
        # side: the one rule that reads it fires for every answer; mood: no rule reads it.
        for index, question, hint in (
                (1, "side", r"whatever the other answers, the rules that read it \(one-knee\) "
                            r"give the same urgency, action, causes, advice, exercises and plan "
                            r"for each of its answers; make the result depend on it, or stop "
                            r"asking it"),
                (2, "mood", r"no rule reads it; make a rule depend on it, or stop asking it")):
            match = re.search(r"idle-questions\.json:(\d+):(\d+): /questions/%d: question "
                              r"'%s' never changes what is shown \(%s\)$" % (index, question, hint),
                              stderr, re.MULTILINE)
            self.assertIsNotNone(match, stderr)
            self.assertIn(f'"id": "{question}"', "\n".join(lines[int(match.group(1)) - 1:
                                                                 int(match.group(1)) + 1]))
        # trails is read by no rule either, but it decides whether surface is asked.
        self.assertNotIn("'trails'", stderr)
        self.assertIn("has 2 problems", stderr)
        result = run(["check", path, "--format", "json"])
        self.assertExit(result, 65)
        document = self.json_stdout(result)["files"][0]
        self.assertEqual([d["pointer"] for d in document["diagnostics"]],
                         ["/questions/1", "/questions/2"])
        self.assertEqual({q["id"]: q["changes_result"] for q in document["analysis"]["questions"]},
                         {"pain": True, "side": False, "mood": False, "trails": True,
                          "surface": True})

    def test_a_decimal_question_is_analysed_like_any_other(self):
        rules = json.loads(json.dumps(SMALL))
        rules["questions"].append({"id": "w", "text": "W?", "help": "h", "type": "number",
                                   "min": 0, "max": 1, "integer": False})
        del rules["invariants"]
        _, result = self.check(rules, "--format", "json")
        self.assertExit(result, 65)  # w is read by no rule: reported
        document = self.json_stdout(result)["files"][0]
        self.assertTrue(document["analysis"]["complete"])
        self.assertEqual([d["pointer"] for d in document["diagnostics"]], ["/questions/3"])
        self.assertNotIn(None, {q["changes_result"] for q in document["analysis"]["questions"]})

    def test_red_flag_rule_removed_fails_its_invariant_with_a_counterexample(self):
        rules = load_builtin_rules()
        rules["rules"] = [r for r in rules["rules"] if r["id"] != "nhs-circulation"]
        path, result = self.check(rules)
        self.assertExit(result, 65)
        stderr = result.stderr.decode()
        self.assertRegex(stderr, r"rules\.json:\d+:\d+: /invariants/\d+: invariant "
                                 r"'circulation-emergency' fails for [\d,]+ answer sets: the "
                                 r"urgency is \w+, not at least emergency")
        args = counterexample(stderr)
        self.assertEqual(args[:3], ["kneetriage", "--rules", path])
        # The counterexample, pasted, really is a cold leg that is not an emergency.
        assessed = run(args[1:] + ["--format", "json"])
        self.assertExit(assessed, 0)
        document = self.json_stdout(assessed)
        self.assertIn("--circulation yes", " ".join(args))
        self.assertNotEqual(document["urgency"], "emergency")

    def test_urgency_that_withholds_nothing_fails_with_a_counterexample(self):
        rules = load_builtin_rules()
        by_id(rules["urgencies"], "see-doctor")["withhold"] = []
        path, result = self.check(rules)
        self.assertExit(result, 65)
        stderr = result.stderr.decode()
        self.assertIn("invariant 'see-doctor-withholds-running' fails", stderr)
        assessed = run(counterexample(stderr)[1:] + ["--format", "json"])
        document = self.json_stdout(assessed)
        self.assertEqual(document["urgency"], "see-doctor")
        kinds = {e["kind"] for e in document["exercises"]} | \
            {by_id(rules["plan"], p["id"])["kind"] for p in document["plan"]}
        shown = document["advice"] + ([document["action"]] if document["action"]["id"] else [])
        advice_kinds = {by_id(rules["advice"], a["id"]).get("kind") for a in shown}
        self.assertTrue((kinds | advice_kinds) & {"running", "plyometric", "strength", "release"},
                        document)

    def test_rule_that_cannot_fire_and_the_items_only_it_shows_are_reported(self):
        rules = json.loads(json.dumps(SMALL))
        # c is asked only when a is yes: a no with c yes never happens.
        rules["rules"][1]["when"] = {"all": [{"fact": "a", "operator": "equal", "value": False},
                                             {"fact": "c", "operator": "equal", "value": True}]}
        path, result = self.check(rules)
        self.assertExit(result, 65)
        stderr = result.stderr.decode()
        text = open(path).read().splitlines()
        match = re.search(r"rules\.json:(\d+):\d+: /rules/1: rule 'b-is-x' can never fire", stderr)
        self.assertIsNotNone(match, stderr)
        self.assertIn('"b-is-x"', "\n".join(text[int(match.group(1)) - 1:int(match.group(1)) + 1]))
        self.assertRegex(stderr, r"/advice/0: advice 'jog' can never be shown \(the rules that "
                                 r"conclude it \(b-is-x\)")
        self.assertIn("/exercises/0: exercise 'squat' can never be shown", stderr)

    def test_item_no_rule_concludes_is_reported(self):
        rules = json.loads(json.dumps(SMALL))
        rules["causes"].append({"id": "orphan", "title": "O", "explanation": "E.",
                                "source": ["C1"]})
        _, result = self.check(rules)
        self.assertExit(result, 65)
        self.assertIn("cause 'orphan' can never be shown (no rule concludes it", 
                      result.stderr.decode())

    def test_json_counts_the_answer_sets_that_fire_each_rule(self):
        _, result = self.check(SMALL, "--format", "json")
        self.assertExit(result, 0)
        document = self.json_stdout(result)
        self.assertEqual(document["schema"], "kneetriage/check/1")
        analysis = document["files"][0]["analysis"]
        space = list(small_space())
        self.assertEqual(analysis["answer_sets"], len(space))
        fires = {r["id"]: r["answer_sets"] for r in analysis["rules"]}
        self.assertEqual(fires["a-and-c"], sum(1 for s in space if s["a"] and s["c"]))
        self.assertEqual(fires["b-is-x"], sum(1 for s in space if s["b"] == "x"))
        self.assertEqual(analysis["invariants"], [
            {"id": "a-and-c-urgent", "holds": True, "violations": 0}])

    def test_broken_small_invariant_reports_counts_in_json(self):
        rules = json.loads(json.dumps(SMALL))
        rules["rules"][0]["then"]["urgency"] = "see-doctor"
        _, result = self.check(rules, "--format", "json")
        self.assertExit(result, 65)
        invariant = self.json_stdout(result)["files"][0]["analysis"]["invariants"][0]
        self.assertFalse(invariant["holds"])
        # Complete answer sets with a and c, and no partial set has c answered.
        self.assertEqual(invariant["violations"], 3)
        self.assertEqual(invariant["counterexample"]["answers"]["c"], True)

    def test_three_questions_no_rule_reads_leave_the_invariants_proved(self):
        rules = load_builtin_rules()
        for i in range(3):
            rules["questions"].append({"id": f"extra-{i}", "text": "Extra?", "help": "h",
                                       "type": "boolean"})
        _, result = self.check(rules, "--format", "json")
        document = self.json_stdout(result)["files"][0]
        self.assertTrue(document["analysis"]["complete"])
        self.assertTrue(all(i["holds"] for i in document["analysis"]["invariants"]))
        # Eight times the knee rules' complete answer sets: each extra question doubles them.
        self.assertEqual(document["analysis"]["answer_sets"], 8 * 709632)
        self.assertEqual([d["pointer"] for d in document["diagnostics"]],
                         [f"/questions/{20 + i}" for i in range(3)])
        _, result = self.check(rules)
        self.assertNotIn("NOT proved", result.stderr.decode())

    def test_a_terminal_sees_a_clean_result(self):
        path = self.write("long.json", json.dumps(long_walk_rules()))
        status, output = run_in_pty(["check", path])
        self.assertEqual(status, 0)
        self.assertRegex(output.decode(), r"^ok: \d+ questions, \d+ rules, \d+ invariants proved")

    def test_no_status_line_when_stderr_is_not_a_terminal(self):
        result = run(["check", self.write("long.json", json.dumps(long_walk_rules()))])
        self.assertExit(result, 0)
        self.assertNotIn(b"\r", result.stderr)
        self.assertNotIn(b"\x1b", result.stderr)

    def test_bad_invariant_is_located(self):
        rules = json.loads(json.dumps(SMALL))
        rules["invariants"][0]["then"] = {"urgency_at_least": "urgnt"}
        _, result = self.check(rules)
        self.assertExit(result, 65)
        self.assertRegex(result.stderr.decode(),
                         r"rules\.json:\d+:\d+: /invariants/0/then/urgency_at_least: unknown "
                         r"urgency 'urgnt' \(did you mean 'urgent'\?\)")


class RuleDiff(CliTestCase):
    def test_a_terminal_sees_the_diff_on_a_clean_row(self):
        # The knee rules against themselves: no change.
        old_path = self.write("old.json", json.dumps(load_builtin_rules()))
        new_path = self.write("new.json", json.dumps(load_builtin_rules()))
        status, output = run_in_pty(["diff", old_path, new_path])
        self.assertEqual(status, 0)
        text = output.decode()
        self.assertTrue(text.startswith("old: "), text)
        self.assertIn("no answer set changes", text)

    def test_changed_urgency_is_counted_as_an_independent_count_says(self):
        new = json.loads(json.dumps(SMALL))
        new["rules"][0]["then"]["urgency"] = "see-doctor"
        old_path = self.write("old.json", json.dumps(SMALL))
        new_path = self.write("new.json", json.dumps(new))
        result = run(["diff", old_path, new_path, "--format", "json"])
        self.assertExit(result, 0)
        document = self.json_stdout(result)
        space = list(small_space())
        changed = [s for s in space if s["a"] and s["c"]]
        self.assertEqual(document["answer_sets"], len(space))
        self.assertEqual(document["changed_urgency"], len(changed))
        [change] = document["urgency_changes"]
        self.assertEqual((change["from"], change["to"], change["answer_sets"]),
                         ("urgent", "see-doctor", len(changed)))
        self.assertTrue(all(e["answers"]["a"] and e["answers"]["c"] for e in change["examples"]))
        self.assertEqual(document["changes"], [])  # the same rule fires, the same items show

    def test_red_flag_rule_removed_changes_rules_and_urgency(self):
        rules = load_builtin_rules()
        new = json.loads(json.dumps(rules))
        new["rules"] = [r for r in new["rules"] if r["id"] != "nhs-circulation"]
        new_path = self.write("new.json", json.dumps(new))
        result = run(["diff", harness.rules_path(), new_path, "--format", "json"])
        self.assertExit(result, 0)
        document = self.json_stdout(result)
        self.assertEqual(document["answer_sets"], 709632)
        self.assertGreater(document["changed_urgency"], 0)
        self.assertTrue(all(c["from"] == "emergency" for c in document["urgency_changes"]))
        rule = next(c for c in document["changes"] if c["id"] == "nhs-circulation")
        self.assertEqual((rule["kind"], rule["in_new"], rule["new_answer_sets"]), ("rule", False, 0))
        self.assertEqual(rule["stopped"], rule["old_answer_sets"])
        text = run(["diff", harness.rules_path(), new_path])
        self.assertExit(text, 0)
        self.assertIn("rule nhs-circulation (removed)", text.stdout.decode())
        for line in text.stdout.decode().splitlines():
            self.assertLessEqual(len(line), 80, line)

    def test_question_only_in_the_new_file_takes_each_of_its_values(self):
        new = json.loads(json.dumps(SMALL))
        new["questions"].append({"id": "d", "text": "D?", "help": "h", "type": "boolean"})
        old_path = self.write("old.json", json.dumps(SMALL))
        new_path = self.write("new.json", json.dumps(new))
        document = self.json_stdout(run(["diff", old_path, new_path, "--format", "json"]))
        self.assertEqual(document["answer_sets"], 2 * len(list(small_space())))
        self.assertEqual(document["questions"], {"only_old": [], "only_new": ["d"]})
        self.assertEqual(document["changed_urgency"], 0)

    def test_bad_and_missing_files(self):
        good = self.write("good.json", json.dumps(SMALL))
        bad = self.write("bad.json", "{")
        self.assertExit(run(["diff", good, bad]), 65)
        self.assertExit(run(["diff", self.path("missing.json"), good]), 66)
        self.assertExit(run(["diff", good]), 64)


if __name__ == "__main__":
    harness.main()
