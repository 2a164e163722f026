// The engine: which rules fire, the urgency, ordering, merging, withholding, and determinism.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "kneetriage/engine.hpp"

using nlohmann::json;

namespace {
std::vector<std::string> fired(const kneetriage::Assessment& a) {
  std::vector<std::string> out;
  for (const auto& f : a.fired) out.push_back(fixtures::minimal().rules[f.rule].id);
  return out;
}
template <typename Catalogue>
std::vector<std::string> ids(const Catalogue& catalogue, const kneetriage::Indices& indices) {
  std::vector<std::string> out;
  for (const auto i : indices) out.push_back(catalogue[i].id);
  return out;
}
}  // namespace

TEST_CASE("with no rule firing the urgency is the lowest level") {
  const auto a = kneetriage::assess(fixtures::minimal(),
                                    fixtures::answers(fixtures::minimal(), {{"knees", "one"}}));
  CHECK(a.fired.empty());
  CHECK(a.urgency_level().id == "self-care");
  CHECK_FALSE(a.is_red_flag());
}

TEST_CASE("the urgency is the highest any fired rule concludes, and red flags lead") {
  const auto a = kneetriage::assess(
      fixtures::minimal(),
      fixtures::answers(fixtures::minimal(), {{"knees", "both"}, {"hot", true}, {"fever", true}}));
  CHECK(a.urgency_level().id == "emergency");
  CHECK(a.is_red_flag());
  CHECK(fired(a) == std::vector<std::string>{"hot-fever", "hot-knee", "both-knees"});
  // Causes and advice follow fired order, each once.
  CHECK(ids(fixtures::minimal().causes, a.causes) == std::vector<std::string>{"injury", "quads"});
  CHECK(ids(fixtures::minimal().advice, a.advice) == std::vector<std::string>{"stop", "strength"});
}

TEST_CASE("exercises and plan steps follow catalogue order") {
  const auto a = kneetriage::assess(fixtures::minimal(),
                                    fixtures::answers(fixtures::minimal(), {{"knees", "both"}}));
  CHECK(ids(fixtures::minimal().exercises, a.exercises) ==
        std::vector<std::string>{"squat", "box-jump"});
  CHECK(ids(fixtures::minimal().plan, a.plan) == std::vector<std::string>{"rest-week", "c25k"});
  CHECK(a.withheld.empty());
}

TEST_CASE("the urgency withholds the kinds it names") {
  const auto a = kneetriage::assess(
      fixtures::minimal(),
      fixtures::answers(fixtures::minimal(), {{"knees", "both"}, {"hot", true}, {"fever", false}}));
  CHECK(a.urgency_level().id == "see-doctor");
  CHECK(ids(fixtures::minimal().exercises, a.exercises) == std::vector<std::string>{"squat"});
  CHECK(ids(fixtures::minimal().plan, a.plan) == std::vector<std::string>{"rest-week"});
  REQUIRE(a.withheld.size() == 2);
  const auto j = fixtures::document(a);
  CHECK(j["withheld"][0]["id"] == "box-jump");
  CHECK(j["withheld"][1]["id"] == "c25k");
  CHECK(j["withheld"][0]["reason"] == "not while the urgency is see-doctor");
}

TEST_CASE("answers to questions that do not apply cannot fire rules") {
  // fever is only asked when hot; a stray fever answer must not trigger the emergency rule.
  const auto a = kneetriage::assess(
      fixtures::minimal(),
      fixtures::answers(fixtures::minimal(), {{"knees", "both"}, {"hot", false}, {"fever", true}}));
  CHECK(a.urgency_level().id == "self-care");
  CHECK_FALSE(a.answers.values[*fixtures::minimal().find_question("fever")].has_value());
}

