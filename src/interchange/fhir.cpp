#include "kneetriage/fhir.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kneetriage/questionnaire.hpp"
#include "support/text_util.hpp"

namespace kneetriage {
namespace {

using ordered = nlohmann::ordered_json;

constexpr std::string_view k_sdc = "http://hl7.org/fhir/uv/sdc/StructureDefinition/";
constexpr std::string_view k_core_extension = "http://hl7.org/fhir/StructureDefinition/";
constexpr std::string_view k_help_suffix = ".help";
constexpr std::string_view k_red_flag_suffix = ".red-flag";
constexpr const char* k_warning_sign = "This answer is a warning sign.";
// Deeper nesting than this is no form kneetriage wrote, and must not exhaust the stack.
constexpr int k_max_item_depth = 32;

// ---- conditions: references inlined, nested all/all and any/any flattened ----

Condition resolved(const Condition& condition, const RuleSet& rules) {
  if (condition.kind == Condition::Kind::reference)
    return resolved(rules.conditions[condition.reference].condition, rules);
  Condition out = condition;
  out.children.clear();
  for (const Condition& child : condition.children) {
    Condition inner = resolved(child, rules);
    const bool same = (out.kind == Condition::Kind::all || out.kind == Condition::Kind::any) &&
                      inner.kind == out.kind;
    if (same) {
      for (Condition& grandchild : inner.children) out.children.push_back(std::move(grandchild));
    } else {
      out.children.push_back(std::move(inner));
    }
  }
  if ((out.kind == Condition::Kind::all || out.kind == Condition::Kind::any) &&
      out.children.size() == 1) {
    Condition only = std::move(out.children.front());
    return only;
  }
  return out;
}

// Whether a literal can ever be strictly equal to an answer of this question.
bool literal_fits(const Question& question, const Value& literal) {
  switch (question.type) {
    case QuestionType::boolean:
      return std::holds_alternative<bool>(literal);
    case QuestionType::choice:
      return std::holds_alternative<std::string>(literal);
    case QuestionType::number: {
      const auto* number = std::get_if<double>(&literal);
      return number != nullptr && (!question.integer || std::nearbyint(*number) == *number);
    }
    case QuestionType::multi:
      return false;  // a list is never === anything
  }
  return false;
}

bool is_integer_item(const Question& question) {
  return question.type == QuestionType::number && question.integer;
}

// The enableWhen.answer[x] (or answerOption / QuestionnaireResponse answer value[x]) member for a
// literal that fits the question; `prefix` is "answer" or "value".
void put_value(ordered& out, std::string_view prefix, const Question& question,
               const Value& value) {
  const std::string p(prefix);
  if (const auto* flag = std::get_if<bool>(&value)) {
    out[p + "Boolean"] = *flag;
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    ordered coding;
    coding["code"] = *text;
    for (const Choice& choice : question.choices)
      if (choice.value == *text) coding["display"] = choice.label;
    out[p + "Coding"] = std::move(coding);
  } else if (const auto* number = std::get_if<double>(&value)) {
    if (is_integer_item(question))
      out[p + "Integer"] = static_cast<std::int64_t>(std::llround(*number));
    else
      out[p + "Decimal"] = *number;
  }
}

struct Term {
  Index question = 0;
  std::string op;
  Value answer;
};

enum class Joins { one, any, all };

struct Terms {
  std::vector<Term> terms;
  Joins joins = Joins::one;  // how the terms of one leaf combine (in: any, notIn: all)
};

std::string_view numeric_op(Operator op) {
  switch (op) {
    case Operator::less_than:
      return "<";
    case Operator::less_than_inclusive:
      return "<=";
    case Operator::greater_than:
      return ">";
    case Operator::greater_than_inclusive:
      return ">=";
    default:
      return "";
  }
}

// A leaf as enableWhen terms, nullopt when enableWhen cannot say it exactly (R4 semantics: "="
// holds when some answer equals, "!=" when none does, so also when unanswered, as notEqual).
std::optional<Terms> leaf_terms(const Condition& leaf, const RuleSet& rules) {
  const Question& question = rules.questions[leaf.fact];
  const bool multi = question.type == QuestionType::multi;
  Terms out;
  switch (leaf.op) {
    case Operator::equal:
    case Operator::not_equal:
      if (multi || !literal_fits(question, leaf.value)) return std::nullopt;
      out.terms.push_back({leaf.fact, leaf.op == Operator::equal ? "=" : "!=", leaf.value});
      return out;
    case Operator::contains:
      if (!multi || !std::holds_alternative<std::string>(leaf.value)) return std::nullopt;
      out.terms.push_back({leaf.fact, "=", leaf.value});
      return out;
    case Operator::in:
    case Operator::not_in: {
      if (multi) return std::nullopt;
      for (const Value& value : leaf.values)
        if (literal_fits(question, value))
          out.terms.push_back({leaf.fact, leaf.op == Operator::in ? "=" : "!=", value});
      if (out.terms.empty()) return std::nullopt;
      if (out.terms.size() > 1) out.joins = leaf.op == Operator::in ? Joins::any : Joins::all;
      return out;
    }
    case Operator::less_than:
    case Operator::less_than_inclusive:
    case Operator::greater_than:
    case Operator::greater_than_inclusive:
      if (question.type != QuestionType::number || !literal_fits(question, leaf.value))
        return std::nullopt;
      out.terms.push_back({leaf.fact, std::string(numeric_op(leaf.op)), leaf.value});
      return out;
    case Operator::does_not_contain:  // needs "answered", which "!=" alone does not say
      return std::nullopt;
  }
  return std::nullopt;
}

// The whole condition as enableWhen terms joined one way, nullopt when it takes an expression.
std::optional<Terms> enable_when(const Condition& condition, const RuleSet& rules) {
  if (condition.kind == Condition::Kind::leaf) return leaf_terms(condition, rules);
  if (condition.kind != Condition::Kind::all && condition.kind != Condition::Kind::any)
    return std::nullopt;
  if (condition.children.empty()) return std::nullopt;
  const Joins joins = condition.kind == Condition::Kind::all ? Joins::all : Joins::any;
  Terms out;
  out.joins = joins;
  for (const Condition& child : condition.children) {
    if (child.kind != Condition::Kind::leaf) return std::nullopt;
    auto terms = leaf_terms(child, rules);
    if (!terms || (terms->joins != Joins::one && terms->joins != joins)) return std::nullopt;
    for (Term& term : terms->terms) out.terms.push_back(std::move(term));
  }
  return out;
}

// ---- FHIRPath ----

std::string fhirpath_string(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    switch (c) {
      case '\'':
        out += "\\'";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  return out + "'";
}

std::string fhirpath_number(double number) {
  // FHIRPath has no exponent notation; the literal is wrapped so that a minus sign is unary.
  std::string text = std::nearbyint(number) == number && std::fabs(number) < 1e15
                         ? fmt::format("{}", static_cast<std::int64_t>(number))
                         : fmt::format("{}", number);
  if (text.find_first_of("eE") != std::string::npos) text = fmt::format("{:.17f}", number);
  return number < 0 ? "(" + text + ")" : text;
}

std::string fhirpath_literal(const Value& value) {
  if (const auto* flag = std::get_if<bool>(&value)) return *flag ? "true" : "false";
  if (const auto* text = std::get_if<std::string>(&value)) return fhirpath_string(*text);
  if (const auto* number = std::get_if<double>(&value)) return fhirpath_number(*number);
  return "{}";
}

// Question items are top-level items of the Questionnaire, so of a response that follows it.
// Not repeat(item): some engines (@medplum/core 4.5.2) do not implement repeat() and yield empty.
std::string item_path(const Question& question) {
  return "%resource.item.where(linkId = " + fhirpath_string(question.id) + ")";
}

std::string answer_path(const Question& question) {
  const bool coded = question.type == QuestionType::choice || question.type == QuestionType::multi;
  return item_path(question) + ".answer.value" + (coded ? ".code" : "");
}

// Some answer satisfies `predicate` (on $this): true or false, never empty.
std::string some_answer(const Question& question, const std::string& predicate) {
  return answer_path(question) + ".where(" + predicate + ").exists()";
}

std::string leaf_fhirpath(const Condition& leaf, const RuleSet& rules) {
  const Question& question = rules.questions[leaf.fact];
  const bool multi = question.type == QuestionType::multi;
  const auto equals = [&](const Value& value) {
    return literal_fits(question, value)
               ? some_answer(question, "$this = " + fhirpath_literal(value))
               : std::string("false");
  };
  switch (leaf.op) {
    case Operator::equal:
      return equals(leaf.value);
    case Operator::not_equal:
      return "(" + equals(leaf.value) + ").not()";
    case Operator::in:
    case Operator::not_in: {
      std::vector<std::string> options;
      for (const Value& value : leaf.values)
        if (literal_fits(question, value)) options.push_back("$this = " + fhirpath_literal(value));
      std::string any = "false";
      if (!options.empty()) {
        std::string predicate;
        for (const auto& option : options) predicate += (predicate.empty() ? "" : " or ") + option;
        any = some_answer(question, predicate);
      }
      return leaf.op == Operator::in ? any : "(" + any + ").not()";
    }
    case Operator::contains:
    case Operator::does_not_contain: {
      if (!multi) return "false";  // json-rules-engine: only an array contains anything
      const auto* text = std::get_if<std::string>(&leaf.value);
      std::string found =
          text != nullptr ? some_answer(question, "$this = " + fhirpath_string(*text)) : "false";
      if (leaf.op == Operator::contains) return found;
      return "(" + item_path(question) + ".answer.exists() and (" + found + ").not())";
    }
    case Operator::less_than:
    case Operator::less_than_inclusive:
    case Operator::greater_than:
    case Operator::greater_than_inclusive:
      if (question.type != QuestionType::number || !std::holds_alternative<double>(leaf.value))
        return "false";
      return some_answer(
          question, fmt::format("$this {} {}", numeric_op(leaf.op), fhirpath_literal(leaf.value)));
  }
  return "false";
}

std::string fhirpath(const Condition& condition, const RuleSet& rules) {
  switch (condition.kind) {
    case Condition::Kind::leaf:
      return leaf_fhirpath(condition, rules);
    case Condition::Kind::reference:
      return fhirpath(rules.conditions[condition.reference].condition, rules);
    case Condition::Kind::negation:
      return "(" + fhirpath(condition.children.front(), rules) + ").not()";
    case Condition::Kind::all:
    case Condition::Kind::any: {
      const bool all = condition.kind == Condition::Kind::all;
      if (condition.children.empty()) return all ? "true" : "false";
      if (condition.children.size() == 1) return fhirpath(condition.children.front(), rules);
      std::string out;
      for (const Condition& child : condition.children) {
        if (!out.empty()) out += all ? " and " : " or ";
        out += "(" + fhirpath(child, rules) + ")";
      }
      return out;
    }
  }
  return "false";
}

// Sets enableWhen / enableBehavior, or the SDC enableWhenExpression, on `item`.
void put_condition(ordered& item, ordered& extensions, const Condition& condition,
                   const RuleSet& rules) {
  const Condition simple = resolved(condition, rules);
  if (simple.kind == Condition::Kind::all && simple.children.empty()) return;  // always holds
  if (auto terms = enable_when(simple, rules)) {
    ordered list = ordered::array();
    for (const Term& term : terms->terms) {
      const Question& question = rules.questions[term.question];
      ordered entry;
      entry["question"] = question.id;
      entry["operator"] = term.op;
      put_value(entry, "answer", question, term.answer);
      list.push_back(std::move(entry));
    }
    item["enableWhen"] = std::move(list);
    if (terms->terms.size() > 1)
      item["enableBehavior"] = terms->joins == Joins::any ? "any" : "all";
    return;
  }
  extensions.push_back(
      {{"url", std::string(k_sdc) + "sdc-questionnaire-enableWhenExpression"},
       {"valueExpression",
        {{"language", "text/fhirpath"}, {"expression", fhirpath(condition, rules)}}}});
}

ordered item_control(std::string_view code, std::string_view display) {
  return {
      {"url", std::string(k_core_extension) + "questionnaire-itemControl"},
      {"valueCodeableConcept",
       {{"coding", ordered::array({{{"system", "http://hl7.org/fhir/questionnaire-item-control"},
                                    {"code", code},
                                    {"display", display}}})}}}};
}

ordered bound_extension(std::string_view name, const Question& question, double bound) {
  ordered out;
  out["url"] = std::string(k_core_extension) + std::string(name);
  if (question.integer)
    out["valueInteger"] = static_cast<std::int64_t>(std::llround(bound));
  else
    out["valueDecimal"] = bound;
  return out;
}

ordered question_item(const RuleSet& rules, const Question& question) {
  ordered item;
  ordered extensions = ordered::array();
  item["linkId"] = question.id;
  item["text"] = question.text;
  switch (question.type) {
    case QuestionType::boolean:
      item["type"] = "boolean";
      break;
    case QuestionType::choice:
    case QuestionType::multi:
      item["type"] = "choice";
      break;
    case QuestionType::number:
      item["type"] = question.integer ? "integer" : "decimal";
      break;
  }
  if (question.ask_if) put_condition(item, extensions, *question.ask_if, rules);
  item["required"] = true;
  if (question.type == QuestionType::multi) item["repeats"] = true;
  if (!question.choices.empty()) {
    ordered options = ordered::array();
    for (const Choice& choice : question.choices) {
      ordered option;
      put_value(option, "value", question, Value{choice.value});
      options.push_back(std::move(option));
    }
    item["answerOption"] = std::move(options);
  }
  if (question.type == QuestionType::number) {
    extensions.push_back(bound_extension("minValue", question, question.min));
    extensions.push_back(bound_extension("maxValue", question, question.max));
  }
  ordered children = ordered::array();
  if (!question.help.empty()) {
    children.push_back({{"extension", ordered::array({item_control("help", "Help-Button")})},
                        {"linkId", question.id + std::string(k_help_suffix)},
                        {"text", question.help},
                        {"type", "display"}});
  }
  if (question.red_flag) {
    ordered warning;
    ordered warning_extensions = ordered::array();
    warning["linkId"] = question.id + std::string(k_red_flag_suffix);
    warning["text"] =
        question.red_flag_message.empty() ? k_warning_sign : question.red_flag_message;
    warning["type"] = "display";
    put_condition(warning, warning_extensions, *question.red_flag, rules);
    if (!warning_extensions.empty()) warning["extension"] = std::move(warning_extensions);
    children.push_back(std::move(warning));
  }
  if (!children.empty()) item["item"] = std::move(children);
  if (extensions.empty()) return item;
  ordered out;  // extension first, as FHIR's own examples write it
  out["extension"] = std::move(extensions);
  for (auto& [key, value] : item.items()) out[key] = std::move(value);
  return out;
}

// "knee-pain-runners" -> "KneePainRunners": Questionnaire.name is for machines (que-0).
std::string machine_name(std::string_view id) {
  std::string out;
  bool upper = true;
  for (const char c : id) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      upper = true;
      continue;
    }
    if (out.empty() && c >= '0' && c <= '9') out += 'Q';
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out.empty() ? "Questionnaire" : out.substr(0, 255);
}

bool is_fhir_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// ---- reading a QuestionnaireResponse ----

class ResponseReader {
 public:
  ResponseReader(const RuleSet& rules, std::string_view file_name, AnswersResult& result)
      : rules_(rules), file_(file_name), result_(result), seen_(rules.questions.size(), false) {
    for (const Question& question : rules.questions) {
      ids_.push_back(question.id);
      if (!question.help.empty()) displays_.push_back(question.id + std::string(k_help_suffix));
      if (question.red_flag) displays_.push_back(question.id + std::string(k_red_flag_suffix));
    }
  }

