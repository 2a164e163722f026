#include "kneetriage/session.hpp"

#include <algorithm>

#include "kneetriage/answer_space.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/questionnaire.hpp"

namespace kneetriage {

Session::Session(const RuleSet& rules) : rules_(&rules), answers_(rules), remembered_(rules) {}

std::optional<Index> Session::next() const {
  if (decided_) return std::nullopt;
  return next_question(*rules_, answers_);
}

std::optional<RedFlagWarning> Session::answer(Index question, Value value) {
  answers_.values[question] = std::move(value);
  remembered_.values[question].reset();
  history_.push_back(question);
  warned_.push_back(warned_.empty() ? std::nullopt : warned_.back());
  answers_ = effective_answers(*rules_, answers_);
  // The walk, not a list of question ids, says when the rest cannot change what to do.
  decided_ = next_question(*rules_, answers_) && result_is_decided(*rules_, answers_);
  if (!raises_red_flag(*rules_, answers_, question)) return std::nullopt;

  RedFlagWarning warning;
  warning.question = question;
  std::optional<Index>& shown = warned_.back();
  warning.warned_before = shown.has_value();
  Assessment so_far = assess(*rules_, answers_);
  // A level is shown once: a second warning sign repeats it only when it raises it.
  if (so_far.is_red_flag() && (!shown || so_far.urgency < *shown)) {
    shown = so_far.urgency;
    warning.level = std::move(so_far);
  }
  warning.questions_left = next().has_value();
  return warning;
}

bool Session::back() {
  if (history_.empty()) return false;
  const Index previous = history_.back();
  history_.pop_back();
  warned_.pop_back();
  decided_ = false;
  remembered_.values[previous] = answers_.values[previous];
  answers_.values[previous].reset();
  // Answers after it that no longer apply are dropped.
  answers_ = effective_answers(*rules_, answers_);
  return true;
}

const std::optional<Value>& Session::remembered(Index question) const {
  return remembered_.values[question];
}

std::size_t Session::estimated_total() const {
  return std::max(estimated_question_count(*rules_, answers_), history_.size() + 1);
}

bool Session::red_flag_raised() const {
  return std::any_of(history_.begin(), history_.end(),
                     [&](Index i) { return raises_red_flag(*rules_, answers_, i); });
}

Assessment Session::finish() const {
  Assessment assessment = assess(*rules_, answers_);
  Indices absent = missing(*rules_, answers_);
  // decided_ is known from the last answer: no second walk to say so again.
  if (decided_) {
    assessment.not_needed = std::move(absent);
  } else {
    assessment.unanswered = std::move(absent);
  }
  return assessment;
}

std::optional<EarlyStop> Session::stop_early() const {
  if (!red_flag_raised()) return std::nullopt;
  EarlyStop stop{finish(), {}};
  for (const Index index : missing(*rules_, answers_)) {
    if (rules_->questions[index].red_flag) stop.unasked_red_flags.push_back(index);
  }
  return stop;
}

}  // namespace kneetriage
