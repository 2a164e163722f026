// What an answer set adds up to when some questions may be unanswered: which rules fire in every
// way of completing it, and the one result every front end gives for it (or what is missing).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "kneetriage/answer_space.hpp"
#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

// Whether a condition holds in every completion of an answer set, in none, or in some.
enum class Certainty : unsigned char { never, maybe, always };

// Per rule (indexed like rules.rules): whether its `when` holds in every complete answer set the
// questionnaire could reach from `answers` (ask_if obeyed, json-rules-engine's meaning of an
// unasked question kept). Sound, not complete: `always` and `never` are proved; `maybe` can be
// said of a rule that in fact always fires, because leaves on the same question are judged apart.
// Linear in the size of the conditions: no walk.
[[nodiscard]] std::vector<Certainty> rule_certainty(const RuleSet& rules, const Answers& answers);

// The assessment made of the rules that fire in every completion of `answers`, at the highest
// urgency they conclude: the urgency every completion reaches at least, and only what every
// completion shows by way of causes, advice and exercises (a higher level can set more aside).
[[nodiscard]] Assessment assess_certain(const RuleSet& rules, const Answers& answers);

struct Evaluation {
  enum class Status {
    complete,   // every question that applies is answered
    decided,    // some are not, but no answer to them could change what is shown: not_needed
    partial,    // they could, but every completion reaches a level with partial_result: this
                // result is given at once, marked partial (unanswered lists them)
    incomplete  // there is no result to give yet: `missing` lists what to ask
  };
  Status status = Status::incomplete;
  std::optional<Assessment> assessment;  // set unless incomplete
  Indices missing;                       // the questions that apply and have no answer
};

// The one result for an answer set, for every front end (one-shot, answers files, batch, the
// questionnaire's early end). Answers to questions that do not apply are dropped first; front
// ends that must not lose them check ignored() before (questionnaire.hpp).
//   Evaluation e = evaluate(rules, answers);
//   if (e.assessment) print(*e.assessment); else ask_for(e.missing);
[[nodiscard]] Evaluation evaluate(const RuleSet& rules, const Answers& answers);

// One answer that would make question `question`'s ask_if hold, given the other answers: the
// question it answers and the value. Used to tell someone who answered a question that does not
// apply what to change if it does.
struct AnswerChange {
  Index question = 0;
  Value value;
};

// The single-answer changes (to questions ask_if reads) that would make `question` apply, in
// question order, then value order. Empty when no single change does.
[[nodiscard]] std::vector<AnswerChange> changes_that_ask(const RuleSet& rules,
                                                         const Answers& answers, Index question);

// The questions question `question`'s ask_if reads, directly or through named conditions, in
// question order.
[[nodiscard]] Indices questions_read_by_ask_if(const RuleSet& rules, Index question);

}  // namespace kneetriage