  void read(const nlohmann::json& document) {
    if (!document.is_object()) {
      report("", "a QuestionnaireResponse must be a JSON object", "");
      return;
    }
    const auto type = document.find("resourceType");
    if (type == document.end() || !type->is_string() || *type != "QuestionnaireResponse") {
      report("/resourceType",
             fmt::format(
                 "expected a QuestionnaireResponse, not {}",
                 type == document.end() ? "a resource without a type" : detail::brief_json(*type)),
             "give the answers as a QuestionnaireResponse, or as a plain object without "
             "\"resourceType\"");
      return;
    }
    if (const auto canonical = document.find("questionnaire"); canonical != document.end()) {
      const std::string expected = questionnaire_url(rules_);
      if (!canonical->is_string()) {
        report("/questionnaire", "'questionnaire' must be a string (a canonical url)",
               "expected " + expected);
      } else {
        const auto& text = canonical->get_ref<const std::string&>();
        const std::string url = text.substr(0, text.find('|'));
        if (url != expected)
          report("/questionnaire",
                 fmt::format("this is a response to another questionnaire: '{}'",
                             detail::brief_text(url)),
                 fmt::format("these rules' questionnaire is {} (kneetriage questions --format "
                             "fhir); check --rules",
                             expected));
      }
    }
    if (const auto items = document.find("item"); items != document.end())
      read_items(*items, "/item", 1);
    if (problems_ > result_.diagnostics.size()) {
      result_.diagnostics.push_back(Diagnostic{
          std::string(file_), 0, 0, "",
          fmt::format("{} more problems not shown", problems_ - result_.diagnostics.size()),
          "fix the ones above and try again"});
    }
  }

