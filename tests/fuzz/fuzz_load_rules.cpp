// Fuzz target: arbitrary bytes as a rules file. load_rules must never crash, hang or throw, must
// return rules exactly when it reports no problem, and every problem must say what is wrong.
// A rules file that loads is then used as the program would: questionnaire, engine, JSON.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "fuzz_support.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/assessment_writer.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/questionnaire.hpp"
#include "kneetriage/rules.hpp"

namespace {

using fuzz_support::check;

// The first answer a question accepts (the second for every other yes/no question).
kneetriage::Value first_answer(const kneetriage::Question& question, std::size_t step) {
  using kneetriage::QuestionType;
  switch (question.type) {
    case QuestionType::boolean:
      return step % 2 == 0;
    case QuestionType::number:
      return question.integer ? std::ceil(question.min) : question.min;
    case QuestionType::choice:
      return question.choices.front().value;
    case QuestionType::multi:
      return kneetriage::StringList{question.choices.front().value};
  }
  return false;
}

// Answers the questionnaire with each question's first possible answer, as a person pressing
// Enter on "1" would, and assesses the result at every step.
void walk(const kneetriage::RuleSet& rules) {
  using namespace kneetriage;
  Answers answers(rules);
  for (std::size_t step = 0; step <= rules.questions.size(); ++step) {
    const auto next = next_question(rules, answers);
    const auto assessment = assess(rules, answers);
    check(assessment.urgency < rules.urgencies.size());
    const auto document = assessment_json(assessment);
    check(!document.empty());
    (void)summary_json(assessment);
    if (!next) break;
    const auto& question = rules.questions[*next];
    (void)raises_red_flag(rules, answers, *next);
    auto answer = first_answer(question, step);
    // A whole-number question whose bounds hold no whole number (0.2 to 0.8) has no answer.
    if (!check_answer(question, answer).empty()) break;
    answers.values[*next].emplace(std::move(answer));
  }
  (void)answers_to_json(rules, answers).dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto loaded = kneetriage::load_rules(text, "fuzz.json");
  check(loaded.rules.has_value() == loaded.diagnostics.empty());
  for (const auto& diagnostic : loaded.diagnostics) {
    check(!diagnostic.what.empty());
    check(diagnostic.line >= 0 && diagnostic.column >= 0);
    check((diagnostic.line == 0) == (diagnostic.column == 0));  // a position is both, or neither
    check(!kneetriage::to_string(diagnostic).empty());
  }
  if (loaded.rules) walk(*loaded.rules);
  return 0;
}
