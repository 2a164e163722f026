// Fuzz target: arbitrary bytes as a FHIR QuestionnaireResponse (an --answers file or a batch
// line) for the built-in rules: parsed with nlohmann/json, read by answers_from_document (which
// takes the FHIR path when the document has a resourceType), and when valid written back as a
// QuestionnaireResponse and read again: the answers must survive the round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "fuzz_support.hpp"
#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/assessment_writer.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/fhir.hpp"
#include "kneetriage/questionnaire.hpp"
#include "kneetriage/rules.hpp"

using fuzz_support::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kneetriage;
  const RuleSet& rules = fuzz_support::builtin_rules();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return 0;
  // Both readers, whatever the document is: neither may crash or throw.
  (void)answers_from_questionnaire_response(rules, document, "fuzz.json");
  const auto result = answers_from_document(rules, document, "fuzz.json");
  for (const auto& diagnostic : result.diagnostics) {
    check(!diagnostic.what.empty());
    check(!to_string(diagnostic).empty());
  }
  if (!result.diagnostics.empty()) return 0;
  for (Index i = 0; i < rules.questions.size(); ++i) {
    if (result.answers.values[i])
      check(check_answer(rules.questions[i], *result.answers.values[i]).empty());
  }
  const auto response =
      nlohmann::json::parse(answers_to_questionnaire_response(rules, result.answers).dump());
  const auto again = answers_from_questionnaire_response(rules, response, "round-trip");
  check(again.diagnostics.empty());
  if (!is_complete(rules, result.answers)) return 0;
  const auto assessment = assess(rules, result.answers);
  check(assessment.urgency < rules.urgencies.size());
  check(!assessment_json(assessment).empty());
  return 0;
}
