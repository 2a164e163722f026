// Rules: each rule's when (a condition) and then (urgency, action, causes, advice, exercises,
// plan steps; at least one of them).
// Part of the rules loader: the map of the stages is at the top of src/rules/rules.cpp.
#include <fmt/format.h>

#include "rules/loader/loader.hpp"

namespace kneetriage::detail {

void RulesLoader::load_rules_array(const json* array) {
  if (array != nullptr && array->empty()) {
    error("/rules", "there are no rules", "add at least one rule");
  }
  for_each_entry(array, "/rules", "a rule", [&](const json& j, const std::string& p) {
    check_keys(j, p, {"id", "title", "when", "then", "source"});
    Rule rule;
    rule.id = string_member(j, "id", p, true);
    rule.title = string_member(j, "title", p, false);
    if (const json* when = member(j, "when", p, true)) {
      if (auto compiled = condition(*when, pointer_append(p, "when"), 1, Scope{})) {
        rule.when = std::move(*compiled);
      }
    }
    if (const json* then = member(j, "then", p, true)) {
      load_conclusion(*then, pointer_append(p, "then"), rule.then);
    }
    rule.source = sources_of(j, p);
    rules_.rules.push_back(std::move(rule));
  });
}

void RulesLoader::load_conclusion(const json& j, const std::string& p, Conclusion& then) {
  if (!expect_object(j, p, "'then'")) return;
  check_keys(j, p, {"urgency", "action", "causes", "advice", "exercises", "plan", "frequency"});
  const auto urgency = string_member(j, "urgency", p, false);
  if (j.contains("urgency") && !urgency.empty()) {
    if (const auto index = urgencies_.find(urgency)) {
      then.urgency = *index;
    } else {
      error(pointer_append(p, "urgency"), fmt::format("unknown urgency '{}'", urgency),
            suggest(urgency, urgencies_.ids, "urgencies"));
    }
  }
  const auto action = string_member(j, "action", p, false);
  if (j.contains("action") && !action.empty()) {
    if (const auto index = advice_.find(action)) {
      then.action = *index;
    } else {
      error(pointer_append(p, "action"), fmt::format("unknown advice '{}'", action),
            suggest(action, advice_.ids, "advice items"));
    }
  }
  then.causes = references(j, "causes", p, causes_, false);
  then.advice = references(j, "advice", p, advice_, false);
  then.exercises = references(j, "exercises", p, exercises_, false);
  then.plan = references(j, "plan", p, plan_, false);
  then.frequency = frequency_by_kind(j, p);
  const bool concludes = j.contains("urgency") || then.action || !then.causes.empty() ||
                         !then.advice.empty() || !then.exercises.empty() || !then.plan.empty();
  if (!concludes) {
    error(p, "the rule concludes nothing",
          "give it an urgency, causes, advice, exercises or plan steps");
  }
}

}  // namespace kneetriage::detail
