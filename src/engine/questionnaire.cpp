#include "kneetriage/questionnaire.hpp"

namespace kneetriage {

namespace {

// One pass over the questions: which apply, and the answers to those that do (what ask_if sees).
Answers effective_pass(const RuleSet& rules, const Answers& answers, std::vector<bool>& applies) {
  applies.assign(rules.questions.size(), false);
  Answers effective(rules);
  for (Index i = 0; i < rules.questions.size(); ++i) {
    const auto& question = rules.questions[i];
    // ask_if only refers to earlier questions, so `effective` holds all it can see.
    applies[i] = !question.ask_if || holds(*question.ask_if, rules.conditions, effective.facts());
    if (i < answers.values.size() && applies[i]) effective.values[i] = answers.values[i];
  }
  return effective;
}

}  // namespace

std::vector<bool> applicable(const RuleSet& rules, const Answers& answers) {
  std::vector<bool> applies;
  (void)effective_pass(rules, answers, applies);
  return applies;
}

Answers effective_answers(const RuleSet& rules, const Answers& answers) {
  std::vector<bool> applies;
  return effective_pass(rules, answers, applies);
}

std::optional<Index> next_question(const RuleSet& rules, const Answers& answers) {
  const auto applies = applicable(rules, answers);
  for (Index i = 0; i < applies.size(); ++i) {
    if (applies[i] && (i >= answers.values.size() || !answers.values[i])) return i;
  }
  return std::nullopt;
}

Indices missing(const RuleSet& rules, const Answers& answers) {
  const auto applies = applicable(rules, answers);
  Indices out;
  for (Index i = 0; i < applies.size(); ++i) {
    if (applies[i] && (i >= answers.values.size() || !answers.values[i])) out.push_back(i);
  }
  return out;
}

bool is_complete(const RuleSet& rules, const Answers& answers) {
  return !next_question(rules, answers).has_value();
}

bool is_exactly_answered(const RuleSet& rules, const Answers& answers) {
  const auto applies = applicable(rules, answers);
  for (Index i = 0; i < applies.size(); ++i) {
    const bool answered = i < answers.values.size() && answers.values[i].has_value();
    if (applies[i] != answered) return false;
  }
  return true;
}

Indices ignored(const RuleSet& rules, const Answers& answers) {
  const auto applies = applicable(rules, answers);
  Indices out;
  for (Index i = 0; i < applies.size() && i < answers.values.size(); ++i) {
    if (!applies[i] && answers.values[i]) out.push_back(i);
  }
  return out;
}

std::size_t estimated_question_count(const RuleSet& rules, const Answers& answers) {
  std::size_t count = 0;
  for (const bool applies : applicable(rules, answers)) count += applies ? 1 : 0;
  return count;
}

const std::string& question_text(const RuleSet& rules, const Answers& answers, Index index) {
  const Question& question = rules.questions[index];
  if (question.text_if.empty()) return question.text;
  const Answers effective = effective_answers(rules, answers);
  for (const QuestionWording& wording : question.text_if) {
    if (holds(wording.when, rules.conditions, effective.facts())) return wording.text;
  }
  return question.text;
}

bool raises_red_flag(const RuleSet& rules, const Answers& answers, Index index) {
  if (index >= rules.questions.size()) return false;
  const auto& question = rules.questions[index];
  if (!question.red_flag) return false;
  const auto effective = effective_answers(rules, answers);
  return holds(*question.red_flag, rules.conditions, effective.facts());
}

}  // namespace kneetriage