 private:
  static constexpr std::size_t k_max_diagnostics = 500;

  void report(std::string pointer, std::string what, std::string hint) {
    if (problems_++ >= k_max_diagnostics) return;
    result_.diagnostics.push_back(
        Diagnostic{std::string(file_), 0, 0, std::move(pointer), std::move(what), std::move(hint)});
  }

  void read_items(const nlohmann::json& items, const std::string& pointer, int depth) {
    if (!items.is_array()) {
      report(pointer, fmt::format("'item' must be an array, not {}", detail::brief_json(items)),
             "");
      return;
    }
    if (depth > k_max_item_depth) {
      report(pointer, fmt::format("items are nested more than {} deep", k_max_item_depth),
             "kneetriage's questionnaire has no groups; list the items at the top level");
      return;
    }
    for (std::size_t i = 0; i < items.size(); ++i)
      read_item(items[i], detail::pointer_append(pointer, i), depth);
  }

  void read_item(const nlohmann::json& item, const std::string& pointer, int depth) {
    if (!item.is_object()) {
      report(pointer, fmt::format("an item must be an object, not {}", detail::brief_json(item)),
             "");
      return;
    }
    const auto link = item.find("linkId");
    if (link == item.end() || !link->is_string()) {
      report(link == item.end() ? pointer : pointer + "/linkId", "the item has no string linkId",
             "every item names its question by linkId");
      return;
    }
    const auto& id = link->get_ref<const std::string&>();
    const auto answers = item.find("answer");
    if (const auto index = rules_.find_question(id)) {
      if (seen_[*index]) {
        report(pointer + "/linkId", fmt::format("'{}' is answered twice", id),
               "give each question's answers in one item");
      } else {
        seen_[*index] = true;
        if (answers != item.end())
          read_answers(rules_.questions[*index], *index, *answers, pointer + "/answer", depth);
      }
    } else if (std::find(displays_.begin(), displays_.end(), id) != displays_.end()) {
      if (answers != item.end())
        report(pointer + "/answer", fmt::format("'{}' is a display item; it takes no answer", id),
               "");
    } else {
      report(pointer + "/linkId", fmt::format("unknown linkId '{}'", detail::brief_text(id)),
             detail::suggestion(id, ids_, "the questions are"));
    }
    if (const auto children = item.find("item"); children != item.end())
      read_items(*children, pointer + "/item", depth + 1);
  }

