#include "kneetriage/condition.hpp"

#include <algorithm>
#include <array>

namespace kneetriage {
namespace {

struct OperatorName {
  Operator op;
  std::string_view name;
};

constexpr std::array k_operators{
    OperatorName{Operator::equal, "equal"},
    OperatorName{Operator::not_equal, "notEqual"},
    OperatorName{Operator::less_than, "lessThan"},
    OperatorName{Operator::less_than_inclusive, "lessThanInclusive"},
    OperatorName{Operator::greater_than, "greaterThan"},
    OperatorName{Operator::greater_than_inclusive, "greaterThanInclusive"},
    OperatorName{Operator::in, "in"},
    OperatorName{Operator::not_in, "notIn"},
    OperatorName{Operator::contains, "contains"},
    OperatorName{Operator::does_not_contain, "doesNotContain"},
};

bool list_has(const std::vector<Value>& list, const Value& value) {
  return std::any_of(list.begin(), list.end(),
                     [&](const Value& element) { return strictly_equal(element, value); });
}

// json-rules-engine's numberValidator: only number-like facts reach <, <=, >, >=.
bool numeric_compare(Operator op, const std::optional<Value>& fact, const Value& literal) {
  const auto* lhs = fact ? std::get_if<double>(&*fact) : nullptr;
  const auto* rhs = std::get_if<double>(&literal);
  if (lhs == nullptr || rhs == nullptr) return false;
  switch (op) {
    case Operator::less_than:
      return *lhs < *rhs;
    case Operator::less_than_inclusive:
      return *lhs <= *rhs;
    case Operator::greater_than:
      return *lhs > *rhs;
    default:
      return *lhs >= *rhs;
  }
}

bool array_contains(const std::optional<Value>& fact, const Value& literal, bool& is_array) {
  const auto* list = fact ? std::get_if<StringList>(&*fact) : nullptr;
  is_array = list != nullptr;
  if (list == nullptr) return false;
  const auto* text = std::get_if<std::string>(&literal);
  return text != nullptr && std::find(list->begin(), list->end(), *text) != list->end();
}

}  // namespace

std::string_view operator_name(Operator op) {
  for (const auto& entry : k_operators) {
    if (entry.op == op) return entry.name;
  }
  return "?";
}

std::optional<Operator> operator_from_name(std::string_view name) {
  for (const auto& entry : k_operators) {
    if (entry.name == name) return entry.op;
  }
  return std::nullopt;
}

const std::vector<std::string_view>& operator_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    out.reserve(k_operators.size());
    for (const auto& entry : k_operators) out.push_back(entry.name);
    return out;
  }();
  return names;
}

bool compare(Operator op, const std::optional<Value>& fact, const Condition& leaf) {
  switch (op) {
    case Operator::equal:
      return fact.has_value() && strictly_equal(*fact, leaf.value);
    case Operator::not_equal:  // undefined !== value is true in JavaScript
      return !fact.has_value() || !strictly_equal(*fact, leaf.value);
    case Operator::in:
      return fact.has_value() && list_has(leaf.values, *fact);
    case Operator::not_in:  // [..].indexOf(undefined) === -1 is true
      return !fact.has_value() || !list_has(leaf.values, *fact);
    case Operator::contains: {
      bool is_array = false;
      return array_contains(fact, leaf.value, is_array);
    }
    case Operator::does_not_contain: {  // non-arrays fail the validator: false
      bool is_array = false;
      const bool found = array_contains(fact, leaf.value, is_array);
      return is_array && !found;
    }
    case Operator::less_than:
    case Operator::less_than_inclusive:
    case Operator::greater_than:
    case Operator::greater_than_inclusive:
      return numeric_compare(op, fact, leaf.value);
  }
  return false;
}

bool holds(const Condition& condition, std::span<const NamedCondition> named, Facts facts) {
  switch (condition.kind) {
    case Condition::Kind::all:
      return std::all_of(condition.children.begin(), condition.children.end(),
                         [&](const Condition& child) { return holds(child, named, facts); });
    case Condition::Kind::any:
      return std::any_of(condition.children.begin(), condition.children.end(),
                         [&](const Condition& child) { return holds(child, named, facts); });
    case Condition::Kind::negation:
      return !holds(condition.children.front(), named, facts);
    case Condition::Kind::reference:
      return holds(named[condition.reference].condition, named, facts);
    case Condition::Kind::leaf: {
      static const std::optional<Value> k_undefined;
      const auto& fact = condition.fact < facts.size() ? facts[condition.fact] : k_undefined;
      return compare(condition.op, fact, condition);
    }
  }
  return false;
}

void explain(const Condition& condition, std::span<const NamedCondition> named, Facts facts,
             bool outcome, std::vector<Match>& out, const std::string& via) {
  switch (condition.kind) {
    case Condition::Kind::all:
    case Condition::Kind::any:
      // A true `all` is explained by all its operands, a true `any` by those that held; a false
      // `all` by those that failed, a false `any` by all of them.
      for (const auto& child : condition.children) {
        if (holds(child, named, facts) == outcome) explain(child, named, facts, outcome, out, via);
      }
      return;
    case Condition::Kind::negation:
      explain(condition.children.front(), named, facts, !outcome, out, via);
      return;
    case Condition::Kind::reference:
      explain(named[condition.reference].condition, named, facts, outcome, out,
              via.empty() ? named[condition.reference].name : via);
      return;
    case Condition::Kind::leaf: {
      Match match;
      match.fact = condition.fact;
      match.op = condition.op;
      match.leaf = &condition;
      if (condition.fact < facts.size()) match.answer = facts[condition.fact];
      match.negated = !outcome;
      match.via = via;
      out.push_back(std::move(match));
      return;
    }
  }
}

}  // namespace kneetriage
