// load_rules: reads a rules file (docs/rules-format.md), checks it and builds the RuleSet, with a
// diagnostic (file:line:column, JSON pointer, what is wrong, how to fix it) for every problem.
//
// The loader runs in stages; one class (src/rules/loader/loader.hpp) carries what they share, and
// each stage lives in a file of its own. Where each check lives:
//
//   src/rules/rules.cpp                    the stages in order (RulesLoader::run, load_document):
//   size
//                                    limit, top-level keys, format, id, version, title,
//                                    disclaimer, which sections are required; the invariants hook
//   src/rules/loader/read.cpp              parsing the JSON text: syntax errors with line and
//   column,
//                                    empty, UTF-16 and binary files, numbers too large; reporting:
//                                    the cap on diagnostics, positions and order of the messages
//   src/rules/loader/fields.cpp            typed members: object expected, unknown keys ("$..."
//   skipped),
//                                    required keys, strings (non-empty), lists of strings, arrays;
//                                    known kinds
//   src/rules/loader/references.cpp        ids: valid, unique per catalogue ("duplicate cause id");
//                                    lists of ids resolved ("unknown cause 'x'"), sources
//   src/rules/loader/conditions.cpp        conditions: exactly one head, empty all/any, depth
//   limit,
//                                    unknown named condition, ask_if / red_flag scope, leaves
//                                    (fact, operator) and literals against the question's answers
//   src/rules/loader/named_conditions.cpp  the "conditions" object: names, cycles, depth through
//                                    references, the latest question each depends on
//   src/rules/loader/questions.cpp         questions: type, choices, min/max/integer, red_flag with
//   its
//                                    message; ask_if and red_flag compiled after named conditions
//   src/rules/loader/catalogues.cpp        sources, citations, urgencies (withhold, frequency),
//   causes,
//                                    advice, exercises, plan steps
//   src/rules/loader/rules_array.cpp       rules: when, then (urgency, action, items; concludes
//                                    something)
//   src/analysis/invariants.cpp               the "invariants" section (detail::read_invariants)
//   src/support/json_locate.cpp              JSON pointer -> line and column; the parse-error
//   message
#include "kneetriage/rules.hpp"

#include <fmt/format.h>

#include "analysis/invariants_reader.hpp"
#include "rules/loader/loader.hpp"

