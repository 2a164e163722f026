// A day's entry as a person gives it (flags or the prompt, as text), checked against the rules
// and the plan; and the same-day warning signs, which run the triage again.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kneetriage/assessment.hpp"
#include "kneetriage/diagnostic.hpp"
#include "kneetriage/diary.hpp"

namespace kneetriage {

// Each field as typed; nullopt when not given.
struct EntryInput {
  std::optional<std::string> pain_during;  // 0-10, with a run
  std::optional<std::string> pain_after;   // 0-10, required
  std::optional<std::string> exercises;    // ids separated by commas or spaces; "all", "none"
  std::optional<std::string> ran;          // yes/no; given pain during or a distance: yes
  std::optional<std::string> distance;     // km, with a run
  std::optional<std::string> note;
  std::vector<std::string> new_signs;  // red-flag question ids (dashes or underscores)
};

inline constexpr std::size_t k_max_note = 1000;  // bytes

struct EntryResult {
  std::optional<DiaryEntry> entry;  // set when diagnostics is empty
  // Every problem; `file` names the field as a flag ("--pain-after"), `what` says what is wrong
  // with the value and `hint` what would be right.
  Diagnostics diagnostics;
};

// Never throws on bad input.
[[nodiscard]] EntryResult entry_from_input(const EntryInput& input, const RuleSet& rules,
                                           const DiaryAssessment& plan, Day day);

// The questions whose red flag a runner may report on a later day ("the knee locks"): each has a
// red flag that one answer alone raises and is asked of everyone.
[[nodiscard]] Indices new_sign_questions(const RuleSet& rules);

// The answer to `question` that raises its red flag by itself; nullopt when there is none.
[[nodiscard]] std::optional<Value> red_flag_answer(const RuleSet& rules, const Question& question);

// The triage again: the answers kept with `plan` with each new sign's red-flag answer in place.
// Questions that now apply are left unanswered (the result says so, as a partial one).
[[nodiscard]] Assessment recheck(const RuleSet& rules, const DiaryAssessment& plan,
                                 const std::vector<std::string>& new_signs);

}  // namespace kneetriage
