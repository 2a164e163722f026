// Fuzz target: arbitrary bytes as a test file (`kneetriage test FILE`): read, and when valid,
// the first few cases run against the built-in rules. Bad input is diagnostics, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/assessment_writer.hpp"
#include "kneetriage/rules.hpp"
#include "kneetriage/scenarios.hpp"

using fuzz_support::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kneetriage;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ScenariosResult read = read_scenarios(text, "fuzz.test.json");
  // Either cases or the reasons there are none, each saying what is wrong.
  check(read.scenarios.has_value() == read.diagnostics.empty());
  for (const Diagnostic& diagnostic : read.diagnostics) {
    check(!diagnostic.what.empty());
    check(!to_string(diagnostic).empty());
  }
  if (!read.scenarios) return 0;
  check(!read.scenarios->cases.empty());
  const TextRenderer render = [](const Assessment& assessment, bool) {
    return assessment_json(assessment);
  };
  std::size_t run = 0;
  for (const Scenario& scenario : read.scenarios->cases) {
    check(!scenario.name.empty());
    check(scenario.line > 0);
    if (run++ == 4) break;  // the answer-space walk behind text checks is not cheap
    for (const std::string& difference :
         run_scenario(fuzz_support::builtin_rules(), scenario, render))
      check(!difference.empty());
  }
  return 0;
}
