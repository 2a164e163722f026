#include "kneetriage/answer_space.hpp"

#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "kneetriage/engine.hpp"
#include "kneetriage/questionnaire.hpp"

namespace kneetriage {

namespace {

// More choices than this make a multi question's 2^n subsets a walk of their own.
constexpr std::size_t k_max_multi_choices = 12;
// A question with more values than this (a wide number range) is not probed value by value.
constexpr std::size_t k_max_probe_values = 64;

}  // namespace

std::optional<std::vector<Value>> values_of(const Question& question, std::size_t bound) {
  std::vector<Value> values;
  switch (question.type) {
    case QuestionType::boolean:
      values = {Value{true}, Value{false}};
      break;
    case QuestionType::choice:
      for (const Choice& choice : question.choices) values.emplace_back(choice.value);
      break;
    case QuestionType::multi: {
      const std::size_t n = question.choices.size();
      if (n > k_max_multi_choices) return std::nullopt;
      for (std::size_t mask = 0; mask < (std::size_t{1} << n); ++mask) {
        StringList subset;
        for (std::size_t c = 0; c < n; ++c) {
          if ((mask >> c) & 1U) subset.push_back(question.choices[c].value);
        }
        values.emplace_back(std::move(subset));
      }
      break;
    }
    case QuestionType::number: {
      if (!question.integer) return std::nullopt;
      const double low = std::ceil(question.min);
      const double high = std::floor(question.max);
      if (!std::isfinite(low) || !std::isfinite(high)) return std::nullopt;
      if (high - low + 1 > static_cast<double>(bound)) return std::nullopt;
      for (double number = low; number <= high; number += 1) values.emplace_back(number);
      break;
    }
  }
  return values;
}

namespace {

class Walk {
 public:
  Walk(const RuleSet& rules, const Answers& start, const AnswerVisitor& visit, bool prefixes,
       std::size_t bound)
      : rules_(rules),
        visit_(visit),
        prefixes_(prefixes),
        bound_(bound),
        current_(effective_answers(rules, start)),
        values_(rules.questions.size()),
        listable_(rules.questions.size(), true) {
    // Only questions left unanswered ever take values: list theirs once, up front.
    for (Index i = 0; i < rules.questions.size(); ++i) {
      if (current_.values[i]) continue;
      if (auto values = values_of(rules.questions[i], bound)) {
        values_[i] = std::move(*values);
      } else {
        listable_[i] = false;
      }
    }
  }

  WalkEnd run() { return from(0); }

 private:
  // Settles questions `first`.. in order; those before `first` are settled already.
  WalkEnd from(Index first) {
    for (Index i = first; i < rules_.questions.size(); ++i) {
      const Question& question = rules_.questions[i];
      const bool applies =
          !question.ask_if || holds(*question.ask_if, rules_.conditions, current_.facts());
      if (!applies) {
        if (!current_.values[i]) continue;
        // An answer given to a question this branch does not ask is set aside, and put back
        // when the walk returns to the branch where it applies.
        std::optional<Value> kept = std::move(current_.values[i]);
        current_.values[i].reset();
        const WalkEnd end = from(i + 1);
        current_.values[i] = std::move(kept);
        return end;
      }
      if (current_.values[i]) continue;
      return branch(i);
    }
    return visit_complete();
  }

  // Question `index` applies and has no answer: the partial set so far, then each value.
  WalkEnd branch(Index index) {
    if (prefixes_) {
      if (const WalkEnd end = visit_prefix(); end != WalkEnd::finished) return end;
    }
    if (!listable_[index]) return WalkEnd::too_large;
    for (const Value& value : values_[index]) {
      current_.values[index] = value;
      const WalkEnd end = from(index + 1);
      if (end != WalkEnd::finished) {
        current_.values[index].reset();
        return end;
      }
    }
    current_.values[index].reset();
    return WalkEnd::finished;
  }

  // The partial set reached at `index`: what a runner has answered when pressing q there.
  // Answers given to later questions are included where they apply.
  WalkEnd visit_prefix() {
    if (visited_ == bound_) return WalkEnd::too_large;
    ++visited_;
    return visit_(effective_answers(rules_, current_), false) ? WalkEnd::finished
                                                              : WalkEnd::stopped;
  }

