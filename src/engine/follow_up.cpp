#include "kneetriage/follow_up.hpp"

#include <algorithm>
#include <stdexcept>

#include "kneetriage/engine.hpp"

namespace kneetriage {

const std::vector<std::string_view>& follow_up_fact_ids() {
  static const std::vector<std::string_view> ids{
      "days_since_assessment", "days_on_plan", "pain_trend",   "pain_change",
      "pain_free_days",        "adherence_7d", "last_urgency", "has_run"};
  return ids;
}

namespace {

std::optional<Value> fact_value(const Question& fact, const FollowUpFacts& facts) {
  const auto number = [&](int n) -> std::optional<Value> {
    return std::clamp(static_cast<double>(n), fact.min, fact.max);
  };
  const auto choice = [&](const std::string& value) -> std::optional<Value> {
    const bool listed = std::any_of(fact.choices.begin(), fact.choices.end(),
                                    [&](const Choice& c) { return c.value == value; });
    if (!listed) return std::nullopt;
    return value;
  };
  const std::string& id = fact.id;
  if (id == "days_since_assessment") return number(facts.days_since_assessment);
  if (id == "days_on_plan") return number(facts.days_on_plan);
  if (id == "pain_trend") return choice(facts.pain_trend);
  if (id == "pain_change") return number(facts.pain_change);
  if (id == "pain_free_days") return number(facts.pain_free_days);
  if (id == "adherence_7d") return number(facts.adherence_7d);
  if (id == "last_urgency") return choice(facts.last_urgency);
  if (id == "has_run") return facts.has_run;
  return std::nullopt;  // the loader admits only the ids above
}

void add_once(Indices& list, Index item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

}  // namespace

Answers follow_up_answers(const RuleSet& follow_up, const FollowUpFacts& facts) {
  Answers answers(follow_up);
  for (Index i = 0; i < follow_up.questions.size(); ++i)
    answers.values[i] = fact_value(follow_up.questions[i], facts);
  return answers;
}

FollowUpVerdict assess_follow_up(const RuleSet& rules, const FollowUpFacts& facts) {
  if (!rules.follow_up)
    throw std::invalid_argument("the rules " + rules.id + " have no follow_up section");
  const RuleSet& follow_up = *rules.follow_up;
  FollowUpVerdict verdict;
  static_cast<Assessment&>(verdict) = assess(follow_up, follow_up_answers(follow_up, facts));
  return verdict;
}

const std::string& FollowUpVerdict::action_text() const {
  return action ? rules->advice[*action].text : urgency_level().action;
}

std::vector<std::string> FollowUpVerdict::reasons() const {
  std::vector<std::string> out;
  for (const FiredRule& f : fired) {
    if (held_back(f)) continue;  // nothing it gives is in force at this level
    const Rule& rule = rules->rules[f.rule];
    out.push_back(rule.title.empty() ? rule.id : rule.title);
  }
  return out;
}

std::vector<std::string> FollowUpVerdict::advice_ids() const {
  std::vector<std::string> out;
  for (const Index a : advice) out.push_back(rules->advice[a].id);
  return out;
}

std::vector<std::string> FollowUpVerdict::advice_texts() const {
  std::vector<std::string> out;
  for (const Index a : advice) out.push_back(rules->advice[a].text);
  return out;
}

Indices FollowUpVerdict::sources() const {
  Indices out;
  for (const FiredRule& f : fired) {
    if (held_back(f)) continue;
    for (const Index c : rules->rules[f.rule].source) add_once(out, c);
  }
  if (action)
    for (const Index c : rules->advice[*action].source) add_once(out, c);
  for (const Index a : advice)
    for (const Index c : rules->advice[a].source) add_once(out, c);
  return out;
}

}  // namespace kneetriage