namespace kneetriage {
namespace detail {

LoadResult RulesLoader::run() {
  LoadResult result;
  if (text_.size() > k_max_rules_bytes) {
    error("",
          fmt::format("the rules file is {} bytes; the limit is {} MiB", text_.size(),
                      k_max_rules_bytes >> 20U),
          "a rules file holds questions and rules, not data; split or trim it");
    result.diagnostics = std::move(diagnostics_);
    return result;
  }
  json root;
  if (!parse(root)) {
    result.diagnostics = std::move(diagnostics_);
    return result;
  }
  load_document(root);
  finish_positions();
  result.diagnostics = std::move(diagnostics_);
  if (result.diagnostics.empty()) result.rules = std::move(rules_);
  return result;
}

void RulesLoader::load_document(const json& root) {
  if (!expect_object(root, "", "the rules document")) return;
  check_keys(
      root, "",
      {"format", "id", "version", "title", "disclaimer", "sources", "citations", "urgencies",
       "questions", "conditions", "causes", "advice", "exercises", "plan", "rules", "invariants"});
  const auto format = string_member(root, "format", "", true);
  if (!format.empty() && format != k_format) {
    error("/format", fmt::format("unsupported format '{}'", format),
          fmt::format("this version of kneetriage reads \"{}\"", k_format));
  }
  rules_.id = string_member(root, "id", "", true);
  if (!rules_.id.empty() && !is_id(rules_.id, false)) {
    error("/id", fmt::format("'{}' is not a valid id", rules_.id),
          "use lower-case letters, digits, '-' and '_', starting with a letter");
  }
  rules_.version = string_member(root, "version", "", true);
  rules_.title = string_member(root, "title", "", true);
  rules_.disclaimer = string_member(root, "disclaimer", "", true);

  const json* sources = array_member(root, "sources", "", true);
  const json* citations = array_member(root, "citations", "", true);
  const json* urgencies = array_member(root, "urgencies", "", true);
  const json* questions = array_member(root, "questions", "", true);
  const json* causes = array_member(root, "causes", "", true);
  const json* advice = array_member(root, "advice", "", true);
  const json* exercises = array_member(root, "exercises", "", true);
  const json* plan = array_member(root, "plan", "", false);
  const json* rules = array_member(root, "rules", "", true);
  const json* conditions = member(root, "conditions", "", false);

  register_ids(sources, "/sources", sources_);
  register_ids(citations, "/citations", citations_, true);
  register_ids(urgencies, "/urgencies", urgencies_);
  register_ids(questions, "/questions", questions_);
  register_ids(causes, "/causes", causes_);
  register_ids(advice, "/advice", advice_);
  register_ids(exercises, "/exercises", exercises_);
  register_ids(plan, "/plan", plan_);
  register_ids(rules, "/rules", rules_ids_);

  load_sources(sources);
  load_citations(citations);
  load_urgencies(urgencies);
  load_questions(questions);  // their conditions are compiled after the named conditions
  load_named_conditions(conditions);
  load_question_conditions(questions);
  load_causes(causes);
  load_advice(advice);
  load_exercises(exercises);
  load_plan(plan);
  load_rules_array(rules);
  // Last: an invariant may name any urgency, item, citation or question
  // (src/analysis/invariants.cpp).
  rules_.invariants = detail::read_invariants(
      member(root, "invariants", "", false),
      {[this](std::string p, std::string what, std::string hint) {
         error(std::move(p), std::move(what), std::move(hint));
       },
       [this](const json& j, const std::string& p) { return condition(j, p, 1, Scope{}); },
       &rules_});
}

}  // namespace detail

std::string_view question_type_name(QuestionType type) {
  switch (type) {
    case QuestionType::choice:
      return "choice";
    case QuestionType::multi:
      return "multi";
    case QuestionType::boolean:
      return "boolean";
    case QuestionType::number:
      return "number";
  }
  return "?";
}

const std::vector<std::string_view>& known_kinds() {
  static const std::vector<std::string_view> kinds{
      "rest",    "release", "activation", "mobility", "strength",    "plyometric",
      "running", "medical", "follow-up",  "overuse",  "appointment", "routine"};
  return kinds;
}

namespace {

void mark_questions_read(const Condition& condition, const RuleSet& rules, std::vector<bool>& read,
                         std::vector<bool>& named_seen) {
  switch (condition.kind) {
    case Condition::Kind::leaf:
      if (condition.fact < read.size()) read[condition.fact] = true;
      return;
    case Condition::Kind::reference:
      if (condition.reference >= rules.conditions.size() || named_seen[condition.reference]) return;
      named_seen[condition.reference] = true;
      mark_questions_read(rules.conditions[condition.reference].condition, rules, read, named_seen);
      return;
    case Condition::Kind::all:
    case Condition::Kind::any:
    case Condition::Kind::negation:
      for (const Condition& child : condition.children)
        mark_questions_read(child, rules, read, named_seen);
      return;
  }
}

}  // namespace

std::vector<bool> questions_read(const Condition& condition, const RuleSet& rules) {
  std::vector<bool> read(rules.questions.size(), false);
  std::vector<bool> named_seen(rules.conditions.size(), false);
  mark_questions_read(condition, rules, read, named_seen);
  return read;
}

const std::string& frequency_at(const Urgency& level, const Exercise& exercise) {
  for (const auto& [kind, text] : level.frequency) {
    if (kind == exercise.kind) return text;
  }
  return exercise.frequency;
}

std::optional<Index> RuleSet::find_question(std::string_view id) const {
  for (Index i = 0; i < questions.size(); ++i) {
    if (questions[i].id == id) return i;
  }
  return std::nullopt;
}

std::optional<Index> RuleSet::find_urgency(std::string_view id) const {
  for (Index i = 0; i < urgencies.size(); ++i) {
    if (urgencies[i].id == id) return i;
  }
  return std::nullopt;
}

LoadResult load_rules(std::string_view text, std::string_view file_name) {
  return detail::RulesLoader(text, file_name).run();
}

}  // namespace kneetriage
