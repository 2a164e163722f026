// The built-in rules (rules/knee.json) against the article they encode: the contract's ids, the
// citations and the catalogue's wording. What the rules conclude for which answers (article points
// A1–A20 and the NHS red flags) is tested as data in rules/knee.test.json (`kneetriage test`).
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "fixtures.hpp"

#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/questionnaire.hpp"
#include "kneetriage/rules.hpp"

namespace {

using kneetriage::Answers;
using kneetriage::Assessment;
using kneetriage::Indices;
using kneetriage::RuleSet;

using TextAnswers = std::map<std::string, std::string>;

const RuleSet& knee_rules() { return fixtures::knee_rules(); }

// A runner with an everyday ache and no red flags: both knees, front of the knee, mild, running
// through it, no gym work, not new to running. Tests change only what their point is about.
TextAnswers everyday_ache() {
  return {{"knees", "both"},     {"weight_bearing", "yes"},    {"very_painful", "no"},
          {"trauma", "no"},      {"deformity", "no"},          {"locking", "no"},
          {"swelling", "no"},    {"hot", "no"},                {"numbness", "no"},
          {"circulation", "no"}, {"location", "front"},        {"severity", "mild"},
          {"stops_running", "no"}, {"strength_training", "no"}, {"new_to_running", "no"}};
}

TextAnswers with(TextAnswers base, const TextAnswers& changes) {
  for (const auto& [id, text] : changes) base[id] = text;
  return base;
}

// Typed answers, exactly as a person would give them on the command line.
Answers answers_from(const TextAnswers& text) {
  const RuleSet& rules = knee_rules();
  Answers answers(rules);
  for (const auto& [id, typed] : text) {
    const auto index = rules.find_question(id);
    INFO("question " << id);
    REQUIRE(index.has_value());
    const auto parsed = kneetriage::parse_answer(rules.questions[*index], typed);
    INFO("answer " << typed << ": " << parsed.error);
    REQUIRE(parsed.value.has_value());
    answers.values[*index] = parsed.value;
  }
  return answers;
}

Assessment assess(const TextAnswers& text) {
  return kneetriage::assess(knee_rules(), answers_from(text));
}

bool contains(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

template <typename Catalogue>
std::vector<std::string> ids_of(const Catalogue& catalogue, const Indices& indices) {
  std::vector<std::string> ids;
  for (const auto i : indices) ids.push_back(catalogue[i].id);
  return ids;
}

std::string urgency(const Assessment& a) { return a.urgency_level().id; }

// The citation ids of a `source` list.
std::vector<std::string> cited(const Indices& source) {
  return ids_of(knee_rules().citations, source);
}

template <typename Catalogue>
const auto& by_id(const Catalogue& catalogue, std::string_view id) {
  const auto it = std::find_if(catalogue.begin(), catalogue.end(),
                               [&](const auto& item) { return item.id == id; });
  INFO("no catalogue entry " << id);
  REQUIRE(it != catalogue.end());
  return *it;
}

const kneetriage::Rule& rule(std::string_view id) { return by_id(knee_rules().rules, id); }
const kneetriage::Cause& cause(std::string_view id) { return by_id(knee_rules().causes, id); }
const kneetriage::AdviceItem& advice_item(std::string_view id) {
  return by_id(knee_rules().advice, id);
}
const kneetriage::Exercise& exercise(std::string_view id) {
  return by_id(knee_rules().exercises, id);
}
const kneetriage::PlanStep& plan_step(std::string_view id) {
  return by_id(knee_rules().plan, id);
}

bool rule_cites(std::string_view rule_id, std::string_view citation) {
  return contains(cited(rule(rule_id).source), citation);
}


}  // namespace

TEST_CASE("built-in rules load without diagnostics and cite every article point",
          "[rules][knee]") {
  const RuleSet& rules = knee_rules();
  CHECK(rules.id == "knee-pain-runners");
  CHECK(rules.version == "2.0.0");
  CHECK_FALSE(rules.disclaimer.empty());
  REQUIRE(rules.urgencies.size() == 4);
  CHECK(ids_of(rules.urgencies, {0, 1, 2, 3}) ==
        std::vector<std::string>{"emergency", "urgent", "see-doctor", "self-care"});

  // Everything that can appear in output: fired rules, and what rules conclude.
  std::vector<std::string> cited_in_output;
  auto add = [&](const Indices& source) {
    for (const auto& id : cited(source)) cited_in_output.push_back(id);
  };
  std::vector<kneetriage::Rule> all_rules = rules.rules;
  if (rules.follow_up) {
    all_rules.insert(all_rules.end(), rules.follow_up->rules.begin(),
                     rules.follow_up->rules.end());
  }
  for (const auto& r : all_rules) {
    add(r.source);
    for (const auto i : r.then.causes) add(rules.causes[i].source);
    for (const auto i : r.then.advice) add(rules.advice[i].source);
    for (const auto i : r.then.exercises) add(rules.exercises[i].source);
    for (const auto i : r.then.plan) add(rules.plan[i].source);
    if (r.then.action) add(rules.advice[*r.then.action].source);
  }
  for (int point = 1; point <= 20; ++point) {
    const std::string id = "A" + std::to_string(point);
    INFO("article point " << id);
    const auto citation = std::find_if(rules.citations.begin(), rules.citations.end(),
                                       [&](const auto& c) { return c.id == id; });
    REQUIRE(citation != rules.citations.end());
    CHECK_FALSE(citation->point.empty());
    CHECK_FALSE(citation->quote.empty());
    CHECK(contains(cited_in_output, id));
  }
  // Every citation, NHS ones included, is used somewhere.
  for (const auto& c : rules.citations) {
    INFO("citation " << c.id);
    CHECK(contains(cited_in_output, c.id));
  }
}

TEST_CASE("the public question ids and values are the documented contract", "[rules][knee]") {
  const RuleSet& rules = knee_rules();
  const std::map<std::string, std::vector<std::string>> choices = {
      {"knees", {"both", "one"}},
      {"side", {"left", "right"}},
      {"location", {"front", "outer", "inner", "back", "all-over"}},
      {"severity", {"mild", "moderate", "severe"}},
  };
  for (const auto& [id, values] : choices) {
    INFO("question " << id);
    const auto index = rules.find_question(id);
    REQUIRE(index.has_value());
    const auto& q = rules.questions[*index];
    CHECK(q.type == kneetriage::QuestionType::choice);
    std::vector<std::string> actual;
    for (const auto& c : q.choices) actual.push_back(c.value);
    CHECK(actual == values);
  }
  for (const char* id : {"swelling", "badly_swollen", "hot", "weight_bearing", "very_painful",
                         "locking", "trauma", "fever", "numbness", "circulation",
                         "strength_training", "new_to_running"}) {
    INFO("question " << id);
    const auto index = rules.find_question(id);
    REQUIRE(index.has_value());
    CHECK(rules.questions[*index].type == kneetriage::QuestionType::boolean);
  }
  // side is asked only for one knee; fever only for a hot or swollen knee.
  Answers answers = answers_from({{"knees", "both"}});
  CHECK_FALSE(kneetriage::applicable(rules, answers)[*rules.find_question("side")]);
  answers = answers_from({{"knees", "one"}});
  CHECK(kneetriage::applicable(rules, answers)[*rules.find_question("side")]);
  answers = answers_from({{"swelling", "no"}, {"hot", "no"}});
  CHECK_FALSE(kneetriage::applicable(rules, answers)[*rules.find_question("fever")]);
  answers = answers_from({{"swelling", "no"}, {"hot", "yes"}});
  CHECK(kneetriage::applicable(rules, answers)[*rules.find_question("fever")]);
  // badly_swollen only for a swollen knee.
  CHECK_FALSE(kneetriage::applicable(rules, answers)[*rules.find_question("badly_swollen")]);
  answers = answers_from({{"swelling", "yes"}});
  CHECK(kneetriage::applicable(rules, answers)[*rules.find_question("badly_swollen")]);
}

// What each article point makes the rules conclude, for which answers, lives in
// rules/knee.test.json (`kneetriage test`, run by ctest as rules.knee-cases): test cases as data a
// rule author can read and extend. What stays here is what a test case cannot see: which rule or
// item cites which point, and the catalogue's wording and kinds that the article fixes.

TEST_CASE("each article point is cited by the rules and items that carry it", "[rules][knee]") {
  const std::vector<std::pair<std::string, std::vector<std::string>>> rules_citing = {
      {"running-good-for-joints", {"A1"}},
      {"typical-presentation", {"A2"}},
      {"one-knee-glute-med", {"A3", "A7", "A14"}},
      {"both-knees-quads", {"A4", "A5", "A13"}},
      {"one-knee-biomechanics", {"A4", "A6"}},
      {"outer-it-band", {"A4", "A9", "A10"}},
      {"location-elsewhere", {"A4"}},
      {"gym-does-not-transfer", {"A8"}},
      {"new-load", {"A8"}},
      {"activate-before-running", {"A11"}},
      {"self-care-basics", {"A11"}},
      {"general-strength", {"A12"}},
      {"plyometrics", {"A16"}},
      {"severe-week-off", {"A17"}},
      {"stops-running-see-doctor", {"A20"}},
      {"severe-strength-daily", {"A18"}},
      {"swollen-see-doctor", {"A19"}},
      {"hot-see-doctor", {"A19"}},
      {"nhs-possible-dvt", {"NHS-dvt"}},
      {"nhs-dvt-breathless", {"NHS-dvt-999"}},
      {"nhs-injury-warning-sign", {"NHS-trust-injury", "NHS-injury-AE"}},
      {"nhs-joint-infection", {"NHS-infection"}},
  };
  for (const auto& [rule_id, points] : rules_citing) {
    for (const auto& point : points) {
      INFO("rule " << rule_id << " cites " << point);
      CHECK(rule_cites(rule_id, point));
    }
  }
  // The trauma rule rests on NHS guidance alone, not on A3.
  CHECK(cited(rule("nhs-trauma").source) == std::vector<std::string>{"NHS-trauma"});

  CHECK(contains(cited(advice_item("running-good-for-joints").source), "A1"));
  CHECK_FALSE(contains(cited(cause("hip-biomechanics").source), "A3"));
  CHECK(cited(advice_item("women-more-susceptible").source) == std::vector<std::string>{"A3"});
  CHECK(contains(cited(cause("quad-weakness").source), "A5"));
  CHECK(contains(cited(cause("hip-biomechanics").source), "A6"));
  CHECK(contains(cited(cause("hip-biomechanics").source), "A7"));
  CHECK(contains(cited(cause("it-band-imbalance").source), "A9"));
  CHECK(contains(cited(exercise("foam-roll").source), "A10"));
  CHECK(contains(cited(plan_step("couch-to-5k").source), "A11"));
  CHECK(contains(cited(exercise("squat").source), "A13"));
  CHECK(contains(cited(exercise("knee-dip").source), "A13"));
  CHECK(contains(cited(exercise("knee-dip").source), "A14"));
  for (const char* point : {"A17", "A18"}) {
    INFO("week-off-now cites " << point);
    CHECK(contains(cited(advice_item("week-off-now").source), point));
  }
}

TEST_CASE("the catalogue says what the article says, in its kinds and words", "[rules][knee]") {
  // A1: the reassurance is not a promise.
  CHECK_THAT(advice_item("running-good-for-joints").text, !Catch::Contains("usually responds"));
  // A3: background (shown with --full), in the article's words, never the cause's explanation.
  CHECK(advice_item("women-more-susceptible").detail);
  CHECK_THAT(advice_item("women-more-susceptible").text,
             Catch::Contains("anterior cruciate ligament"));
  CHECK_THAT(cause("hip-biomechanics").explanation,
             !Catch::Contains("ACL") && !Catch::Contains("partly for this reason"));
  // A7: the glute med lets the thigh bone turn in.
  CHECK_THAT(cause("hip-biomechanics").explanation,
             Catch::Contains("gluteus medius") && Catch::Contains("thigh bone"));
  // A10, A11, A13, A16, A17: the kinds the urgencies withhold by.
  CHECK(exercise("foam-roll").kind == "release");
  CHECK(exercise("clams").kind == "activation");
  CHECK(exercise("glute-bridge").kind == "activation");
  CHECK(exercise("squat").kind == "strength");
  CHECK(exercise("knee-dip").kind == "strength");
  CHECK(exercise("box-jumps").kind == "plyometric");
  CHECK(advice_item("week-off-now").kind == "rest");
  CHECK(plan_step("couch-to-5k").kind == "running");
  CHECK_THAT(exercise("clams").frequency, Catch::Contains("before runs"));
  // A14: the cue, quoted, and what it means next to the squat's "knees in line".
  REQUIRE_FALSE(exercise("knee-dip").cues.empty());
  CHECK_THAT(exercise("knee-dip").cues.front(),
             Catch::Contains("\u201cpush the knee out over the toe\u201d") &&
                 Catch::Contains("second toe") && Catch::Contains("not caving in"));
  // A15: every strength and activation dose is endurance work.
  for (const auto& e : knee_rules().exercises) {
    if (e.kind != "strength" && e.kind != "activation") continue;
    INFO("exercise " << e.id << ": " << e.dose);
    CHECK_THAT(e.dose, Catch::Contains("15–20") && Catch::Contains("slow"));
    CHECK(contains(cited(e.source), "A15"));
  }
  // A16: jumping only once pain has settled.
  CHECK_THAT(exercise("box-jumps").start,
             Catch::Contains("once pain has settled") && Catch::Contains("run pain-free"));
  // A17, A18: the week off and the daily strength work, in one place; "if it gets worse" is the
  // level's safety net, said once.
  CHECK_THAT(advice_item("week-off-now").text,
             Catch::Contains("at least a week off running") &&
                 Catch::Contains("strength exercises every day") &&
                 !Catch::Contains("GP"));
  // Every level below the highest says what would make it more urgent and where to go then.
  const RuleSet& rules = knee_rules();
  for (std::size_t u = 1; u < rules.urgencies.size(); ++u) {
    INFO("urgency " << rules.urgencies[u].id);
    CHECK_THAT(rules.urgencies[u].safety_net, Catch::Contains("999"));
  }
  CHECK_THAT(rules.urgencies[3].safety_net,
             Catch::Contains("two weeks") && Catch::Contains("NHS 111"));
  CHECK_THAT(rules.urgencies[2].action, Catch::Contains("in the next few days"));
  CHECK_THAT(rules.urgencies[1].safety_net, Catch::Contains("before you are seen"));
  // A20 apart from A17: "really suffering" is the week off; "it stops me running" is its own
  // question, and the label of severe no longer says it.
  const auto& severity = rules.questions[*rules.find_question("severity")];
  CHECK_THAT(severity.choices.back().label, !Catch::Contains("stops me running"));
  CHECK(rules.find_question("stops_running").has_value());
}

TEST_CASE("A10: every rule that prescribes foam rolling prescribes strength work too",
          "[rules][knee][A10]") {
  // A property of every rule, not of one answer set: a test case cannot state it.
  const RuleSet& rules = knee_rules();
  int prescribing = 0;
  for (const auto& r : rules.rules) {
    if (!contains(ids_of(rules.exercises, r.then.exercises), "foam-roll")) continue;
    ++prescribing;
    INFO("rule " << r.id);
    CHECK(std::any_of(r.then.exercises.begin(), r.then.exercises.end(), [&](auto i) {
      return rules.exercises[i].kind == "strength" || rules.exercises[i].kind == "activation";
    }));
  }
  CHECK(prescribing > 0);
}

TEST_CASE("A7: the one-knee rule's explanation names the side", "[rules][knee][A7]") {
  // The trace (--explain) shows the answers a rule matched: the side is among them.
  const auto one = assess(
      with(everyday_ache(), {{"knees", "one"}, {"side", "left"}}));
  bool named_side = false;
  for (const auto& f : one.fired) {
    if (one.rules->rules[f.rule].id != "one-knee-biomechanics") continue;
    for (const auto& m : f.matched) named_side |= one.rules->questions[m.fact].id == "side";
  }
  CHECK(named_side);
}

TEST_CASE("the urgent level's action says today", "[rules][knee][nhs]") {
  const auto locked = assess(with(everyday_ache(), {{"locking", "yes"}}));
  CHECK(urgency(locked) == "urgent");
  CHECK_THAT(locked.urgency_level().action, Catch::Contains("today"));
}

TEST_CASE("red-flag questions warn at once and come before the pain details",
          "[rules][knee][questionnaire]") {
  const RuleSet& rules = knee_rules();
  const auto location = *rules.find_question("location");
  for (const char* id : {"weight_bearing", "very_painful", "trauma", "locking", "swelling",
                         "badly_swollen", "hot", "fever", "numbness", "circulation"}) {
    INFO("question " << id);
    const auto index = rules.find_question(id);
    REQUIRE(index.has_value());
    const auto& q = rules.questions[*index];
    CHECK(q.red_flag.has_value());
    CHECK_FALSE(q.red_flag_message.empty());
    CHECK(*index < location);
  }
  // The warning follows the answer: "no" is the red flag for weight bearing.
  auto answers = answers_from({{"knees", "both"}, {"weight_bearing", "no"}});
  CHECK(kneetriage::raises_red_flag(rules, answers, *rules.find_question("weight_bearing")));
  answers = answers_from({{"knees", "both"}, {"weight_bearing", "yes"}});
  CHECK_FALSE(
      kneetriage::raises_red_flag(rules, answers, *rules.find_question("weight_bearing")));
}
