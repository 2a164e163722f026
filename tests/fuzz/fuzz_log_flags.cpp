// Fuzz target: arbitrary bytes as the values of `kneetriage log`'s flags (split at NUL bytes into
// --pain-during, --pain-after, --exercises, --ran, --distance, --note and --new-sign). Every
// entry accepted is in range; every refusal names the flag.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "kneetriage/diary_entry.hpp"

using fuzz_support::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kneetriage;
  const RuleSet& rules = fuzz_support::builtin_rules();
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0)
      parts.emplace_back();
    else
      parts.back() += static_cast<char>(data[i]);
  }
  parts.resize(7);
  const auto given = [&](std::size_t i) -> std::optional<std::string> {
    if (parts[i].empty()) return std::nullopt;
    return parts[i];
  };
  EntryInput input;
  input.pain_during = given(0);
  input.pain_after = given(1);
  input.exercises = given(2);
  input.ran = given(3);
  input.distance = given(4);
  input.note = given(5);
  if (!parts[6].empty()) input.new_signs.push_back(parts[6]);

  DiaryAssessment plan;
  plan.exercises = {"squat", "clams"};
  plan.daily_exercises = plan.exercises;
  const EntryResult result = entry_from_input(input, rules, plan, Day{});
  if (!result.diagnostics.empty()) {
    check(!result.entry);
    for (const Diagnostic& diagnostic : result.diagnostics)
      check(diagnostic.file.starts_with("--") && !diagnostic.what.empty());
    return 0;
  }
  const DiaryEntry& entry = *result.entry;
  check(entry.pain_after >= 0 && entry.pain_after <= k_max_pain);
  check(!entry.pain_during || (*entry.pain_during >= 0 && *entry.pain_during <= k_max_pain));
  check(entry.ran || (!entry.pain_during && !entry.distance_km));
  check(entry.note.size() <= k_max_note);
  return 0;
}
