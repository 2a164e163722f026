"""The rule author's tools end to end: `kneetriage test` and `kneetriage graph`, run against the
shipped rules and against rules files broken on purpose.

Run by CTest as: python3 test_rule_author.py BINARY SOURCE_DIR [TestCase ...]
"""

import json
import os
import re
import shutil
import subprocess
import unittest

import harness
from harness import CliTestCase, run


def knee_tests():
    return os.path.join(harness.SOURCE_DIR, "rules", "knee.test.json")


class RuleTests(CliTestCase):
    """kneetriage test FILE…"""

    def broken_rules(self, name, change):
        """rules/knee.json with `change(document)` applied, written to the scratch directory."""
        rules = harness.load_builtin_rules()
        change(rules)
        return self.write(name, json.dumps(rules, indent=2))

    def test_shipped_cases_pass(self):
        result = run(["test", knee_tests()])
        self.assertExit(result, 0)
        summary = result.stdout.decode().strip().splitlines()[-1]
        match = re.match(r"(\d+) cases: (\d+) passed, 0 failed", summary)
        self.assertIsNotNone(match, summary)
        self.assertGreaterEqual(int(match.group(1)), 25)
        self.assertEqual(match.group(1), match.group(2))

    def test_shipped_cases_cover_every_point_and_red_flag(self):
        with open(knee_tests(), encoding="utf-8") as f:
            names = [case["name"] for case in json.load(f)["cases"]]
        for point in range(1, 21):
            self.assertTrue(any(re.match(rf"A{point}\b|A\d+/A{point}\b", n) for n in names),
                            f"no case for article point A{point}")
        rules = harness.load_builtin_rules()
        tested = json.dumps(json.load(open(knee_tests(), encoding="utf-8")))
        for rule in rules["rules"]:
            if rule["then"].get("urgency") in ("urgent", "emergency"):
                self.assertIn(f'"{rule["id"]}"', tested, f"red-flag rule {rule['id']} untested")

    def test_red_flag_rule_removed_fails_its_case(self):
        path = self.broken_rules("no-locking.json", lambda r: r.update(
            rules=[x for x in r["rules"] if x["id"] != "nhs-locking"]))
        result = run(["test", "--rules", path, knee_tests()])
        self.assertExit(result, 1)
        lines = result.stdout.decode().splitlines()
        failing = [l for l in lines if "FAIL 'red flag: locking, catching or giving way'" in l]
        self.assertEqual(len(failing), 1, lines)
        self.assertRegex(failing[0], r"^.*knee\.test\.json:\d+:\d+: FAIL ")
        self.assertIn("urgency is self-care, expected urgent", failing[0])
        self.assertIn("no rule 'nhs-locking' in the rules", failing[0])
        self.assertRegex(lines[-1], r"^\d+ cases: \d+ passed, [1-9]\d* failed")

    def test_changed_urgency_fails_with_the_difference(self):
        def soften(rules):
            for rule in rules["rules"]:
                if rule["id"] == "nhs-circulation":
                    rule["then"]["urgency"] = "urgent"
        path = self.broken_rules("soft.json", soften)
        result = run(["test", "--rules", path, knee_tests()])
        self.assertExit(result, 1)
        self.assertIn("FAIL 'red flag: a cold, pale or blue leg is an emergency': urgency is "
                      "urgent, expected emergency", result.stdout.decode())

    def test_json_format(self):
        path = self.broken_rules("no-locking.json", lambda r: r.update(
            rules=[x for x in r["rules"] if x["id"] != "nhs-locking"]))
        result = run(["test", "--rules", path, "--format", "json", knee_tests()])
        self.assertExit(result, 1)
        doc = self.json_stdout(result)
        self.assertEqual(doc["schema"], "kneetriage/test/1")
        self.assertGreater(doc["failed"], 0)
        cases = doc["files"][0]["cases"]
        self.assertEqual(doc["passed"] + doc["failed"], len(cases))
        failed = {c["name"]: c for c in cases if not c["passed"]}
        locking = failed["red flag: locking, catching or giving way"]
        self.assertIn("urgency is self-care, expected urgent", locking["differences"])
        self.assertGreater(locking["line"], 0)

    def test_text_expectations_see_the_rendered_text(self):
        path = self.write("t.json", json.dumps({"cases": [
            {"name": "emergency words", "answers": {**harness.BOTH_KNEES_ANSWERS,
                                                     "circulation": True},
             "expect": {"text": {"include": ["Go to A&E now"], "exclude": ["Bodyweight squat"]}}},
            {"name": "wrong words", "answers": harness.BOTH_KNEES_ANSWERS,
             "expect": {"text": ["Go to A&E now"]}},
        ]}))
        result = run(["test", path])
        self.assertExit(result, 1)
        out = result.stdout.decode()
        self.assertNotIn("'emergency words'", out)
        self.assertIn("FAIL 'wrong words': text lacks \"Go to A&E now\"", out)
        self.assertIn("2 cases: 1 passed, 1 failed", out)

    def test_bad_test_file_is_located(self):
        path = self.write("bad.json", '{"cases": [\n  {"name": "x", "expect": {"urgncy": "urgent"}}\n]}\n')
        result = run(["test", path])
        self.assertExit(result, 65)
        self.assertIn("bad.json:2:38: /cases/0/expect/urgncy: unknown key 'urgncy' "
                      "(did you mean 'urgency'?)", result.stderr.decode())

    def test_unreadable_file_outranks_a_bad_one(self):
        bad = self.write("bad.json", "{")
        result = run(["test", bad, self.path("missing.json"), knee_tests()])
        self.assertExit(result, 66)
        self.assertIn("missing.json", result.stderr.decode())
        # The good file still ran.
        self.assertRegex(result.stdout.decode(), r"\d+ cases: \d+ passed, 0 failed")

    def test_needs_a_file(self):
        self.assertExit(run(["test"]), 64)


