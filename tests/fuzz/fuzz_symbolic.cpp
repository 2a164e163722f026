// Fuzz target: arbitrary bytes as the seed and shape of a small random rules file
// (tests/support/random_rules.hpp), analysed both ways: the symbolic model (check, the early end)
// must agree exactly with the walk over every answer set.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "../support/random_rules.hpp"
#include "fuzz_support.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/rule_analysis.hpp"
#include "kneetriage/rules.hpp"

using fuzz_support::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kneetriage;
  std::uint64_t seed = 1469598103934665603ULL;  // FNV-1a of the input
  for (std::size_t i = 0; i < size; ++i) seed = (seed ^ data[i]) * 1099511628211ULL;
  random_rules::Shape shape;
  shape.decimals = false;
  shape.max_questions = size > 0 && (data[0] & 1U) != 0 ? 5 : 4;
  const auto loaded = load_rules(random_rules::generate(seed, shape).dump(), "fuzz.json");
  check(loaded.rules.has_value());
  const RuleSet& rules = *loaded.rules;
  const RuleAnalysis walked = analyse_rules_by_walk(rules);
  if (walked.end != WalkEnd::finished) return 0;
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
