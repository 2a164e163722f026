// The assessment document's layout: every key, in its order. README "The JSON document" describes
// each field; a change here is a change of schema (bump k_assessment_schema when incompatible).
#include "kneetriage/assessment_writer.hpp"

#include <algorithm>
#include <cmath>

#include "kneetriage/assessment.hpp"

namespace kneetriage {
namespace {

// An answer or a literal: whole numbers as integers (3, not 3.0), as a person typed them.
void write_value(JsonWriter& json, const Value& value) {
  if (const bool* flag = std::get_if<bool>(&value)) {
    json.boolean(*flag);
  } else if (const double* number = std::get_if<double>(&value)) {
    if (std::nearbyint(*number) == *number && std::fabs(*number) < 1e15) {
      json.integer(static_cast<std::int64_t>(*number));
    } else {
      json.number(*number);
    }
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    json.string(*text);
  } else {
    json.begin_array();
    for (const std::string& item : std::get<StringList>(value)) json.string(item);
    json.end_array();
  }
}

void write_value(JsonWriter& json, const std::optional<Value>& value) {
  if (value) {
    write_value(json, *value);
  } else {
    json.null();
  }
}

void write_ids(JsonWriter& json, const Indices& indices, const auto& items) {
  json.begin_array();
  for (const Index index : indices) json.string(items[index].id);
  json.end_array();
}

bool concludes(const RuleSet& rules, const FiredRule& fired, Index cause) {
  const Indices& causes = rules.rules[fired.rule].then.causes;
  return std::find(causes.begin(), causes.end(), cause) != causes.end();
}

void write_cause(JsonWriter& json, const Assessment& assessment, Index cause_index) {
  const RuleSet& rules = *assessment.rules;
  const Cause& cause = rules.causes[cause_index];
  json.begin_object();
  json.key("id").string(cause.id);
  json.key("title").string(cause.title);
  json.key("why").string(cause.explanation);
  // The answers that led there: each question once, in the order the rules matched them.
  json.key("because").begin_array();
  Indices facts_seen;
  for (const FiredRule& fired : assessment.fired) {
    if (!concludes(rules, fired, cause_index)) continue;
    for (const Match& match : fired.matched) {
      if (!match.answer) continue;
      if (std::find(facts_seen.begin(), facts_seen.end(), match.fact) != facts_seen.end()) continue;
      facts_seen.push_back(match.fact);
      json.begin_object();
      json.key("question").string(rules.questions[match.fact].id);
      json.key("answer");
      write_value(json, match.answer);
      json.end_object();
    }
  }
  json.end_array();
  json.key("rules").begin_array();
  for (const FiredRule& fired : assessment.fired) {
    if (concludes(rules, fired, cause_index)) json.string(rules.rules[fired.rule].id);
  }
  json.end_array();
  json.key("source");
  write_citations(json, rules, cause.source);
  json.end_object();
}

void write_withheld(JsonWriter& json, const RuleSet& rules, const Withheld& item,
                    const Urgency& level) {
  const auto entry = [&](std::string_view type, const std::string& id, const std::string& name,
                         const std::string& kind) {
    json.begin_object();
    json.key("type").string(type);
    json.key("id").string(id);
    json.key("name").string(name);
    json.key("kind").string(kind);
  };
  switch (item.what) {
    case Withheld::What::exercise: {
      const Exercise& exercise = rules.exercises[item.index];
      entry("exercise", exercise.id, exercise.name, exercise.kind);
      break;
    }
    case Withheld::What::plan_step: {
      const PlanStep& step = rules.plan[item.index];
      entry("plan", step.id, step.text, step.kind);
      break;
    }
    case Withheld::What::advice: {
      const AdviceItem& advice = rules.advice[item.index];
      entry("advice", advice.id, advice.text, advice.kind);
      break;
    }
    case Withheld::What::cause: {
      const Cause& cause = rules.causes[item.index];
      entry("cause", cause.id, cause.title, cause.kind);
      break;
    }
  }
  json.key("reason").string("not while the urgency is " + level.id);
  json.end_object();
}

void write_match(JsonWriter& json, const RuleSet& rules, const Match& match) {
  json.begin_object();
  json.key("fact").string(rules.questions[match.fact].id);
  json.key("operator").string(operator_name(match.op));
  json.key("value");
  const Condition& leaf = *match.leaf;
  if (leaf.op == Operator::in || leaf.op == Operator::not_in) {
    json.begin_array();
    for (const Value& value : leaf.values) write_value(json, value);
    json.end_array();
  } else {
    write_value(json, leaf.value);
  }
  json.key("answer");
  write_value(json, match.answer);
  json.key("negated").boolean(match.negated);
  if (!match.via.empty()) json.key("via").string(match.via);
  json.end_object();
}

}  // namespace

void write_citations(JsonWriter& json, const RuleSet& rules, const Indices& source) {
  json.begin_array();
  for (const Index index : source) {
    const Citation& citation = rules.citations[index];
    json.begin_object();
    json.key("id").string(citation.id);
    json.key("source").string(rules.sources[citation.source].id);
    json.key("point").string(citation.point);
    if (!citation.quote.empty()) json.key("quote").string(citation.quote);
    json.end_object();
  }
  json.end_array();
}

void write_json(JsonWriter& json, const Assessment& assessment) {
  const RuleSet& rules = *assessment.rules;
  const Urgency& level = assessment.urgency_level();
  json.begin_object();
  json.key("schema").string(k_assessment_schema);
  json.key("rules_id").string(rules.id);
  json.key("rules_version").string(rules.version);
  json.key("urgency").string(level.id);
  json.key("urgency_title").string(level.title);
  json.key("urgency_action").string(level.action);
  json.key("red_flag").boolean(assessment.is_red_flag());

  // The one thing to do now: the leading advice item when a rule set one, else the level's action.
  json.key("action").begin_object();
  if (assessment.action) {
    const AdviceItem& item = rules.advice[*assessment.action];
    json.key("id").string(item.id);
    json.key("text").string(item.text);
    json.key("source");
    write_citations(json, rules, item.source);
  } else {
    json.key("id").null();
    json.key("text").string(level.action);
    json.key("source").begin_array().end_array();
  }
  json.end_object();

  json.key("partial").boolean(assessment.is_partial());
  json.key("unanswered");
  write_ids(json, assessment.unanswered, rules.questions);
  json.key("not_needed");
  write_ids(json, assessment.not_needed, rules.questions);

  json.key("causes").begin_array();
  for (const Index cause : assessment.causes) write_cause(json, assessment, cause);
  json.end_array();

  json.key("advice").begin_array();
  for (const Index index : assessment.advice) {
    const AdviceItem& item = rules.advice[index];
    json.begin_object();
    json.key("id").string(item.id);
    json.key("text").string(item.text);
    json.key("detail").boolean(item.detail);
    json.key("source");
    write_citations(json, rules, item.source);
    json.end_object();
  }
  json.end_array();

  json.key("exercises").begin_array();
  for (const Index index : assessment.exercises) {
    const Exercise& exercise = rules.exercises[index];
    json.begin_object();
    json.key("id").string(exercise.id);
    json.key("name").string(exercise.name);
    json.key("kind").string(exercise.kind);
    json.key("how").string(exercise.how);
    json.key("dose").string(exercise.dose);
    json.key("frequency").string(frequency_at(level, exercise));
    json.key("cues").begin_array();
    for (const std::string& cue : exercise.cues) json.string(cue);
    json.end_array();
    json.key("start").string(exercise.start);
    json.key("source");
    write_citations(json, rules, exercise.source);
    json.end_object();
  }
  json.end_array();

  json.key("plan").begin_array();
  for (const Index index : assessment.plan) {
    const PlanStep& step = rules.plan[index];
    json.begin_object();
    json.key("id").string(step.id);
    json.key("kind").string(step.kind);
    json.key("text").string(step.text);
    json.key("source");
    write_citations(json, rules, step.source);
    json.end_object();
  }
  json.end_array();

  json.key("withheld").begin_array();
  for (const Withheld& item : assessment.withheld) write_withheld(json, rules, item, level);
  json.end_array();
  json.key("on_hold");
  if (level.on_hold.empty()) {
    json.null();
  } else {
    json.string(level.on_hold);
  }

  json.key("fired").begin_array();
  for (const FiredRule& fired : assessment.fired) {
    const Rule& rule = rules.rules[fired.rule];
    json.begin_object();
    json.key("rule").string(rule.id);
    json.key("title").string(rule.title);
    json.key("urgency");
    if (rule.then.urgency) {
      json.string(rules.urgencies[*rule.then.urgency].id);
    } else {
      json.null();
    }
    json.key("matched").begin_array();
    for (const Match& match : fired.matched) write_match(json, rules, match);
    json.end_array();
    json.key("source");
    write_citations(json, rules, rule.source);
    json.end_object();
  }
  json.end_array();

  // The answers used, in question order: only the questions that apply.
  json.key("answers").begin_object();
  const std::vector<std::optional<Value>>& values = assessment.answers.values;
  for (Index q = 0; q < rules.questions.size() && q < values.size(); ++q) {
    if (!values[q]) continue;
    json.key(rules.questions[q].id);
    write_value(json, *values[q]);
  }
  json.end_object();
  json.key("disclaimer").string(rules.disclaimer);
  json.end_object();
}

void append_assessment_json(std::string& out, const Assessment& assessment, int indent) {
  out.reserve(out.size() + (std::size_t{16} << 10U));  // a full document is 10-40 KiB
  JsonWriter json(out, indent);
  write_json(json, assessment);
}

void write_summary_members(JsonWriter& json, const Assessment& assessment) {
  const RuleSet& rules = *assessment.rules;
  json.key("urgency").string(assessment.urgency_level().id);
  json.key("causes");
  write_ids(json, assessment.causes, rules.causes);
  json.key("fired").begin_array();
  for (const FiredRule& fired : assessment.fired) json.string(rules.rules[fired.rule].id);
  json.end_array();
}

}  // namespace kneetriage