TEST_CASE("the JSON document has the schema, the trace and the sources") {
  const auto a = kneetriage::assess(
      fixtures::minimal(),
      fixtures::answers(fixtures::minimal(), {{"knees", "both"}, {"hot", true}, {"fever", false}}));
  const auto j = fixtures::document(a);
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"schema",
                                         "rules_id",
                                         "rules_version",
                                         "urgency",
                                         "urgency_title",
                                         "urgency_action",
                                         "urgency_safety_net",
                                         "red_flag",
                                         "action",
                                         "partial",
                                         "urgency_is_floor",
                                         "unanswered",
                                         "not_needed",
                                         "causes",
                                         "advice",
                                         "exercises",
                                         "plan",
                                         "withheld",
                                         "on_hold",
                                         "fired",
                                         "answers",
                                         "disclaimer"});
  CHECK(j["schema"] == kneetriage::k_assessment_schema);
  CHECK(j["rules_id"] == "test-rules");
  CHECK(j["urgency"] == "see-doctor");
  CHECK(j["disclaimer"] == "Not medical advice.");
  CHECK(j["fired"][0]["rule"] == "hot-knee");
  CHECK(j["fired"][0]["matched"][0]["fact"] == "hot");
  CHECK(j["fired"][0]["matched"][0]["via"] == "is-hot");
  CHECK(j["fired"][0]["matched"][0]["answer"] == true);
  CHECK(j["fired"][0]["source"][0]["id"] == "A2");
  CHECK(j["causes"][0]["id"] == "injury");
  CHECK(j["causes"][0]["because"][0]["question"] == "hot");
  CHECK(j["causes"][1]["source"][0]["quote"] == "quote one");
  CHECK(j["answers"].dump() == R"({"knees":"both","hot":true,"fever":false})");
  CHECK(
      kneetriage::summary_json(a) ==
      R"({"urgency":"see-doctor","causes":["injury","quads"],"fired":["hot-knee","both-knees"]})");
}

TEST_CASE("the same input gives the same output, byte for byte") {
  const auto answers =
      fixtures::answers(fixtures::minimal(), {{"knees", "both"}, {"hot", true}, {"fever", true}});
  const auto first = kneetriage::assessment_json(kneetriage::assess(fixtures::minimal(), answers));
  for (int i = 0; i < 20; ++i) {
    CHECK(kneetriage::assessment_json(kneetriage::assess(fixtures::minimal(), answers)) == first);
  }
  const auto reloaded = fixtures::load_ok(fixtures::minimal_rules());
  CHECK(kneetriage::assessment_json(kneetriage::assess(reloaded, answers)) == first);
}

TEST_CASE("advice of a kind the urgency withholds is left out and reported") {
  auto document = fixtures::minimal_rules();
  document["advice"][1]["kind"] = "strength";  // "Do strength work"; emergency withholds strength
  const auto kinded = fixtures::load_ok(document);
  const auto emergency = kneetriage::assess(
      kinded, fixtures::answers(kinded, {{"knees", "both"}, {"hot", true}, {"fever", true}}));
  CHECK(ids(kinded.advice, emergency.advice) == std::vector<std::string>{"stop"});
  const auto j = fixtures::document(emergency);
  bool reported = false;
  for (const auto& item : j["withheld"]) {
    if (item["type"] == "advice" && item["id"] == "strength") reported = true;
  }
  CHECK(reported);
  const auto calm = kneetriage::assess(kinded, fixtures::answers(kinded, {{"knees", "both"}}));
  CHECK(ids(kinded.advice, calm.advice) == std::vector<std::string>{"strength"});
}

TEST_CASE("causes of a kind the urgency withholds are set aside and reported as withheld") {
  auto document = fixtures::minimal_rules();
  document["causes"][0]["kind"] = "overuse";  // "Weak quads"
  document["urgencies"][0]["withhold"].push_back("overuse");
  const auto kinded = fixtures::load_ok(document);
  const auto emergency = kneetriage::assess(
      kinded, fixtures::answers(kinded, {{"knees", "both"}, {"hot", true}, {"fever", true}}));
  CHECK(ids(kinded.causes, emergency.causes) == std::vector<std::string>{"injury"});
  const auto j = fixtures::document(emergency);
  bool reported = false;
  for (const auto& item : j["withheld"]) {
    if (item["type"] == "cause" && item["id"] == "quads" && item["kind"] == "overuse")
      reported = true;
  }
  CHECK(reported);
  // Below the level that withholds them they are likely causes as before.
  const auto see_doctor = kneetriage::assess(
      kinded, fixtures::answers(kinded, {{"knees", "both"}, {"hot", true}, {"fever", false}}));
  CHECK(ids(kinded.causes, see_doctor.causes) == std::vector<std::string>{"injury", "quads"});
}

