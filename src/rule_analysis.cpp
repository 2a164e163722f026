#include "kneetriage/rule_analysis.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "kneetriage/engine.hpp"

namespace kneetriage {
namespace {

bool has(const Indices& list, Index item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool advice_shown(const Assessment& a, Index item) {
  return (a.action && *a.action == item) || has(a.advice, item);
}

bool in(const std::vector<std::string>& kinds, const std::string& kind) {
  return !kind.empty() && std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

// Calls f(label, id, kind, shown) for each item `refs` names.
template <typename F>
void each_ref(const RuleSet& rules, const Assessment& a, const ItemRefs& refs, F&& f) {
  for (const Index c : refs.causes)
    f("cause", rules.causes[c].id, has(a.causes, c));
  for (const Index item : refs.advice) f("advice", rules.advice[item].id, advice_shown(a, item));
  for (const Index e : refs.exercises) f("exercise", rules.exercises[e].id, has(a.exercises, e));
  for (const Index p : refs.plan) f("plan step", rules.plan[p].id, has(a.plan, p));
}

std::string kind_shown(const RuleSet& rules, const Assessment& a,
                       const std::vector<std::string>& kinds) {
  const auto said = [](std::string_view label, const std::string& id, const std::string& kind) {
    return fmt::format("{} {} of kind {} is shown", label, id, kind);
  };
  if (a.action && in(kinds, rules.advice[*a.action].kind))
    return said("advice", rules.advice[*a.action].id, rules.advice[*a.action].kind);
  for (const Index i : a.advice)
    if (in(kinds, rules.advice[i].kind)) return said("advice", rules.advice[i].id, rules.advice[i].kind);
  for (const Index e : a.exercises)
    if (in(kinds, rules.exercises[e].kind))
      return said("exercise", rules.exercises[e].id, rules.exercises[e].kind);
  for (const Index p : a.plan)
    if (in(kinds, rules.plan[p].kind)) return said("plan step", rules.plan[p].id, rules.plan[p].kind);
  for (const Index c : a.causes)
    if (in(kinds, rules.causes[c].kind)) return said("cause", rules.causes[c].id, rules.causes[c].kind);
  return {};
}

}  // namespace

std::string invariant_violation(const RuleSet& rules, const Invariant& invariant,
                                const Assessment& a) {
  // Urgencies are listed highest first: "at least" is a smaller or equal index.
  if (invariant.at_urgency_at_least && a.urgency > *invariant.at_urgency_at_least) return {};
  if (invariant.at_urgency_at_most && a.urgency < *invariant.at_urgency_at_most) return {};
  if (invariant.when && !holds(*invariant.when, rules.conditions, a.answers.facts())) return {};
  const std::string& level = rules.urgencies[a.urgency].id;
  if (invariant.urgency_at_least && a.urgency > *invariant.urgency_at_least)
    return fmt::format("the urgency is {}, not at least {}", level,
                       rules.urgencies[*invariant.urgency_at_least].id);
  if (invariant.urgency_at_most && a.urgency < *invariant.urgency_at_most)
    return fmt::format("the urgency is {}, not at most {}", level,
                       rules.urgencies[*invariant.urgency_at_most].id);
  std::string what;
  each_ref(rules, a, invariant.shown, [&](std::string_view label, const std::string& id, bool shown) {
    if (what.empty() && !shown) what = fmt::format("{} {} is not shown (at {})", label, id, level);
  });
  if (!what.empty()) return what;
  each_ref(rules, a, invariant.not_shown,
           [&](std::string_view label, const std::string& id, bool shown) {
             if (what.empty() && shown) what = fmt::format("{} {} is shown (at {})", label, id, level);
           });
  if (!what.empty()) return what;
  if (!invariant.not_shown_kinds.empty()) {
    what = kind_shown(rules, a, invariant.not_shown_kinds);
    if (!what.empty()) what += fmt::format(" (at {})", level);
  }
  return what;
}

RuleAnalysis analyse_rules(const RuleSet& rules, std::size_t bound, const WalkProgress& progress) {
  RuleAnalysis out;
  out.per_urgency.assign(rules.urgencies.size(), 0);
  out.rule_fires.assign(rules.rules.size(), 0);
  out.shown.causes.assign(rules.causes.size(), 0);
  out.shown.advice.assign(rules.advice.size(), 0);
  out.shown.exercises.assign(rules.exercises.size(), 0);
  out.shown.plan.assign(rules.plan.size(), 0);
  out.invariants.resize(rules.invariants.size());
  out.end = walk_answer_space(
      rules, Answers(rules),
      [&](const Answers& answers, bool complete) {
        report_walk_progress(progress, out.answer_sets + out.partial_sets + 1);  // with this one
        const Assessment a = assess(rules, answers);
        for (std::size_t i = 0; i < rules.invariants.size(); ++i) {
          std::string what = invariant_violation(rules, rules.invariants[i], a);
          if (what.empty()) continue;
          InvariantResult& result = out.invariants[i];
          ++result.violations;
          if (!result.example || (complete && !result.example_complete)) {
            result.example = a.answers;
            result.example_complete = complete;
            result.what = std::move(what);
          }
        }
        if (!complete) {
          ++out.partial_sets;
          return true;
        }
        ++out.answer_sets;
        ++out.per_urgency[a.urgency];
        for (const FiredRule& fired : a.fired) ++out.rule_fires[fired.rule];
        for (const Index c : a.causes) ++out.shown.causes[c];
        if (a.action) ++out.shown.advice[*a.action];
        for (const Index i : a.advice) ++out.shown.advice[i];
        for (const Index e : a.exercises) ++out.shown.exercises[e];
        for (const Index p : a.plan) ++out.shown.plan[p];
        return true;
      },
      /*prefixes=*/true, bound);
  return out;
}

}  // namespace kneetriage
