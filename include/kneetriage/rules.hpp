// A RuleSet is everything kneetriage knows, loaded from a rules file (docs/rules-format.md):
// questions, named conditions, rules, and the catalogues they cite. Immutable after load_rules.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kneetriage/catalogue.hpp"
#include "kneetriage/condition.hpp"
#include "kneetriage/diagnostic.hpp"
#include "kneetriage/invariants.hpp"

namespace kneetriage {

using Index = std::size_t;
using Indices = std::vector<Index>;

enum class QuestionType { choice, multi, boolean, number };
[[nodiscard]] std::string_view question_type_name(QuestionType type);

struct Choice {
  std::string value;
  std::string label;
  bool operator==(const Choice&) const = default;
};

// Another wording of a question, used when `when` holds on the answers so far ("Is either knee
// swollen?" once both knees hurt).
struct QuestionWording {
  Condition when;
  std::string text;
  bool operator==(const QuestionWording&) const = default;
};

struct Question {
  std::string id;
  std::string text;
  std::string help;
  QuestionType type = QuestionType::boolean;
  std::vector<Choice> choices;  // choice / multi
  double min = 0;               // number
  double max = 0;               // number
  bool integer = true;          // number
  std::optional<Condition> ask_if;
  std::optional<Condition> red_flag;
  std::string red_flag_message;
  // A few words naming what is asked ("can put weight on the leg"), for the compact result's
  // "because you answered" lines; empty means use `text`.
  std::string short_text;
  std::vector<QuestionWording> text_if;  // the first whose `when` holds replaces `text`
  bool operator==(const Question&) const = default;
};

struct Source {
  std::string id, title, author, publisher, url;
  bool operator==(const Source&) const = default;
};

struct Citation {
  std::string id;
  Index source = 0;
  std::string point;
  std::string quote;
  bool operator==(const Citation&) const = default;
};

// kind -> how often exercises of that kind are done ("daily" rather than "before every run").
using FrequencyByKind = std::vector<std::pair<std::string, std::string>>;

struct Urgency {
  std::string id, title, action;
  std::vector<std::string> withhold;  // exercise / plan / advice / cause kinds never given here
  // How often exercises of a kind are done at this level, where it differs from the exercise's
  // own frequency ("daily" rather than "before every run" while running is stopped): kind -> text.
  FrequencyByKind frequency;
  std::string on_hold;  // what is on hold at this level, said once instead of listing it
  // What would make it more urgent and where to go then: shown with the action, whatever rule
  // leads the result, so that no level leaves a runner without a next step.
  std::string safety_net;
  // A result at this level is given at once, marked partial, when every way of completing the
  // answers reaches it: someone who needs help today is told so, however many answers are missing.
  bool partial_result = false;
  bool operator==(const Urgency&) const = default;
};

struct Cause {
  std::string id, title, explanation;
  std::string kind;  // optional: a cause of a kind the urgency withholds is set aside
  Indices source;
  bool operator==(const Cause&) const = default;
};

struct AdviceItem {
  std::string id, text;
  std::string kind;  // optional: advice of a kind the urgency withholds is left out too
  bool detail =
      false;  // background: the default text result leaves it out (JSON and --full keep it)
  Indices source;
  bool operator==(const AdviceItem&) const = default;
};

struct Exercise {
  std::string id, name, kind, how, dose, frequency;
  std::vector<std::string> cues;
  std::string start;
  Indices source;
  bool operator==(const Exercise&) const = default;
};

struct PlanStep {
  std::string id, kind, text;
  Indices source;
  bool operator==(const PlanStep&) const = default;
};

struct Conclusion {
  std::optional<Index> urgency;
  std::optional<Index> action;  // advice item that becomes the one thing to do now
  Indices causes, advice, exercises, plan;
  // How often exercises of a kind are done while this rule is in force (a week off: "daily",
  // not "before runs"); the level's own wording for the kind comes first.
  FrequencyByKind frequency;
  bool operator==(const Conclusion&) const = default;
};

struct Rule {
  std::string id, title;
  Condition when;
  Conclusion then;
  Indices source;
  bool operator==(const Rule&) const = default;
};

struct RuleSet;

// The rules file's follow-up section (follow_up.hpp) as a RuleSet of its own: the diary's facts
// are its questions, and it shares the file's urgencies, catalogues, sources and citations, so the
// engine, the analysis and the tests take it as they take the questionnaire's rules. Held by
// pointer because a RuleSet cannot contain one by value; immutable, so copies share it; compared
// by value, so the rules image test covers it.
class FollowUpRules {
 public:
  FollowUpRules() = default;
  explicit FollowUpRules(RuleSet rules);
  explicit operator bool() const { return rules_ != nullptr; }
  [[nodiscard]] const RuleSet* get() const { return rules_.get(); }
  const RuleSet& operator*() const { return *rules_; }
  const RuleSet* operator->() const { return rules_.get(); }
  bool operator==(const FollowUpRules& other) const;

 private:
  std::shared_ptr<const RuleSet> rules_;
};

struct RuleSet {
  std::string id, version, title, disclaimer;
  std::vector<Source> sources;
  std::vector<Citation> citations;
  std::vector<Urgency> urgencies;  // highest first
  std::vector<Question> questions;
  std::vector<NamedCondition> conditions;
  std::vector<Cause> causes;
  std::vector<AdviceItem> advice;
  std::vector<Exercise> exercises;
  std::vector<PlanStep> plan;
  std::vector<Rule> rules;
  std::vector<Invariant> invariants;  // proved by `kneetriage check` (rule_analysis.hpp)
  FollowUpRules follow_up;            // empty when the file has no follow-up section

  // Index of the question with this id, nullopt when there is none.
  [[nodiscard]] std::optional<Index> find_question(std::string_view id) const;
  [[nodiscard]] std::optional<Index> find_urgency(std::string_view id) const;

  // Field by field: the compiled rules image must give back exactly what the loader made.
  bool operator==(const RuleSet&) const = default;
};

// The items of a catalogue a rule concludes (its `action` aside).
[[nodiscard]] const Indices& concluded(const Conclusion& then, CatalogueKind kind);

// How many items a catalogue holds, and the id of one.
[[nodiscard]] std::size_t catalogue_size(const RuleSet& rules, CatalogueKind kind);
[[nodiscard]] const std::string& item_id(const RuleSet& rules, CatalogueKind kind, Index index);

// read[q] is true when `condition` reads question q, itself or through its named conditions.
[[nodiscard]] std::vector<bool> questions_read(const Condition& condition, const RuleSet& rules);

// An exercise's frequency at this urgency: the level's wording for its kind, or its own.
[[nodiscard]] const std::string& frequency_at(const Urgency& level, const Exercise& exercise);

// The exercise, plan-step, advice and cause kinds a rules file may use.
[[nodiscard]] const std::vector<std::string_view>& known_kinds();

struct LoadResult {
  std::optional<RuleSet> rules;  // set only when diagnostics is empty
  Diagnostics diagnostics;       // every problem found, in document order
};

// Parses and validates a rules document; never throws on bad input.
//   auto loaded = load_rules(text, "rules/knee.json");
[[nodiscard]] LoadResult load_rules(std::string_view text, std::string_view file_name);

// The rules compiled into the binary (rules/knee.json at build time).
[[nodiscard]] std::string_view builtin_rules_text();

// The same rules as a RuleSet, loaded and checked when the program was built (tools/
// compile_rules.cpp), so that start-up neither parses nor validates JSON. Equal to
//   *load_rules(builtin_rules_text(), name).rules
[[nodiscard]] RuleSet builtin_rules();

}  // namespace kneetriage
