// Assesses one complete set of answers with the built-in rules and prints the assessment as
// JSON: the smallest program written against the installed library alone.
#include <iostream>
#include <nlohmann/json.hpp>

#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/assessment_writer.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/rules.hpp"

int main() {
  const kneetriage::RuleSet rules = kneetriage::builtin_rules();
  // A runner who cannot put weight on the knee: a red flag, "urgent" in the built-in rules.
  const auto document = nlohmann::json::parse(R"({
    "knees": "one", "location": "front", "severity": "mild", "stops_running": false,
    "weight_bearing": false, "very_painful": false, "trauma": false, "deformity": false,
    "locking": false, "swelling": false, "hot": false, "numbness": false, "circulation": false,
    "strength_training": false, "new_to_running": true
  })");
  const auto [answers, diagnostics] = kneetriage::answers_from_json(rules, document, "main.cpp");
  if (!diagnostics.empty()) {
    for (const auto& diagnostic : diagnostics) std::cerr << to_string(diagnostic) << '\n';
    return 1;
  }
  const kneetriage::Assessment assessment = kneetriage::assess(rules, answers);
  std::cout << kneetriage::assessment_json(assessment, 2) << '\n';
}