  void read_answers(const Question& question, Index index, const nlohmann::json& answers,
                    const std::string& pointer, int depth) {
    if (!answers.is_array()) {
      report(pointer, fmt::format("'answer' must be an array, not {}", detail::brief_json(answers)),
             "");
      return;
    }
    const bool multi = question.type == QuestionType::multi;
    if (!multi && answers.size() > 1) {
      report(detail::pointer_append(pointer, 1),
             fmt::format("'{}' takes one answer, not {}", question.id, answers.size()),
             "only multi-answer questions (repeats: true) take several");
    }
    StringList list;
    bool ok = true;
    for (std::size_t j = 0; j < answers.size(); ++j) {
      const std::string at = detail::pointer_append(pointer, j);
      const nlohmann::json& answer = answers[j];
      if (!answer.is_object()) {
        report(at, fmt::format("an answer must be an object, not {}", detail::brief_json(answer)),
               "");
        ok = false;
        continue;
      }
      if (const auto children = answer.find("item"); children != answer.end())
        read_items(*children, at + "/item", depth + 1);
      if (j > 0 && !multi) continue;
      std::optional<Value> value = answer_value(question, answer, at);
      if (!value) {
        ok = false;
        continue;
      }
      if (multi) {
        list.push_back(std::get<std::string>(*value));
        continue;
      }
      if (auto why = check_answer(question, *value); !why.empty()) {
        report(at, fmt::format("invalid answer for '{}': {}", question.id, why),
               "expected " + allowed_values(question));
        ok = false;
        continue;
      }
      result_.answers.values[index] = std::move(*value);
    }
    if (!multi || !ok || list.empty()) return;  // no answers: not answered
    Value value{std::move(list)};
    if (auto why = check_answer(question, value); !why.empty()) {
      report(pointer, fmt::format("invalid answer for '{}': {}", question.id, why),
             "expected " + allowed_values(question));
      return;
    }
    result_.answers.values[index] = std::move(value);
  }