TEST_CASE("a rule's action leads the result unless the urgency withholds it") {
  auto document = fixtures::minimal_rules();
  document["advice"].push_back(
      {{"id", "rest-first"}, {"text", "Rest a week first"}, {"kind", "rest"}, {"source", {"A1"}}});
  document["rules"][0]["then"]["action"] = "rest-first";
  document["urgencies"][1]["withhold"].push_back("rest");
  const auto led = fixtures::load_ok(document);
  const auto calm = kneetriage::assess(led, fixtures::answers(led, {{"knees", "both"}}));
  REQUIRE(calm.action.has_value());
  CHECK(led.advice[*calm.action].id == "rest-first");
  CHECK(ids(led.advice, calm.advice) == std::vector<std::string>{"strength"});  // not twice
  const auto j = fixtures::document(calm);
  CHECK(j["action"]["id"] == "rest-first");
  CHECK(j["action"]["text"] == "Rest a week first");
  CHECK(j["action"]["source"][0]["id"] == "A1");
  // At see-doctor "rest" is withheld: the level's own action leads, and the item is reported.
  const auto hot = kneetriage::assess(
      led, fixtures::answers(led, {{"knees", "both"}, {"hot", true}, {"fever", false}}));
  CHECK_FALSE(hot.action.has_value());
  const auto k = fixtures::document(hot);
  CHECK(k["action"]["id"].is_null());
  CHECK(k["action"]["text"] == "Book");
  bool reported = false;
  for (const auto& item : k["withheld"]) reported |= item["id"] == "rest-first";
  CHECK(reported);
}

TEST_CASE("an urgency can reword how often exercises of a kind are done") {
  auto document = fixtures::minimal_rules();
  document["exercises"][0]["frequency"] = "daily, and before runs";
  document["urgencies"][1]["frequency"] = {{"strength", "daily, gently"}};
  document["urgencies"][1]["on_hold"] = "Running and jumping, until you have been seen.";
  const auto worded = fixtures::load_ok(document);
  const auto hot = kneetriage::assess(
      worded, fixtures::answers(worded, {{"knees", "both"}, {"hot", true}, {"fever", false}}));
  const auto j = fixtures::document(hot);
  REQUIRE(j["exercises"].size() == 1);
  CHECK(j["exercises"][0]["frequency"] == "daily, gently");
  CHECK(j["on_hold"] == "Running and jumping, until you have been seen.");
  const auto calm = kneetriage::assess(worded, fixtures::answers(worded, {{"knees", "both"}}));
  const auto k = fixtures::document(calm);
  CHECK(k["exercises"][0]["frequency"] == "daily, and before runs");  // catalogue order
  CHECK(k["on_hold"].is_null());
  CHECK(k["partial"] == false);
  CHECK(k["unanswered"].empty());
  CHECK(k["not_needed"].empty());
}

TEST_CASE("a fired rule whose every conclusion the urgency withholds is held back") {
  json document = fixtures::minimal_rules();
  // Box jumps (plyometric) and Couch to 5K (running) wait at see-doctor and above; the week off
  // (rest) does not.
  document["rules"].push_back(json::parse(R"({"id": "jump", "title": "Jump", "source": ["A1"],
      "when": {"fact": "knees", "operator": "equal", "value": "both"},
      "then": {"exercises": ["box-jump"], "plan": ["c25k"]}})"));
  document["rules"].push_back(json::parse(R"({"id": "rest", "title": "Rest", "source": ["A1"],
      "when": {"fact": "knees", "operator": "equal", "value": "both"},
      "then": {"exercises": ["box-jump"], "plan": ["rest-week"]}})"));
  const kneetriage::RuleSet rules = fixtures::load_ok(document);
  const auto held_back = [&](const kneetriage::Assessment& a) {
    std::vector<std::string> out;
    for (const auto& f : a.fired)
      if (a.held_back(f)) out.push_back(rules.rules[f.rule].id);
    return out;
  };
  const auto calm =
      kneetriage::assess(rules, fixtures::answers(rules, {{"knees", "both"}, {"hot", false}}));
  CHECK(held_back(calm).empty());  // self-care withholds nothing
  const auto hot = kneetriage::assess(
      rules, fixtures::answers(rules, {{"knees", "both"}, {"hot", true}, {"fever", false}}));
  REQUIRE(hot.urgency_level().id == "see-doctor");
  // hot-knee concludes the urgency; both-knees gives its cause; rest keeps the week off.
  CHECK(held_back(hot) == std::vector<std::string>{"jump"});
}
