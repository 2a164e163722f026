// Fuzz target: arbitrary bytes as an answers document (an --answers file or a batch line) for the
// built-in rules: parsed with nlohmann/json, validated, and when valid assessed and serialised.
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
#include "kneetriage/questionnaire.hpp"
#include "kneetriage/rules.hpp"

using fuzz_support::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kneetriage;
  const RuleSet& rules = fuzz_support::builtin_rules();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return 0;
  const auto result = answers_from_json(rules, document, "fuzz.json");
  for (const auto& diagnostic : result.diagnostics) {
    check(!diagnostic.what.empty());
    check(!to_string(diagnostic).empty());
  }
  if (!result.diagnostics.empty()) return 0;
  // Every stored answer is one the question accepts, and survives a round trip through JSON.
  for (Index i = 0; i < rules.questions.size(); ++i) {
    if (result.answers.values[i])
      check(check_answer(rules.questions[i], *result.answers.values[i]).empty());
  }
  const auto round_trip = nlohmann::json::parse(answers_to_json(rules, result.answers).dump());
  const auto again = answers_from_json(rules, round_trip, "round-trip");
  check(again.diagnostics.empty());
  check(again.answers.values == result.answers.values);

  (void)missing(rules, result.answers);
  (void)ignored(rules, result.answers);
  if (!is_complete(rules, result.answers)) return 0;
  const auto assessment = assess(rules, result.answers);
  check(assessment.urgency < rules.urgencies.size());
  check(!assessment_json(assessment).empty());
  check(!summary_json(assessment).empty());
  return 0;
}
