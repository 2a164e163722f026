#include "kneetriage/engine.hpp"

#include <algorithm>
#include <iterator>

#include "kneetriage/questionnaire.hpp"

namespace kneetriage {
namespace {

bool withholds(const Urgency& urgency, const std::string& kind) {
  return std::find(urgency.withhold.begin(), urgency.withhold.end(), kind) !=
         urgency.withhold.end();
}

void add_once(Indices& list, std::vector<bool>& seen, Index item) {
  if (seen[item]) return;
  seen[item] = true;
  list.push_back(item);
}

// The assessment made of the rules `fires(rule index, facts)` says fire.
template <typename Fires>
Assessment assemble(const RuleSet& rules, const Answers& answers, const Fires& fires) {
  Assessment assessment;
  assessment.rules = &rules;
  assessment.answers = effective_answers(rules, answers);
  const auto facts = assessment.answers.facts();
  const Index lowest = rules.urgencies.empty() ? 0 : rules.urgencies.size() - 1;

  struct Hit {
    Index rule;
    Index urgency;
  };
  std::vector<Hit> hits;
  hits.reserve(std::min<std::size_t>(rules.rules.size(), 64));
  for (Index i = 0; i < rules.rules.size(); ++i) {
    if (fires(i, facts)) {
      hits.push_back({i, rules.rules[i].then.urgency.value_or(lowest)});
    }
  }
  // Red flags first everywhere: the highest urgency leads, file order breaks ties. Hits are in
  // file order already and urgency levels are few, so a counting sort keeps this linear.
  std::vector<std::size_t> level_start(rules.urgencies.size() + 1, 0);
  for (const Hit& hit : hits) ++level_start[hit.urgency + 1];
  for (std::size_t level = 1; level < level_start.size(); ++level)
    level_start[level] += level_start[level - 1];
  std::vector<Hit> by_urgency(hits.size());
  for (const Hit& hit : hits) by_urgency[level_start[hit.urgency]++] = hit;
  hits.swap(by_urgency);
  assessment.urgency = hits.empty() ? lowest : hits.front().urgency;

  std::vector<bool> seen_cause(rules.causes.size(), false);
  std::vector<bool> seen_advice(rules.advice.size(), false);
  Indices advice;
  // At most what the fired rules conclude: reserving it saves the lists regrowing one by one.
  std::size_t concluded_causes = 0, concluded_advice = 0;
  for (const auto& hit : hits) {
    concluded_causes += rules.rules[hit.rule].then.causes.size();
    concluded_advice += rules.rules[hit.rule].then.advice.size() + 1;
  }
  assessment.causes.reserve(concluded_causes);
  advice.reserve(concluded_advice);
  assessment.advice.reserve(concluded_advice);
  std::vector<bool> chosen_exercise(rules.exercises.size(), false);
  std::vector<bool> chosen_step(rules.plan.size(), false);
  assessment.fired.reserve(hits.size());
  std::vector<Match> matched;  // reused, so each rule's list is allocated once, at its size
  for (const auto& hit : hits) {
    const auto& rule = rules.rules[hit.rule];
    matched.clear();
    explain(rule.when, rules.conditions, facts, true, matched);
    assessment.fired.push_back(FiredRule{
        hit.rule,
        {std::make_move_iterator(matched.begin()), std::make_move_iterator(matched.end())}});
    for (const Index cause : rule.then.causes) add_once(assessment.causes, seen_cause, cause);
    if (rule.then.action) add_once(advice, seen_advice, *rule.then.action);
    for (const Index item : rule.then.advice) add_once(advice, seen_advice, item);
    for (const Index exercise : rule.then.exercises) chosen_exercise[exercise] = true;
    for (const Index step : rule.then.plan) chosen_step[step] = true;
    for (const auto& entry : rule.then.frequency) {
      const bool known = std::any_of(assessment.frequency.begin(), assessment.frequency.end(),
                                     [&](const auto& had) { return had.first == entry.first; });
      if (!known) assessment.frequency.push_back(entry);
    }
  }

  // Exercises and plan steps follow their catalogues' order; the urgency decides what is safe.
  const auto& level = rules.urgencies[assessment.urgency];
  const auto withheld_advice = [&](Index item) {
    return !rules.advice[item].kind.empty() && withholds(level, rules.advice[item].kind);
  };
  for (const auto& fired : assessment.fired) {
    const auto& action = rules.rules[fired.rule].then.action;
    if (action && !withheld_advice(*action)) {
      assessment.action = action;
      break;
    }
  }
  Indices causes;
  causes.swap(assessment.causes);
  for (const Index cause : causes) {
    if (!rules.causes[cause].kind.empty() && withholds(level, rules.causes[cause].kind)) {
      assessment.withheld.push_back({Withheld::What::cause, cause});
    } else {
      assessment.causes.push_back(cause);
    }
  }
  for (const Index item : advice) {
    if (assessment.action && item == *assessment.action) continue;  // it leads the result
    if (withheld_advice(item)) {
      assessment.withheld.push_back({Withheld::What::advice, item});
    } else {
      assessment.advice.push_back(item);
    }
  }
  for (Index i = 0; i < rules.exercises.size(); ++i) {
    if (!chosen_exercise[i]) continue;
    if (withholds(level, rules.exercises[i].kind)) {
      assessment.withheld.push_back({Withheld::What::exercise, i});
    } else {
      assessment.exercises.push_back(i);
    }
  }
  for (Index i = 0; i < rules.plan.size(); ++i) {
    if (!chosen_step[i]) continue;
    if (withholds(level, rules.plan[i].kind)) {
      assessment.withheld.push_back({Withheld::What::plan_step, i});
    } else {
      assessment.plan.push_back(i);
    }
  }
  return assessment;
}

}  // namespace

Assessment assess(const RuleSet& rules, const Answers& answers) {
  return assemble(rules, answers, [&rules](Index rule, Facts facts) {
    return holds(rules.rules[rule].when, rules.conditions, facts);
  });
}

Assessment assess_firing(const RuleSet& rules, const Answers& answers,
                         const std::vector<bool>& fires) {
  return assemble(rules, answers,
                  [&fires](Index rule, Facts) { return rule < fires.size() && fires[rule]; });
}

Indices Assessment::rules_concluding_cause(Index cause) const {
  Indices out;
  for (Index i = 0; i < fired.size(); ++i) {
    const auto& causes = rules->rules[fired[i].rule].then.causes;
    if (std::find(causes.begin(), causes.end(), cause) != causes.end()) out.push_back(i);
  }
  return out;
}

bool Assessment::held_back(const FiredRule& fired) const {
  const Conclusion& then = rules->rules[fired.rule].then;
  const Index lowest = rules->urgencies.size() - 1;
  if (then.urgency && *then.urgency != lowest) return false;
  const Urgency& level = urgency_level();
  const auto withheld = [&](const std::string& kind) {
    return !kind.empty() && withholds(level, kind);
  };
  const auto all_withheld = [&](const Indices& items, const auto& catalogue) {
    return std::all_of(items.begin(), items.end(),
                       [&](Index item) { return withheld(catalogue[item].kind); });
  };
  const bool concludes_items = then.action || !then.causes.empty() || !then.advice.empty() ||
                               !then.exercises.empty() || !then.plan.empty();
  return concludes_items && (!then.action || withheld(rules->advice[*then.action].kind)) &&
         all_withheld(then.causes, rules->causes) && all_withheld(then.advice, rules->advice) &&
         all_withheld(then.exercises, rules->exercises) && all_withheld(then.plan, rules->plan);
}

}  // namespace kneetriage
