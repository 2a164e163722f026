// The diary as records, for export and import: one JSON object per line (JSON Lines, schema
// kneetriage/diary-record/1, schemas/diary-record.schema.json), or CSV for spreadsheets.
// Exporting a diary and importing it into an empty one gives back the same diary.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kneetriage/diagnostic.hpp"
#include "kneetriage/diary.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

inline constexpr const char* k_diary_record_schema = "kneetriage/diary-record/1";

// One JSON line (no newline) for each.
[[nodiscard]] std::string record_line(const DiaryAssessment& assessment);
[[nodiscard]] std::string record_line(const DiaryEntry& entry);

// The whole diary as JSON Lines, by day, a day's assessments before its entry.
[[nodiscard]] std::string diary_json_lines(const std::vector<DiaryAssessment>& assessments,
                                           const std::vector<DiaryEntry>& entries);
// The same as CSV (RFC 4180, a header row; lists joined with ';'); for reading, not re-import.
[[nodiscard]] std::string diary_csv(const std::vector<DiaryAssessment>& assessments,
                                    const std::vector<DiaryEntry>& entries);

struct DiaryRecord {
  std::optional<DiaryAssessment> assessment;  // one of the two is set when diagnostics is empty
  std::optional<DiaryEntry> entry;
  Diagnostics diagnostics;  // every problem, each with its JSON pointer, line and column
};

// Reads one record. `file` and `line` say where it came from; exercise and sign ids are checked
// against `rules` (the exercises, and questions with a red flag). Never throws on bad input.
[[nodiscard]] DiaryRecord read_record(std::string_view text, std::string_view file, int line,
                                      const RuleSet& rules);

}  // namespace kneetriage
