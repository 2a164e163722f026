#include "kneetriage/describe.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "kneetriage/questionnaire.hpp"

namespace kneetriage {

namespace {

std::string number_text(double number) {
  if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) < 1e15)
    return fmt::format("{}", static_cast<long long>(number));
  return fmt::format("{}", number);
}

std::string literal(const Value& value) {
  nlohmann::json j;
  to_json(j, value);
  return j.dump();
}

std::string describe_in(const Condition& condition, const RuleSet& rules, bool nested) {
  switch (condition.kind) {
    case Condition::Kind::leaf:
      return describe_leaf(condition, rules);
    case Condition::Kind::reference:
      return condition.reference < rules.conditions.size()
                 ? fmt::format("[{}]", rules.conditions[condition.reference].name)
                 : std::string("[?]");
    case Condition::Kind::negation:
      return condition.children.empty()
                 ? std::string("not ()")
                 : fmt::format("not ({})", describe_in(condition.children.front(), rules, false));
    case Condition::Kind::all:
    case Condition::Kind::any: {
      std::vector<std::string> parts;
      for (const Condition& child : condition.children)
        parts.push_back(describe_in(child, rules, true));
      const std::string text =
          join(parts, condition.kind == Condition::Kind::all ? " and " : " or ");
      return nested && parts.size() > 1 ? "(" + text + ")" : text;
    }
  }
  return {};
}

}  // namespace

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::string flag_name(const Question& question) {
  std::string name = "--" + question.id;
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

std::string flag_values(const Question& question) {
  std::vector<std::string> values;
  switch (question.type) {
    case QuestionType::boolean:
      return "yes|no";
    case QuestionType::number:
      return fmt::format("{}-{}", number_text(question.min), number_text(question.max));
    case QuestionType::choice:
      for (const Choice& choice : question.choices) values.push_back(choice.value);
      return join(values, "|");
    case QuestionType::multi:
      for (const Choice& choice : question.choices) values.push_back(choice.value);
      return join(values, ",");
  }
  return {};
}

std::string flag_value(const Value& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "yes" : "no";
  if (const double* d = std::get_if<double>(&value)) return number_text(*d);
  if (const std::string* s = std::get_if<std::string>(&value)) return *s;
  return join(std::get<StringList>(value), ",");
}

std::string answer_label(const Question& question, const Value& value) {
  const auto label_of = [&](const std::string& choice_value) {
    for (const Choice& choice : question.choices)
      if (choice.value == choice_value) return choice.label.empty() ? choice.value : choice.label;
    return choice_value;
  };
  if (const std::string* s = std::get_if<std::string>(&value)) return label_of(*s);
  if (const StringList* list = std::get_if<StringList>(&value)) {
    if (list->empty()) return "none";
    std::vector<std::string> labels;
    for (const std::string& item : *list) labels.push_back(label_of(item));
    return join(labels, ", ");
  }
  return flag_value(value);
}

std::string command_line(const RuleSet& rules, const Answers& answers) {
  std::string out = "kneetriage";
  for (std::size_t i = 0; i < rules.questions.size() && i < answers.values.size(); ++i) {
    if (!answers.values[i]) continue;
    std::string value = flag_value(*answers.values[i]);
    if (value.empty()) value = "''";
    out += fmt::format(" {} {}", flag_name(rules.questions[i]), value);
  }
  return out;
}

Answers example_answers(const RuleSet& rules) {
  Answers answers(rules);
  while (const auto next = next_question(rules, answers)) {
    const Question& question = rules.questions[*next];
    std::vector<Value> candidates;
    switch (question.type) {
      case QuestionType::boolean:
        candidates = {Value{false}, Value{true}};
        break;
      case QuestionType::number:
        candidates = {Value{question.min}, Value{question.max}};
        break;
      case QuestionType::choice:
        for (const Choice& choice : question.choices) candidates.emplace_back(choice.value);
        break;
      case QuestionType::multi:
        for (const Choice& choice : question.choices)
          candidates.emplace_back(StringList{choice.value});
        break;
    }
    if (candidates.empty()) candidates.emplace_back(std::string());
    // The first answer that raises no red flag, so the example shows an ordinary case.
    answers.values[*next] = candidates.front();
    for (const Value& candidate : candidates) {
      answers.values[*next] = candidate;
      if (!raises_red_flag(rules, answers, *next)) break;
    }
  }
  return answers;
}

std::string describe_leaf(const Condition& leaf, const RuleSet& rules) {
  const std::string fact =
      leaf.fact < rules.questions.size() ? rules.questions[leaf.fact].id : std::string("?");
  std::string value;
  if (leaf.op == Operator::in || leaf.op == Operator::not_in) {
    std::vector<std::string> items;
    for (const Value& item : leaf.values) items.push_back(literal(item));
    value = "[" + join(items, ", ") + "]";
  } else {
    value = literal(leaf.value);
  }
  return fmt::format("{} {} {}", fact, operator_name(leaf.op), value);
}

std::string describe(const Condition& condition, const RuleSet& rules) {
  return describe_in(condition, rules, false);
}

namespace {

std::string plain_value(const Value& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "yes" : "no";
  return flag_value(value);
}

// What a question is called in a condition read aloud: its short text ("can put weight on the
// leg"), else its id with spaces ("severity").
std::string topic(const Question& question) {
  if (!question.short_text.empty()) return question.short_text;
  std::string name = question.id;
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

// The operator that holds exactly when `op` does not, for the ones that have a plain word for
// it; nullopt for the comparisons ("not (pain is less than 3)" stays as it is).
std::optional<Operator> opposite(Operator op) {
  switch (op) {
    case Operator::equal:
      return Operator::not_equal;
    case Operator::not_equal:
      return Operator::equal;
    case Operator::in:
      return Operator::not_in;
    case Operator::not_in:
      return Operator::in;
    case Operator::contains:
      return Operator::does_not_contain;
    case Operator::does_not_contain:
      return Operator::contains;
    default:
      return std::nullopt;
  }
}

std::string plain_leaf(const Condition& leaf, const RuleSet& rules, bool negated) {
  if (leaf.fact >= rules.questions.size()) return describe_leaf(leaf, rules);
  const Question& question = rules.questions[leaf.fact];
  Operator op = leaf.op;
  if (negated) {
    const auto flipped = opposite(op);
    if (!flipped) return "not (" + plain_leaf(leaf, rules, false) + ")";
    op = *flipped;
  }
  const std::string name = topic(question);
  // A yes/no question reads as what it asks ("swollen") or as that with its answer
  // ("can put weight on the leg: no").
  if (question.type == QuestionType::boolean &&
      (op == Operator::equal || op == Operator::not_equal)) {
    if (const bool* b = std::get_if<bool>(&leaf.value)) {
      const bool yes = *b == (op == Operator::equal);
      if (!yes) return name + ": no";
      return question.short_text.empty() ? name + ": yes" : name;
    }
  }
  std::vector<std::string> items;
  for (const Value& item : leaf.values) items.push_back(plain_value(item));
  const std::string value = plain_value(leaf.value);
  switch (op) {
    case Operator::equal:
      return name + " is " + value;
    case Operator::not_equal:
      return name + " is not " + value;
    case Operator::less_than:
      return name + " is less than " + value;
    case Operator::less_than_inclusive:
      return name + " is at most " + value;
    case Operator::greater_than:
      return name + " is more than " + value;
    case Operator::greater_than_inclusive:
      return name + " is at least " + value;
    case Operator::in:
      return name + " is " + join(items, " or ");
    case Operator::not_in:
      return name + " is not " + join(items, " or ");
    case Operator::contains:
      return name + " includes " + value;
    case Operator::does_not_contain:
      return name + " does not include " + value;
  }
  return describe_leaf(leaf, rules);
}

std::string plain_in(const Condition& condition, const RuleSet& rules, bool nested, int depth) {
  switch (condition.kind) {
    case Condition::Kind::leaf:
      return plain_leaf(condition, rules, false);
    case Condition::Kind::reference: {
      if (condition.reference >= rules.conditions.size()) return "?";
      const NamedCondition& named = rules.conditions[condition.reference];
      if (depth < 8) return plain_in(named.condition, rules, nested, depth + 1);
      std::string name = named.name;
      std::replace(name.begin(), name.end(), '_', ' ');
      return name;
    }
    case Condition::Kind::negation:
      if (condition.children.empty()) return "never";
      if (condition.children.front().kind == Condition::Kind::leaf)
        return plain_leaf(condition.children.front(), rules, true);
      return "not (" + plain_in(condition.children.front(), rules, false, depth + 1) + ")";
    case Condition::Kind::all:
    case Condition::Kind::any: {
      std::vector<std::string> parts;
      for (const Condition& child : condition.children)
        parts.push_back(plain_in(child, rules, true, depth + 1));
      const std::string text =
          join(parts, condition.kind == Condition::Kind::all ? " and " : " or ");
      return nested && parts.size() > 1 ? "(" + text + ")" : text;
    }
  }
  return {};
}

}  // namespace

std::string describe_plainly(const Condition& condition, const RuleSet& rules) {
  return plain_in(condition, rules, false, 0);
}

std::string describe_leaf_plainly(const Condition& leaf, const RuleSet& rules, bool negated) {
  return plain_leaf(leaf, rules, negated);
}

nlohmann::ordered_json condition_to_json(const Condition& condition, const RuleSet& rules) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  switch (condition.kind) {
    case Condition::Kind::all:
    case Condition::Kind::any: {
      nlohmann::ordered_json children = nlohmann::ordered_json::array();
      for (const Condition& child : condition.children)
        children.push_back(condition_to_json(child, rules));
      out[condition.kind == Condition::Kind::all ? "all" : "any"] = std::move(children);
      break;
    }
    case Condition::Kind::negation:
      out["not"] = condition.children.empty()
                       ? nlohmann::ordered_json::object()
                       : condition_to_json(condition.children.front(), rules);
      break;
    case Condition::Kind::reference:
      out["condition"] = condition.reference < rules.conditions.size()
                             ? rules.conditions[condition.reference].name
                             : std::string();
      break;
    case Condition::Kind::leaf: {
      out["fact"] =
          condition.fact < rules.questions.size() ? rules.questions[condition.fact].id : "";
      out["operator"] = std::string(operator_name(condition.op));
      if (condition.op == Operator::in || condition.op == Operator::not_in) {
        nlohmann::ordered_json values = nlohmann::ordered_json::array();
        for (const Value& item : condition.values) {
          nlohmann::json j;
          to_json(j, item);
          values.push_back(nlohmann::ordered_json(j));
        }
        out["value"] = std::move(values);
      } else {
        nlohmann::json j;
        to_json(j, condition.value);
        out["value"] = j;
      }
      break;
    }
  }
  return out;
}

}  // namespace kneetriage
