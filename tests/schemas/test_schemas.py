"""The JSON Schemas in schemas/ against real documents, with a real validator.

    /usr/bin/python3 test_schemas.py BINARY SOURCE_DIR [TestCase ...]

Uses python3-jsonschema from Debian (Draft 2020-12); without it every test is skipped with exit
status 77 (ctest's SKIP_RETURN_CODE). What is checked:
  - each schema is a valid Draft 2020-12 schema, with a stable urn $id that matches the `schema`
    member of the documents it describes;
  - the rules files `kneetriage check` accepts validate against rules.schema.json, and broken rules
    files are rejected, by the schema and by check;
  - every file of tests/corpus/files that check rejects for a reason the schema can know (shape,
    not meaning) is rejected by the schema too; the others (references, cycles, values a question
    can never take) are listed in CHECK_ONLY, with why;
  - what kneetriage writes validates against the schemas: `--format json` assessments, `questions
    --format json`, `--save` answers files and `batch` records (full, summary and error), both
    against the published (open) schemas and against their closed form, so that every field the
    program writes is documented; broken documents are rejected.
"""

import copy
import glob
import json
import math
import os
import re
import shlex
import subprocess
import sys
import tempfile
import unittest

SKIPPED = 77

try:
    import jsonschema
    from jsonschema import Draft202012Validator, FormatChecker
except ImportError:
    print("skipped: the JSON Schema tests need python3-jsonschema "
          "(apt-get install python3-jsonschema) for " + sys.executable, file=sys.stderr)
    sys.exit(SKIPPED)

BINARY = None
SOURCE_DIR = None

# schema file -> ($id, the value of the `schema` member of the documents it describes, or None).
SCHEMAS = {
    "rules.schema.json": ("urn:kneetriage:schema:rules:1", None),
    "answers.schema.json": ("urn:kneetriage:schema:answers:1", None),
    "questionnaire.schema.json": ("urn:kneetriage:schema:questions:1", "kneetriage/questions/1"),
    "assessment.schema.json": ("urn:kneetriage:schema:assessment:1", "kneetriage/assessment/1"),
    "batch-error.schema.json": ("urn:kneetriage:schema:batch-error:1", "kneetriage/batch-error/1"),
    "batch-summary.schema.json": ("urn:kneetriage:schema:batch-summary:1",
                                  "kneetriage/batch-summary/1"),
    # Two kinds of record (oneOf), each with its own `schema` member: checked in Diary.
    "diary-record.schema.json": ("urn:kneetriage:schema:diary-record:1", None),
    "progress.schema.json": ("urn:kneetriage:schema:progress:1", "kneetriage/progress/1"),
}
# The documents that already carry their `schema` member; the others' schemas keep it optional
# until the program writes it.
SCHEMA_MEMBER_REQUIRED = {"questionnaire.schema.json", "assessment.schema.json",
                          "progress.schema.json"}

# Complete answers to the built-in rules: both knees, no red flags, mild (self-care).
BOTH_KNEES = {
    "knees": "both", "weight_bearing": "yes", "very_painful": "no", "trauma": "no",
    "deformity": "no", "locking": "no", "swelling": "no", "hot": "no", "numbness": "no",
    "circulation": "no", "location": "front", "stops_running": "no", "severity": "mild",
    "strength_training": "no",
    "new_to_running": "no",
}
# Answer sets, each with the urgency it must give (and the action item, when a rule sets one).
ANSWER_SETS = {
    "self-care": (dict(BOTH_KNEES), "self-care", None),
    "see-doctor": (dict(BOTH_KNEES, hot="yes", fever="no"), "see-doctor", "see-gp-soon-hot"),
    "see-doctor-swollen": (dict(BOTH_KNEES, swelling="yes", badly_swollen="no", fever="no"),
                           "see-doctor", None),
    "urgent": (dict(BOTH_KNEES, numbness="yes"), "urgent", None),
    "urgent-hot-swollen": (dict(BOTH_KNEES, knees="one", side="left", swelling="yes",
                                badly_swollen="no", hot="yes", fever="no"), "urgent", None),
    "emergency": (dict(BOTH_KNEES, trauma="yes", weight_bearing="no"), "emergency", None),
    "emergency-circulation": (dict(BOTH_KNEES, circulation="yes"), "emergency", None),
    "severe": (dict(BOTH_KNEES, severity="severe"), "self-care", "week-off-now"),
}
# Complete answers to tests/corpus/files/valid.json: a number and a multiple-choice answer.
VALID_RULES_FLAGS = ["--knees", "both", "--hot", "no", "--pain", "3", "--places", "front,outer"]

