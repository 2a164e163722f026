// Reading a runner's answers, for every front end: a JSON text (an answers object or a FHIR
// QuestionnaireResponse) into Answers with located problems, and the answers that must not be
// dropped quietly: those to questions that do not apply to the other answers.
//   AnswerDocument read = read_answer_document(rules, text, "answers.json");
//   if (read.diagnostics.empty()) read.diagnostics = inapplicable_diagnostics(rules, read, text);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kneetriage/answers.hpp"
#include "kneetriage/diagnostic.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

struct AnswerDocument {
  enum class Parse {
    ok,              // JSON: `diagnostics` says what is wrong with the answers, if anything
    syntax_error,    // not JSON: one diagnostic, located at the error
    unrepresentable  // JSON that cannot be held, such as a number beyond a double's range
  };
  Parse parse = Parse::ok;
  Answers answers;
  Diagnostics diagnostics;  // located in the text (line, column, JSON pointer)
  bool fhir = false;        // a QuestionnaireResponse: an answer's place is its item, /item
};

// Reads a JSON text of answers named `name` in messages ("answers.json", "<stdin>").
[[nodiscard]] AnswerDocument read_answer_document(const RuleSet& rules, std::string_view text,
                                                  std::string_view name);

// How a message names answers: as flags ("--hot no") or as the keys of a JSON object
// ("\"hot\": false").
enum class AnswerSpelling { flags, json };

// An answer to a question that does not apply to the other answers: never dropped quietly, it
// is an error that names the answer, the answers that make it not apply and what to change.
struct InapplicableAnswer {
  Index question = 0;
  std::string what;  // "--fever is asked only if …; you answered --swelling no --hot no"
  std::string hint;  // "if it is swollen or hot or red, say --swelling yes or --hot yes; …"
};

// One entry per answered question that does not apply, in question order.
[[nodiscard]] std::vector<InapplicableAnswer> inapplicable_answers(const RuleSet& rules,
                                                                   const Answers& answers,
                                                                   AnswerSpelling spelling);

// The same for the answers of a document, as diagnostics at each answer's place in `text`
// (pointer "/id", or "/item" in a QuestionnaireResponse).
[[nodiscard]] Diagnostics inapplicable_diagnostics(const RuleSet& rules,
                                                   const AnswerDocument& document,
                                                   std::string_view text, std::string_view name);

}  // namespace kneetriage
