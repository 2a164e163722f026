// Invariants as data: the knee rules declare their safety floors, and the one-walk analysis
// (rule_analysis.hpp) proves them. These tests check the mechanism: each form of invariant, the
// counterexample, the image round trip, and that breaking the knee rules on purpose breaks the
// declared invariant.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/rule_analysis.hpp"
#include "kneetriage/rules.hpp"

namespace {

using kneetriage::RuleSet;
using Json = nlohmann::ordered_json;

RuleSet load(const Json& document) {
  const auto loaded = kneetriage::load_rules(document.dump(2), "edited.json");
  for (const auto& d : loaded.diagnostics) UNSCOPED_INFO(kneetriage::to_string(d));
  REQUIRE(loaded.rules.has_value());
  return *loaded.rules;
}

Json& by_id(Json& array, const std::string& id) {
  for (auto& item : array)
    if (item.value("id", "") == id) return item;
  FAIL("no " << id);
  throw;
}

std::size_t invariant_index(const RuleSet& rules, const std::string& id) {
  for (std::size_t i = 0; i < rules.invariants.size(); ++i)
    if (rules.invariants[i].id == id) return i;
  FAIL("the rules declare no invariant " << id);
  return 0;
}

}  // namespace

TEST_CASE("the knee rules keep declaring their safety floors, and check proves every one",
          "[invariants][knee]") {
  const RuleSet& rules = fixtures::knee_rules();
  for (const char* id : {"see-doctor-withholds-running",
                         "urgent-withholds-waiting",
                         "urgent-withholds-loading-and-overuse",
                         "hot-or-swollen-see-doctor",
                         "hot-and-swollen-urgent",
                         "fever-emergency",
                         "very-painful-urgent",
                         "badly-swollen-urgent",
                         "circulation-emergency",
                         "structural-urgent",
                         "numbness-urgent",
                         "typical-presentation-front-only",
                         "gym-advice-at-self-care",
                         "emergency-says-go-now",
                         "hot-without-injury-gp",
                         "injury-with-warning-sign-emergency",
                         "calf-urgent",
                         "calf-breathless-emergency",
                         "stops-running-seen",
                         "self-care-says-what-hurts",
                         "hot-or-swollen-stop-running",
                         "structural-stop-running",
                         "urgent-acts-today",
                         "stops-running-named"}) {
    INFO(id);
    (void)invariant_index(rules, id);
  }
  // The walk also reports its progress (kneetriage check draws it on a terminal).
  std::vector<std::size_t> progress;
  const auto analysis = kneetriage::analyse_rules_by_walk(
      rules, kneetriage::k_answer_space_bound,
      [&](std::size_t visited) { progress.push_back(visited); });
  REQUIRE(analysis.end == kneetriage::WalkEnd::finished);
  CHECK(analysis.answer_sets == 709632);
  CHECK(analysis.partial_sets > 0);
  const std::size_t visited = analysis.answer_sets + analysis.partial_sets;
  REQUIRE(progress.size() == visited / kneetriage::k_walk_progress_step);
  for (std::size_t i = 0; i < progress.size(); ++i) {
    CHECK(progress[i] == (i + 1) * kneetriage::k_walk_progress_step);
  }
  for (std::size_t i = 0; i < rules.invariants.size(); ++i) {
    INFO(rules.invariants[i].id << ": " << analysis.invariants[i].what);
    CHECK(analysis.invariants[i].violations == 0);
  }
  // No dead rules or items in the knee rules.
  for (std::size_t r = 0; r < rules.rules.size(); ++r) {
    INFO(rules.rules[r].id);
    CHECK(analysis.rule_fires[r] > 0);
  }
  // The follow-up section's advice is shown by its own walk (test_follow_up.cpp).
  std::vector<bool> concluded(rules.advice.size(), false);
  for (const auto& rule : rules.rules) {
    for (const auto i : rule.then.advice) concluded[i] = true;
    if (rule.then.action) concluded[*rule.then.action] = true;
  }
  for (std::size_t i = 0; i < rules.advice.size(); ++i) {
    INFO(rules.advice[i].id);
    if (concluded[i]) CHECK(analysis.shown.advice[i] > 0);
  }
}

