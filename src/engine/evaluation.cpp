#include "kneetriage/evaluation.hpp"

#include <algorithm>
#include <utility>

#include "kneetriage/engine.hpp"
#include "kneetriage/questionnaire.hpp"

namespace kneetriage {

namespace {

// The outcomes a condition can have over the completions: bit 0 false, bit 1 true.
using Outcomes = unsigned;
constexpr Outcomes k_can_be_false = 1U;
constexpr Outcomes k_can_be_true = 2U;
constexpr Outcomes k_either = k_can_be_false | k_can_be_true;

// Past this many whole numbers a question's values are not listed: any outcome is possible.
constexpr std::size_t k_max_listed_numbers = 64;

// What a fact can be in the completions: undefined (some completion does not ask the question),
// each of `values`, or anything (`any_value`: too many values to list).
struct FactRange {
  bool undefined = false;
  bool any_value = false;
  std::vector<Value> values;
};

Certainty certainty_of(Outcomes outcomes) {
  if (outcomes == k_can_be_true) return Certainty::always;
  if (outcomes == k_can_be_false) return Certainty::never;
  return Certainty::maybe;
}

// Judges conditions over every completion at once, question by question in questionnaire order
// (ask_if reads only earlier questions, so each range is settled before anything reads it).
class Judge {
 public:
  Judge(const RuleSet& rules, const Answers& answers)
      : rules_(rules), ranges_(rules.questions.size()) {
    for (Index i = 0; i < rules.questions.size(); ++i) {
      const Question& question = rules.questions[i];
      const Outcomes asked = question.ask_if ? outcomes(*question.ask_if) : k_can_be_true;
      FactRange& range = ranges_[i];
      range.undefined = (asked & k_can_be_false) != 0;
      if ((asked & k_can_be_true) == 0) continue;
      if (i < answers.values.size() && answers.values[i]) {
        range.values.push_back(*answers.values[i]);
      } else if (auto values = values_of(question, k_max_listed_numbers)) {
        range.values = std::move(*values);
      } else {
        range.any_value = true;
      }
    }
  }

  [[nodiscard]] Outcomes outcomes(const Condition& condition) const {
    switch (condition.kind) {
      case Condition::Kind::all: {
        Outcomes out = k_can_be_true;
        for (const Condition& child : condition.children) {
          const Outcomes o = outcomes(child);
          if ((o & k_can_be_true) == 0) return k_can_be_false;
          out |= o & k_can_be_false;
        }
        return out;
      }
      case Condition::Kind::any: {
        Outcomes out = k_can_be_false;
        for (const Condition& child : condition.children) {
          const Outcomes o = outcomes(child);
          if ((o & k_can_be_false) == 0) return k_can_be_true;
          out |= o & k_can_be_true;
        }
        return out;
      }
      case Condition::Kind::negation: {
        const Outcomes o = outcomes(condition.children.front());
        return ((o & k_can_be_true) != 0 ? k_can_be_false : 0U) |
               ((o & k_can_be_false) != 0 ? k_can_be_true : 0U);
      }
      case Condition::Kind::reference:
        return outcomes(rules_.conditions[condition.reference].condition);
      case Condition::Kind::leaf:
        break;
    }
    const FactRange& range = ranges_[condition.fact];
    if (range.any_value) return k_either;
    Outcomes out = 0;
    if (range.undefined)
      out |= compare(condition.op, std::nullopt, condition) ? k_can_be_true : k_can_be_false;
    for (const Value& value : range.values) {
      if (out == k_either) break;
      out |= compare(condition.op, value, condition) ? k_can_be_true : k_can_be_false;
    }
    return out;
  }

 private:
  const RuleSet& rules_;
  std::vector<FactRange> ranges_;
};

}  // namespace

std::vector<Certainty> rule_certainty(const RuleSet& rules, const Answers& answers) {
  const Judge judge(rules, effective_answers(rules, answers));
  std::vector<Certainty> out;
  out.reserve(rules.rules.size());
  for (const Rule& rule : rules.rules) out.push_back(certainty_of(judge.outcomes(rule.when)));
  return out;
}

Assessment assess_certain(const RuleSet& rules, const Answers& answers) {
  const std::vector<Certainty> certainty = rule_certainty(rules, answers);
  std::vector<bool> fires(certainty.size());
  for (std::size_t i = 0; i < certainty.size(); ++i) fires[i] = certainty[i] == Certainty::always;
  return assess_firing(rules, answers, fires);
}

Evaluation evaluate(const RuleSet& rules, const Answers& answers) {
  Evaluation evaluation;
  const Answers given = effective_answers(rules, answers);
  evaluation.missing = missing(rules, given);
  if (evaluation.missing.empty()) {
    evaluation.status = Evaluation::Status::complete;
    evaluation.assessment = assess(rules, given);
    return evaluation;
  }
  if (result_is_decided(rules, given)) {
    evaluation.status = Evaluation::Status::decided;
    evaluation.assessment = assess(rules, given);
    evaluation.assessment->not_needed = evaluation.missing;
    return evaluation;
  }
  Assessment certain = assess_certain(rules, given);
  if (certain.urgency_level().partial_result && certain.is_red_flag()) {
    evaluation.status = Evaluation::Status::partial;
    certain.unanswered = evaluation.missing;
    certain.urgency_is_floor = true;
    evaluation.assessment = std::move(certain);
  }
  return evaluation;
}

Indices questions_read_by_ask_if(const RuleSet& rules, Index question) {
  Indices out;
  if (question >= rules.questions.size() || !rules.questions[question].ask_if) return out;
  const std::vector<bool> read = questions_read(*rules.questions[question].ask_if, rules);
  for (Index i = 0; i < read.size(); ++i)
    if (read[i]) out.push_back(i);
  return out;
}

std::vector<AnswerChange> changes_that_ask(const RuleSet& rules, const Answers& answers,
                                           Index question) {
  std::vector<AnswerChange> out;
  for (const Index read : questions_read_by_ask_if(rules, question)) {
    const auto values = values_of(rules.questions[read], k_max_listed_numbers);
    if (!values) continue;
    for (const Value& value : *values) {
      if (answers.values[read] && strictly_equal(*answers.values[read], value)) continue;
      Answers changed = answers;
      changed.values[read] = value;
      const auto applies = applicable(rules, changed);
      if (applies[question] && applies[read]) out.push_back({read, value});
    }
  }
  return out;
}

}  // namespace kneetriage