# The files of tests/corpus/files that `kneetriage check` rejects for reasons only it can know:
# references, uniqueness, cycles, question order, nesting depth and the values a question can
# take. The schema accepts them (test_check_only_files_pass_the_schema pins the list, so it stays
# true); every other rejected file that is valid JSON must be rejected by the schema as well.
CHECK_ONLY = {
    "ask-if-cycle.json": "an ask_if that uses a later question",
    "ask-if-itself.json": "an ask_if that uses its own question",
    "bom-with-error.json": "an unknown citation",
    "duplicate-cause-id.json": "a duplicate id and an unknown cause",
    "invariant-fails.json": "an invariant the rules break (check walks every answer set)",
    "follow-up-invariant-fails.json": "a follow-up invariant the rules break (check walks every set "
                                      "of facts)",
    "duplicate-question-id.json": "a duplicate id and an unknown question",
    "named-condition-cycle.json": "named conditions that refer to each other",
    "nested-65.json": "conditions nested deeper than 64 levels",
    "never-boolean.json": "a value a yes/no question can never take",
    "never-choice.json": "a choice that does not exist",
    "never-contains.json": "contains on a question that is not multiple-choice",
    "never-number.json": "a number outside min-max",
    "unknown-advice.json": "an unknown advice id",
    "unknown-cause.json": "an unknown cause id",
    "unknown-exercise.json": "an unknown exercise id",
    "unknown-named-condition.json": "an unknown named condition",
    "unknown-question.json": "an unknown question",
    "unknown-urgency.json": "an unknown urgency",
}


# ---- helpers ----

def source_path(*parts):
    return os.path.join(SOURCE_DIR, *parts)


def strict_float(text):
    """json.loads would read 1e999 as infinity; kneetriage (and JSON's doubles) refuse it."""
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"number overflow: {text}")
    return number


def load_json_file(path):
    """The document in `path`, as kneetriage reads it (UTF-8, a byte-order mark allowed), or
    raises ValueError when it is not JSON at all."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8-sig")
        return json.loads(text, parse_float=strict_float,
                          parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(str(error)) from error


def format_checker():
    checker = FormatChecker()
    if "json-pointer" not in checker.checkers:  # needs python3-jsonpointer; RFC 6901 is simple
        pointer = re.compile(r"(/([^~/]|~[01])*)*\Z", re.S)

        @checker.checks("json-pointer")
        def is_json_pointer(instance):
            return not isinstance(instance, str) or pointer.match(instance) is not None
    return checker


def load_schema(name):
    with open(source_path("schemas", name), encoding="utf-8") as f:
        return json.load(f)


def closed(schema):
    """The schema with every object that lists its properties closed to others: what the program
    writes today, exactly. The published output schemas stay open for later additions."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if (node.get("type") == "object" and "properties" in node and
                    not {"additionalProperties", "patternProperties",
                         "unevaluatedProperties"} & node.keys()):
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


_VALIDATORS = {}


def validator(name, strict=False):
    key = (name, strict)
    if key not in _VALIDATORS:
        schema = load_schema(name)
        _VALIDATORS[key] = Draft202012Validator(closed(schema) if strict else schema,
                                                format_checker=format_checker())
    return _VALIDATORS[key]


def errors(name, document, strict=False):
    return [f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
            for error in validator(name, strict).iter_errors(document)]


def run(args, input_bytes=None):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.pop("KNEETRIAGE_RULES", None)
    return subprocess.run([BINARY] + list(args), input=input_bytes,
                          stdin=None if input_bytes is not None else subprocess.DEVNULL,
                          capture_output=True, env=env, timeout=60)


def flags(answers):
    out = []
    for key, value in answers.items():
        out += ["--" + key, value]
    return out


def check_accepts(path):
    return run(["check", path]).returncode == 0


