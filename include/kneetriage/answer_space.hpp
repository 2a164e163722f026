// The answer space: every answer set the questionnaire allows from a starting point, skipping
// what ask_if skips. One walk, shared by everything that reasons over all answers (the early end
// of the questionnaire, the safety test, the rule-author tools); each is a small visitor.
#pragma once

#include <cstddef>
#include <functional>

#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

// How many answer sets a walk may visit before it gives up (and says so).
inline constexpr std::size_t k_answer_space_bound = 2'000'000;

enum class WalkEnd {
  finished,  // every answer set was visited
  stopped,   // the visitor returned false
  too_large  // the bound was reached, or a question's values cannot be listed (a decimal)
};

// Told how many answer sets an analysis over the whole space (analyse_rules, diff_rules) has
// visited so far, every k_walk_progress_step of them: a large rules file can take minutes, and a
// rule author at a terminal should see that it is working (check and diff draw a status line).
using WalkProgress = std::function<void(std::size_t visited)>;
inline constexpr std::size_t k_walk_progress_step = std::size_t{1} << 14U;

// Tells `progress` (if any) when `visited` is a multiple of k_walk_progress_step: the one place
// the analyses decide when to report.
inline void report_walk_progress(const WalkProgress& progress, std::size_t visited) {
  if (progress && visited % k_walk_progress_step == 0) progress(visited);
}

// The values an unanswered question takes in a walk, in walk order: yes before no, choices in
// order, each subset of a multi question's choices, each whole number from min to max. nullopt
// when they cannot be listed: a decimal number, more than 12 choices of a multi question, or
// more whole numbers than `bound`.
[[nodiscard]] std::optional<std::vector<Value>> values_of(const Question& question,
                                                          std::size_t bound);

// Called with each answer set on the way; `complete` is true when no question that applies is
// left unanswered. Return false to stop the walk.
using AnswerVisitor = std::function<bool(const Answers& answers, bool complete)>;

// Visits every extension of `start` (its effective answers): each question that applies and has
// no answer takes each of its values in turn, in questionnaire order. Complete answer sets are
// always visited; with `prefixes` the partial sets along the way are too (what a runner has
// answered when pressing q at some question), `start` included. Choice and boolean questions
// take their values in order; a whole-number question each number from min to max; a multi
// question each subset of its choices.
//   walk_answer_space(rules, Answers(rules), [&](const Answers& a, bool) { ...; return true; });
WalkEnd walk_answer_space(const RuleSet& rules, const Answers& start, const AnswerVisitor& visit,
                          bool prefixes = false, std::size_t bound = k_answer_space_bound);

// True when every complete extension of `answers` shows the same result (same_shown_result) as
// `answers` themselves: the questions still missing cannot change what to do, and the result of
// the answers given is that result. One query on the rules' symbolic model (built on first use
// and kept for the next answers to the same rules): no walk, no bound.
[[nodiscard]] bool result_is_decided(const RuleSet& rules, const Answers& answers);

// The same found by walking every extension: the oracle the tests compare result_is_decided
// with. False when the walk reaches `bound` before it could tell.
[[nodiscard]] bool result_is_decided_by_walk(const RuleSet& rules, const Answers& answers,
                                             std::size_t bound = k_answer_space_bound);

// Fills assessment.unanswered (the result is partial) or assessment.not_needed (the missing
// questions could not change it) from the questions `answers` leaves missing.
void mark_missing(const RuleSet& rules, const Answers& answers, Assessment& assessment);

}  // namespace kneetriage
