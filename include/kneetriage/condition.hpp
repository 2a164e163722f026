// Conditions: the json-rules-engine condition tree (all / any / not / named reference / leaf),
// compiled against a questionnaire so that facts are looked up by index, and evaluated purely.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kneetriage/value.hpp"

namespace kneetriage {

enum class Operator {
  equal,
  not_equal,
  less_than,
  less_than_inclusive,
  greater_than,
  greater_than_inclusive,
  in,
  not_in,
  contains,
  does_not_contain,
};

// The json-rules-engine spelling ("notEqual"), and back; nullopt for an unknown name.
[[nodiscard]] std::string_view operator_name(Operator op);
[[nodiscard]] std::optional<Operator> operator_from_name(std::string_view name);
[[nodiscard]] const std::vector<std::string_view>& operator_names();

// Facts are the answers, indexed like the questions; nullopt is an undefined fact.
using Facts = std::span<const std::optional<Value>>;

struct Condition {
  enum class Kind { all, any, negation, reference, leaf };
  Kind kind = Kind::all;
  std::vector<Condition> children;  // all / any: the operands; negation: exactly one
  std::size_t reference = 0;        // reference: index into the named conditions
  std::size_t fact = 0;             // leaf: index of the question
  Operator op = Operator::equal;    // leaf
  Value value;                      // leaf: the literal compared with (for in / notIn unused)
  std::vector<Value> values;        // leaf, in / notIn: the literal list
  bool operator==(const Condition&) const = default;
};

// A named condition, referred to as { "condition": "name" }.
struct NamedCondition {
  std::string name;
  Condition condition;
  bool operator==(const NamedCondition&) const = default;
};

// One leaf that made a rule fire, with the answer it saw. `negated` is true when the leaf
// counted because it was false (it sits under a `not`).
struct Match {
  std::size_t fact = 0;
  Operator op = Operator::equal;
  const Condition* leaf = nullptr;
  std::optional<Value> answer;
  bool negated = false;
  std::string via;  // named condition the leaf came through, "" when written inline
};

// json-rules-engine semantics with allowUndefinedFacts: true.
[[nodiscard]] bool compare(Operator op, const std::optional<Value>& fact, const Condition& leaf);

[[nodiscard]] bool holds(const Condition& condition, std::span<const NamedCondition> named,
                         Facts facts);

// The leaves that decided `condition` came out as `outcome` (true for a fired rule).
void explain(const Condition& condition, std::span<const NamedCondition> named, Facts facts,
             bool outcome, std::vector<Match>& out, const std::string& via = {});

}  // namespace kneetriage
