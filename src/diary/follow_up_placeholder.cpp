// TEMPORARY PLACEHOLDER for the follow-up branch's src/follow_up.cpp, so that the diary builds and
// its screens can be shown before that branch is merged. It is not the follow-up rules: it keeps
// the level of the latest assessment and gives no reasons. Removed when the branch is merged.
#include <stdexcept>

#include "kneetriage/follow_up.hpp"

namespace kneetriage {

const std::string& FollowUpVerdict::action_text() const {
  return urgency_level().action;
}

std::vector<std::string> FollowUpVerdict::reasons() const {
  return {};
}

std::vector<std::string> FollowUpVerdict::advice_ids() const {
  return {};
}

std::vector<std::string> FollowUpVerdict::advice_texts() const {
  return {};
}

Indices FollowUpVerdict::sources() const {
  return {};
}

const std::vector<std::string_view>& follow_up_fact_ids() {
  static const std::vector<std::string_view> ids{
      "days_since_assessment", "days_on_plan", "pain_trend",   "pain_change",
      "pain_free_days",        "adherence_7d", "last_urgency", "has_run"};
  return ids;
}

FollowUpVerdict assess_follow_up(const RuleSet& rules, const FollowUpFacts& facts) {
  FollowUpVerdict verdict;
  verdict.rules = &rules;
  verdict.urgency = rules.urgencies.empty() ? 0 : rules.urgencies.size() - 1;
  if (const auto level = rules.find_urgency(facts.last_urgency)) verdict.urgency = *level;
  return verdict;
}

Answers follow_up_answers(const RuleSet& follow_up, const FollowUpFacts&) {
  return Answers(follow_up);
}

}  // namespace kneetriage
