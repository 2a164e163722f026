// What a change to the rules does: two rule sets assessed side by side over every combination of
// answers to the questions of both, counting the answer sets whose urgency, fired rules and shown
// items change. `kneetriage diff OLD NEW` reports it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "kneetriage/answer_space.hpp"
#include "kneetriage/answers.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

// One runner's answers, complete for each file: the same answers to the questions both files
// ask, each file's own questions answered too.
struct DiffExample {
  Answers old_answers;  // indexed like the old RuleSet's questions
  Answers new_answers;  // indexed like the new one's
};

// The answer sets whose urgency goes from `from` to `to` (urgency ids).
struct UrgencyChange {
  std::string from, to;
  std::size_t answer_sets = 0;
  std::vector<DiffExample> examples;  // the first few
};

// A rule that fires, or a catalogue item that is shown, for a different set of answers. Matched
// between the files by id; one only in one file fires (is shown) never in the other.
struct ItemChange {
  enum class What { rule, cause, advice, exercise, plan_step };
  What what = What::rule;
  std::string id;
  bool in_old = true, in_new = true;
  std::size_t old_count = 0, new_count = 0;  // answer sets that fire it / show it, in each file
  std::size_t started = 0, stopped = 0;      // answer sets where it now does / no longer does
  std::vector<DiffExample> started_examples, stopped_examples;  // the first of each
};

struct RulesDiff {
  WalkEnd end = WalkEnd::finished;  // too_large: the counts cover only part of the space
  std::size_t answer_sets = 0;      // complete answer sets compared
  std::size_t changed_urgency = 0;  // ... whose urgency differs
  std::size_t changed_result = 0;   // ... whose shown result differs in any way (urgency included)
  std::vector<std::string> only_old_questions, only_new_questions;  // ids
  std::vector<UrgencyChange> urgency_changes;  // most answer sets first
  std::vector<ItemChange> changes;             // only those with started or stopped > 0
};

[[nodiscard]] std::string_view item_change_label(ItemChange::What what);

// How many example answer sets a diff keeps for each kind of change.
inline constexpr std::size_t k_diff_examples = 3;

// Every complete answer set of the old rules, each paired with every complete answer set of the
// new ones that gives the same answer to each question both ask (by id) wherever the new file asks
// it: an answer the new question cannot take is not kept, and the new file's own questions take
// each of their values. Found on a symbolic model of both files side by side (no walk, no bound;
// counts as exact as analyse_rules's); the examples are the first pairs in the walk's order.
//   const RulesDiff diff = diff_rules(old_rules, new_rules);
[[nodiscard]] RulesDiff diff_rules(const RuleSet& old_rules, const RuleSet& new_rules,
                                   std::size_t examples = k_diff_examples);

// The same found by walking every pair: the oracle the tests compare diff_rules with. `bound`
// counts the pairs compared, and so does `progress`.
[[nodiscard]] RulesDiff diff_rules_by_walk(const RuleSet& old_rules, const RuleSet& new_rules,
                                           std::size_t bound = k_answer_space_bound,
                                           std::size_t examples = k_diff_examples,
                                           const WalkProgress& progress = {});

}  // namespace kneetriage