class Graph(CliTestCase):
    """kneetriage graph [--format dot|mermaid]"""

    def test_dot_is_valid_and_has_the_edges_of_a_known_rule(self):
        result = run(["graph"])
        self.assertExit(result, 0)
        dot = result.stdout.decode()
        for edge in ['"question:circulation" -> "rule:nhs-circulation" [label="= yes"];',
                     '"rule:nhs-circulation" -> "urgency:emergency";',
                     '"rule:nhs-circulation" -> "cause:circulation-problem";',
                     '"condition:possible-infection" -> "rule:nhs-joint-infection";',
                     '"question:fever" -> "condition:possible-infection" [label="= yes"];',
                     '"question:hot" -> "rule:swollen-see-doctor" [label="not = yes"];']:
            self.assertIn(edge, dot)
        if shutil.which("dot") is None:
            self.skipTest("graphviz's dot is not installed (bash .ci/install-deps)")
        svg = subprocess.run(["dot", "-Tsvg"], input=result.stdout, capture_output=True,
                             timeout=60)
        self.assertEqual(svg.returncode, 0, svg.stderr.decode())
        self.assertEqual(svg.stderr, b"")
        self.assertIn(b"<svg", svg.stdout)
        self.assertIn(b"nhs&#45;circulation", svg.stdout)

    def test_bad_rules_are_reported_not_drawn(self):
        rules = harness.load_builtin_rules()
        rules["rules"][0]["when"] = {"fact": "kness", "operator": "equal", "value": "both"}
        path = self.write("bad-rules.json", json.dumps(rules, indent=2))
        result = run(["--rules", path, "graph"])
        self.assertExit(result, 65)
        self.assertEqual(result.stdout, b"")
        self.assertIn(b"/rules/0/when/fact", result.stderr)

    def test_mermaid(self):
        result = run(["graph", "--format", "mermaid"])
        self.assertExit(result, 0)
        text = result.stdout.decode()
        self.assertIn("flowchart LR", text)
        ids = dict(re.findall(r'^  (n\d+)\S*?"([^"]+)"', text, re.M))
        by_label = {label: node for node, label in ids.items()}
        self.assertIn(f'{by_label["nhs-circulation"]} --> {by_label["emergency"]}', text)

    def test_unknown_format_is_usage(self):
        result = run(["graph", "--format", "png"])
        self.assertExit(result, 64)
        self.assertIn(b"--format", result.stderr)

    def test_committed_svg_is_current(self):
        """docs/knee-rules.svg is made from the rules as they are (the command is in the docs)."""
        if shutil.which("dot") is None:
            self.skipTest("graphviz's dot is not installed")
        made = subprocess.run(["dot", "-Tsvg"], input=run(["graph"]).stdout,
                              capture_output=True, timeout=60).stdout
        with open(os.path.join(harness.SOURCE_DIR, "docs", "knee-rules.svg"), "rb") as f:
            committed = f.read()
        # The rule and cause names of the picture, not graphviz's exact coordinates.
        titles = lambda svg: sorted(re.findall(rb"<title>([^<]*)</title>", svg))
        self.assertEqual(titles(committed), titles(made),
                         "regenerate: kneetriage graph | dot -Tsvg > docs/knee-rules.svg")


if __name__ == "__main__":
    harness.main()
