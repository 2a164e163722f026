// The follow-up section: the diary facts it reads (declared like questions: a known fact id, its
// type, its choices or bounds), then its named conditions, rules and invariants, read by the same
// stages as the questionnaire's, in a second loader that shares this one's urgencies, catalogues
// and citations. Every problem is located under /follow_up.
// Part of the rules loader: the map of the stages is at the top of src/rules/rules.cpp.
#include "kneetriage/follow_up.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "analysis/invariants_reader.hpp"
#include "rules/loader/loader.hpp"

namespace kneetriage::detail {
namespace {

// What the diary gives for each fact (FollowUpFacts), so that a rule cannot read a value it
// never sees.
QuestionType diary_type(std::string_view id) {
  if (id == "pain_trend" || id == "last_urgency") return QuestionType::choice;
  if (id == "has_run") return QuestionType::boolean;
  return QuestionType::number;
}

const std::vector<std::string> k_trends{"better", "same", "worse", "unknown"};

}  // namespace

std::string RulesLoader::follow_up_pointer(std::string pointer) {
  constexpr std::string_view k_section = "/follow_up";
  constexpr std::string_view k_questions = "/questions";
  if (pointer.starts_with(k_section)) return pointer;
  if (pointer.starts_with(k_questions))
    return fmt::format("{}/facts{}", k_section, pointer.substr(k_questions.size()));
  return std::string(k_section) + pointer;
}

void RulesLoader::load_follow_up(const json* section) {
  if (section == nullptr || !expect_object(*section, "/follow_up", "'follow_up'")) return;
  RulesLoader sub(text_, file_);
  sub.in_follow_up_ = true;
  sub.questions_.label = "fact";
  sub.sources_ = sources_;
  sub.citations_ = citations_;
  sub.urgencies_ = urgencies_;
  sub.causes_ = causes_;
  sub.advice_ = advice_;
  sub.exercises_ = exercises_;
  sub.plan_ = plan_;
  RuleSet& shared = sub.rules_;
  shared.id = rules_.id;
  shared.version = rules_.version;
  shared.title = rules_.title;
  shared.disclaimer = rules_.disclaimer;
  shared.sources = rules_.sources;
  shared.citations = rules_.citations;
  shared.urgencies = rules_.urgencies;
  shared.causes = rules_.causes;
  shared.advice = rules_.advice;
  shared.exercises = rules_.exercises;
  shared.plan = rules_.plan;

  sub.check_keys(*section, "/follow_up", {"facts", "conditions", "rules", "invariants"});
  const json* facts = sub.array_member(*section, "facts", "/follow_up", true);
  const json* rules = sub.array_member(*section, "rules", "/follow_up", true);
  sub.register_ids(facts, "/follow_up/facts", sub.questions_);
  sub.register_ids(rules, "/follow_up/rules", sub.rules_ids_);
  sub.load_facts(facts);
  sub.load_named_conditions(sub.member(*section, "conditions", "/follow_up", false));
  sub.load_rules_array(rules);
  shared.invariants = detail::read_invariants(
      sub.member(*section, "invariants", "/follow_up", false),
      {[&sub](std::string p, std::string what, std::string hint) {
         sub.error(std::move(p), std::move(what), std::move(hint));
       },
       [&sub](const json& j, const std::string& p) { return sub.condition(j, p, 1, Scope{}); },
       &shared});

  problem_count_ += sub.problem_count_;
  for (Diagnostic& d : sub.diagnostics_) {
    if (diagnostics_.size() >= k_max_diagnostics) break;
    diagnostics_.push_back(std::move(d));
  }
  rules_.follow_up = FollowUpRules(std::move(sub.rules_));
}

void RulesLoader::load_facts(const json* array) {
  const auto& known = follow_up_fact_ids();
  const std::vector<std::string> known_ids(known.begin(), known.end());
  for_each_entry(array, "/follow_up/facts", "a fact", [&](const json& j, const std::string& p) {
    check_keys(j, p, {"id", "text", "short", "type", "choices", "min", "max", "integer"});
    Question fact;
    fact.id = string_member(j, "id", p, true);
    fact.text = string_member(j, "text", p, true);
    fact.short_text = string_member(j, "short", p, false);
    const bool is_known = std::find(known.begin(), known.end(), fact.id) != known.end();
    if (!fact.id.empty() && !is_known) {
      error(pointer_append(p, "id"), fmt::format("unknown diary fact '{}'", fact.id),
            suggest(fact.id, known_ids, "the diary gives"));
    }
    const std::string type = string_member(j, "type", p, true);
    const QuestionType expected = diary_type(fact.id);
    if (!type.empty() && is_known && type != question_type_name(expected)) {
      error(pointer_append(p, "type"),
            fmt::format("the diary gives '{}' as {}, not {}", fact.id, question_type_name(expected),
                        type),
            fmt::format("make the type \"{}\"", question_type_name(expected)));
    }
    if (type.empty() || !is_known || type != question_type_name(expected)) {
      // Without a type the diary gives, nothing about its values can be checked.
      untyped_questions_.push_back(fact.id);
      rules_.questions.push_back(std::move(fact));
      return;
    }
    fact.type = expected;
    if (expected == QuestionType::choice) {
      load_choices(j, p, fact);
      const std::vector<std::string> allowed = fact.id == "pain_trend" ? k_trends : urgencies_.ids;
      for (std::size_t i = 0; i < fact.choices.size(); ++i) {
        const std::string& value = fact.choices[i].value;
        if (value.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end())
          continue;
        error(pointer_append(pointer_append(pointer_append(p, "choices"), i), "value"),
              fmt::format("the diary never gives '{}' as {}", value, fact.id),
              suggest(value, allowed, fact.id == "pain_trend" ? "trends" : "urgencies"));
      }
    } else if (j.contains("choices")) {
      error(pointer_append(p, "choices"), fmt::format("a {} fact takes no choices", type));
    }
    if (expected == QuestionType::number) {
      load_number_bounds(j, p, fact);
      if (!fact.integer)
        error(pointer_append(p, "integer"), "the diary's numbers are whole numbers",
              "leave 'integer' out, or make it true");
    } else {
      for (const auto key : {"min", "max", "integer"}) {
        if (j.contains(key))
          error(pointer_append(p, key), fmt::format("'{}' only applies to number facts", key));
      }
    }
    rules_.questions.push_back(std::move(fact));
  });
}

}  // namespace kneetriage::detail
