// The assessment document's layout: every key, in its order. docs/contract.md ("The JSON
// document") describes each field; a change here is a change of schema (bump k_assessment_schema
// when incompatible).
//
// The document is written from pieces. A piece that depends only on the rules (and the urgency
// level) — a catalogue entry, a rule's title and citations — has one function below; an
// AssessmentJsonCache runs the same function once per entry and keeps the bytes, so a cached
// document and an uncached one cannot differ in layout.
#include "kneetriage/assessment_writer.hpp"

#include <algorithm>
#include <unordered_map>

#include "interchange/assessment_json_cache.hpp"
#include "kneetriage/assessment.hpp"

namespace kneetriage {
namespace {

// An answer or a literal: whole numbers as integers (3, not 3.0), as a person typed them.
void write_value(JsonWriter& json, const Value& value) {
  if (const bool* flag = std::get_if<bool>(&value)) {
    json.boolean(*flag);
  } else if (const double* number = std::get_if<double>(&value)) {
    if (const auto whole = whole_number(*number)) {
      json.integer(*whole);
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

// ---- Pieces that depend only on the rules and the urgency level ---------------------------

// The members that open the document, up to the level's action.
void write_head_members(JsonWriter& json, const RuleSet& rules, const Urgency& level) {
  json.key("schema").string(k_assessment_schema);
  json.key("rules_id").string(rules.id);
  json.key("rules_version").string(rules.version);
  json.key("urgency").string(level.id);
  json.key("urgency_title").string(level.title);
  json.key("urgency_action").string(level.action);
  json.key("urgency_safety_net").string(level.safety_net);
}

// The one thing to do now when a rule set it: that advice item.
void write_action(JsonWriter& json, const RuleSet& rules, Index advice) {
  const AdviceItem& item = rules.advice[advice];
  json.begin_object();
  json.key("id").string(item.id);
  json.key("text").string(item.text);
  json.key("source");
  write_citations(json, rules, item.source);
  json.end_object();
}

void write_advice(JsonWriter& json, const RuleSet& rules, Index index) {
  const AdviceItem& item = rules.advice[index];
  json.begin_object();
  json.key("id").string(item.id);
  json.key("text").string(item.text);
  json.key("detail").boolean(item.detail);
  json.key("source");
  write_citations(json, rules, item.source);
  json.end_object();
}

void write_exercise(JsonWriter& json, const RuleSet& rules, Index index,
                    std::string_view frequency) {
  const Exercise& exercise = rules.exercises[index];
  json.begin_object();
  json.key("id").string(exercise.id);
  json.key("name").string(exercise.name);
  json.key("kind").string(exercise.kind);
  json.key("how").string(exercise.how);
  json.key("dose").string(exercise.dose);
  json.key("frequency").string(frequency);
  json.key("cues").begin_array();
  for (const std::string& cue : exercise.cues) json.string(cue);
  json.end_array();
  json.key("start").string(exercise.start);
  json.key("source");
  write_citations(json, rules, exercise.source);
  json.end_object();
}

void write_plan_step(JsonWriter& json, const RuleSet& rules, Index index) {
  const PlanStep& step = rules.plan[index];
  json.begin_object();
  json.key("id").string(step.id);
  json.key("kind").string(step.kind);
  json.key("text").string(step.text);
  json.key("source");
  write_citations(json, rules, step.source);
  json.end_object();
}

// A cause's members before the answers that led to it.
void write_cause_head_members(JsonWriter& json, const Cause& cause) {
  json.key("id").string(cause.id);
  json.key("title").string(cause.title);
  json.key("why").string(cause.explanation);
}

// A fired rule's members before what it matched.
void write_rule_head_members(JsonWriter& json, const RuleSet& rules, const Rule& rule) {
  json.key("rule").string(rule.id);
  json.key("title").string(rule.title);
  json.key("urgency");
  if (rule.then.urgency) {
    json.string(rules.urgencies[*rule.then.urgency].id);
  } else {
    json.null();
  }
}

void write_withheld(JsonWriter& json, const RuleSet& rules, const Withheld& item,
                    const Urgency& level) {
  const auto entry = [&](const std::string& name, const std::string& kind) {
    json.begin_object();
    json.key("type").string(withheld_type(item.what));
    json.key("id").string(item_id(rules, item.what, item.index));
    json.key("name").string(name);
    json.key("kind").string(kind);
  };
  switch (item.what) {
    case Withheld::What::exercise: {
      const Exercise& exercise = rules.exercises[item.index];
      entry(exercise.name, exercise.kind);
      break;
    }
    case Withheld::What::plan_step: {
      const PlanStep& step = rules.plan[item.index];
      entry(step.text, step.kind);
      break;
    }
    case Withheld::What::advice: {
      const AdviceItem& advice = rules.advice[item.index];
      entry(advice.text, advice.kind);
      break;
    }
    case Withheld::What::cause: {
      const Cause& cause = rules.causes[item.index];
      entry(cause.title, cause.kind);
      break;
    }
  }
  json.key("reason").string("not while the urgency is " + level.id);
  json.end_object();
}

void write_on_hold(JsonWriter& json, const Urgency& level) {
  if (level.on_hold.empty()) {
    json.null();
  } else {
    json.string(level.on_hold);
  }
}

// ---- Pieces that depend on the assessment ---------------------------------------------------

void write_because(JsonWriter& json, const Assessment& assessment, Index cause_index) {
  const RuleSet& rules = *assessment.rules;
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
}

// What a rule's leaf compares: the question, the operator, the literal.
void write_leaf_members(JsonWriter& json, const RuleSet& rules, const Condition& leaf) {
  json.key("fact").string(rules.questions[leaf.fact].id);
  json.key("operator").string(operator_name(leaf.op));
  json.key("value");
  if (leaf.op == Operator::in || leaf.op == Operator::not_in) {
    json.begin_array();
    for (const Value& value : leaf.values) write_value(json, value);
    json.end_array();
  } else {
    write_value(json, leaf.value);
  }
}

// The rest of a match: what the answer was and how the leaf counted.
void write_match_tail_members(JsonWriter& json, const Match& match) {
  json.key("answer");
  write_value(json, match.answer);
  json.key("negated").boolean(match.negated);
  if (!match.via.empty()) json.key("via").string(match.via);
}

// Calls `visit` with every leaf of a condition tree.
template <typename Visit>
void for_each_leaf(const Condition& condition, Visit visit) {
  if (condition.kind == Condition::Kind::leaf) visit(condition);
  for (const Condition& child : condition.children) for_each_leaf(child, visit);
}

// ---- Serialising pieces once ------------------------------------------------------------------

// A value, compact, as `write` writes it.
template <typename Write>
std::string serialised(Write write) {
  std::string text;
  JsonWriter json(text);
  write(json);
  return text;
}

// Members, compact, as `write` writes them into an object: "a":1,"b":2 (no braces).
template <typename Write>
std::string serialised_members(Write write) {
  std::string text = serialised([&](JsonWriter& json) {
    json.begin_object();
    write(json);
    json.end_object();
  });
  return text.substr(1, text.size() - 2);
}

}  // namespace

struct AssessmentJsonCache::Pieces {
  std::vector<std::string> head;                   // per level: write_head_members
  std::vector<std::string> on_hold;                // per level
  std::vector<std::vector<std::string>> exercise;  // per level, per exercise
  std::vector<std::vector<std::string>> withheld;  // per level, per withheld_slot()
  std::vector<std::string> action, advice, plan;   // per advice item / plan step
  std::vector<std::string> cause_head, cause_source, rule_head, rule_source;
  std::unordered_map<const Condition*, std::string> leaf;  // write_leaf_members of each leaf
  std::string disclaimer;

  [[nodiscard]] const std::string* leaf_members(const Condition* condition) const {
    const auto found = leaf.find(condition);
    return found == leaf.end() ? nullptr : &found->second;
  }
};

AssessmentJsonCache::AssessmentJsonCache(const RuleSet& rules)
    : rules_(&rules), pieces_(std::make_unique<Pieces>()) {
  Pieces& p = *pieces_;
  for (const Urgency& level : rules.urgencies) {
    p.head.push_back(
        serialised_members([&](JsonWriter& json) { write_head_members(json, rules, level); }));
    p.on_hold.push_back(serialised([&](JsonWriter& json) { write_on_hold(json, level); }));
    std::vector<std::string>& exercises = p.exercise.emplace_back();
    for (Index i = 0; i < rules.exercises.size(); ++i)
      exercises.push_back(serialised([&](JsonWriter& json) {
        write_exercise(json, rules, i, frequency_at(level, rules.exercises[i]));
      }));
    std::vector<std::string>& withheld = p.withheld.emplace_back();
    const auto add_withheld = [&](Withheld::What what, std::size_t count) {
      for (Index i = 0; i < count; ++i)
        withheld.push_back(serialised([&](JsonWriter& json) {
          write_withheld(json, rules, Withheld{what, i}, level);
        }));
    };
    for (const CatalogueKind kind : k_catalogue_kinds)
      add_withheld(kind, catalogue_size(rules, kind));
  }
  for (Index i = 0; i < rules.advice.size(); ++i) {
    p.action.push_back(serialised([&](JsonWriter& json) { write_action(json, rules, i); }));
    p.advice.push_back(serialised([&](JsonWriter& json) { write_advice(json, rules, i); }));
  }
  for (Index i = 0; i < rules.plan.size(); ++i)
    p.plan.push_back(serialised([&](JsonWriter& json) { write_plan_step(json, rules, i); }));
  for (const Cause& cause : rules.causes) {
    p.cause_head.push_back(
        serialised_members([&](JsonWriter& json) { write_cause_head_members(json, cause); }));
    p.cause_source.push_back(
        serialised([&](JsonWriter& json) { write_citations(json, rules, cause.source); }));
  }
  for (const Rule& rule : rules.rules) {
    p.rule_head.push_back(
        serialised_members([&](JsonWriter& json) { write_rule_head_members(json, rules, rule); }));
    p.rule_source.push_back(
        serialised([&](JsonWriter& json) { write_citations(json, rules, rule.source); }));
  }
  const auto add_leaf = [&](const Condition& leaf) {
    p.leaf.emplace(&leaf, serialised_members(
                              [&](JsonWriter& json) { write_leaf_members(json, rules, leaf); }));
  };
  for (const Rule& rule : rules.rules) for_each_leaf(rule.when, add_leaf);
  for (const NamedCondition& named : rules.conditions) for_each_leaf(named.condition, add_leaf);
  p.disclaimer = serialised([&](JsonWriter& json) { json.string(rules.disclaimer); });
}

AssessmentJsonCache::~AssessmentJsonCache() = default;
AssessmentJsonCache::AssessmentJsonCache(AssessmentJsonCache&&) noexcept = default;
AssessmentJsonCache& AssessmentJsonCache::operator=(AssessmentJsonCache&&) noexcept = default;

// Where a withheld item's bytes are in Pieces::withheld: each catalogue in k_catalogue_kinds'
// order, as the cache is filled.
std::size_t AssessmentJsonCache::withheld_slot(const Withheld& item) const {
  std::size_t slot = item.index;
  for (const CatalogueKind kind : k_catalogue_kinds) {
    if (kind == item.what) break;
    slot += catalogue_size(*rules_, kind);
  }
  return slot;
}

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
  write_json(json, assessment, nullptr);
}

void write_json(JsonWriter& json, const Assessment& assessment, const AssessmentJsonCache* cache) {
  const RuleSet& rules = *assessment.rules;
  // Cached bytes are compact and belong to one RuleSet; otherwise every piece is written afresh.
  const AssessmentJsonCache::Pieces* cached =
      cache != nullptr && !json.indented() && cache->rules_ == &rules ? cache->pieces_.get()
                                                                      : nullptr;
  // Each piece that depends only on the rules comes from the cache when there is one, else is
  // written afresh by the function that filled the cache: the same bytes either way. `bytes` is
  // null when not cached; `members` pieces are an object's members rather than a whole value.
  const auto piece = [&json](const std::string* bytes, const auto& write) {
    if (bytes != nullptr) {
      json.raw(*bytes);
    } else {
      write();
    }
  };
  const auto members = [&json](const std::string* bytes, const auto& write) {
    if (bytes != nullptr) {
      json.raw_members(*bytes);
    } else {
      write();
    }
  };
  const Index level_index = assessment.urgency;
  const Urgency& level = assessment.urgency_level();
  json.begin_object();
  members(cached ? &cached->head[level_index] : nullptr,
          [&] { write_head_members(json, rules, level); });
  json.key("red_flag").boolean(assessment.is_red_flag());

  // The one thing to do now: the leading advice item when a rule set one, else the level's action.
  json.key("action");
  if (assessment.action) {
    piece(cached ? &cached->action[*assessment.action] : nullptr,
          [&] { write_action(json, rules, *assessment.action); });
  } else {
    json.begin_object();
    json.key("id").null();
    json.key("text").string(level.action);
    json.key("source").begin_array().end_array();
    json.end_object();
  }

  json.key("partial").boolean(assessment.is_partial());
  json.key("urgency_is_floor").boolean(assessment.urgency_is_floor);
  json.key("unanswered");
  write_ids(json, assessment.unanswered, rules.questions);
  json.key("not_needed");
  write_ids(json, assessment.not_needed, rules.questions);

  json.key("causes").begin_array();
  for (const Index cause : assessment.causes) {
    json.begin_object();
    members(cached ? &cached->cause_head[cause] : nullptr,
            [&] { write_cause_head_members(json, rules.causes[cause]); });
    write_because(json, assessment, cause);
    json.key("source");
    piece(cached ? &cached->cause_source[cause] : nullptr,
          [&] { write_citations(json, rules, rules.causes[cause].source); });
    json.end_object();
  }
  json.end_array();

  json.key("advice").begin_array();
  for (const Index index : assessment.advice) {
    piece(cached ? &cached->advice[index] : nullptr, [&] { write_advice(json, rules, index); });
  }
  json.end_array();

  json.key("exercises").begin_array();
  for (const Index index : assessment.exercises) {
    const std::string& frequency = frequency_of(assessment, rules.exercises[index]);
    // A fired rule's wording for the kind is not in the per-level cache.
    const bool level_wording = &frequency == &frequency_at(level, rules.exercises[index]);
    piece(cached && level_wording ? &cached->exercise[level_index][index] : nullptr,
          [&] { write_exercise(json, rules, index, frequency); });
  }
  json.end_array();

  json.key("plan").begin_array();
  for (const Index index : assessment.plan) {
    piece(cached ? &cached->plan[index] : nullptr, [&] { write_plan_step(json, rules, index); });
  }
  json.end_array();

  json.key("withheld").begin_array();
  for (const Withheld& item : assessment.withheld) {
    piece(cached ? &cached->withheld[level_index][cache->withheld_slot(item)] : nullptr,
          [&] { write_withheld(json, rules, item, level); });
  }
  json.end_array();
  json.key("on_hold");
  piece(cached ? &cached->on_hold[level_index] : nullptr, [&] { write_on_hold(json, level); });

  json.key("fired").begin_array();
  for (const FiredRule& fired : assessment.fired) {
    const Rule& rule = rules.rules[fired.rule];
    json.begin_object();
    members(cached ? &cached->rule_head[fired.rule] : nullptr,
            [&] { write_rule_head_members(json, rules, rule); });
    json.key("matched").begin_array();
    for (const Match& match : fired.matched) {
      json.begin_object();
      members(cached ? cached->leaf_members(match.leaf) : nullptr,
              [&] { write_leaf_members(json, rules, *match.leaf); });
      write_match_tail_members(json, match);
      json.end_object();
    }
    json.end_array();
    json.key("source");
    piece(cached ? &cached->rule_source[fired.rule] : nullptr,
          [&] { write_citations(json, rules, rule.source); });
    if (assessment.held_back(fired)) json.key("held_back").boolean(true);
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
  json.key("disclaimer");
  piece(cached ? &cached->disclaimer : nullptr, [&] { json.string(rules.disclaimer); });
  json.end_object();
}

void append_assessment_json(std::string& out, const Assessment& assessment, int indent) {
  out.reserve(out.size() + (std::size_t{16} << 10U));  // a full document is 10-40 KiB
  JsonWriter json(out, indent);
  write_json(json, assessment);
}

void append_assessment_json(std::string& out, const Assessment& assessment,
                            const AssessmentJsonCache& cache) {
  out.reserve(out.size() + (std::size_t{16} << 10U));
  JsonWriter json(out);
  write_json(json, assessment, &cache);
}

std::string assessment_json(const Assessment& assessment, int indent) {
  std::string out;
  append_assessment_json(out, assessment, indent);
  return out;
}

std::string summary_json(const Assessment& assessment) {
  std::string out;
  JsonWriter json(out);
  json.begin_object();
  write_summary_members(json, assessment);
  json.end_object();
  return out;
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
