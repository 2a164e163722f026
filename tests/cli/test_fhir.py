"""FHIR R4: the exported Questionnaire, and answers read from a QuestionnaireResponse.

The responses are made here, from plain answer sets, so a response and the plain object must give
the same assessment byte for byte. docs/fhir.md describes the mapping these tests hold it to.
"""

import json

import harness
from harness import BOTH_KNEES_ANSWERS, CliTestCase, load_builtin_rules, run

URL = "urn:kneetriage:questionnaire:knee-pain-runners"

# A handful of answer sets, each reaching a different part of the questionnaire.
SELF_CARE = dict(BOTH_KNEES_ANSWERS)
RED_FLAG = dict(BOTH_KNEES_ANSWERS, weight_bearing=False)
ONE_KNEE = dict(BOTH_KNEES_ANSWERS, knees="one", side="left")
SWOLLEN_HOT = dict(BOTH_KNEES_ANSWERS, swelling=True, badly_swollen=False, hot=True, fever=False)
ANSWER_SETS = {"self-care": SELF_CARE, "red flag": RED_FLAG, "one knee": ONE_KNEE,
               "swollen and hot": SWOLLEN_HOT}


def questions():
    return load_builtin_rules()["questions"]


def fhir_value(question, value):
    if question["type"] == "boolean":
        return {"valueBoolean": value}
    if question["type"] == "choice":
        return {"valueCoding": {"code": value}}
    if isinstance(value, int):
        return {"valueInteger": value}
    return {"valueDecimal": value}


def response_items(answers):
    by_id = {q["id"]: q for q in questions()}
    return [{"linkId": key, "answer": [fhir_value(by_id[key], value)]}
            for key, value in answers.items()]


def response(answers, nested=False, url=URL):
    """A QuestionnaireResponse for `answers`. nested: the other items under the first one's
    answer, as FHIR nests the questions an answer opens, two levels deep: half under the first
    answer, the rest under the answer of the first of those. (Never under both an item and its
    answer: FHIR's rule qrs-1 forbids that.)"""
    items = response_items(answers)
    if nested:
        first, rest = items[0], items[1:]
        half = len(rest) // 2
        first["answer"][0]["item"] = rest[:half]
        rest[0]["answer"][0]["item"] = rest[half:]
        items = [first]
    document = {"resourceType": "QuestionnaireResponse", "status": "completed", "item": items}
    if url is not None:
        document["questionnaire"] = url
    return document


class FhirQuestionnaire(CliTestCase):
    def setUp(self):
        super().setUp()
        result = run(["questions", "--format", "fhir"])
        self.assertExit(result, 0)
        self.questionnaire = self.json_stdout(result)
        self.items = {item["linkId"]: item for item in self.questionnaire["item"]}

    def test_header(self):
        rules = load_builtin_rules()
        self.assertEqual(self.questionnaire["resourceType"], "Questionnaire")
        self.assertEqual(self.questionnaire["url"], URL)
        self.assertEqual(self.questionnaire["version"], rules["version"])
        self.assertEqual(self.questionnaire["status"], "active")

    def test_one_item_per_question_in_order(self):
        linkids = [item["linkId"] for item in self.questionnaire["item"]
                   if item["type"] != "display"]
        self.assertEqual(linkids, [q["id"] for q in questions()])

    def test_types_and_answer_options(self):
        for question in questions():
            item = self.items[question["id"]]
            with self.subTest(question=question["id"]):
                self.assertEqual(item["text"], question["text"])
                if question["type"] == "boolean":
                    self.assertEqual(item["type"], "boolean")
                elif question["type"] == "choice":
                    self.assertEqual(item["type"], "choice")
                    codes = [o["valueCoding"]["code"] for o in item["answerOption"]]
                    self.assertEqual(codes, [c["value"] for c in question["choices"]])
                    labels = [o["valueCoding"].get("display") for o in item["answerOption"]]
                    self.assertEqual(labels, [c.get("label") for c in question["choices"]])
                else:
                    self.assertIn(item["type"], ("integer", "decimal"))

    def test_side_enabled_when_one_knee(self):
        side = self.items["side"]
        self.assertEqual(len(side["enableWhen"]), 1)
        condition = side["enableWhen"][0]
        self.assertEqual(condition["question"], "knees")
        self.assertEqual(condition["operator"], "=")
        self.assertEqual(condition["answerCoding"]["code"], "one")

    def test_fever_enabled_by_any_of_swelling_or_hot(self):
        fever = self.items["fever"]
        self.assertEqual(fever["enableBehavior"], "any")
        self.assertEqual(sorted(c["question"] for c in fever["enableWhen"]), ["hot", "swelling"])
        for condition in fever["enableWhen"]:
            self.assertIs(condition["answerBoolean"], True)

    def test_unconditional_questions_are_always_enabled(self):
        for question in questions():
            if "ask_if" not in question:
                self.assertNotIn("enableWhen", self.items[question["id"]], question["id"])


