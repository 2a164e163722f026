// The built-in rules (rules/knee.json) against the article they encode: one test per article
// point A1–A20, each showing that the rule carrying the point fires on the answers it should and
// not on others, plus the NHS red flags. The engine is generic; these tests pin the knowledge.
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

// A runner with an everyday ache and no red flags: both knees, front of the knee, during runs,
// mild, no gym work, not new to running. Tests change only what their point is about.
TextAnswers everyday_ache() {
  return {{"knees", "both"},     {"weight_bearing", "yes"},    {"very_painful", "no"},
          {"trauma", "no"},      {"locking", "no"},            {"swelling", "no"},
          {"hot", "no"},         {"numbness", "no"},           {"circulation", "no"},
          {"location", "front"}, {"timing", "during"},         {"severity", "mild"},
          {"strength_training", "no"}, {"new_to_running", "no"}};
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

std::vector<std::string> fired(const Assessment& a) {
  std::vector<std::string> ids;
  for (const auto& f : a.fired) ids.push_back(a.rules->rules[f.rule].id);
  return ids;
}

template <typename Catalogue>
std::vector<std::string> ids_of(const Catalogue& catalogue, const Indices& indices) {
  std::vector<std::string> ids;
  for (const auto i : indices) ids.push_back(catalogue[i].id);
  return ids;
}

std::vector<std::string> causes(const Assessment& a) { return ids_of(a.rules->causes, a.causes); }
std::vector<std::string> advice(const Assessment& a) { return ids_of(a.rules->advice, a.advice); }
std::vector<std::string> exercises(const Assessment& a) {
  return ids_of(a.rules->exercises, a.exercises);
}
std::vector<std::string> plan(const Assessment& a) { return ids_of(a.rules->plan, a.plan); }

std::vector<std::string> withheld(const Assessment& a) {
  std::vector<std::string> ids;
  for (const auto& w : a.withheld) {
    switch (w.what) {
      case kneetriage::Withheld::What::exercise: ids.push_back(a.rules->exercises[w.index].id); break;
      case kneetriage::Withheld::What::plan_step: ids.push_back(a.rules->plan[w.index].id); break;
      case kneetriage::Withheld::What::advice: ids.push_back(a.rules->advice[w.index].id); break;
      case kneetriage::Withheld::What::cause: ids.push_back(a.rules->causes[w.index].id); break;
    }
  }
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
  CHECK(rules.version == "1.1.0");
  CHECK_FALSE(rules.disclaimer.empty());
  REQUIRE(rules.urgencies.size() == 4);
  CHECK(ids_of(rules.urgencies, {0, 1, 2, 3}) ==
        std::vector<std::string>{"emergency", "urgent", "see-doctor", "self-care"});

  // Everything that can appear in output: fired rules, and what rules conclude.
  std::vector<std::string> cited_in_output;
  auto add = [&](const Indices& source) {
    for (const auto& id : cited(source)) cited_in_output.push_back(id);
  };
  for (const auto& r : rules.rules) {
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
      {"timing", {"during", "after", "both"}},
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

TEST_CASE("A1: without red flags, runners hear that running is good for their joints",
          "[rules][knee][A1]") {
  CHECK(rule_cites("running-good-for-joints", "A1"));
  const auto calm = assess(everyday_ache());
  CHECK(contains(fired(calm), "running-good-for-joints"));
  CHECK(contains(advice(calm), "running-good-for-joints"));
  CHECK(contains(cited(advice_item("running-good-for-joints").source), "A1"));
  CHECK(urgency(calm) == "self-care");

  CHECK_THAT(advice_item("running-good-for-joints").text, !Catch::Contains("usually responds"));
  for (const auto& [id, typed] : TextAnswers{{"swelling", "yes"},
                                             {"hot", "yes"},
                                             {"weight_bearing", "no"},
                                             {"very_painful", "yes"},
                                             {"locking", "yes"},
                                             {"trauma", "yes"},
                                             {"numbness", "yes"},
                                             {"circulation", "yes"}}) {
    INFO(id << " = " << typed);
    const auto flagged = assess(with(everyday_ache(), {{id, typed}}));
    CHECK_FALSE(contains(fired(flagged), "running-good-for-joints"));
    CHECK_FALSE(contains(advice(flagged), "running-good-for-joints"));
  }
  // Red-flag questions not yet answered are not "no red flags".
  CHECK_FALSE(contains(fired(assess({{"knees", "both"}})), "running-good-for-joints"));
}

TEST_CASE("A2: the typical presentation is told only for front-of-knee pain",
          "[rules][knee][A2]") {
  CHECK(rule_cites("typical-presentation", "A2"));
  for (const char* when : {"during", "after", "both"}) {
    INFO("timing " << when);
    const auto front = assess(with(everyday_ache(), {{"location", "front"}, {"timing", when}}));
    CHECK(contains(fired(front), "typical-presentation"));
    CHECK(contains(advice(front), "typical-presentation"));
  }
  // Elsewhere it would contradict "doesn't fit the common patterns" (location-matters).
  for (const char* where : {"outer", "inner", "back", "all-over"}) {
    for (const char* when : {"during", "after", "both"}) {
      INFO(where << ", " << when);
      const auto a = assess(with(everyday_ache(), {{"location", where}, {"timing", when}}));
      CHECK_FALSE(contains(fired(a), "typical-presentation"));
      CHECK_FALSE(contains(advice(a), "typical-presentation"));
    }
  }
}

TEST_CASE("A3: women's higher ACL risk is background for one knee, not a cause",
          "[rules][knee][A3]") {
  // We do not ask for sex, so A3 is never stated as the reason for anyone's pain: it is detail
  // advice (shown with --full) that travels with the one-knee hip rule, in the article's words.
  CHECK(rule_cites("one-knee-glute-med", "A3"));
  CHECK_FALSE(contains(cited(cause("hip-biomechanics").source), "A3"));
  CHECK_THAT(cause("hip-biomechanics").explanation, !Catch::Contains("ACL") &&
                                                        !Catch::Contains("partly for this reason"));
  CHECK(cited(advice_item("women-more-susceptible").source) == std::vector<std::string>{"A3"});
  CHECK(advice_item("women-more-susceptible").detail);
  CHECK_THAT(advice_item("women-more-susceptible").text,
             Catch::Contains("anterior cruciate ligament"));

  const auto one = assess(with(everyday_ache(), {{"knees", "one"}, {"side", "right"}}));
  CHECK(contains(causes(one), "hip-biomechanics"));
  CHECK(contains(advice(one), "women-more-susceptible"));

  const auto both = assess(everyday_ache());
  CHECK_FALSE(contains(advice(both), "women-more-susceptible"));
  // The trauma rule rests on NHS guidance, not on A3.
  CHECK_FALSE(rule_cites("nhs-trauma", "A3"));
}

TEST_CASE("A4: the cause follows where it hurts", "[rules][knee][A4]") {
  CHECK(rule_cites("both-knees-quads", "A4"));
  CHECK(rule_cites("one-knee-biomechanics", "A4"));
  CHECK(rule_cites("outer-it-band", "A4"));
  CHECK(rule_cites("location-elsewhere", "A4"));

  const auto outer = assess(with(everyday_ache(), {{"location", "outer"}}));
  CHECK(contains(causes(outer), "it-band-imbalance"));
  const auto front = assess(with(everyday_ache(), {{"location", "front"}}));
  CHECK_FALSE(contains(causes(front), "it-band-imbalance"));
  CHECK_FALSE(contains(fired(front), "location-elsewhere"));

  for (const char* place : {"inner", "back", "all-over"}) {
    INFO("location " << place);
    const auto a = assess(with(everyday_ache(), {{"location", place}}));
    CHECK(contains(fired(a), "location-elsewhere"));
    CHECK(contains(advice(a), "location-matters"));
    CHECK_FALSE(contains(causes(a), "it-band-imbalance"));
  }
}

TEST_CASE("A5: both knees point to quad weakness", "[rules][knee][A5]") {
  CHECK(rule_cites("both-knees-quads", "A5"));
  CHECK(contains(cited(cause("quad-weakness").source), "A5"));
  const auto both = assess(everyday_ache());
  CHECK(contains(fired(both), "both-knees-quads"));
  CHECK(contains(causes(both), "quad-weakness"));
  CHECK(contains(exercises(both), "squat"));
  CHECK(contains(exercises(both), "knee-dip"));

  const auto one = assess(with(everyday_ache(), {{"knees", "one"}, {"side", "left"}}));
  CHECK_FALSE(contains(fired(one), "both-knees-quads"));
  CHECK_FALSE(contains(causes(one), "quad-weakness"));
}

TEST_CASE("A6: one knee points to biomechanics between the ankle and the hip",
          "[rules][knee][A6]") {
  CHECK(rule_cites("one-knee-biomechanics", "A6"));
  CHECK(contains(cited(cause("hip-biomechanics").source), "A6"));
  for (const char* side : {"left", "right"}) {
    INFO("side " << side);
    const auto one = assess(with(everyday_ache(), {{"knees", "one"}, {"side", side}}));
    CHECK(contains(fired(one), "one-knee-biomechanics"));
    CHECK(contains(causes(one), "hip-biomechanics"));
    CHECK(contains(advice(one), "ankle-and-hip"));
  }
  const auto both = assess(everyday_ache());
  CHECK_FALSE(contains(fired(both), "one-knee-biomechanics"));
  CHECK_FALSE(contains(advice(both), "ankle-and-hip"));
}

TEST_CASE("A7: one knee: a weak glute med twists the knee, so work the glutes",
          "[rules][knee][A7]") {
  CHECK(rule_cites("one-knee-glute-med", "A7"));
  CHECK(contains(cited(cause("hip-biomechanics").source), "A7"));
  CHECK_THAT(cause("hip-biomechanics").explanation, Catch::Contains("gluteus medius") &&
                                                        Catch::Contains("thigh bone"));
  // Pain after runs only, so that the A11 warm-up does not add glute work on its own.
  const auto one = assess(
      with(everyday_ache(), {{"knees", "one"}, {"side", "left"}, {"timing", "after"}}));
  CHECK(contains(fired(one), "one-knee-glute-med"));
  CHECK(contains(exercises(one), "clams"));
  CHECK(contains(exercises(one), "glute-bridge"));

  const auto both = assess(with(everyday_ache(), {{"timing", "after"}}));
  CHECK_FALSE(contains(fired(both), "one-knee-glute-med"));
  // The side is named: the one-knee rule's answers include it.
  bool named_side = false;
  for (const auto& f : one.fired) {
    if (one.rules->rules[f.rule].id != "one-knee-biomechanics") continue;
    for (const auto& m : f.matched) named_side |= one.rules->questions[m.fact].id == "side";
  }
  CHECK(named_side);
}

TEST_CASE("A8: gym work doesn't transfer by itself, and even a 5K is new work",
          "[rules][knee][A8]") {
  CHECK(rule_cites("gym-does-not-transfer", "A8"));
  CHECK(rule_cites("new-load", "A8"));
  const auto gym = assess(with(everyday_ache(), {{"strength_training", "yes"}}));
  CHECK(contains(fired(gym), "gym-does-not-transfer"));
  CHECK(contains(advice(gym), "gym-does-not-transfer"));
  CHECK(contains(advice(gym), "endurance-focused"));
  CHECK(contains(exercises(gym), "knee-dip"));  // running-specific, single-leg
  const auto no_gym = assess(with(everyday_ache(), {{"strength_training", "no"}}));
  CHECK_FALSE(contains(fired(no_gym), "gym-does-not-transfer"));
  CHECK_FALSE(contains(advice(no_gym), "gym-does-not-transfer"));

  const auto beginner = assess(with(everyday_ache(), {{"new_to_running", "yes"}}));
  CHECK(contains(fired(beginner), "new-load"));
  CHECK(contains(causes(beginner), "new-load"));
  const auto seasoned = assess(with(everyday_ache(), {{"new_to_running", "no"}}));
  CHECK_FALSE(contains(fired(seasoned), "new-load"));
  CHECK_FALSE(contains(causes(seasoned), "new-load"));
}

TEST_CASE("A9: outer-thigh pain points to muscle imbalance around the IT band",
          "[rules][knee][A9]") {
  CHECK(rule_cites("outer-it-band", "A9"));
  CHECK(contains(cited(cause("it-band-imbalance").source), "A9"));
  const auto outer = assess(with(everyday_ache(), {{"location", "outer"}}));
  CHECK(contains(fired(outer), "outer-it-band"));
  CHECK(contains(causes(outer), "it-band-imbalance"));
  CHECK(contains(advice(outer), "release-tight-muscles"));
  CHECK(contains(exercises(outer), "foam-roll"));

  for (const char* place : {"front", "inner", "back", "all-over"}) {
    INFO("location " << place);
    const auto a = assess(with(everyday_ache(), {{"location", place}}));
    CHECK_FALSE(contains(fired(a), "outer-it-band"));
    CHECK_FALSE(contains(causes(a), "it-band-imbalance"));
    // Release work is the article's general advice: every self-care runner gets it.
    CHECK(contains(exercises(a), "foam-roll"));
    CHECK(contains(advice(a), "release-tight-muscles"));
  }
}

TEST_CASE("A10: foam rolling is never prescribed on its own", "[rules][knee][A10]") {
  const RuleSet& rules = knee_rules();
  CHECK(rule_cites("outer-it-band", "A10"));
  CHECK(contains(cited(exercise("foam-roll").source), "A10"));
  CHECK(exercise("foam-roll").kind == "release");
  // Every rule that prescribes foam rolling also prescribes strength or activation work.
  int prescribing = 0;
  for (const auto& r : rules.rules) {
    const auto ids = ids_of(rules.exercises, r.then.exercises);
    if (!contains(ids, "foam-roll")) continue;
    ++prescribing;
    INFO("rule " << r.id);
    CHECK(std::any_of(r.then.exercises.begin(), r.then.exercises.end(), [&](auto i) {
      return rules.exercises[i].kind == "strength" || rules.exercises[i].kind == "activation";
    }));
  }
  CHECK(prescribing > 0);

  const auto outer = assess(with(everyday_ache(), {{"location", "outer"}}));
  CHECK(contains(advice(outer), "never-roll-alone"));
  CHECK(contains(exercises(outer), "foam-roll"));
  CHECK(contains(exercises(outer), "clams"));
  // Wherever the foam roller goes, so does the reminder.
  const auto front = assess(with(everyday_ache(), {{"location", "front"}}));
  CHECK(contains(exercises(front), "foam-roll"));
  CHECK(contains(advice(front), "never-roll-alone"));
  // Where strength and activation are withheld, so is the foam roller.
  const auto locked = assess(with(everyday_ache(), {{"location", "outer"}, {"locking", "yes"}}));
  CHECK_FALSE(contains(exercises(locked), "foam-roll"));
}

TEST_CASE("A11: every self-care runner wakes the glutes up before running",
          "[rules][knee][A11]") {
  CHECK(rule_cites("activate-before-running", "A11"));
  CHECK(rule_cites("self-care-basics", "A11"));
  for (const char* when : {"during", "after", "both"}) {
    INFO("timing " << when);
    const auto a = assess(with(everyday_ache(), {{"timing", when}}));
    CHECK(contains(fired(a), "activate-before-running"));
    CHECK(contains(advice(a), "activate-before-running"));
    CHECK(contains(exercises(a), "clams"));
    CHECK(contains(exercises(a), "glute-bridge"));
  }
  CHECK_THAT(exercise("clams").frequency, Catch::Contains("before runs"));
  CHECK(exercise("clams").kind == "activation");
  CHECK(exercise("glute-bridge").kind == "activation");
  // Severe: a week off first, so the before-runs advice waits for Couch to 5K, which says it.
  const auto severe = assess(with(everyday_ache(), {{"severity", "severe"}}));
  CHECK_FALSE(contains(advice(severe), "activate-before-running"));
  CHECK(contains(plan(severe), "couch-to-5k"));
  CHECK(contains(cited(plan_step("couch-to-5k").source), "A11"));
  // At see-doctor the moves stay, daily and gently; nothing mentions runs.
  const auto hot = assess(with(everyday_ache(), {{"hot", "yes"}, {"fever", "no"}}));
  CHECK(urgency(hot) == "see-doctor");
  CHECK(contains(exercises(hot), "clams"));
  CHECK_FALSE(contains(advice(hot), "activate-before-running"));
  CHECK(kneetriage::frequency_at(hot.urgency_level(), exercise("clams")).find("run") ==
        std::string::npos);
}

TEST_CASE("A12: without gym work, general strength training is prescribed",
          "[rules][knee][A12]") {
  CHECK(rule_cites("general-strength", "A12"));
  const auto none = assess(with(everyday_ache(), {{"strength_training", "no"}}));
  CHECK(contains(fired(none), "general-strength"));
  CHECK(contains(advice(none), "general-strength"));
  CHECK(contains(exercises(none), "squat"));

  const auto gym = assess(with(everyday_ache(), {{"strength_training", "yes"}}));
  CHECK_FALSE(contains(fired(gym), "general-strength"));
  CHECK_FALSE(contains(advice(gym), "general-strength"));
}

TEST_CASE("A13: quads are loaded with squats and single-leg knee dips", "[rules][knee][A13]") {
  CHECK(rule_cites("both-knees-quads", "A13"));
  CHECK(contains(cited(exercise("squat").source), "A13"));
  CHECK(contains(cited(exercise("knee-dip").source), "A13"));
  CHECK(exercise("squat").kind == "strength");
  CHECK(exercise("knee-dip").kind == "strength");

  const auto both = assess(with(everyday_ache(), {{"strength_training", "yes"}}));
  CHECK(contains(exercises(both), "squat"));
  CHECK(contains(exercises(both), "knee-dip"));
  // One knee, already in the gym, mild: the work is single-leg and glutes, not squats.
  const auto one = assess(with(everyday_ache(),
                               {{"knees", "one"}, {"side", "left"}, {"strength_training", "yes"}}));
  CHECK_FALSE(contains(fired(one), "both-knees-quads"));
  CHECK_FALSE(contains(exercises(one), "squat"));
}

TEST_CASE("A14: knee dips cue pushing the knee out over the toe", "[rules][knee][A14]") {
  const auto& dip = exercise("knee-dip");
  // The article's words, quoted, and what they mean next to the squat's "knees in line".
  REQUIRE_FALSE(dip.cues.empty());
  CHECK_THAT(dip.cues.front(), Catch::Contains("\u201cpush the knee out over the toe\u201d") &&
                                   Catch::Contains("little toes") &&
                                   Catch::Contains("not cave in"));
  CHECK(contains(cited(dip.source), "A14"));
  CHECK(rule_cites("one-knee-glute-med", "A14"));

  const auto one = assess(with(everyday_ache(), {{"knees", "one"}, {"side", "right"}}));
  CHECK(contains(fired(one), "one-knee-glute-med"));
  CHECK(contains(exercises(one), "knee-dip"));
  const auto both = assess(everyday_ache());
  CHECK_FALSE(contains(fired(both), "one-knee-glute-med"));
}

TEST_CASE("A15: strength work is endurance-focused", "[rules][knee][A15]") {
  const RuleSet& rules = knee_rules();
  for (const auto& e : rules.exercises) {
    if (e.kind != "strength" && e.kind != "activation") continue;
    INFO("exercise " << e.id << ": " << e.dose);
    CHECK_THAT(e.dose, Catch::Contains("15–20") && Catch::Contains("slow"));
    CHECK(contains(cited(e.source), "A15"));
  }
  for (const char* gym : {"yes", "no"}) {
    INFO("strength_training " << gym);
    const auto a = assess(with(everyday_ache(), {{"strength_training", gym}}));
    CHECK(contains(advice(a), "endurance-focused"));
  }
  CHECK(contains(advice(assess(with(everyday_ache(), {{"severity", "severe"}}))),
                 "endurance-focused"));
  // No strength work concluded, no endurance advice.
  const auto partial = assess({{"knees", "both"}, {"severity", "mild"}});
  CHECK_FALSE(contains(advice(partial), "endurance-focused"));
}

TEST_CASE("A16: box jumps for impact, only at self-care and once pain has settled",
          "[rules][knee][A16]") {
  CHECK(rule_cites("plyometrics", "A16"));
  const auto& jumps = exercise("box-jumps");
  CHECK(jumps.kind == "plyometric");
  CHECK_THAT(jumps.start, Catch::Contains("once pain has settled") &&
                              Catch::Contains("run pain-free"));
  for (const char* severity : {"mild", "moderate"}) {
    INFO("severity " << severity);
    const auto a = assess(with(everyday_ache(), {{"severity", severity}}));
    CHECK(urgency(a) == "self-care");
    CHECK(contains(fired(a), "plyometrics"));
    CHECK(contains(exercises(a), "box-jumps"));
  }
  const auto severe = assess(with(everyday_ache(), {{"severity", "severe"}}));
  CHECK_FALSE(contains(fired(severe), "plyometrics"));
  CHECK_FALSE(contains(exercises(severe), "box-jumps"));
  const auto hot = assess(with(everyday_ache(), {{"hot", "yes"}, {"fever", "no"}}));
  CHECK_FALSE(contains(fired(hot), "plyometrics"));
  CHECK_FALSE(contains(exercises(hot), "box-jumps"));
  // Red-flag questions not yet answered: no jumping.
  CHECK_FALSE(contains(fired(assess({{"knees", "both"}, {"severity", "mild"}})), "plyometrics"));
}

TEST_CASE("A17: really suffering: a week off leads, then back via Couch to 5K",
          "[rules][knee][A17]") {
  CHECK(rule_cites("severe-week-off", "A17"));
  const auto& lead = advice_item("week-off-now");
  CHECK(lead.kind == "rest");
  CHECK(contains(cited(lead.source), "A17"));
  CHECK(contains(cited(lead.source), "NHS-see-gp"));
  // The safety net sits beside the week off.
  CHECK_THAT(lead.text, Catch::Contains("at least a week off running") &&
                            Catch::Contains("see a GP or physiotherapist"));
  CHECK(plan_step("couch-to-5k").kind == "running");
  const auto severe = assess(with(everyday_ache(), {{"severity", "severe"}}));
  CHECK(urgency(severe) == "self-care");
  REQUIRE(severe.action.has_value());
  CHECK(knee_rules().advice[*severe.action].id == "week-off-now");
  CHECK_FALSE(contains(advice(severe), "week-off-now"));  // it leads; it is not repeated
  CHECK(contains(plan(severe), "couch-to-5k"));
  CHECK_FALSE(contains(plan(severe), "gradual-return"));

  for (const char* severity : {"mild", "moderate"}) {
    INFO("severity " << severity);
    const auto a = assess(with(everyday_ache(), {{"severity", severity}}));
    CHECK_FALSE(a.action.has_value());
    CHECK_FALSE(contains(plan(a), "couch-to-5k"));
    CHECK(contains(plan(a), "gradual-return"));
  }
  // Above self-care nobody is told to wait a week: the urgency's own action leads.
  for (const auto& flag : std::vector<TextAnswers>{{{"swelling", "yes"}, {"badly_swollen", "no"},
                                                    {"fever", "no"}},
                                                   {{"locking", "yes"}}}) {
    const auto flagged = assess(with(with(everyday_ache(), {{"severity", "severe"}}), flag));
    CHECK(urgency(flagged) != "self-care");
    CHECK_FALSE(flagged.action.has_value());
    CHECK(contains(withheld(flagged), "week-off-now"));
    CHECK(contains(withheld(flagged), "couch-to-5k"));
  }
}

TEST_CASE("A18: strength exercises daily during the week off", "[rules][knee][A18]") {
  CHECK(rule_cites("severe-strength-daily", "A18"));
  CHECK(contains(cited(advice_item("week-off-now").source), "A18"));
  CHECK_THAT(advice_item("week-off-now").text, Catch::Contains("strength exercises every day"));
  const auto severe = assess(with(everyday_ache(), {{"severity", "severe"}}));
  CHECK(contains(fired(severe), "severe-strength-daily"));
  for (const auto& id : exercises(severe)) {
    if (exercise(id).kind == "strength") {
      INFO("exercise " << id);
      CHECK_THAT(exercise(id).frequency, Catch::Contains("daily"));
    }
  }
  CHECK(contains(exercises(severe), "squat"));

  const auto mild = assess(everyday_ache());
  CHECK_FALSE(contains(fired(mild), "severe-strength-daily"));
}

TEST_CASE("A19: a hot or swollen knee needs a doctor and a break from running",
          "[rules][knee][A19]") {
  CHECK(rule_cites("hot-or-swollen-see-doctor", "A19"));
  for (const auto& [id, typed] : TextAnswers{{"swelling", "yes"}, {"hot", "yes"}}) {
    INFO(id << " = " << typed);
    const auto a = assess(
        with(everyday_ache(), {{id, typed}, {"fever", "no"}, {"badly_swollen", "no"}}));
    CHECK(urgency(a) == "see-doctor");
    CHECK(contains(fired(a), "hot-or-swollen-see-doctor"));
    CHECK(contains(causes(a), "possible-injury"));
    CHECK(contains(advice(a), "stop-running"));
    CHECK(contains(withheld(a), "gradual-return"));
    for (const auto& e : exercises(a)) {
      INFO("exercise " << e);
      CHECK(exercise(e).kind != "running");
      CHECK(exercise(e).kind != "plyometric");
    }
  }
  const auto calm = assess(everyday_ache());
  CHECK_FALSE(contains(fired(calm), "hot-or-swollen-see-doctor"));
  CHECK_FALSE(contains(causes(calm), "possible-injury"));
  CHECK_FALSE(contains(advice(calm), "stop-running"));
}

TEST_CASE("A20: pain that stops you running gets the safety net beside the week off",
          "[rules][knee][A20]") {
  CHECK(rule_cites("severe-week-off", "A20"));
  CHECK(contains(cited(advice_item("week-off-now").source), "A20"));
  const auto severe = assess(with(everyday_ache(), {{"severity", "severe"}}));
  CHECK(contains(fired(severe), "severe-week-off"));
  for (const char* severity : {"mild", "moderate"}) {
    INFO("severity " << severity);
    const auto a = assess(with(everyday_ache(), {{"severity", severity}}));
    CHECK_FALSE(contains(fired(a), "severe-week-off"));
  }
}

TEST_CASE("NHS: a hot or swollen knee with a fever is an emergency", "[rules][knee][nhs]") {
  CHECK(rule_cites("nhs-joint-infection", "NHS-infection"));
  for (const auto& [id, typed] : TextAnswers{{"swelling", "yes"}, {"hot", "yes"}}) {
    INFO(id << " = " << typed);
    const auto a = assess(with(everyday_ache(), {{id, typed}, {"fever", "yes"}}));
    CHECK(urgency(a) == "emergency");
    CHECK(fired(a).front() == "nhs-joint-infection");
    CHECK(contains(causes(a), "joint-infection"));
    CHECK(exercises(a).empty());
  }
  // A fever answer given for a calm knee does not apply and is ignored.
  const auto calm = assess(with(everyday_ache(), {{"fever", "yes"}}));
  CHECK(urgency(calm) == "self-care");
  CHECK_FALSE(contains(fired(calm), "nhs-joint-infection"));
}

TEST_CASE("NHS: no weight bearing, locking or a fall, twist or pop needs a doctor today",
          "[rules][knee][nhs]") {
  const std::vector<std::pair<TextAnswers, std::string>> flags = {
      {{{"weight_bearing", "no"}}, "nhs-cannot-bear-weight"},
      {{{"locking", "yes"}}, "nhs-locking"},
      {{{"trauma", "yes"}}, "nhs-trauma"},
  };
  CHECK(cited(rule("nhs-trauma").source) == std::vector<std::string>{"NHS-trauma"});
  for (const auto& [answers, rule_id] : flags) {
    INFO("rule " << rule_id);
    const auto a = assess(with(everyday_ache(), answers));
    CHECK(urgency(a) == "urgent");
    CHECK(contains(fired(a), rule_id));
    CHECK(contains(causes(a), "structural-injury"));
    CHECK(contains(advice(a), "stop-running"));
    CHECK_THAT(a.urgency_level().action, Catch::Contains("today"));
    CHECK(exercises(a).empty());
  }
  const auto injured_cannot_walk =
      assess(with(everyday_ache(), {{"trauma", "yes"}, {"weight_bearing", "no"}}));
  CHECK(urgency(injured_cannot_walk) == "emergency");
  CHECK(fired(injured_cannot_walk).front() == "nhs-injury-cannot-bear-weight");

  const auto calm = assess(everyday_ache());
  for (const char* id : {"nhs-cannot-bear-weight", "nhs-locking", "nhs-trauma",
                         "nhs-injury-cannot-bear-weight"}) {
    CHECK_FALSE(contains(fired(calm), id));
  }
}

TEST_CASE("NHS: same-day help for severe pain, a badly swollen or a hot and swollen knee",
          "[rules][knee][nhs]") {
  const std::vector<std::tuple<TextAnswers, std::string, std::string>> flags = {
      {{{"very_painful", "yes"}}, "nhs-very-painful", "needs-checking-today"},
      {{{"swelling", "yes"}, {"badly_swollen", "yes"}, {"fever", "no"}}, "nhs-badly-swollen",
       "possible-injury"},
      // An infected joint can come without a fever: more cautious than A19 alone.
      {{{"swelling", "yes"}, {"badly_swollen", "no"}, {"hot", "yes"}, {"fever", "no"}},
       "hot-and-swollen-urgent", "hot-swollen-knee"},
      {{{"numbness", "yes"}}, "nhs-numbness", "nerve-problem"},
  };
  for (const auto& [answers, rule_id, cause_id] : flags) {
    INFO("rule " << rule_id);
    const auto a = assess(with(everyday_ache(), answers));
    CHECK(urgency(a) == "urgent");
    CHECK(contains(fired(a), rule_id));
    CHECK(contains(causes(a), cause_id));
    CHECK(exercises(a).empty());
    // Overuse causes are set aside, not given as likely causes.
    CHECK_FALSE(contains(causes(a), "quad-weakness"));
    CHECK(contains(withheld(a), "quad-weakness"));
  }
}

TEST_CASE("NHS: a cold, pale or blue leg is an emergency; numbness alone is not",
          "[rules][knee][nhs]") {
  const auto cold = assess(with(everyday_ache(), {{"circulation", "yes"}}));
  CHECK(urgency(cold) == "emergency");
  CHECK(fired(cold).front() == "nhs-circulation");
  CHECK(contains(causes(cold), "circulation-problem"));
  const auto numb = assess(with(everyday_ache(), {{"numbness", "yes"}}));
  CHECK(urgency(numb) == "urgent");
  CHECK_FALSE(contains(fired(assess(everyday_ache())), "nhs-circulation"));
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
