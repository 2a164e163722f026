// An Assessment is the engine's verdict on one set of answers: urgency, causes, advice, exercise
// plan, return-to-running steps, and the trace of fired rules that explains them.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kneetriage/answers.hpp"
#include "kneetriage/condition.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

// The version of the JSON document below; bumped on any incompatible change.
inline constexpr const char* k_assessment_schema = "kneetriage/assessment/1";

struct FiredRule {
  Index rule = 0;
  std::vector<Match> matched;
};

struct Withheld {
  using What = CatalogueKind;
  What what = What::exercise;
  Index index = 0;
};

struct Assessment {
  const RuleSet* rules = nullptr;  // the RuleSet assessed against; must outlive the Assessment
  Answers answers;                 // the effective answers (those that apply)
  Index urgency = 0;               // index into rules->urgencies
  std::vector<FiredRule> fired;    // highest urgency first, then file order
  // The advice item that leads the result as the one thing to do now (the first a fired rule
  // concludes as its `action`, and that the urgency does not withhold); none: the level's action.
  std::optional<Index> action;
  Indices causes, advice, exercises, plan;
  std::vector<Withheld> withheld;
  // How often exercises of a kind are done, from the fired rules (first one wins); see
  // frequency_of.
  FrequencyByKind frequency;
  // Filled in by the front ends from the answer space (see answer_space.hpp), not by assess():
  // questions that apply but were not answered and could still change the result (the result
  // is partial), and those that were not answered because they could not (not needed).
  Indices unanswered;
  Indices not_needed;
  // Partial, and every way of answering the rest reaches this urgency or a higher one: the
  // result is a floor to act on now (evaluation.hpp), not only the answers so far.
  bool urgency_is_floor = false;

  [[nodiscard]] bool is_partial() const { return !unanswered.empty(); }

  [[nodiscard]] const Urgency& urgency_level() const { return rules->urgencies[urgency]; }
  // True when the urgency is above the lowest level: a red flag is present.
  [[nodiscard]] bool is_red_flag() const { return urgency + 1 < rules->urgencies.size(); }
  // Rules (indices into fired) that concluded a causes[i].
  [[nodiscard]] Indices rules_concluding_cause(Index cause) const;
  // True when this urgency withholds everything `fired` concludes (its causes, advice, action,
  // exercises and plan steps) and it concludes no urgency above the lowest: the rule fired, but
  // nothing it gives is in force at this level ("not severe: keep running" at see-a-doctor).
  [[nodiscard]] bool held_back(const FiredRule& fired) const;
};

// How often this exercise is done in this result: the level's wording for its kind, else the
// fired rules' (a week off says "daily", not "before runs"), else the exercise's own.
[[nodiscard]] const std::string& frequency_of(const Assessment& assessment,
                                              const Exercise& exercise);

// True when the two show a runner the same result: urgency, the one thing to do now, causes,
// advice, exercises and plan steps (the trace and the answers may differ).
[[nodiscard]] bool same_shown_result(const Assessment& a, const Assessment& b);

// A 64-bit hash of what same_shown_result compares (the RuleSet aside): results it calls the
// same hash the same, so a walk can keep one number per answer set instead of the result.
[[nodiscard]] std::uint64_t shown_result_hash(const Assessment& assessment);

// Its JSON document is written by assessment_writer.hpp (assessment_json(), write_json()).

}  // namespace kneetriage