class FhirResponse(CliTestCase):
    def assess_plain_and_fhir(self, answers, document):
        plain = run(["--answers", self.write("plain.json", json.dumps(answers)),
                     "--format", "json"])
        fhir = run(["--answers", self.write("response.json", json.dumps(document)),
                    "--format", "json"])
        self.assertExit(plain, 0)
        self.assertExit(fhir, 0)
        return plain.stdout, fhir.stdout

    def test_one_shot_is_byte_identical(self):
        for name, answers in ANSWER_SETS.items():
            for nested in (False, True):
                with self.subTest(answers=name, nested=nested):
                    plain, fhir = self.assess_plain_and_fhir(answers, response(answers, nested))
                    self.assertEqual(plain, fhir)

    def test_red_flag_and_self_care_differ(self):
        # Guards the test above against a reader that ignores the answers.
        red, _ = self.assess_plain_and_fhir(RED_FLAG, response(RED_FLAG))
        calm, _ = self.assess_plain_and_fhir(SELF_CARE, response(SELF_CARE))
        self.assertNotEqual(json.loads(red)["urgency"], json.loads(calm)["urgency"])

    def test_response_without_questionnaire_url_is_read(self):
        plain, fhir = self.assess_plain_and_fhir(SELF_CARE, response(SELF_CARE, url=None))
        self.assertEqual(plain, fhir)

    def test_batch_records_are_identical_apart_from_line(self):
        for name, answers in ANSWER_SETS.items():
            with self.subTest(answers=name):
                lines = (json.dumps(response(answers, nested=True)) + "\n"
                         + json.dumps(answers) + "\n")
                result = run(["batch"], input_bytes=lines.encode())
                self.assertExit(result, 0)
                records = [json.loads(line) for line in result.stdout.decode().splitlines()]
                self.assertEqual(len(records), 2)
                for record in records:
                    record.pop("line", None)
                self.assertEqual(records[0], records[1])


class FhirResponseErrors(CliTestCase):
    def one_shot_error(self, document, pointer, *parts):
        result = run(["--answers", self.write("response.json", json.dumps(document)),
                      "--format", "json"])
        self.assertExit(result, 65)
        self.assertEqual(result.stdout, b"")
        stderr = result.stderr.decode()
        self.assertIn(pointer, stderr)
        for part in parts:
            self.assertIn(part, stderr)

    def test_unknown_linkid(self):
        document = response(SELF_CARE)
        document["item"].insert(2, {"linkId": "pain_level", "answer": [{"valueInteger": 3}]})
        self.one_shot_error(document, "/item/2/linkId", "unknown linkId 'pain_level'")

    def test_unknown_linkid_nested(self):
        document = response(SELF_CARE, nested=True)
        document["item"][0]["answer"][0]["item"].append({"linkId": "nope", "answer": []})
        self.one_shot_error(document, "/item/0/answer/0/item/", "unknown linkId 'nope'")

    def test_wrong_value_type(self):
        document = response(SELF_CARE)
        index = next(i for i, item in enumerate(document["item"]) if item["linkId"] == "hot")
        document["item"][index]["answer"] = [{"valueString": "no"}]
        self.one_shot_error(document, f"/item/{index}/answer/0", "valueBoolean")

    def test_coding_not_an_allowed_value(self):
        document = response(SELF_CARE)
        document["item"][0]["answer"] = [{"valueCoding": {"code": "three"}}]
        self.one_shot_error(document, "/item/0/answer/0", "three")

    def test_other_questionnaire(self):
        document = response(SELF_CARE, url="http://example.org/Questionnaire/phq-9")
        self.one_shot_error(document, "/questionnaire", "phq-9")

    def test_batch_error_record_for_bad_response(self):
        bad = response(SELF_CARE)
        bad["item"].append({"linkId": "nope", "answer": [{"valueBoolean": True}]})
        lines = json.dumps(bad) + "\n" + json.dumps(SELF_CARE) + "\n"
        result = run(["batch"], input_bytes=lines.encode())
        self.assertNotEqual(result.returncode, 0)
        records = [json.loads(line) for line in result.stdout.decode().splitlines()]
        self.assertEqual(len(records), 2)
        self.assertEqual(records[0]["schema"], "kneetriage/batch-error/1")
        self.assertEqual(records[0]["line"], 1)
        pointers = [p["pointer"] for p in records[0]["problems"]]
        self.assertIn(f"/item/{len(bad['item']) - 1}/linkId", pointers)
        self.assertEqual(records[1]["urgency"], "self-care")


if __name__ == "__main__":
    harness.main()


class FhirResponseAnswerRules(CliTestCase):
    """A QuestionnaireResponse follows the same answer rules as flags, files and batch lines."""

    def test_an_answer_to_an_item_that_is_not_enabled_is_refused(self):
        # fever is enabled only by a swollen or hot knee: never dropped quietly.
        document = response(dict(SELF_CARE, fever=True))
        result = run(["--answers", self.write("response.json", json.dumps(document))])
        self.assertExit(result, 64)
        self.assertEqual(result.stdout, b"")
        stderr = result.stderr.decode()
        self.assertIn('/item: "fever" is asked only if swollen or hot or red', stderr)
        self.assertIn('"swelling": true or "hot": true', stderr)
        lines = json.dumps(document) + "\n"
        [record] = [json.loads(line) for line in
                    run(["batch"], input_bytes=lines.encode()).stdout.decode().splitlines()]
        self.assertEqual(record["error"], "answers to questions that do not apply")
        self.assertEqual(record["problems"][0]["pointer"], "/item")

    def test_an_emergency_in_a_partial_response_is_given_at_once(self):
        answers = {"circulation": True}
        plain, fhir = (run(["--answers", self.write(name, json.dumps(document)),
                            "--format", "json"])
                       for name, document in (("plain.json", answers),
                                              ("response.json", response(answers))))
        self.assertExit(fhir, 0)
        self.assertEqual(plain.stdout, fhir.stdout)
        document = json.loads(fhir.stdout)
        self.assertEqual(document["urgency"], "emergency")
        self.assertTrue(document["partial"])
        self.assertTrue(document["urgency_is_floor"])
