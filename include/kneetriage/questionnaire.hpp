// The questionnaire logic every front end shares: which questions apply to the answers so far,
// which comes next, and what is still missing. Pure functions of (rules, answers).
#pragma once

#include <optional>
#include <vector>

#include "kneetriage/answers.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

// applies[i] is true when question i's ask_if holds on the answers to the questions that apply
// before it (answers to questions that do not apply are ignored).
[[nodiscard]] std::vector<bool> applicable(const RuleSet& rules, const Answers& answers);

// The answers with those to questions that do not apply removed.
[[nodiscard]] Answers effective_answers(const RuleSet& rules, const Answers& answers);

// The first question that applies and has no answer yet; nullopt when complete.
[[nodiscard]] std::optional<Index> next_question(const RuleSet& rules, const Answers& answers);

// Every question that applies and has no answer, in order.
[[nodiscard]] Indices missing(const RuleSet& rules, const Answers& answers);

[[nodiscard]] bool is_complete(const RuleSet& rules, const Answers& answers);

// True when every question that applies has an answer and every answer is to a question that
// applies: the answer set needs no further thought (one pass; batch's fast path).
[[nodiscard]] bool is_exactly_answered(const RuleSet& rules, const Answers& answers);

// Answered questions that do not apply (so their answers will be ignored), in order.
[[nodiscard]] Indices ignored(const RuleSet& rules, const Answers& answers);

// How many questions the person will probably be asked in all, for "Question 3 of about 9".
[[nodiscard]] std::size_t estimated_question_count(const RuleSet& rules, const Answers& answers);

// The question's wording for these answers: the first text_if whose condition holds on them,
// else its text ("Is either knee swollen?" once both knees hurt).
[[nodiscard]] const std::string& question_text(const RuleSet& rules, const Answers& answers,
                                               Index index);

// True when question `index`'s red_flag holds on these answers (for an immediate warning).
[[nodiscard]] bool raises_red_flag(const RuleSet& rules, const Answers& answers, Index index);

}  // namespace kneetriage