class SchemaTestCase(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="kneetriage-schema-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def assertValid(self, name, document, what, strict=True):
        """Valid against the published schema and, for outputs, against its closed form."""
        problems = errors(name, document)
        self.assertEqual(problems, [], f"{what} does not validate against {name}")
        if strict:
            problems = errors(name, document, strict=True)
            self.assertEqual(problems, [], f"{what}: a field {name} does not document")

    def assertInvalid(self, name, document, what):
        self.assertNotEqual(errors(name, document), [], f"{name} accepts {what}")

    def stdout_json(self, result):
        self.assertIn(result.returncode, (0, 65),
                      f"exit {result.returncode}: {result.stderr.decode(errors='replace')[:2000]}")
        return json.loads(result.stdout.decode("utf-8"))

    def write_json(self, name, document):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(document, f, indent=1, ensure_ascii=False)
        return path


# ---- the schemas themselves ----

class Schemas(SchemaTestCase):

    def test_the_schemas_are_the_ones_documented(self):
        present = sorted(os.path.basename(p) for p in glob.glob(source_path("schemas", "*.json")))
        self.assertEqual(present, sorted(SCHEMAS))

    def test_each_schema_is_a_valid_draft_2020_12_schema(self):
        for name in SCHEMAS:
            with self.subTest(name):
                schema = load_schema(name)
                self.assertEqual(schema["$schema"], "https://json-schema.org/draft/2020-12/schema")
                Draft202012Validator.check_schema(schema)
                self.assertIs(jsonschema.validators.validator_for(schema), Draft202012Validator)

    def test_each_schema_has_a_stable_urn_id_and_names_its_documents(self):
        for name, (schema_id, member) in SCHEMAS.items():
            with self.subTest(name):
                schema = load_schema(name)
                self.assertEqual(schema["$id"], schema_id)
                if member is None:
                    continue
                self.assertIn(f"({member})", schema["title"])
                self.assertEqual(schema["properties"]["schema"], {
                    **schema["properties"]["schema"], "const": member})
                self.assertEqual("schema" in schema["required"], name in SCHEMA_MEMBER_REQUIRED)

    def test_the_ids_are_unique(self):
        ids = [load_schema(name)["$id"] for name in SCHEMAS]
        self.assertEqual(len(ids), len(set(ids)))

    def test_docs_list_every_schema(self):
        with open(source_path("docs", "schemas.md"), encoding="utf-8") as f:
            text = f.read()
        for name, (schema_id, member) in SCHEMAS.items():
            self.assertIn(name, text)
            self.assertIn(schema_id, text)
            if member:
                self.assertIn(member, text)


# ---- rules files ----

def mutate(document, change):
    document = copy.deepcopy(document)
    change(document)
    return document


def rule_by_id(rules, rule_id):
    return next(rule for rule in rules["rules"] if rule["id"] == rule_id)


def question_by_id(rules, question_id):
    return next(q for q in rules["questions"] if q["id"] == question_id)


# Broken rules files: each is rejected by `kneetriage check` and by the schema.
BROKEN_RULES = {
    "a misspelled top-level key": lambda r: r.__setitem__("exercices", r.pop("exercises")),
    "a misspelled key in a question": lambda r: r["questions"][0].__setitem__(
        "txet", r["questions"][0].pop("text")),
    "an urgency without action": lambda r: r["urgencies"][0].pop("action"),
    "an urgency whose action is blank": lambda r: r["urgencies"][0].__setitem__("action", "  "),
    "an unknown withheld kind": lambda r: r["urgencies"][0]["withhold"].append("stretching"),
    "a frequency that is not a string": lambda r: r["urgencies"][2]["frequency"].__setitem__(
        "activation", 2),
    "a condition with an unknown operator": lambda r: question_by_id(r, "side")["ask_if"].__setitem__(
        "operator", "equals"),
    "a condition with two heads": lambda r: rule_by_id(r, "both-knees-quads").__setitem__(
        "when", {"all": [{"fact": "knees", "operator": "equal", "value": "both"}],
                 "any": [{"fact": "knees", "operator": "equal", "value": "one"}]}),
    "a condition with no head": lambda r: rule_by_id(r, "both-knees-quads").__setitem__(
        "when", {"fact_": "knees"}),
    "an empty any": lambda r: rule_by_id(r, "both-knees-quads").__setitem__("when", {"any": []}),
    "in without an array": lambda r: rule_by_id(r, "both-knees-quads").__setitem__(
        "when", {"fact": "knees", "operator": "in", "value": "both"}),
    "a leaf without value": lambda r: rule_by_id(r, "both-knees-quads").__setitem__(
        "when", {"fact": "knees", "operator": "equal"}),
    "a choice question without choices": lambda r: r["questions"][0].pop("choices"),
    "a yes/no question with choices": lambda r: question_by_id(r, "hot").__setitem__(
        "choices", [{"value": "yes", "label": "Yes"}]),
    "an unknown question type": lambda r: question_by_id(r, "hot").__setitem__("type", "yesno"),
    "a red flag without its message": lambda r: question_by_id(r, "hot").pop("red_flag_message"),
    "a choice value with upper case": lambda r: r["questions"][0]["choices"][0].__setitem__(
        "value", "Both"),
    "an exercise with an unknown kind": lambda r: r["exercises"][0].__setitem__("kind", "stretch"),
    "an exercise without cues": lambda r: r["exercises"][0].pop("cues"),
    "a cause with an empty source": lambda r: r["causes"][0].__setitem__("source", []),
    "an advice item whose detail is a string": lambda r: r["advice"][0].__setitem__("detail", "yes"),
    "a rule that concludes nothing": lambda r: r["rules"][0].__setitem__("then", {}),
    "a rule with a misspelled conclusion": lambda r: r["rules"][0]["then"].__setitem__(
        "exercices", ["squat"]),
    "no rules": lambda r: r.__setitem__("rules", []),
    "an unsupported format": lambda r: r.__setitem__("format", "kneetriage-rules/2"),
    "an id with upper case": lambda r: r.__setitem__("id", "Knee-Pain"),
}


class RulesFiles(SchemaTestCase):

    def accepted_rules_files(self):
        candidates = [source_path("rules", "knee.json")]
        candidates += sorted(glob.glob(source_path("tests", "fuzz", "seeds", "load_rules", "*.json")))
        candidates += sorted(glob.glob(source_path("tests", "corpus", "files", "*.json")))
        return [path for path in candidates if check_accepts(path)]

    def test_every_rules_file_check_accepts_validates(self):
        accepted = self.accepted_rules_files()
        self.assertIn(source_path("rules", "knee.json"), accepted)
        self.assertGreaterEqual(len(accepted), 5)
        for path in accepted:
            with self.subTest(os.path.relpath(path, SOURCE_DIR)):
                self.assertValid("rules.schema.json", load_json_file(path), path, strict=False)

    def test_a_rules_file_can_point_an_editor_at_the_schema(self):
        valid = source_path("tests", "corpus", "files", "valid.json")
        rules = load_json_file(valid)
        document = {"$schema": "../schemas/rules.schema.json", **rules}
        rules_dir = os.path.join(self.tmp, "rules")
        os.mkdir(rules_dir)
        path = os.path.join(rules_dir, "valid.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(document, f, indent=2, ensure_ascii=False)
        result = run(["check", path])
        self.assertEqual(result.returncode, 0, result.stderr.decode(errors="replace"))
        self.assertValid("rules.schema.json", document, "valid.json with $schema", strict=False)
        # The rules in effect are the same: the answers give the same assessment.
        ours = run(VALID_RULES_FLAGS + ["--format", "json", "--rules", path])
        theirs = run(VALID_RULES_FLAGS + ["--format", "json", "--rules", valid])
        self.assertEqual(ours.stdout, theirs.stdout)

    def test_dollar_keys_are_allowed_everywhere(self):
        rules = load_json_file(source_path("tests", "corpus", "files", "valid.json"))
        document = copy.deepcopy(rules)
        document["$comment"] = "top"
        document["questions"][0]["$comment"] = "question"
        document["questions"][0]["choices"][0]["$note"] = "choice"
        document["conditions"]["$comment"] = "named conditions"
        rule_by_id(document, "both-knees")["when"]["$comment"] = "condition"
        document["rules"][0]["then"]["$comment"] = "conclusion"
        document["exercises"][0]["$comment"] = "exercise"
        document["citations"][0]["$comment"] = "citation"
        path = self.write_json("comments.json", document)
        self.assertEqual(run(["check", path]).returncode, 0)
        self.assertValid("rules.schema.json", document, "a rules file with $-keys", strict=False)

    def test_broken_rules_files_are_rejected_by_check_and_the_schema(self):
        rules = load_json_file(source_path("rules", "knee.json"))
        self.assertValid("rules.schema.json", rules, "knee.json", strict=False)
        for what, change in BROKEN_RULES.items():
            with self.subTest(what):
                document = mutate(rules, change)
                self.assertNotEqual(document, rules)
                path = self.write_json("broken.json", document)
                result = run(["check", path])
                self.assertEqual(result.returncode, 65,
                                 f"check accepts {what}: {result.stderr.decode(errors='replace')}")
                self.assertInvalid("rules.schema.json", document, what)


class CheckSplit(SchemaTestCase):
    """What `kneetriage check` rejects in tests/corpus/files, the schema rejects too where it can
    know it; CHECK_ONLY lists, with the reason, what only check can know."""

    def corpus(self):
        files = {}
        for path in sorted(glob.glob(source_path("tests", "corpus", "files", "*.json"))):
            files[os.path.basename(path)] = path
        return files

    def test_what_check_rejects_for_its_shape_the_schema_rejects(self):
        schema_rejects, not_json = [], []
        for name, path in self.corpus().items():
            if check_accepts(path):
                continue
            try:
                document = load_json_file(path)
            except ValueError:
                not_json.append(name)  # no schema applies to what is not JSON
                continue
            if name in CHECK_ONLY:
                continue
            with self.subTest(name):
                self.assertInvalid("rules.schema.json", document,
                                   f"{name}, which check rejects for its shape")
                schema_rejects.append(name)
        self.assertGreaterEqual(len(schema_rejects), 20, schema_rejects)
        self.assertGreaterEqual(len(not_json), 8, not_json)

    def test_check_only_files_pass_the_schema(self):
        corpus = self.corpus()
        for name, why in CHECK_ONLY.items():
            with self.subTest(name):
                self.assertIn(name, corpus)
                self.assertFalse(check_accepts(corpus[name]), f"check accepts {name}")
                self.assertEqual(errors("rules.schema.json", load_json_file(corpus[name])), [],
                                 f"the schema now rejects {name} ({why}): move it out of "
                                 "CHECK_ONLY and update docs/schemas.md")


# ---- what kneetriage writes ----

def golden_answer_sets():
    """The answers of every tests/golden/*.args case, as flags (without the text-only options)."""
    sets = {}
    for path in sorted(glob.glob(source_path("tests", "golden", "*.args"))):
        words = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.lstrip().startswith("#"):
                    words += shlex.split(line)
        out, skip = [], False
        for word in words:
            if skip:
                skip = False
            elif word in ("--color", "--colour"):
                skip = True
            elif word.startswith("--color=") or word in ("--explain", "--full"):
                continue
            else:
                out.append(word)
        sets[os.path.splitext(os.path.basename(path))[0]] = out
    return sets


class Assessment(SchemaTestCase):

    def assessment(self, args):
        result = run(list(args) + ["--format", "json"])
        self.assertEqual(result.returncode, 0, result.stderr.decode(errors="replace")[:2000])
        return json.loads(result.stdout.decode("utf-8"))

    def test_each_urgency_validates(self):
        for name, (answers, urgency, action) in ANSWER_SETS.items():
            with self.subTest(name):
                document = self.assessment(flags(answers))
                self.assertEqual(document["urgency"], urgency)
                self.assertEqual(document["action"]["id"], action)
                self.assertValid("assessment.schema.json", document, name)

    def test_the_golden_cases_validate(self):
        cases = golden_answer_sets()
        self.assertGreaterEqual(len(cases), 5)
        urgencies = set()
        for name, args in cases.items():
            with self.subTest(name):
                document = self.assessment(args)
                urgencies.add(document["urgency"])
                self.assertValid("assessment.schema.json", document, name)
        self.assertEqual(urgencies, {"self-care", "see-doctor", "urgent", "emergency"})

    def test_with_number_and_multiple_choice_answers(self):
        rules = source_path("tests", "corpus", "files", "valid.json")
        document = self.assessment(["--rules", rules] + VALID_RULES_FLAGS)
        self.assertEqual(document["answers"]["places"], ["front", "outer"])
        self.assertEqual(document["answers"]["pain"], 3)
        self.assertValid("assessment.schema.json", document, "valid.json's assessment")

    def test_what_is_withheld_validates(self):
        document = self.assessment(flags(ANSWER_SETS["emergency"][0]))
        self.assertEqual({item["type"] for item in document["withheld"]},
                         {"exercise", "plan", "advice", "cause"})
        self.assertIsInstance(document["on_hold"], str)
        # Fired rules whose every conclusion the emergency withholds are marked held back.
        self.assertIn(True, [fired.get("held_back") for fired in document["fired"]])
        self.assertValid("assessment.schema.json", document, "an emergency")

    def test_broken_assessments_are_rejected(self):
        good = self.assessment(flags(ANSWER_SETS["emergency"][0]))
        self.assertValid("assessment.schema.json", good, "the emergency")
        broken = {
            "without urgency": lambda d: d.pop("urgency"),
            "without schema": lambda d: d.pop("schema"),
            "with another schema": lambda d: d.__setitem__("schema", "kneetriage/assessment/2"),
            "a withheld entry of an unknown type": lambda d: d["withheld"][0].__setitem__(
                "type", "step"),
            "a withheld entry without reason": lambda d: d["withheld"][0].pop("reason"),
            "an exercise of an unknown kind": lambda d: d["withheld"][0].__setitem__(
                "kind", "stretching"),
            "partial without unanswered questions": lambda d: d.__setitem__("partial", True),
            "unanswered questions but not partial": lambda d: d.__setitem__("unanswered", ["side"]),
            "the level's action with sources": lambda d: d["action"]["source"].append(
                d["fired"][0]["source"][0]),
            "red_flag as a string": lambda d: d.__setitem__("red_flag", "yes"),
            "on_hold as a list": lambda d: d.__setitem__("on_hold", []),
            "a citation without point": lambda d: d["fired"][0]["source"][0].pop("point"),
            "a match with an unknown operator": lambda d: d["fired"][0]["matched"][0].__setitem__(
                "operator", "equals"),
            "an answer that is an object": lambda d: d["answers"].__setitem__("knees", {"x": 1}),
            "a null answer": lambda d: d["answers"].__setitem__("knees", None),
            "a fired rule held_back false (absent when not held back)":
                lambda d: d["fired"][0].__setitem__("held_back", False),
        }
        for what, change in broken.items():
            with self.subTest(what):
                self.assertInvalid("assessment.schema.json", mutate(good, change), what)

    def test_added_fields_are_open_for_consumers_and_closed_for_our_tests(self):
        document = self.assessment(flags(BOTH_KNEES))
        document["added_later"] = 1
        document["causes"][0]["added_later"] = 1
        self.assertEqual(errors("assessment.schema.json", document), [])
        self.assertNotEqual(errors("assessment.schema.json", document, strict=True), [])


class Questionnaire(SchemaTestCase):

    def questionnaire(self, args=()):
        result = run(["questions", "--format", "json"] + list(args))
        self.assertEqual(result.returncode, 0, result.stderr.decode(errors="replace")[:2000])
        return json.loads(result.stdout.decode("utf-8"))

    def test_the_built_in_questionnaire_validates(self):
        document = self.questionnaire()
        self.assertEqual(document["schema"], "kneetriage/questions/1")
        self.assertValid("questionnaire.schema.json", document, "questions --format json")

    def test_questionnaires_of_other_rules_validate(self):
        paths = [source_path("tests", "corpus", "files", "valid.json")]
        paths += sorted(glob.glob(source_path("tests", "fuzz", "seeds", "load_rules", "*.json")))
        checked = 0
        for path in paths:
            if not check_accepts(path):
                continue
            with self.subTest(os.path.basename(path)):
                document = self.questionnaire(["--rules", path])
                self.assertValid("questionnaire.schema.json", document, path)
                checked += 1
        self.assertGreaterEqual(checked, 3)

    def test_broken_questionnaires_are_rejected(self):
        good = self.questionnaire(["--rules", source_path("tests", "corpus", "files", "valid.json")])
        number = next(i for i, q in enumerate(good["questions"]) if q["type"] == "number")
        broken = {
            "without schema": lambda d: d.pop("schema"),
            "with the assessment's schema": lambda d: d.__setitem__(
                "schema", "kneetriage/assessment/1"),
            "an unknown question type": lambda d: d["questions"][0].__setitem__("type", "text"),
            "a question without flag": lambda d: d["questions"][0].pop("flag"),
            "a number question with choices": lambda d: d["questions"][number]["choices"].append(
                {"value": "x", "label": "x"}),
            "a number question without max": lambda d: d["questions"][number].__setitem__(
                "max", None),
            "a choice question with a min": lambda d: d["questions"][0].__setitem__("min", 0),
            "a condition with an unknown operator": lambda d: d["conditions"].__setitem__(
                "x", {"fact": "hot", "operator": "is", "value": True}),
        }
        for what, change in broken.items():
            with self.subTest(what):
                self.assertInvalid("questionnaire.schema.json", mutate(good, change), what)


class Answers(SchemaTestCase):

    def saved(self, args):
        target = os.path.join(self.tmp, "answers.json")
        result = run(list(args) + ["--save", target])
        self.assertEqual(result.returncode, 0, result.stderr.decode(errors="replace")[:2000])
        return load_json_file(target)

    def test_saved_answers_validate(self):
        for name, (answers, _, _) in ANSWER_SETS.items():
            with self.subTest(name):
                self.assertValid("answers.schema.json", self.saved(flags(answers)), name,
                                 strict=False)

    def test_saved_number_and_multiple_choice_answers_validate(self):
        rules = source_path("tests", "corpus", "files", "valid.json")
        document = self.saved(["--rules", rules] + VALID_RULES_FLAGS)
        self.assertEqual(document["places"], ["front", "outer"])
        self.assertValid("answers.schema.json", document, "valid.json's answers", strict=False)

    def test_answers_files_kneetriage_reads_validate(self):
        document = {"$comment": "from the clinic form", "$id": ["runner", 17], "knees": "both",
                    "side": None, "weight_bearing": True, "pain": 2.5, "places": ["front"]}
        self.assertValid("answers.schema.json", document, "an answers file", strict=False)
        for path in sorted(glob.glob(source_path("tests", "fuzz", "seeds", "answers", "*.json"))):
            result = run(["--answers", path, "--format", "json"])
            if result.returncode in (0, 64):  # complete, or only answers missing
                with self.subTest(os.path.basename(path)):
                    self.assertValid("answers.schema.json", load_json_file(path), path,
                                     strict=False)

    def test_broken_answers_are_rejected(self):
        broken = {
            "an array": [{"knees": "both"}],
            "an answer that is an object": {"knees": {"value": "both"}},
            "an array of numbers": {"places": [1, 2]},
            "a list with a value twice": {"places": ["front", "front"]},
            "a key that cannot be a question id": {"Knees": "both"},
        }
        for what, document in broken.items():
            with self.subTest(what):
                self.assertInvalid("answers.schema.json", document, what)
                path = self.write_json("answers.json", document)
                rules = source_path("tests", "corpus", "files", "valid.json")
                self.assertEqual(run(["--rules", rules, "--answers", path]).returncode, 65,
                                 f"kneetriage accepts {what}")


class Batch(SchemaTestCase):

    def batch(self, args, lines):
        result = run(["batch"] + list(args), input_bytes="".join(lines).encode("utf-8"))
        self.assertIn(result.returncode, (0, 65), result.stderr.decode(errors="replace")[:2000])
        return [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]

    def assertRecordValid(self, record, summary, what):
        if "error" in record:
            self.assertValid("batch-error.schema.json", record, what)
            self.assertInvalid("batch-summary.schema.json", record, what)
        elif summary:
            self.assertValid("batch-summary.schema.json", record, what)
        else:
            self.assertValid("assessment.schema.json", record, what)

    def input_lines(self):
        lines = []
        for answers, _, _ in ANSWER_SETS.values():
            lines.append(json.dumps({k: {"yes": True, "no": False}.get(v, v)
                                     for k, v in answers.items()}) + "\n")
        lines += ['{"knees":"three"}\n', "[1]\n", "not json\n", '{"knees": "both"}\n',
                  '{"knees": 1e999}\n', '{"$id": "runner-17", "kness": "both"}\n']
        for path in sorted(glob.glob(source_path("tests", "fuzz", "seeds", "batch_line", "*"))):
            with open(path, encoding="utf-8", errors="replace") as f:
                lines += [line if line.endswith("\n") else line + "\n" for line in f]
        return lines

    def test_records_validate_in_both_formats(self):
        lines = self.input_lines()
        for args, summary in ((["--format", "json"], False), (["--format", "summary"], True)):
            records = self.batch(args, lines)
            self.assertEqual(len(records), len([l for l in lines if l.strip()]))
            errors_seen = {record["error"] for record in records if "error" in record}
            self.assertEqual(errors_seen, {"not valid JSON", "invalid answers", "missing answers",
                                           "answers to questions that do not apply"})
            for index, record in enumerate(records):
                with self.subTest(format=args[1], record=index + 1):
                    self.assertRecordValid(record, summary, f"{args[1]} record {index + 1}")

    def test_records_of_other_rules_and_named_files_validate(self):
        path = os.path.join(self.tmp, "survey.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"knees": "both", "hot": false, "pain": 3, "places": ["front"]}\n\n')
            f.write('{"knees": "one", "side": "left", "hot": true, "fever": false, "pain": 0.5,'
                    ' "places": []}\n{"pain": 11}\n')
        rules = source_path("tests", "corpus", "files", "valid.json")
        for fmt, summary in (("json", False), ("summary", True)):
            result = run(["batch", "--rules", rules, "--format", fmt, path])
            records = [json.loads(line) for line in result.stdout.decode().splitlines()]
            self.assertEqual(len(records), 3)
            self.assertEqual(sum("error" in record for record in records), 2)
            for record in records:
                with self.subTest(format=fmt, record=json.dumps(record)[:80]):
                    self.assertRecordValid(record, summary, f"{fmt} record")

    def test_a_line_too_long_gives_a_valid_error_record(self):
        line = '{"knees": "' + "x" * (1024 * 1024) + '"}\n'
        records = self.batch(["--format", "summary"], [line])
        self.assertEqual(records[0]["error"], "line too long")
        self.assertValid("batch-error.schema.json", records[0], "line too long")

    def test_broken_records_are_rejected(self):
        error = self.batch([], ['{"knees":"three"}\n'])[0]
        summary = self.batch(["--format", "summary"], ["".join(
            json.dumps({k: {"yes": True, "no": False}.get(v, v) for k, v in BOTH_KNEES.items()}))
            + "\n"])[0]
        self.assertValid("batch-error.schema.json", error, "an error record")
        self.assertValid("batch-summary.schema.json", summary, "a summary record")
        broken_errors = {
            "without problems": lambda d: d.pop("problems"),
            "with no problems": lambda d: d.__setitem__("problems", []),
            "an unknown error": lambda d: d.__setitem__("error", "bad"),
            "line 0": lambda d: d.__setitem__("line", 0),
            "a problem without what": lambda d: d["problems"][0].pop("what"),
            "a pointer that is not a JSON pointer": lambda d: d["problems"][0].__setitem__(
                "pointer", "knees"),
            "another schema": lambda d: d.__setitem__("schema", "kneetriage/assessment/1"),
        }
        for what, change in broken_errors.items():
            with self.subTest(what):
                self.assertInvalid("batch-error.schema.json", mutate(error, change), what)
        broken_summaries = {
            "without urgency": lambda d: d.pop("urgency"),
            "with an error key": lambda d: d.__setitem__("error", "invalid answers"),
            "causes as titles": lambda d: d.__setitem__("causes", [{"title": "Weak quads"}]),
            "line as a string": lambda d: d.__setitem__("line", "1"),
        }
        for what, change in broken_summaries.items():
            with self.subTest(what):
                self.assertInvalid("batch-summary.schema.json", mutate(summary, change), what)
        # The schema member is optional until the program writes it, and pinned when present.
        self.assertValid("batch-error.schema.json",
                         dict(error, schema="kneetriage/batch-error/1"), "a named error record")
        self.assertValid("batch-summary.schema.json",
                         dict(summary, schema="kneetriage/batch-summary/1"), "a named summary")


class Diary(SchemaTestCase):
    """progress --format json and export's records against their schemas, and bad records not."""

    def kt(self, args, today):
        env = dict(os.environ, KNEETRIAGE_DIARY=os.path.join(self.tmp, "d.sqlite"),
                   KNEETRIAGE_TODAY=today)
        env.pop("KNEETRIAGE_RULES", None)
        return subprocess.run([BINARY] + list(args), stdin=subprocess.DEVNULL,
                              capture_output=True, env=env, timeout=60)

    def test_progress_and_records_validate(self):
        answers = flags(dict(ANSWER_SETS["self-care"][0]))
        self.assertEqual(self.kt(answers + ["--log"], "2026-03-01").returncode, 0)
        self.assertEqual(self.kt(["log", "--pain-after", "3", "--distance", "4.2",
                                  "--pain-during", "2", "--exercises", "all"],
                                 "2026-03-02").returncode, 0)
        self.assertEqual(self.kt(["log", "--pain-after", "5", "--new-sign", "locking"],
                                 "2026-03-03").returncode, 0)
        for today in ("2026-03-01", "2026-03-03", "2026-05-01"):
            document = self.stdout_json(self.kt(["progress", "--format", "json"], today))
            self.assertValid("progress.schema.json", document, f"progress on {today}")
        lines = self.kt(["export"], "2026-03-03").stdout.decode().splitlines()
        self.assertEqual(len(lines), 4)
        for line in lines:
            self.assertValid("diary-record.schema.json", json.loads(line), line[:60], strict=False)
        entry = json.loads(lines[1])
        for change in ({"pain_after": 11}, {"day": "1 March"}, {"ran": "yes"}, {"extra": 1}):
            self.assertInvalid("diary-record.schema.json", {**entry, **change}, change)


def main():
    global BINARY, SOURCE_DIR
    if len(sys.argv) < 3:
        sys.exit(f"usage: {sys.argv[0]} BINARY SOURCE_DIR [TestCase ...]")
    BINARY = os.path.abspath(sys.argv[1])
    SOURCE_DIR = os.path.abspath(sys.argv[2])
    # jsonschema validates recursively, some 30 Python frames per level of a condition: the
    # corpus nests conditions 65 deep (nested-65.json).
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:], module="__main__")


if __name__ == "__main__":
    main()
