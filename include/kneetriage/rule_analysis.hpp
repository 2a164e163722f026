// What a rule set does over its whole answer space, found in one walk (answer_space.hpp): whether
// its invariants hold, how many answer sets fire each rule and show each catalogue item, and so
// which rules can never fire, which items can never be shown and which questions never change
// the result. `kneetriage check` reports it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "kneetriage/answer_space.hpp"
#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/invariants.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

// Why `assessment` breaks `invariant` ("the urgency is see-doctor, not at least urgent"); empty
// when it holds, or when it does not apply to these answers and this urgency.
[[nodiscard]] std::string invariant_violation(const RuleSet& rules, const Invariant& invariant,
                                              const Assessment& assessment);

struct InvariantResult {
  std::size_t violations = 0;      // answer sets, complete or partial, that break it
  std::optional<Answers> example;  // a complete one when there is one, else the first partial one
  bool example_complete = false;
  std::string what;  // why the example breaks it
};

// One count per item of each catalogue, indexed like the RuleSet's.
// How many answer sets show each item, one list per catalogue.
using ItemCounts = CatalogueLists;

struct RuleAnalysis {
  WalkEnd end = WalkEnd::finished;  // too_large: the counts cover only part of the space
  std::size_t answer_sets = 0;      // complete answer sets visited
  std::size_t partial_sets = 0;     // partial ones (where a runner may stop), for the invariants
  std::vector<std::size_t> per_urgency;     // complete answer sets ending at each urgency
  std::vector<std::size_t> rule_fires;      // complete answer sets that fire each rule
  ItemCounts shown;                         // complete answer sets that show each item
  std::vector<InvariantResult> invariants;  // indexed like RuleSet::invariants
  // Per question: true when its answer changes what is shown (same_shown_result, and which
  // answers the result names back) for some answers to the other questions, those whose asking
  // it decides (through ask_if) aside. A question whose only effect is through a question it
  // gates counts as changing it. Empty when the walk did not finish: a partial walk proves no
  // question idle.
  std::vector<bool> changes_result;
};


// Proves the invariants and counts on the rules' symbolic model (answer_model.hpp in src): each
// invariant is refuted by the first answer set that breaks it in the walk's order or proved for
// all; counts are exact (a size_t's largest value when larger; a decimal question counts each
// range of numbers its conditions tell apart). No walk and no bound: `end` is always finished.
//   const RuleAnalysis analysis = analyse_rules(rules);
[[nodiscard]] RuleAnalysis analyse_rules(const RuleSet& rules);

// The same found by walking every complete answer set (counting) and every partial one (checking
// the invariants too: a runner who presses q sees a result): the oracle the tests compare
// analyse_rules with. `bound` counts both kinds, and so does `progress`.
[[nodiscard]] RuleAnalysis analyse_rules_by_walk(const RuleSet& rules,
                                                 std::size_t bound = k_answer_space_bound,
                                                 const WalkProgress& progress = {});

}  // namespace kneetriage
