// The follow-up verdict of the built-in rules (the pain diary's `progress`), and the loader's
// handling of a follow-up section.
#include <algorithm>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "kneetriage/follow_up.hpp"
#include "kneetriage/rule_analysis.hpp"
#include "kneetriage/rules.hpp"
#include "kneetriage/scenarios.hpp"
#include "rules/rules_image.hpp"

using namespace kneetriage;

namespace {

const RuleSet& knee() {
  static const RuleSet rules = builtin_rules();
  return rules;
}

// A runner on self-care, off running, a few days in, pain easing.
FollowUpFacts resting() {
  FollowUpFacts facts;
  facts.days_since_assessment = 4;
  facts.days_on_plan = 4;
  facts.pain_trend = "better";
  facts.pain_change = -2;
  facts.pain_free_days = 0;
  facts.adherence_7d = 4;
  facts.last_urgency = "self-care";
  facts.has_run = false;
  return facts;
}

bool shows(const FollowUpVerdict& verdict, const std::string& advice) {
  const auto ids = verdict.advice_ids();
  const bool listed = std::find(ids.begin(), ids.end(), advice) != ids.end();
  const bool leads = verdict.action && verdict.rules->advice[*verdict.action].id == advice;
  return listed || leads;
}

std::string leading(const FollowUpVerdict& verdict) {
  return verdict.action ? verdict.rules->advice[*verdict.action].id : std::string("(level)");
}

}  // namespace

TEST_CASE("the built-in rules carry a follow-up section over the diary's facts") {
  REQUIRE(knee().follow_up);
  const RuleSet& follow_up = *knee().follow_up;
  CHECK(follow_up.urgencies == knee().urgencies);
  CHECK(follow_up.advice == knee().advice);
  CHECK(follow_up.citations == knee().citations);
  for (const Question& fact : follow_up.questions) {
    const auto& known = follow_up_fact_ids();
    CHECK(std::find(known.begin(), known.end(), fact.id) != known.end());
  }
}

TEST_CASE("easing pain in the first days: keep resting and do the exercises daily, at self-care") {
  const FollowUpVerdict verdict = assess_follow_up(knee(), resting());
  CHECK(verdict.urgency_id() == "self-care");
  CHECK(leading(verdict) == "keep-resting");
  CHECK(shows(verdict, "exercises-daily"));
  // "Nothing in your diary says the plan needs changing" would contradict the line above it.
  CHECK_FALSE(shows(verdict, "carry-on"));
  FollowUpFacts every_day = resting();
  every_day.adherence_7d = 7;
  CHECK(shows(assess_follow_up(knee(), every_day), "carry-on"));
  CHECK_FALSE(verdict.safety_net().empty());
  CHECK_FALSE(verdict.reasons().empty());
  CHECK_FALSE(verdict.sources().empty());
}

TEST_CASE("no better after two weeks: a GP or physiotherapist from day 14, not day 13") {
  FollowUpFacts facts = resting();
  facts.pain_trend = "same";
  facts.pain_change = 0;
  facts.days_on_plan = 13;
  facts.days_since_assessment = 13;
  const FollowUpVerdict day13 = assess_follow_up(knee(), facts);
  CHECK(day13.urgency_id() == "self-care");
  facts.days_since_assessment = 14;
  const FollowUpVerdict day14 = assess_follow_up(knee(), facts);
  CHECK(day14.urgency_id() == "see-doctor");
  CHECK(leading(day14) == "not-improved-see-gp");
  CHECK_FALSE(shows(day14, "carry-on"));  // the level withholds it
  CHECK_FALSE(day14.safety_net().empty());
  const auto sources = day14.sources();
  const auto cites = [&](const std::string& id) {
    return std::any_of(sources.begin(), sources.end(),
                       [&](Index c) { return knee().citations[c].id == id; });
  };
  CHECK(cites("NHS-see-gp"));
  CHECK(cites("NHS-not-improved"));
}