  // The answer's value[x] as the question's kind of Value; nullopt (reported) when it has none,
  // several, or one of a type the question does not take.
  std::optional<Value> answer_value(const Question& question, const nlohmann::json& answer,
                                    const std::string& at) {
    std::string key;
    for (const auto& [name, raw] : answer.items()) {
      if (name.rfind("value", 0) != 0) continue;
      if (!key.empty()) {
        report(at, "an answer has one value[x], this one has several",
               fmt::format("'{}' and '{}'", key, name));
        return std::nullopt;
      }
      key = name;
    }
    const std::string expected = expected_values(question);
    if (key.empty()) {
      report(at, fmt::format("the answer to '{}' has no value", question.id),
             "expected " + expected);
      return std::nullopt;
    }
    const nlohmann::json& raw = answer[key];
    const std::string where = at + "/" + key;
    const auto wrong = [&] {
      report(where,
             fmt::format("'{}' cannot be answered with {} {}", question.id, key,
                         detail::brief_json(raw)),
             "expected " + expected);
      return std::nullopt;
    };
    switch (question.type) {
      case QuestionType::boolean:
        if (key == "valueBoolean" && raw.is_boolean()) return Value{raw.get<bool>()};
        return wrong();
      case QuestionType::choice:
      case QuestionType::multi: {
        if (key == "valueString" && raw.is_string()) return Value{raw.get<std::string>()};
        if (key != "valueCoding" || !raw.is_object()) return wrong();
        const auto code = raw.find("code");
        if (code == raw.end() || !code->is_string()) {
          report(where, fmt::format("the valueCoding for '{}' has no code", question.id),
                 "expected " + expected);
          return std::nullopt;
        }
        const auto& text = code->get_ref<const std::string&>();
        const bool known = std::any_of(question.choices.begin(), question.choices.end(),
                                       [&](const Choice& choice) { return choice.value == text; });
        if (!known) {
          report(where + "/code",
                 fmt::format("'{}' is not one of the codes of '{}'", detail::brief_text(text),
                             question.id),
                 "expected " + allowed_values(question));
          return std::nullopt;
        }
        return Value{text};
      }
      case QuestionType::number:
        if ((key == "valueInteger" && raw.is_number_integer()) ||
            (key == "valueDecimal" && raw.is_number()))
          return Value{raw.get<double>()};
        return wrong();
    }
    return wrong();
  }