  WalkEnd visit_complete() {
    if (visited_ == bound_) return WalkEnd::too_large;
    ++visited_;
    return visit_(current_, true) ? WalkEnd::finished : WalkEnd::stopped;
  }

  const RuleSet& rules_;
  const AnswerVisitor& visit_;
  const bool prefixes_;
  const std::size_t bound_;
  std::size_t visited_ = 0;
  Answers current_;
  std::vector<std::vector<Value>> values_;  // per question left unanswered: the values it takes
  std::vector<bool> listable_;              // false: its values cannot be listed
};

}  // namespace

WalkEnd walk_answer_space(const RuleSet& rules, const Answers& start, const AnswerVisitor& visit,
                          bool prefixes, std::size_t bound) {
  return Walk(rules, start, visit, prefixes, bound).run();
}

namespace {

// The first complete extension of `start` in walk order; nullopt when there is none to list.
std::optional<Answers> first_extension(const RuleSet& rules, const Answers& start) {
  std::optional<Answers> first;
  (void)walk_answer_space(rules, start, [&](const Answers& complete, bool) {
    first = complete;
    return false;
  });
  return first;
}

// Whether `complete` is a completion of `answers`: each answer given is kept, unless the question
// is not asked there. A probe's change can set aside an answer given (the question no longer
// applies) that the rest of its extension then asks again with another value.
bool extends(const Answers& answers, const Answers& complete) {
  for (std::size_t q = 0; q < answers.values.size(); ++q) {
    const auto& given = answers.values[q];
    const auto& taken = complete.values[q];
    if (given && taken && !strictly_equal(*given, *taken)) return false;
  }
  return true;
}

// A quick way to an open result: the first extension with one missing answer changed at a time
// (the rest completed with first values). In walk order the last questions vary fastest, so a
// difference made by an early one would otherwise come only after every combination of the
// later ones. True when a probe shows a different result; false proves nothing.
bool probe_finds_difference(const RuleSet& rules, const Answers& answers, const Assessment& first,
                            const Answers& first_answers) {
  for (const Index index : missing(rules, answers)) {
    const auto values = values_of(rules.questions[index], k_max_probe_values);
    if (!values || values->size() > k_max_probe_values) continue;
    // An earlier answer of the extension can have set the question aside: then it has none.
    const std::optional<Value>& taken = first_answers.values[index];
    for (const Value& value : *values) {
      if (taken && strictly_equal(value, *taken)) continue;
      Answers changed = answers;
      changed.values[index] = value;
      const auto probe = first_extension(rules, changed);
      if (probe && extends(answers, *probe) && !same_shown_result(first, assess(rules, *probe)))
        return true;
    }
  }
  return false;
}

}  // namespace

bool result_is_decided_by_walk(const RuleSet& rules, const Answers& answers, std::size_t bound) {
  const auto first_answers = first_extension(rules, answers);
  if (!first_answers) return false;  // nothing to list: a decimal, too many choices
  const Assessment first = assess(rules, *first_answers);
  // What is printed is the incomplete set's own assessment: it must be what every completion
  // shows, not only what the completions agree on among themselves (a rule that reads a question
  // left out can fire in every completion and not on the answers given).
  if (!same_shown_result(first, assess(rules, answers))) return false;
  if (probe_finds_difference(rules, answers, first, *first_answers)) return false;
  const WalkEnd end = walk_answer_space(
      rules, answers,
      [&](const Answers& complete, bool) {
        return same_shown_result(first, assess(rules, complete));
      },
      false, bound);
  return end == WalkEnd::finished;
}

void mark_missing(const RuleSet& rules, const Answers& answers, Assessment& assessment) {
  assessment.unanswered.clear();
  assessment.not_needed.clear();
  Indices absent = missing(rules, answers);
  if (absent.empty()) return;
  if (result_is_decided(rules, answers)) {
    assessment.not_needed = std::move(absent);
  } else {
    assessment.unanswered = std::move(absent);
  }
}

}  // namespace kneetriage