TEST_CASE("easing but still painful: self-care at day 14, a GP or physiotherapist at day 21") {
  FollowUpFacts facts = resting();
  facts.days_on_plan = 14;
  facts.days_since_assessment = 14;
  CHECK(assess_follow_up(knee(), facts).urgency_id() == "self-care");
  facts.days_since_assessment = 21;
  const FollowUpVerdict day21 = assess_follow_up(knee(), facts);
  CHECK(day21.urgency_id() == "see-doctor");
  CHECK(leading(day21) == "still-painful-see-gp");
  facts.days_since_assessment = 60;  // past the section's cap: counts as 21 or more
  CHECK(assess_follow_up(knee(), facts).urgency_id() == "see-doctor");
}

TEST_CASE("getting worse over a week despite the plan: see a doctor, never carry on") {
  FollowUpFacts facts = resting();
  facts.pain_trend = "worse";
  facts.pain_change = 2;
  const FollowUpVerdict verdict = assess_follow_up(knee(), facts);
  CHECK(verdict.urgency_id() == "see-doctor");
  CHECK(leading(verdict) == "worse-see-gp");
  CHECK_FALSE(shows(verdict, "carry-on"));
  CHECK_FALSE(shows(verdict, "keep-building"));
}

TEST_CASE("pain-free for a week after the week off: start Couch to 5K at week 1") {
  FollowUpFacts facts = resting();
  facts.days_on_plan = 9;
  facts.days_since_assessment = 9;
  facts.pain_free_days = 7;
  facts.pain_change = -4;
  facts.adherence_7d = 7;
  const FollowUpVerdict verdict = assess_follow_up(knee(), facts);
  CHECK(verdict.urgency_id() == "self-care");
  CHECK(leading(verdict) == "start-couch-to-5k");
  CHECK_FALSE(shows(verdict, "exercises-daily"));

  facts.pain_free_days = 6;  // not yet a week without pain
  CHECK(leading(assess_follow_up(knee(), facts)) == "keep-resting");
  facts.pain_free_days = 7;
  facts.days_on_plan = 6;  // not yet a week off
  CHECK(leading(assess_follow_up(knee(), facts)) == "keep-resting");
}

TEST_CASE("pain rising again during the return: drop back a week; above the start: a doctor") {
  FollowUpFacts facts = resting();
  facts.days_on_plan = 12;
  facts.days_since_assessment = 12;
  facts.has_run = true;
  facts.pain_trend = "worse";
  facts.pain_change = -1;
  facts.pain_free_days = 0;
  const FollowUpVerdict back = assess_follow_up(knee(), facts);
  CHECK(back.urgency_id() == "self-care");
  CHECK(leading(back) == "drop-back-a-week");
  CHECK_FALSE(shows(back, "carry-on"));

  facts.pain_change = 1;
  const FollowUpVerdict above = assess_follow_up(knee(), facts);
  CHECK(above.urgency_id() == "see-doctor");
  CHECK_FALSE(shows(above, "drop-back-a-week"));  // running advice waits at see-doctor
}

TEST_CASE("too few entries to tell a trend: log more, and the rest of the verdict stands") {
  FollowUpFacts facts = resting();
  facts.pain_trend = "unknown";
  const FollowUpVerdict verdict = assess_follow_up(knee(), facts);
  CHECK(verdict.urgency_id() == "self-care");
  CHECK(shows(verdict, "log-more"));
  CHECK_FALSE(shows(verdict, "carry-on"));
}

TEST_CASE("a follow-up never lowers the last assessment's urgency") {
  FollowUpFacts facts = resting();
  facts.pain_free_days = 7;
  facts.days_on_plan = 10;
  for (const char* level : {"emergency", "urgent", "see-doctor"}) {
    facts.last_urgency = level;
    const FollowUpVerdict verdict = assess_follow_up(knee(), facts);
    CHECK(verdict.urgency_id() == level);
    CHECK(shows(verdict, "follow-last-assessment"));
  }
  facts.last_urgency = "no-such-level";  // an id the rules do not have is unknown, not an error
  CHECK(assess_follow_up(knee(), facts).urgency_id() == "self-care");
}

