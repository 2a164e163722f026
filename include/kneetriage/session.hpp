// A questionnaire in progress, for any front end: the answers so far in the order given, the next
// question, going back, the warning signs as they are answered, whether the questions left could
// still change the result, and the result. It does no input or output: a front end shows the
// question `next()` names, reads an answer its own way and gives it to `answer()`.
//   Session session(rules);
//   while (const auto question = session.next()) {
//     if (const auto warning = session.answer(*question, read_answer(*question))) show(*warning);
//   }
//   const Assessment result = session.finish();
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

// What an answer that is a warning sign (raises_red_flag) means for the answers so far.
struct RedFlagWarning {
  Index question = 0;  // the question whose answer is the warning sign
  // The assessment of the answers so far, when it reaches a red-flag level higher than any
  // warned of before: its urgency's action is what to do now. Unset when the level is not a red
  // flag, or one as high was already shown (what to do stays as it was).
  std::optional<Assessment> level;
  bool warned_before = false;   // an earlier answer already showed a red-flag level
  bool questions_left = false;  // more questions will be asked (the result is not decided yet)
};

// Where a session stopped early stands: the result covers the answers so far.
struct EarlyStop {
  Assessment assessment;      // of the answers so far; `unanswered` lists the rest
  Indices unasked_red_flags;  // questions left that could raise a warning sign, in order
};

class Session {
 public:
  explicit Session(const RuleSet& rules);

  // The question to ask next: the first that applies and has no answer. nullopt when every
  // question that applies is answered, or when the answers given decide the result (decided()).
  [[nodiscard]] std::optional<Index> next() const;

  // Records the answer to `question` (the one next() named), drops answers that no longer apply,
  // and says what it means when it is a warning sign.
  std::optional<RedFlagWarning> answer(Index question, Value value);

  // Takes back the last answer, which is remembered (remembered()) so that a front end can offer
  // to keep it. False when nothing has been answered.
  bool back();

  // The answer given to `question` before going back over it, if any.
  [[nodiscard]] const std::optional<Value>& remembered(Index question) const;

  [[nodiscard]] const Answers& answers() const { return answers_; }
  // The questions answered, in the order asked.
  [[nodiscard]] const Indices& history() const { return history_; }
  // How many questions a runner answering now would see in all, about (estimated_question_count).
  [[nodiscard]] std::size_t estimated_total() const;
  // True when no answer to the questions left could change what is shown (result_is_decided).
  [[nodiscard]] bool decided() const { return decided_; }
  // True when an answer given so far is a warning sign.
  [[nodiscard]] bool red_flag_raised() const;

  // The result once next() is nullopt: the assessment, with the questions that were not needed
  // (decided) in not_needed.
  [[nodiscard]] Assessment finish() const;
  // Stopping before the end: the result of the answers so far when one of them is a warning
  // sign (a runner must not leave without it), nullopt otherwise.
  [[nodiscard]] std::optional<EarlyStop> stop_early() const;

 private:
  const RuleSet* rules_;
  Answers answers_;
  Answers remembered_;
  Indices history_;
  // Per answer in history_: the most urgent red-flag level a warning had shown by then (a lower
  // index is more urgent).
  std::vector<std::optional<Index>> warned_;
  bool decided_ = false;
};

}  // namespace kneetriage
