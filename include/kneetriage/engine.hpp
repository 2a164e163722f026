// The engine: a pure function from (rules, answers) to an Assessment. No I/O, no state;
// the same input gives the same output, byte for byte once serialised.
#pragma once

#include <vector>

#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

// Answers to questions that do not apply are dropped first (see effective_answers).
//   Assessment a = assess(rules, answers);
[[nodiscard]] Assessment assess(const RuleSet& rules, const Answers& answers);

// The assessment made of exactly the rules `fires` marks (indexed like rules.rules), for callers
// that decide another way which rules fire: evaluation.hpp gives one from the rules that fire
// in every completion of an incomplete answer set.
[[nodiscard]] Assessment assess_firing(const RuleSet& rules, const Answers& answers,
                                       const std::vector<bool>& fires);

}  // namespace kneetriage
