// The diary's screens: progress (text and JSON), history, and what `log` says once a day is kept.
// They print what the diary and the follow-up verdict hold and decide nothing.
#pragma once

#include <string>
#include <vector>

#include "kneetriage/diary_progress.hpp"
#include "kneetriage/follow_up.hpp"
#include "terminal/render.hpp"

namespace kneetriage::cli {

inline constexpr const char* k_progress_schema = "kneetriage/progress/1";
// How many days the pain chart covers at most: two columns each fit 80 columns.
inline constexpr int k_chart_days = 35;

// "Mon 7 Dec 2026"
[[nodiscard]] std::string day_name(Day day);

// The progress screen: fits 24 rows at 80 columns. `verdict` is null for rules without a
// follow-up section.
[[nodiscard]] std::string progress_text(const RuleSet& rules, const DiaryProgress& progress,
                                        const FollowUpVerdict* verdict, const TextOptions& options);
[[nodiscard]] std::string progress_json(const RuleSet& rules, const DiaryProgress& progress,
                                        const FollowUpVerdict* verdict);

// One line per assessment and entry, oldest first.
[[nodiscard]] std::string history_text(const RuleSet& rules,
                                       const std::vector<DiaryAssessment>& assessments,
                                       const std::vector<DiaryEntry>& entries,
                                       const TextOptions& options);

// "Kept for Mon 7 Dec 2026: …" after `log`.
[[nodiscard]] std::string entry_summary(const RuleSet& rules, const DiaryEntry& entry,
                                        const DiaryAssessment& plan, bool replaced);

// The verdict in a few lines: level and what to do, why, sources, the safety net.
[[nodiscard]] std::string verdict_text(const FollowUpVerdict& verdict, const TextOptions& options);

}  // namespace kneetriage::cli
