// Fuzz target: arbitrary bytes as the seed and shape of a small random rules file
// (tests/support/random_rules.hpp), analysed both ways: the symbolic model (check, the early end,
// diff against an edit of the file) must agree exactly with the walk over every answer set.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "../support/random_rules.hpp"
#include "fuzz_support.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/rule_analysis.hpp"
#include "kneetriage/rules.hpp"
#include "kneetriage/rules_diff.hpp"

using fuzz_support::check;

namespace {

// The file with the edits the input's last byte picks: a rule's urgency, a follow-up asked always,
// a choice added (its question then tells answers apart differently), a question dropped.
nlohmann::json edited(nlohmann::json document, std::uint8_t edits) {
  if ((edits & 1U) != 0) document["rules"][0]["then"]["urgency"] = "u0";
  if ((edits & 2U) != 0) document["questions"].back().erase("ask_if");
  if ((edits & 4U) != 0)
    for (auto& q : document["questions"])
      if (q.contains("choices")) {
        q["choices"].push_back({{"value", "extra"}, {"label", "Extra"}});
        break;
      }
  if ((edits & 8U) != 0 && document["questions"].size() > 1) {
    // The last question, unless a rule or a follow-up reads it (the file would not load).
    const std::string last = document["questions"].back()["id"];
    if (document.dump().find('"' + last + '"') == document.dump().rfind('"' + last + '"'))
      document["questions"].erase(document["questions"].size() - 1);
  }
  return document;
}

void same_examples(const std::vector<kneetriage::DiffExample>& a,
                   const std::vector<kneetriage::DiffExample>& b) {
  check(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    check(a[i].old_answers.values == b[i].old_answers.values);
    check(a[i].new_answers.values == b[i].new_answers.values);
  }
}

void same_diff(const kneetriage::RuleSet& rules, const nlohmann::json& edit) {
  const auto loaded = kneetriage::load_rules(edit.dump(), "edited.json");
  if (!loaded.rules) return;  // an edit that does not load is no diff
  const kneetriage::RulesDiff walked = kneetriage::diff_rules_by_walk(rules, *loaded.rules);
  if (walked.end != kneetriage::WalkEnd::finished) return;
  const kneetriage::RulesDiff proved = kneetriage::diff_rules(rules, *loaded.rules);
  check(proved.answer_sets == walked.answer_sets);
  check(proved.changed_urgency == walked.changed_urgency);
  check(proved.changed_result == walked.changed_result);
  check(proved.urgency_changes.size() == walked.urgency_changes.size());
  for (std::size_t i = 0; i < walked.urgency_changes.size(); ++i) {
    check(proved.urgency_changes[i].answer_sets == walked.urgency_changes[i].answer_sets);
    same_examples(proved.urgency_changes[i].examples, walked.urgency_changes[i].examples);
  }
  check(proved.changes.size() == walked.changes.size());
  for (std::size_t i = 0; i < walked.changes.size(); ++i) {
    const auto& p = proved.changes[i];
    const auto& w = walked.changes[i];
    check(p.id == w.id && p.started == w.started && p.stopped == w.stopped);
    check(p.old_count == w.old_count && p.new_count == w.new_count);
    same_examples(p.started_examples, w.started_examples);
    same_examples(p.stopped_examples, w.stopped_examples);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kneetriage;
  std::uint64_t seed = 1469598103934665603ULL;  // FNV-1a of the input
  for (std::size_t i = 0; i < size; ++i) seed = (seed ^ data[i]) * 1099511628211ULL;
  random_rules::Shape shape;
  shape.decimals = false;
  shape.max_questions = size > 0 && (data[0] & 1U) != 0 ? 5 : 4;
  const nlohmann::json document = random_rules::generate(seed, shape);
  const auto loaded = load_rules(document.dump(), "fuzz.json");
  check(loaded.rules.has_value());
  const RuleSet& rules = *loaded.rules;
  const RuleAnalysis walked = analyse_rules_by_walk(rules);
  if (walked.end != WalkEnd::finished) return 0;
  same_diff(rules, edited(document, size > 0 ? data[size - 1] : 0));
  const RuleAnalysis proved = analyse_rules(rules);
  check(proved.answer_sets == walked.answer_sets && proved.partial_sets == walked.partial_sets);
  check(proved.per_urgency == walked.per_urgency && proved.rule_fires == walked.rule_fires);
  check(proved.shown.causes == walked.shown.causes && proved.shown.advice == walked.shown.advice);
  check(proved.shown.exercises == walked.shown.exercises && proved.shown.plan == walked.shown.plan);
  check(proved.changes_result == walked.changes_result);
  for (std::size_t i = 0; i < rules.invariants.size(); ++i) {
    const InvariantResult& p = proved.invariants[i];
    const InvariantResult& w = walked.invariants[i];
    check(p.violations == w.violations && p.example.has_value() == w.example.has_value());
    if (p.example) {
      check(p.example->values == w.example->values);
      check(!invariant_violation(rules, rules.invariants[i], assess(rules, *p.example)).empty());
    }
  }
  // Every partial set the walk stops at, decided the same way (a few of them: each is a walk).
  std::size_t asked = 0;
  (void)walk_answer_space(
      rules, Answers(rules),
      [&](const Answers& answers, bool complete) {
        if (complete || (asked++ % 7) != 0) return true;
        check(result_is_decided(rules, answers) == result_is_decided_by_walk(rules, answers));
        return asked < 200;
      },
      /*prefixes=*/true);
  return 0;
}