TEST_CASE("rules without a follow-up section refuse a follow-up") {
  const LoadResult loaded = load_rules(fixtures::minimal_rules().dump(), "minimal.json");
  REQUIRE(loaded.rules);
  CHECK_FALSE(loaded.rules->follow_up);
  CHECK_THROWS_AS(assess_follow_up(*loaded.rules, FollowUpFacts{}), std::invalid_argument);
}

TEST_CASE("the follow-up invariants of the built-in rules hold over every set of facts",
          "[exhaustive]") {
  const RuleAnalysis analysis = analyse_rules(*knee().follow_up);
  REQUIRE(analysis.end == WalkEnd::finished);
  REQUIRE(analysis.invariants.size() == knee().follow_up->invariants.size());
  for (std::size_t i = 0; i < analysis.invariants.size(); ++i) {
    INFO(knee().follow_up->invariants[i].id << ": " << analysis.invariants[i].what);
    CHECK(analysis.invariants[i].violations == 0);
  }
  for (std::size_t r = 0; r < analysis.rule_fires.size(); ++r) {
    const Rule& rule = knee().follow_up->rules[r];
    INFO(rule.id);
    CHECK(analysis.rule_fires[r] > 0);
    for (const Index a : rule.then.advice) CHECK(analysis.shown.advice[a] > 0);
    if (rule.then.action) CHECK(analysis.shown.advice[*rule.then.action] > 0);
  }
  // Every fact changes the verdict for some values of the others.
  for (std::size_t q = 0; q < analysis.changes_result.size(); ++q) {
    INFO(knee().follow_up->questions[q].id);
    CHECK(analysis.changes_result[q]);
  }
}

namespace {

nlohmann::json with_follow_up(const nlohmann::json& follow_up) {
  nlohmann::json rules = fixtures::minimal_rules();
  rules["follow_up"] = follow_up;
  return rules;
}

std::vector<std::string> pointers_of(const LoadResult& loaded) {
  std::vector<std::string> out;
  for (const Diagnostic& d : loaded.diagnostics) out.push_back(d.pointer + ": " + d.what);
  return out;
}

}  // namespace

TEST_CASE("a follow-up section's problems are located under /follow_up") {
  const auto follow_up = nlohmann::json::parse(R"({
    "facts": [
      {"id": "days_on_plan", "text": "days", "type": "number", "min": 0, "max": 7},
      {"id": "pain_trend", "text": "trend", "type": "choice",
       "choices": [{"value": "better", "label": "b"}, {"value": "wrose", "label": "w"}]},
      {"id": "moods", "text": "?", "type": "number", "min": 0, "max": 1},
      {"id": "has_run", "text": "ran", "type": "number", "min": 0, "max": 1}
    ],
    "rules": [
      {"id": "r", "when": {"fact": "days_on_plna", "operator": "equal", "value": 1},
       "then": {"urgency": "see-doctr"}, "source": ["A1"]},
      {"id": "s", "when": {"fact": "days_on_plan", "operator": "equal", "value": 9},
       "then": {"advice": ["nope"]}, "source": ["A1"]}
    ],
    "invariants": [{"id": "i", "why": "w", "then": {"urgency_at_least": "nope"}}]
  })");
  const LoadResult loaded = load_rules(with_follow_up(follow_up).dump(2), "f.json");
  CHECK_FALSE(loaded.rules);
  const auto found = pointers_of(loaded);
  INFO(Catch::Detail::stringify(found));
  const auto has = [&](const std::string& prefix) {
    return std::any_of(found.begin(), found.end(),
                       [&](const std::string& f) { return f.rfind(prefix, 0) == 0; });
  };
  CHECK(has("/follow_up/facts/1/choices/1/value: the diary never gives 'wrose' as pain_trend"));
  CHECK(has("/follow_up/facts/2/id: unknown diary fact 'moods'"));
  CHECK(has("/follow_up/facts/3/type: the diary gives 'has_run' as boolean"));
  CHECK(has("/follow_up/rules/0/when/fact: unknown fact 'days_on_plna'"));
  CHECK(has("/follow_up/rules/0/then/urgency: unknown urgency 'see-doctr'"));
  CHECK(has("/follow_up/rules/1/when/value: fact 'days_on_plan' can never be"));
  CHECK(has("/follow_up/rules/1/then/advice/0: unknown advice 'nope'"));
  CHECK(has("/follow_up/invariants/0/then/urgency_at_least: unknown urgency 'nope'"));
  for (const Diagnostic& d : loaded.diagnostics) CHECK(d.line > 0);
}

