// Which questions change what is shown (RuleAnalysis::changes_result), checked against the
// definition itself: two complete answer sets that differ only in the question and the questions
// it gates, compared pair by pair with same_shown_result and the answers the text names back.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <utility>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/rule_analysis.hpp"

using kneetriage::Answers;
using kneetriage::Assessment;
using kneetriage::Index;
using kneetriage::RuleSet;

namespace {

RuleSet idle_questions() {
  std::ifstream file(KNEETRIAGE_SOURCE_DIR "/tests/rules/idle-questions.json");
  std::stringstream text;
  text << file.rdbuf();
  auto loaded = kneetriage::load_rules(text.str(), "idle-questions.json");
  for (const auto& d : loaded.diagnostics) UNSCOPED_INFO(kneetriage::to_string(d));
  REQUIRE(loaded.rules.has_value());
  return std::move(*loaded.rules);
}

// Per question of `rules`: true for the ids named.
std::vector<bool> only(const RuleSet& rules, const std::set<std::string>& ids) {
  std::vector<bool> out;
  for (const auto& question : rules.questions) out.push_back(ids.count(question.id) > 0);
  return out;
}

// The answers the text result names back: those behind a red flag ("because you answered") and
// behind each cause it shows ("you said: ..."), as (question, answer) pairs.
std::set<std::pair<Index, std::string>> answers_named(const RuleSet& rules, const Assessment& a) {
  std::set<std::pair<Index, std::string>> named;
  for (const auto& fired : a.fired) {
    const auto& then = rules.rules[fired.rule].then;
    const bool sets_urgency = a.is_red_flag() && then.urgency && *then.urgency == a.urgency;
    bool names_cause = false;
    for (const Index cause : then.causes)
      names_cause = names_cause || std::count(a.causes.begin(), a.causes.end(), cause) > 0;
    if (!sets_urgency && !names_cause) continue;
    for (const auto& match : fired.matched)
      if (match.answer && !match.negated)
        named.emplace(match.fact, nlohmann::json(kneetriage::answers_to_json(rules, a.answers))
                                      .value(rules.questions[match.fact].id, nlohmann::json())
                                      .dump());
  }
  return named;
}

// The definition, pair by pair: q changes the result when two complete answer sets that agree
// on every question outside `gated[q]` (q and the questions whose asking depends on it) show
// different results. `gated` is written out by hand for each fixture.
std::vector<bool> changes_by_definition(const RuleSet& rules,
                                        const std::vector<std::set<Index>>& gated) {
  std::vector<Answers> sets;
  std::vector<Assessment> results;
  REQUIRE(kneetriage::walk_answer_space(rules, Answers(rules), [&](const Answers& a, bool) {
            sets.push_back(a);
            results.push_back(kneetriage::assess(rules, a));
            return true;
          }) == kneetriage::WalkEnd::finished);
  std::vector<bool> changes(rules.questions.size(), false);
  for (std::size_t i = 0; i < sets.size(); ++i) {
    for (std::size_t j = i + 1; j < sets.size(); ++j) {
      const bool same = kneetriage::same_shown_result(results[i], results[j]) &&
                        answers_named(rules, results[i]) == answers_named(rules, results[j]);
      // Equal results hash equal: the analysis compares hashes.
      if (same)
        CHECK(kneetriage::shown_result_hash(results[i]) ==
              kneetriage::shown_result_hash(results[j]));
      if (same) continue;
      for (Index q = 0; q < rules.questions.size(); ++q) {
        bool agree = true;
        for (Index r = 0; r < rules.questions.size() && agree; ++r) {
          if (gated[q].count(r) > 0) continue;
          const auto& a = sets[i].values[r];
          const auto& b = sets[j].values[r];
          agree = a.has_value() == b.has_value() && (!a || *a == *b);
        }
        if (agree) changes[q] = true;
      }
    }
  }
  return changes;
}

}  // namespace

TEST_CASE(
    "a question no rule reads, or whose every answer fires the same rules, never changes "
    "the result; one that gates a question that does, does",
    "[analysis]") {
  const RuleSet rules = idle_questions();
  const auto analysis = kneetriage::analyse_rules(rules);
  REQUIRE(analysis.end == kneetriage::WalkEnd::finished);
  CHECK(analysis.changes_result == only(rules, {"pain", "trails", "surface"}));
  // pain, side, mood, trails, surface: trails gates surface.
  CHECK(analysis.changes_result == changes_by_definition(rules, {{0}, {1}, {2}, {3, 4}, {4}}));
}

TEST_CASE("the analysis of which questions change the result agrees with the definition",
          "[analysis]") {
  // knees gates side, hot gates fever; no rule reads side, pain or places.
  const RuleSet& rules = fixtures::minimal();
  const auto analysis = kneetriage::analyse_rules(rules);
  REQUIRE(analysis.end == kneetriage::WalkEnd::finished);
  CHECK(analysis.changes_result == only(rules, {"knees", "hot", "fever"}));
  CHECK(analysis.changes_result ==
        changes_by_definition(rules, {{0, 1}, {1}, {2, 3}, {3}, {4}, {5}}));
}

TEST_CASE("a walk that does not finish says nothing about the questions", "[analysis]") {
  const auto analysis = kneetriage::analyse_rules_by_walk(fixtures::minimal(), /*bound=*/10);
  CHECK(analysis.end == kneetriage::WalkEnd::too_large);
  CHECK(analysis.changes_result.empty());
}
