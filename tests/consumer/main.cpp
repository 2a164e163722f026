// A second front end in a few lines, written against the installed library alone: a runner's
// answers given to a questionnaire Session one question at a time (as a terminal, web form or app
// would ask them), the same answers read as a JSON document and evaluated, and as one batch line.
// All three must agree; the session's result is printed as the JSON document.
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "kneetriage/answer_reader.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/assessment_writer.hpp"
#include "kneetriage/batch.hpp"
#include "kneetriage/evaluation.hpp"
#include "kneetriage/rules.hpp"
#include "kneetriage/session.hpp"

int main() {
  const kneetriage::RuleSet rules = kneetriage::builtin_rules();
  // A runner who cannot put weight on the knee: a red flag, "urgent" in the built-in rules.
  const std::string text = R"({
    "knees": "one", "side": "left", "location": "front", "severity": "mild",
    "stops_running": false, "weight_bearing": false, "very_painful": false, "trauma": false,
    "deformity": false, "locking": false, "swelling": false, "hot": false, "numbness": false,
    "circulation": false, "strength_training": false, "new_to_running": true
  })";
  const nlohmann::json given = nlohmann::json::parse(text);

  // The questionnaire: ask what the session asks next, answer it, until it has a result.
  kneetriage::Session session(rules);
  while (const auto next = session.next()) {
    const kneetriage::Question& question = rules.questions[*next];
    if (!given.contains(question.id)) {
      std::cerr << "the runner has no answer to " << question.id << '\n';
      return 1;
    }
    const kneetriage::ParsedAnswer answer = kneetriage::parse_answer(
        question, given[question.id].is_string() ? given[question.id].get<std::string>()
                                                 : given[question.id].dump());
    if (!answer.value) {
      std::cerr << question.id << ": " << answer.error << '\n';
      return 1;
    }
    if (const auto warning = session.answer(*next, *answer.value); warning && warning->level)
      std::cerr << "warning: " << warning->level->urgency_level().action << '\n';
  }
  const kneetriage::Assessment asked = session.finish();

  // The same answers as a document, read and evaluated as the program's --answers does.
  const kneetriage::AnswerDocument read = kneetriage::read_answer_document(rules, text, "main.cpp");
  for (const auto& diagnostic : read.diagnostics) std::cerr << to_string(diagnostic) << '\n';
  const kneetriage::Evaluation evaluation = kneetriage::evaluate(rules, read.answers);
  if (!read.diagnostics.empty() || !evaluation.assessment ||
      evaluation.assessment->urgency != asked.urgency) {
    std::cerr << "the document's result differs from the questionnaire's\n";
    return 1;
  }

  // And as one line of a batch run.
  std::string record;
  kneetriage::BatchProcessor batch(rules, kneetriage::BatchFormat::summary);
  if (!batch.process(given.dump(), {"main.cpp", 1}, record) ||
      nlohmann::json::parse(record)["urgency"] != rules.urgencies[asked.urgency].id) {
    std::cerr << "the batch record differs from the questionnaire's result: " << record;
    return 1;
  }

  std::string document;
  kneetriage::append_assessment_json(document, asked, 2);
  std::cout << document << '\n';
}