TEST_CASE("the built-in image keeps the invariants", "[invariants]") {
  const RuleSet image = kneetriage::builtin_rules();
  const RuleSet& loaded = fixtures::knee_rules();
  REQUIRE(image.invariants.size() == loaded.invariants.size());
  for (std::size_t i = 0; i < image.invariants.size(); ++i) {
    CHECK(image.invariants[i].id == loaded.invariants[i].id);
    CHECK(image.invariants[i].why == loaded.invariants[i].why);
    CHECK(image.invariants[i].urgency_at_least == loaded.invariants[i].urgency_at_least);
    CHECK(image.invariants[i].not_shown_kinds == loaded.invariants[i].not_shown_kinds);
    CHECK(image.invariants[i].shown.advice == loaded.invariants[i].shown.advice);
    CHECK(image.invariants[i].when.has_value() == loaded.invariants[i].when.has_value());
  }
}

TEST_CASE("each form of invariant fails when the knee rules are broken on purpose",
          "[invariants][knee][exhaustive]") {
  struct Breakage {
    const char* name;
    const char* invariant;
    void (*edit)(Json&);
  };
  const Breakage breakages[] = {
      {"urgency_at_least: the swollen-and-hot rule concludes see-doctor", "hot-and-swollen-urgent",
       [](Json& d) {
         by_id(d["rules"], "hot-and-swollen-urgent")["then"]["urgency"] = "see-doctor";
       }},
      {"not_shown_kinds: see-doctor no longer withholds running", "see-doctor-withholds-running",
       [](Json& d) {
         auto& withhold = by_id(d["urgencies"], "see-doctor")["withhold"];
         withhold.erase(std::remove(withhold.begin(), withhold.end(), Json("running")),
                        withhold.end());
       }},
      {"not_shown_kinds: urgent no longer withholds overuse causes",
       "urgent-withholds-loading-and-overuse",
       [](Json& d) {
         auto& withhold = by_id(d["urgencies"], "urgent")["withhold"];
         withhold.erase(std::remove(withhold.begin(), withhold.end(), Json("overuse")),
                        withhold.end());
       }},
      {"not_shown: new-load loses its overuse kind, so only its id keeps it from urgent results",
       "urgent-withholds-loading-and-overuse",
       [](Json& d) { by_id(d["causes"], "new-load").erase("kind"); }},
      {"not_shown: the typical-presentation rule fires on any location",
       "typical-presentation-front-only",
       [](Json& d) {
         by_id(d["rules"], "typical-presentation")["when"] = Json::parse(
             R"({"fact": "location", "operator": "in",
                 "value": ["front", "outer", "inner", "back", "all-over"]})");
       }},
      {"shown, at_urgency_at_most: the gym rule is deleted", "gym-advice-at-self-care",
       [](Json& d) {
         auto& list = d["rules"];
         list.erase(std::remove_if(
                        list.begin(), list.end(),
                        [](const Json& r) { return r.value("id", "") == "gym-does-not-transfer"; }),
                    list.end());
       }},
  };
  const Json original = Json::parse(kneetriage::builtin_rules_text());
  for (const Breakage& breakage : breakages) {
    DYNAMIC_SECTION(breakage.name) {
      Json broken = original;
      breakage.edit(broken);
      const RuleSet rules = load(broken);
      const auto analysis = kneetriage::analyse_rules(rules);
      const std::size_t i = invariant_index(rules, breakage.invariant);
      const auto& result = analysis.invariants[i];
      INFO(result.what);
      CHECK(result.violations > 0);
      REQUIRE(result.example.has_value());
      CHECK(result.example_complete);
      // The counterexample, assessed again, breaks the invariant for the reason given.
      const auto again = kneetriage::assess(rules, *result.example);
      CHECK(kneetriage::invariant_violation(rules, rules.invariants[i], again) == result.what);
    }
  }
}
