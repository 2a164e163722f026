// Conditions (docs/rules-format.md, "Conditions"): one head each (all, any, not, condition,
// fact), depth limit, references to named conditions, the scope of an ask_if / red_flag, and each
// leaf's fact, operator and literal against what its question can ever answer.
// Part of the rules loader: the map of the stages is at the top of src/rules/rules.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "kneetriage/answers.hpp"
#include "rules/loader/loader.hpp"

namespace kneetriage::detail {

std::optional<Condition> RulesLoader::condition(const json& j, const std::string& pointer,
                                                int depth, const Scope& scope) {
  if (depth > k_max_condition_depth) {
    error(pointer,
          fmt::format("conditions are nested deeper than {} levels", k_max_condition_depth),
          "flatten them with all/any, or move parts into named conditions");
    return std::nullopt;
  }
  if (!j.is_object()) {
    error(pointer, fmt::format("a condition must be an object, found {}", kind_of(j)),
          "use {\"all\": [...]}, {\"any\": [...]}, {\"not\": ...}, {\"condition\": NAME} or "
          "{\"fact\": ..., \"operator\": ..., \"value\": ...}");
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 5> k_heads{"all", "any", "not", "condition",
                                                           "fact"};
  // One pass over the (few) keys rather than a lookup per head: conditions are most of a file.
  std::array<bool, k_heads.size()> has{};
  const json* head_value = nullptr;  // the value of the one head, when there is one
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    for (std::size_t h = 0; h < k_heads.size(); ++h) {
      if (key == k_heads[h]) {
        has[h] = true;
        head_value = &it.value();
      }
    }
  }
  const auto head_count = std::count(has.begin(), has.end(), true);
  if (head_count != 1) {
    std::vector<std::string_view> heads;
    for (std::size_t h = 0; h < k_heads.size(); ++h) {
      if (has[h]) heads.push_back(k_heads[h]);
    }
    error(pointer,
          heads.empty() ? std::string("a condition needs one of all, any, not, condition, fact")
                        : fmt::format("a condition must have exactly one of all, any, not, "
                                      "condition, fact; this one has {}",
                                      fmt::join(heads, " and ")),
          "split it into separate conditions inside an all/any");
    return std::nullopt;
  }
  const std::string_view head =
      k_heads[static_cast<std::size_t>(std::find(has.begin(), has.end(), true) - has.begin())];
  Condition out;
  if (head == "all" || head == "any") {
    check_keys(j, pointer, {"all", "any"});
    out.kind = head == "all" ? Condition::Kind::all : Condition::Kind::any;
    const auto& operands = *head_value;
    const auto list_pointer = pointer_append(pointer, head);
    if (!operands.is_array()) {
      error(list_pointer,
            fmt::format("'{}' must be an array of conditions, found {}", head, kind_of(operands)));
      return std::nullopt;
    }
    if (operands.empty()) {
      error(list_pointer, fmt::format("'{}' is empty", head),
            "json-rules-engine treats an empty all/any as true, which is never what is meant; "
            "add conditions or remove it");
      return std::nullopt;
    }
    bool ok = true;
    for (std::size_t i = 0; i < operands.size(); ++i) {
      auto child = condition(operands[i], pointer_append(list_pointer, i), depth + 1, scope);
      if (child) {
        out.children.push_back(std::move(*child));
      } else {
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return out;
  }
  if (head == "not") {
    check_keys(j, pointer, {"not"});
    out.kind = Condition::Kind::negation;
    auto child = condition(*head_value, pointer_append(pointer, "not"), depth + 1, scope);
    if (!child) return std::nullopt;
    out.children.push_back(std::move(*child));
    return out;
  }
  if (head == "condition") {
    check_keys(j, pointer, {"condition"});
    return reference(*head_value, pointer_append(pointer, "condition"), depth, scope);
  }
  check_keys(j, pointer, {"fact", "operator", "value"});
  return leaf(j, pointer, scope);
}

std::optional<Condition> RulesLoader::reference(const json& name_json, const std::string& pointer,
                                                int depth, const Scope& scope) {
  if (!name_json.is_string()) {
    error(pointer, fmt::format("'condition' must name a named condition (a string), found {}",
                               kind_of(name_json)));
    return std::nullopt;
  }
  const auto name = name_json.get<std::string>();
  const auto index = named_.find(name);
  if (!index) {
    error(pointer, fmt::format("unknown named condition '{}'", name),
          suggest(name, named_.ids, "named conditions (under \"conditions\")"));
    return std::nullopt;
  }
  if (current_named_) named_edges_[*current_named_].push_back(*index);
  // Named conditions are all compiled (and their depths known) before any rule or question's.
  if (!current_named_ && *index < named_depth_.size() && !named_too_deep_[*index] &&
      depth + named_depth_[*index] > k_max_condition_depth) {
    error(pointer,
          fmt::format("conditions are nested deeper than {} levels, counting those of named "
                      "condition '{}'",
                      k_max_condition_depth, name),
          "flatten them with all/any, or refer to fewer named conditions inside one another");
    return std::nullopt;
  }
  if (scope.question) pending_scope_checks_.push_back({*index, pointer, scope});
  Condition out;
  out.kind = Condition::Kind::reference;
  out.reference = *index;
  return out;
}

// Why a question that may use facts below `limit` cannot use `fact`; empty when it may.
std::string RulesLoader::scope_violation(Index fact, const Scope& scope) const {
  const Index own = *scope.question;
  if (fact > own || (fact == own && !scope.may_use_itself)) {
    const auto& asking = rules_.questions[own].id;
    if (fact == own) {
      return fmt::format("the {} of question '{}' depends on '{}' itself", scope.role, asking,
                         asking);
    }
    return fmt::format("the {} of question '{}' depends on question '{}', which is asked later",
                       scope.role, asking, rules_.questions[fact].id);
  }
  return {};
}

std::optional<Condition> RulesLoader::leaf(const json& j, const std::string& pointer,
                                           const Scope& scope) {
  Condition out;
  out.kind = Condition::Kind::leaf;
  bool ok = true;
  const Question* question = nullptr;
  const std::string fact_id = string_member(j, "fact", pointer, true);
  if (!fact_id.empty()) {
    if (const auto index = questions_.find(fact_id)) {
      out.fact = *index;
      question = &rules_.questions[*index];
      if (scope.question) {
        if (auto why = scope_violation(*index, scope); !why.empty()) {
          error(pointer_append(pointer, "fact"), std::move(why),
                "a condition can only use answers to questions asked before; move the "
                "question or change the condition");
          ok = false;
        }
      }
    } else {
      error(pointer_append(pointer, "fact"), fmt::format("unknown question '{}'", fact_id),
            suggest(fact_id, questions_.ids, "known questions"));
      ok = false;
    }
  } else {
    ok = false;
  }
  const std::string op_name = string_member(j, "operator", pointer, true);
  std::optional<Operator> op;
  if (!op_name.empty()) {
    op = operator_from_name(op_name);
    if (!op) {
      std::vector<std::string> names(operator_names().begin(), operator_names().end());
      error(pointer_append(pointer, "operator"), fmt::format("unknown operator '{}'", op_name),
            suggest(op_name, names, "operators"));
      ok = false;
    } else {
      out.op = *op;
    }
  } else {
    ok = false;
  }
  const json* value = member(j, "value", pointer, true);
  if (value == nullptr) ok = false;
  if (!ok || question == nullptr || !op || value == nullptr) return std::nullopt;
  if (std::find(untyped_questions_.begin(), untyped_questions_.end(), question->id) !=
      untyped_questions_.end()) {
    return std::nullopt;  // its type is already reported; any value check would be noise
  }
  if (!literal(*question, *op, *value, pointer, out)) return std::nullopt;
  return out;
}

// Checks the literal against what the question can ever answer, and stores it in `out`.
// `leaf_pointer` is the leaf's; the pointer to its "value" is only built for a message.
bool RulesLoader::literal(const Question& question, Operator op, const json& value,
                          const std::string& leaf_pointer, Condition& out) {
  const auto at_value = [&] { return pointer_append(leaf_pointer, "value"); };
  const auto takeable = [&](const json& element, const auto& element_pointer, Value& converted) {
    if (!value_from_json(element, converted)) {
      error(element_pointer(),
            fmt::format("question '{}' can never be {}", question.id, kind_of(element)),
            "its answers are: " + allowed_values(question));
      return false;
    }
    if (auto why = check_answer(question, converted); !why.empty()) {
      error(element_pointer(),
            fmt::format("question '{}' can never be {}: {}", question.id,
                        detail::brief_json(element), why),
            "its answers are: " + allowed_values(question));
      return false;
    }
    return true;
  };
  switch (op) {
    case Operator::equal:
    case Operator::not_equal:
      if (question.type == QuestionType::multi) {
        error(at_value(),
              fmt::format("'{}' on the multiple-choice question '{}' never matches (lists "
                          "compare by identity in json-rules-engine)",
                          operator_name(op), question.id),
              "use contains / doesNotContain");
        return false;
      }
      return takeable(value, at_value, out.value);
    case Operator::in:
    case Operator::not_in: {
      if (!value.is_array() || value.empty()) {
        error(at_value(),
              fmt::format("'{}' needs a non-empty array of values, found {}", operator_name(op),
                          value.is_array() ? "an empty array" : kind_of(value)),
              fmt::format("e.g. \"value\": [{}]", allowed_values(question)));
        return false;
      }
      if (question.type == QuestionType::multi) {
        error(at_value(),
              fmt::format("'{}' on the multiple-choice question '{}' never matches",
                          operator_name(op), question.id),
              "use contains / doesNotContain");
        return false;
      }
      bool ok = true;
      for (std::size_t i = 0; i < value.size(); ++i) {
        Value converted;
        if (takeable(
                value[i], [&] { return pointer_append(at_value(), i); }, converted)) {
          out.values.push_back(std::move(converted));
        } else {
          ok = false;
        }
      }
      return ok;
    }
    case Operator::contains:
    case Operator::does_not_contain: {
      if (question.type != QuestionType::multi) {
        error(at_value(),
              fmt::format("'{}' needs a list-valued answer, but question '{}' is {} question, "
                          "so this never matches",
                          operator_name(op), question.id,
                          question.type == QuestionType::boolean ? "a yes/no" : "a single-answer"),
              "use equal / notEqual / in / notIn");
        return false;
      }
      const auto choice =
          std::find_if(question.choices.begin(), question.choices.end(), [&](const Choice& c) {
            return value.is_string() && value.get<std::string>() == c.value;
          });
      if (choice == question.choices.end()) {
        error(at_value(),
              fmt::format("question '{}' can never contain {}", question.id,
                          detail::brief_json(value)),
              "its choices are: " + allowed_values(question));
        return false;
      }
      out.value = value.get<std::string>();
      return true;
    }
    default:
      if (question.type != QuestionType::number) {
        error(at_value(),
              fmt::format("'{}' compares numbers, but question '{}' is not a number question, "
                          "so this never matches",
                          operator_name(op), question.id),
              "use equal / notEqual / in / notIn");
        return false;
      }
      if (!value.is_number()) {
        error(at_value(),
              fmt::format("'{}' needs a number, found {}", operator_name(op), kind_of(value)));
        return false;
      }
      out.value = value.get<double>();
      return true;
  }
}

}  // namespace kneetriage::detail
