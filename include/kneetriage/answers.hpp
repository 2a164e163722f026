// Answers: one optional Value per question of a RuleSet, and their validation: from typed text
// (a flag or the prompt) and from JSON documents (an answers file, a batch line).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "kneetriage/diagnostic.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

struct Answers {
  std::vector<std::optional<Value>> values;  // indexed like RuleSet::questions

  explicit Answers(const RuleSet& rules) : values(rules.questions.size()) {}
  Answers() = default;

  [[nodiscard]] Facts facts() const { return values; }
};

// "both, one" or "yes, no" or "a whole number from 0 to 10": what a question accepts.
[[nodiscard]] std::string allowed_values(const Question& question);

// Empty when `value` is a valid answer to `question`, otherwise why not (naming the allowed values).
[[nodiscard]] std::string check_answer(const Question& question, const Value& value);

struct ParsedAnswer {
  std::optional<Value> value;  // set on success
  std::string error;           // set on failure
};

// The choices `text` names, by their indices: the one whose value or label it is (ignoring case),
// else every one whose value or label starts with it ("o" names "outer" and "On the inner side").
[[nodiscard]] std::vector<std::size_t> matching_choices(const Question& question,
                                                        std::string_view text);

// Reads an answer as typed on a command line or at the prompt: yes/no/y/n/true/false; a choice's
// value or an unambiguous prefix of it or of its label; a number; a comma-separated list for multi.
[[nodiscard]] ParsedAnswer parse_answer(const Question& question, std::string_view text);

struct AnswersResult {
  Answers answers;
  Diagnostics diagnostics;
};

// Reads a JSON object { "question-id": value, ... }. Unknown ids, wrong types and values a question
// cannot take are diagnostics (pointer "/id"); `$`-prefixed keys are ignored.
[[nodiscard]] AnswersResult answers_from_json(const RuleSet& rules, const nlohmann::json& document,
                                              std::string_view file_name);

// The answers given, as a JSON object in question order.
[[nodiscard]] nlohmann::ordered_json answers_to_json(const RuleSet& rules, const Answers& answers);

}  // namespace kneetriage
