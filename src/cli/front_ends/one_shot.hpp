// The one-shot front end, for scripts: every question of the rules becomes a flag, --answers
// reads a JSON object of answers, flags override it. No answer is dropped (one to a question
// that does not apply is an error), and the result needs every answer that applies, unless the
// answers given already decide it or reach urgent or above whatever the rest (evaluation.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kneetriage/answers.hpp"
#include "kneetriage/rules.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace kneetriage::cli {

struct AnswerOptions {
  std::optional<std::string> answers_file;          // --answers FILE|-
  std::vector<std::vector<std::string>> flag_text;  // per question: what its flag was given
  std::vector<CLI::Option*> flags;                  // per question

  // True when any answer was given, by file or by flag.
  [[nodiscard]] bool any_given() const;
};

// A question flag's description for --help, in plain words: its short text (or the question)
// and when it is asked: "High temperature, shivery or unwell (asked if swollen or hot or red)".
[[nodiscard]] std::string flag_description(const RuleSet& rules, const Question& question);

// Adds --answers and one flag per question of `rules` (none when rules is null: they could not
// be loaded). Throws DataError when a question id clashes with one of the program's own options.
void add_answer_options(CLI::App& app, const RuleSet* rules, AnswerOptions& options);

// The answers of the file (if any), overridden by the flags. Throws InputError (66) for a file
// that cannot be read, DataError (65) for a document that is not valid, UsageError (64) for a
// flag value that is not allowed and for an answer to a question that does not apply to the
// other answers (located in the file when it came from there).
[[nodiscard]] Answers read_answers(const RuleSet& rules, const AnswerOptions& options);

// The answers as --save writes them: a JSON object naming its schema ("$schema":
// "kneetriage/answers/1"; --answers ignores every $-key), then each answer by question id.
[[nodiscard]] std::string saved_answers(const RuleSet& rules, const Answers& answers);

// What the answers add up to (evaluation.hpp): the assessment, with not_needed or unanswered
// filled in. Throws UsageError (64) listing, as flags to add, the questions left out that could
// change the result, unless every way of answering them reaches a level that gives its result at
// once (then the result is marked partial).
[[nodiscard]] Assessment evaluate_given(const RuleSet& rules, const Answers& answers);

// The error for "no answers, and no terminal to ask on": how to pass answers, with an example.
[[nodiscard]] std::exception_ptr no_answers_error(const RuleSet& rules);

}  // namespace kneetriage::cli
