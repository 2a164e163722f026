// Fuzz target: arbitrary bytes as one line of a diary import (kneetriage import). A record that
// reads writes back to a line that reads to the same record; a bad one is located.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "kneetriage/diary_records.hpp"

using fuzz_support::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kneetriage;
  const RuleSet& rules = fuzz_support::builtin_rules();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const DiaryRecord record = read_record(text, "fuzz.jsonl", 1, rules);
  if (!record.diagnostics.empty()) {
    check(!record.assessment && !record.entry);
    for (const Diagnostic& diagnostic : record.diagnostics) {
      check(!diagnostic.what.empty());
      check(diagnostic.line == 1 && diagnostic.column >= 1);
    }
    return 0;
  }
  check(record.assessment.has_value() != record.entry.has_value());
  const std::string line =
      record.entry ? record_line(*record.entry) : record_line(*record.assessment);
  const DiaryRecord again = read_record(line, "again.jsonl", 1, rules);
  check(again.diagnostics.empty());
  if (record.entry) {
    check(again.entry == record.entry);
    check(record.entry->pain_after >= 0 && record.entry->pain_after <= k_max_pain);
  } else {
    check(again.assessment == record.assessment);
  }
  return 0;
}
