// Follow-up: the verdict on how a knee is doing some days after the assessment, from what a pain
// diary knows. The rules are data (the rules file's `follow_up` section, docs/rules-format.md),
// evaluated by the same engine as the questionnaire: the diary's facts stand in for the answers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kneetriage/assessment.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

// What the diary knows, as of one day: the facts the follow-up rules read.
struct FollowUpFacts {
  int days_since_assessment = 0;  // local calendar days since the first assessment
  int days_on_plan = 0;           // days since the assessment that started the current plan
  std::string pain_trend;  // "better", "same", "worse", or "unknown" (fewer than 3 entries in the
                           // last 7 days)
  int pain_change = 0;  // latest pain minus the first entry's (0–10 scale; worst of during/after)
  int pain_free_days = 0;    // consecutive days up to today with pain 0 (during and after)
  int adherence_7d = 0;      // days of the last 7 with the plan's exercises done (0–7)
  std::string last_urgency;  // urgency id of the latest assessment
  bool has_run = false;      // ran at least once since the plan started
};

// The verdict is an Assessment of the follow-up rules (*rules.follow_up), the facts standing in
// for the answers: urgency, the one thing to do now, the fired rules with the facts each matched,
// advice, sources. Everything that takes an Assessment (the JSON writer, the text renderer)
// takes it. `rules` points into the RuleSet given to assess_follow_up, which must outlive it.
struct FollowUpVerdict : Assessment {
  [[nodiscard]] const std::string& urgency_id() const { return urgency_level().id; }
  // The one thing to do now: the leading advice item's text, or the level's own action.
  [[nodiscard]] const std::string& action_text() const;
  // What would make it more urgent and where to go then (every level of the knee rules has one).
  [[nodiscard]] const std::string& safety_net() const { return urgency_level().safety_net; }
  // Why: the titles of the fired rules, the highest urgency first.
  [[nodiscard]] std::vector<std::string> reasons() const;
  // The advice shown, after the action: ids and texts, in order.
  [[nodiscard]] std::vector<std::string> advice_ids() const;
  [[nodiscard]] std::vector<std::string> advice_texts() const;
  // The citations behind the fired rules and the advice shown (indices into rules->citations),
  // each once, in order of first use.
  [[nodiscard]] Indices sources() const;
};

// The diary facts a follow-up section may declare, by id, in the order of FollowUpFacts.
[[nodiscard]] const std::vector<std::string_view>& follow_up_fact_ids();

// Evaluates the follow-up rules on the facts. A number outside a fact's declared min–max counts
// as the nearest bound (a section that tells days apart up to 21 reads day 30 as "21 or more");
// a choice the fact does not list, such as an urgency id the rules do not have, is undefined.
// Throws std::invalid_argument when the rules have no follow-up section (check rules.follow_up).
//   FollowUpVerdict verdict = assess_follow_up(rules, facts);
[[nodiscard]] FollowUpVerdict assess_follow_up(const RuleSet& rules, const FollowUpFacts& facts);

// The facts as the follow-up rules' answers (what assess_follow_up evaluates).
[[nodiscard]] Answers follow_up_answers(const RuleSet& follow_up, const FollowUpFacts& facts);

}  // namespace kneetriage
