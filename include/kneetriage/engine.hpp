// The engine: a pure function from (rules, answers) to an Assessment. No I/O, no state;
// the same input gives the same output, byte for byte once serialised.
#pragma once

#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

// Answers to questions that do not apply are dropped first (see effective_answers).
//   Assessment a = assess(rules, answers);
[[nodiscard]] Assessment assess(const RuleSet& rules, const Answers& answers);

}  // namespace kneetriage