TEST_CASE("a valid follow-up section shares the file's catalogues and reads back from an image") {
  const auto follow_up = nlohmann::json::parse(R"({
    "facts": [{"id": "pain_free_days", "text": "pain-free days", "type": "number", "min": 0, "max": 7}],
    "rules": [{"id": "week", "when": {"fact": "pain_free_days", "operator": "equal", "value": 7},
               "then": {"urgency": "self-care"}, "source": ["A1"]}]
  })");
  const LoadResult loaded = load_rules(with_follow_up(follow_up).dump(), "f.json");
  INFO(Catch::Detail::stringify(pointers_of(loaded)));
  REQUIRE(loaded.rules);
  REQUIRE(loaded.rules->follow_up);
  CHECK(loaded.rules->follow_up->urgencies == loaded.rules->urgencies);
  CHECK(loaded.rules->follow_up->questions.size() == 1);
  const auto image = detail::decode_rules(detail::encode_rules(*loaded.rules));
  REQUIRE(image);
  CHECK(*image == *loaded.rules);
  REQUIRE(image->follow_up);
  CHECK(image->follow_up->rules == loaded.rules->follow_up->rules);
  FollowUpFacts facts;
  facts.pain_free_days = 12;  // counts as 7, the section's max
  const FollowUpVerdict verdict = assess_follow_up(*loaded.rules, facts);
  REQUIRE(verdict.fired.size() == 1);
  CHECK(verdict.rules->rules[verdict.fired[0].rule].id == "week");
}

TEST_CASE("a test case with facts is assessed by the follow-up section") {
  const auto read = read_scenarios(R"({
    "defaults": {"facts": {"last_urgency": "self-care", "pain_trend": "same", "pain_change": 0,
                           "pain_free_days": 0, "adherence_7d": 7}},
    "cases": [
      {"name": "day 14", "facts": {"days_since_assessment": 14},
       "expect": {"urgency": "see-doctor", "fired": ["not-improved-two-weeks"]}},
      {"name": "typo", "facts": {"days_since_asessment": 14}, "expect": {"urgency": "self-care"}}
    ]})",
                                   "t.json");
  REQUIRE(read.scenarios);
  const auto& cases = read.scenarios->cases;
  CHECK(cases[0].follow_up);
  CHECK(run_scenario(knee(), cases[0], {}).empty());
  const auto typo = run_scenario(knee(), cases[1], {});
  REQUIRE(typo.size() == 1);
  CHECK(typo[0] ==
        "facts /days_since_asessment: no diary fact 'days_since_asessment' (did you mean "
        "'days_since_assessment'?)");
}

TEST_CASE("a test case gives answers or facts, not both") {
  const auto read = read_scenarios(
      R"({"cases": [{"name": "both", "answers": {}, "facts": {}, "expect": {"urgency": "x"}}]})",
      "t.json");
  CHECK_FALSE(read.scenarios);
  REQUIRE(read.diagnostics.size() == 1);
  CHECK(read.diagnostics[0].pointer == "/cases/0/answers");
}
