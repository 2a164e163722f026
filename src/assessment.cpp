#include "kneetriage/assessment.hpp"

#include <algorithm>

namespace kneetriage {
namespace {

using ordered = nlohmann::ordered_json;


ordered value_json(const std::optional<Value>& value) {
  if (!value) return nullptr;
  if (const auto* number = std::get_if<double>(&*value)) {
    nlohmann::json whole;
    to_json(whole, *value);  // keeps 3 as 3, not 3.0
    return whole.is_number_integer() ? ordered(whole.get<long long>()) : ordered(*number);
  }
  return std::visit([](const auto& v) { return ordered(v); }, *value);
}

ordered literal_json(const Condition& leaf) {
  if (leaf.op == Operator::in || leaf.op == Operator::not_in) {
    ordered list = ordered::array();
    for (const auto& value : leaf.values) list.push_back(value_json(value));
    return list;
  }
  return value_json(leaf.value);
}

ordered match_json(const RuleSet& rules, const Match& match) {
  ordered out;
  out["fact"] = rules.questions[match.fact].id;
  out["operator"] = std::string(operator_name(match.op));
  out["value"] = literal_json(*match.leaf);
  out["answer"] = value_json(match.answer);
  out["negated"] = match.negated;
  if (!match.via.empty()) out["via"] = match.via;
  return out;
}

}  // namespace

bool same_shown_result(const Assessment& a, const Assessment& b) {
  return a.rules == b.rules && a.urgency == b.urgency && a.action == b.action &&
         a.causes == b.causes && a.advice == b.advice && a.exercises == b.exercises &&
         a.plan == b.plan;
}

ordered citations_to_json(const RuleSet& rules, const Indices& source) {
  ordered out = ordered::array();
  for (const Index index : source) {
    const auto& citation = rules.citations[index];
    ordered entry;
    entry["id"] = citation.id;
    entry["source"] = rules.sources[citation.source].id;
    entry["point"] = citation.point;
    if (!citation.quote.empty()) entry["quote"] = citation.quote;
    out.push_back(std::move(entry));
  }
  return out;
}

ordered to_json(const Assessment& assessment) {
  const RuleSet& rules = *assessment.rules;
  const auto& level = assessment.urgency_level();
  ordered out;
  out["schema"] = k_assessment_schema;
  out["rules_id"] = rules.id;
  out["rules_version"] = rules.version;
  out["urgency"] = level.id;
  out["urgency_title"] = level.title;
  out["urgency_action"] = level.action;
  out["red_flag"] = assessment.is_red_flag();
  // The one thing to do now: the leading advice item when a rule set one, else the level's action.
  ordered action;
  if (assessment.action) {
    const auto& item = rules.advice[*assessment.action];
    action["id"] = item.id;
    action["text"] = item.text;
    action["source"] = citations_to_json(rules, item.source);
  } else {
    action["id"] = nullptr;
    action["text"] = level.action;
    action["source"] = ordered::array();
  }
  out["action"] = std::move(action);
  out["partial"] = assessment.is_partial();
  ordered unanswered = ordered::array();
  for (const Index index : assessment.unanswered) unanswered.push_back(rules.questions[index].id);
  out["unanswered"] = std::move(unanswered);
  ordered not_needed = ordered::array();
  for (const Index index : assessment.not_needed) not_needed.push_back(rules.questions[index].id);
  out["not_needed"] = std::move(not_needed);

  ordered causes = ordered::array();
  for (const Index cause_index : assessment.causes) {
    const auto& cause = rules.causes[cause_index];
    ordered entry;
    entry["id"] = cause.id;
    entry["title"] = cause.title;
    entry["why"] = cause.explanation;
    ordered because = ordered::array();
    ordered concluded_by = ordered::array();
    std::vector<Index> facts_seen;
    for (const Index fired_index : assessment.rules_concluding_cause(cause_index)) {
      const auto& fired = assessment.fired[fired_index];
      concluded_by.push_back(rules.rules[fired.rule].id);
      for (const auto& match : fired.matched) {
        if (!match.answer) continue;
        if (std::find(facts_seen.begin(), facts_seen.end(), match.fact) != facts_seen.end()) continue;
        facts_seen.push_back(match.fact);
        ordered answer;
        answer["question"] = rules.questions[match.fact].id;
        answer["answer"] = value_json(match.answer);
        because.push_back(std::move(answer));
      }
    }
    entry["because"] = std::move(because);
    entry["rules"] = std::move(concluded_by);
    entry["source"] = citations_to_json(rules, cause.source);
    causes.push_back(std::move(entry));
  }
  out["causes"] = std::move(causes);

  ordered advice = ordered::array();
  for (const Index index : assessment.advice) {
    const auto& item = rules.advice[index];
    ordered entry;
    entry["id"] = item.id;
    entry["text"] = item.text;
    entry["detail"] = item.detail;
    entry["source"] = citations_to_json(rules, item.source);
    advice.push_back(std::move(entry));
  }
  out["advice"] = std::move(advice);

  ordered exercises = ordered::array();
  for (const Index index : assessment.exercises) {
    const auto& exercise = rules.exercises[index];
    ordered entry;
    entry["id"] = exercise.id;
    entry["name"] = exercise.name;
    entry["kind"] = exercise.kind;
    entry["how"] = exercise.how;
    entry["dose"] = exercise.dose;
    entry["frequency"] = frequency_at(level, exercise);
    entry["cues"] = exercise.cues;
    entry["start"] = exercise.start;
    entry["source"] = citations_to_json(rules, exercise.source);
    exercises.push_back(std::move(entry));
  }
  out["exercises"] = std::move(exercises);

  ordered plan = ordered::array();
  for (const Index index : assessment.plan) {
    const auto& step = rules.plan[index];
    ordered entry;
    entry["id"] = step.id;
    entry["kind"] = step.kind;
    entry["text"] = step.text;
    entry["source"] = citations_to_json(rules, step.source);
    plan.push_back(std::move(entry));
  }
  out["plan"] = std::move(plan);

  ordered withheld = ordered::array();
  for (const auto& item : assessment.withheld) {
    ordered entry;
    switch (item.what) {
      case Withheld::What::exercise:
        entry["type"] = "exercise";
        entry["id"] = rules.exercises[item.index].id;
        entry["name"] = rules.exercises[item.index].name;
        entry["kind"] = rules.exercises[item.index].kind;
        break;
      case Withheld::What::plan_step:
        entry["type"] = "plan";
        entry["id"] = rules.plan[item.index].id;
        entry["name"] = rules.plan[item.index].text;
        entry["kind"] = rules.plan[item.index].kind;
        break;
      case Withheld::What::advice:
        entry["type"] = "advice";
        entry["id"] = rules.advice[item.index].id;
        entry["name"] = rules.advice[item.index].text;
        entry["kind"] = rules.advice[item.index].kind;
        break;
      case Withheld::What::cause:
        entry["type"] = "cause";
        entry["id"] = rules.causes[item.index].id;
        entry["name"] = rules.causes[item.index].title;
        entry["kind"] = rules.causes[item.index].kind;
        break;
    }
    entry["reason"] = "not while the urgency is " + level.id;
    withheld.push_back(std::move(entry));
  }
  out["withheld"] = std::move(withheld);
  out["on_hold"] = level.on_hold.empty() ? ordered() : ordered(level.on_hold);

  ordered fired = ordered::array();
  for (const auto& fired_rule : assessment.fired) {
    const auto& rule = rules.rules[fired_rule.rule];
    ordered entry;
    entry["rule"] = rule.id;
    entry["title"] = rule.title;
    entry["urgency"] = rule.then.urgency ? ordered(rules.urgencies[*rule.then.urgency].id) : ordered();
    ordered matched = ordered::array();
    for (const auto& match : fired_rule.matched) matched.push_back(match_json(rules, match));
    entry["matched"] = std::move(matched);
    entry["source"] = citations_to_json(rules, rule.source);
    fired.push_back(std::move(entry));
  }
  out["fired"] = std::move(fired);

  out["answers"] = answers_to_json(rules, assessment.answers);
  out["disclaimer"] = rules.disclaimer;
  return out;
}

ordered to_summary_json(const Assessment& assessment) {
  const RuleSet& rules = *assessment.rules;
  ordered out;
  out["urgency"] = assessment.urgency_level().id;
  ordered causes = ordered::array();
  for (const Index index : assessment.causes) causes.push_back(rules.causes[index].id);
  out["causes"] = std::move(causes);
  ordered fired = ordered::array();
  for (const auto& fired_rule : assessment.fired) fired.push_back(rules.rules[fired_rule.rule].id);
  out["fired"] = std::move(fired);
  return out;
}

}  // namespace kneetriage