  static std::string expected_values(const Question& question) {
    switch (question.type) {
      case QuestionType::boolean:
        return "valueBoolean: true or false";
      case QuestionType::choice:
      case QuestionType::multi:
        return "valueCoding with a code of: " + allowed_values(question);
      case QuestionType::number:
        return fmt::format("{}: {}", question.integer ? "valueInteger" : "valueDecimal",
                           allowed_values(question));
    }
    return {};
  }

  const RuleSet& rules_;
  std::string_view file_;
  AnswersResult& result_;
  std::vector<bool> seen_;
  std::vector<std::string> ids_;
  std::vector<std::string> displays_;
  std::size_t problems_ = 0;
};

}  // namespace

std::string questionnaire_url(const RuleSet& rules) {
  return "urn:kneetriage:questionnaire:" + rules.id;
}

std::string condition_to_fhirpath(const Condition& condition, const RuleSet& rules) {
  return fhirpath(condition, rules);
}

nlohmann::ordered_json questionnaire_to_fhir(const RuleSet& rules) {
  ordered out;
  out["resourceType"] = "Questionnaire";
  if (is_fhir_id(rules.id)) out["id"] = rules.id;
  out["url"] = questionnaire_url(rules);
  out["version"] = rules.version;
  out["name"] = machine_name(rules.id);
  out["title"] = rules.title;
  out["status"] = "active";
  out["subjectType"] = ordered::array({"Patient"});
  out["publisher"] = "kneetriage";
  if (!rules.disclaimer.empty()) out["description"] = rules.disclaimer;
  ordered items = ordered::array();
  for (const Question& question : rules.questions) items.push_back(question_item(rules, question));
  out["item"] = std::move(items);
  return out;
}

bool is_fhir_resource(const nlohmann::json& document) {
  return document.is_object() && document.contains("resourceType");
}

AnswersResult answers_from_questionnaire_response(const RuleSet& rules,
                                                  const nlohmann::json& document,
                                                  std::string_view file_name) {
  AnswersResult result{Answers(rules), {}};
  ResponseReader(rules, file_name, result).read(document);
  return result;
}

AnswersResult answers_from_document(const RuleSet& rules, const nlohmann::json& document,
                                    std::string_view file_name) {
  return is_fhir_resource(document)
             ? answers_from_questionnaire_response(rules, document, file_name)
             : answers_from_json(rules, document, file_name);
}

nlohmann::ordered_json answers_to_questionnaire_response(const RuleSet& rules,
                                                         const Answers& answers) {
  ordered out;
  out["resourceType"] = "QuestionnaireResponse";
  out["questionnaire"] = questionnaire_url(rules) + "|" + rules.version;
  out["status"] = is_complete(rules, answers) ? "completed" : "in-progress";
  ordered items = ordered::array();
  for (Index i = 0; i < rules.questions.size() && i < answers.values.size(); ++i) {
    if (!answers.values[i]) continue;
    const Question& question = rules.questions[i];
    ordered list = ordered::array();
    if (const auto* chosen = std::get_if<StringList>(&*answers.values[i])) {
      for (const std::string& value : *chosen) {
        ordered answer;
        put_value(answer, "value", question, Value{value});
        list.push_back(std::move(answer));
      }
    } else {
      ordered answer;
      put_value(answer, "value", question, *answers.values[i]);
      list.push_back(std::move(answer));
    }
    if (list.empty()) continue;
    items.push_back(
        {{"linkId", question.id}, {"text", question.text}, {"answer", std::move(list)}});
  }
  if (!items.empty()) out["item"] = std::move(items);  // FHIR JSON has no empty arrays
  return out;
}

}  // namespace kneetriage
