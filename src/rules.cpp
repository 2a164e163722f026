#include "kneetriage/rules.hpp"

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "json_locate.hpp"
#include "kneetriage/answers.hpp"
#include "invariants_reader.hpp"
#include "text_util.hpp"

namespace kneetriage {
namespace {

using json = nlohmann::json;
using detail::pointer_append;

constexpr std::string_view k_format = "kneetriage-rules/1";
constexpr int k_max_condition_depth = 64;
constexpr std::size_t k_max_rules_bytes = std::size_t{64} << 20U;
// Past this many problems the file is clearly not a rules file; locating each costs a scan.
constexpr std::size_t k_max_diagnostics = 500;

std::string type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    default: return "an unsupported value";
  }
}

bool is_id(std::string_view text, bool allow_upper) {
  if (text.empty() || text.size() > 64) return false;
  const auto is_letter = [&](char c) {
    return (c >= 'a' && c <= 'z') || (allow_upper && c >= 'A' && c <= 'Z');
  };
  if (!is_letter(text.front())) return false;
  return std::all_of(text.begin(), text.end(), [&](char c) {
    return is_letter(c) || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// An id -> index map for one catalogue, remembering where each id was first defined.
struct Catalogue {
  std::string label;  // "question", "cause", ...
  std::unordered_map<std::string, Index> index;
  std::vector<std::string> ids;
  std::vector<std::string> pointers;

  [[nodiscard]] std::optional<Index> find(const std::string& id) const {
    const auto it = index.find(id);
    if (it == index.end()) return std::nullopt;
    return it->second;
  }
};

// Which questions a condition may refer to: ask_if only to earlier questions, red_flag also to
// its own question.
struct Scope {
  std::optional<Index> question;  // the question whose ask_if / red_flag this is
  bool may_use_itself = false;
  std::string_view role;  // "ask_if" or "red_flag"
};

class Loader {
 public:
  Loader(std::string_view text, std::string_view file) : text_(text), file_(file) {}

  LoadResult run() {
    LoadResult result;
    if (text_.size() > k_max_rules_bytes) {
      error("", fmt::format("the rules file is {} bytes; the limit is {} MiB", text_.size(),
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

 private:
  // ---- reporting ----
  // "did you mean …?" for a message that will be shown: past the cap on diagnostics the message is
  // dropped, and comparing an unknown id with every known one is the costly part of an error.
  [[nodiscard]] std::string suggest(std::string_view word, const std::vector<std::string>& candidates,
                                    std::string_view known_label) const {
    if (diagnostics_.size() >= k_max_diagnostics) return {};
    return detail::suggestion(word, candidates, known_label);
  }

  void error(std::string pointer, std::string what, std::string hint = {}) {
    ++problem_count_;
    if (diagnostics_.size() >= k_max_diagnostics) return;
    diagnostics_.push_back(
        Diagnostic{std::string(file_), 0, 0, std::move(pointer), std::move(what), std::move(hint)});
  }

  void finish_positions() {
    add_positions(diagnostics_, text_);
    std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                       return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                     });
    if (problem_count_ > diagnostics_.size()) {
      diagnostics_.push_back(Diagnostic{
          std::string(file_), 0, 0, "",
          fmt::format("{} more problems not shown", problem_count_ - diagnostics_.size()),
          "fix the ones above and check again"});
    }
  }

  bool parse(json& root) {
    try {
      root = json::parse(text_.begin(), text_.end());
      return true;
    } catch (const json::parse_error& e) {
      const auto position = detail::position_of_offset(text_, e.byte == 0 ? 0 : e.byte - 1);
      std::string what = e.what();
      // nlohmann's message repeats the position; keep only the reason.
      if (const auto colon = what.find(": "); colon != std::string::npos) {
        what = what.substr(colon + 2);
      }
      std::string hint = "the rules file must be valid JSON (no comments, no trailing commas)";
      auto where = position;
      if (text_.empty() || detail::trim(text_).empty()) {
        what = "the file is empty";
        hint = "a rules file is a JSON object; see docs/rules-format.md";
      } else if (text_.starts_with("\xFF\xFE") || text_.starts_with("\xFE\xFF")) {
        // nlohmann's own message ("invalid literal") would not say what is wrong with the file.
        what = "the file is UTF-16 text";
        hint = "save it as UTF-8";
        where = detail::TextPosition{};
      } else if (const auto nul = text_.find('\0'); nul != std::string_view::npos) {
        // nlohmann stops at a NUL byte and reports an "unexpected end of input" there.
        what = "the file is binary, not text: it has a NUL byte here";
        hint = "a rules file is a UTF-8 JSON text; see docs/rules-format.md";
        where = detail::position_of_offset(text_, nul);
      }
      diagnostics_.push_back(Diagnostic{std::string(file_), where.line, where.column, "",
                                        "invalid JSON: " + what, hint});
    } catch (const json::out_of_range& e) {
      // A number too large for a double ("number overflow parsing '1e309'"). nlohmann gives no
      // position for it: find the number it quotes.
      std::string what = e.what();
      if (const auto bracket = what.find("] "); bracket != std::string::npos) {
        what = what.substr(bracket + 2);
      }
      int line = 0;
      int column = 0;
      if (const auto open = what.find('\''), close = what.rfind('\'');
          open != std::string::npos && close > open + 1) {
        if (const auto at = text_.find(what.substr(open + 1, close - open - 1));
            at != std::string_view::npos) {
          const auto position = detail::position_of_offset(text_, at);
          line = position.line;
          column = position.column;
        }
      }
      diagnostics_.push_back(Diagnostic{std::string(file_), line, column, "", "invalid JSON: " + what,
                                        "numbers must fit in a double (at most about 1.8e308)"});
    } catch (const json::exception& e) {
      diagnostics_.push_back(
          Diagnostic{std::string(file_), 0, 0, "", std::string("invalid JSON: ") + e.what(), ""});
    }
    return false;
  }

  // ---- typed access ----
  bool expect_object(const json& j, const std::string& pointer, std::string_view what) {
    if (j.is_object()) return true;
    error(pointer, fmt::format("{} must be an object, found {}", what, type_name(j)));
    return false;
  }

  void check_keys(const json& object, const std::string& pointer,
                  std::initializer_list<std::string_view> allowed) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      const std::string& key = it.key();
      if (!key.empty() && key.front() == '$') continue;  // "$comment" and friends
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      const std::vector<std::string> allowed_list(allowed.begin(), allowed.end());
      error(pointer_append(pointer, key), fmt::format("unknown key '{}'", detail::brief_text(key)),
            suggest(key, allowed_list, "allowed keys") +
                "; keys starting with '$' are ignored, for comments");
    }
  }

  // nullptr when absent (after reporting it if required).
  const json* member(const json& object, std::string_view key, const std::string& pointer,
                     bool required) {
    const auto it = object.find(key);
    if (it == object.end()) {
      if (required) {
        error(pointer, fmt::format("missing required key '{}'", key),
              fmt::format("add \"{}\"; see docs/rules-format.md", key));
      }
      return nullptr;
    }
    return &*it;
  }

  std::string string_member(const json& object, std::string_view key, const std::string& pointer,
                            bool required) {
    const json* value = member(object, key, pointer, required);
    if (value == nullptr) return {};
    if (!value->is_string()) {
      error(pointer_append(pointer, key),
            fmt::format("'{}' must be a string, found {}", key, type_name(*value)));
      return {};
    }
    auto text = value->get<std::string>();
    if (required && detail::trim(text).empty()) {
      error(pointer_append(pointer, key), fmt::format("'{}' must not be empty", key));
    }
    return text;
  }

  std::vector<std::string> string_list_member(const json& object, std::string_view key,
                                              const std::string& pointer, bool required) {
    std::vector<std::string> out;
    const json* value = member(object, key, pointer, required);
    if (value == nullptr) return out;
    const auto list_pointer = pointer_append(pointer, key);
    if (!value->is_array()) {
      error(list_pointer,
            fmt::format("'{}' must be an array of strings, found {}", key, type_name(*value)));
      return out;
    }
    for (std::size_t i = 0; i < value->size(); ++i) {
      const auto& element = (*value)[i];
      if (!element.is_string()) {
        error(pointer_append(list_pointer, i),
              fmt::format("expected a string, found {}", type_name(element)));
        continue;
      }
      out.push_back(element.get<std::string>());
    }
    return out;
  }

  // The array at `key` of the root; reports absence and wrong types.
  const json* array_member(const json& object, std::string_view key, const std::string& pointer,
                           bool required) {
    const json* value = member(object, key, pointer, required);
    if (value == nullptr) return nullptr;
    if (!value->is_array()) {
      error(pointer_append(pointer, key),
            fmt::format("'{}' must be an array, found {}", key, type_name(*value)));
      return nullptr;
    }
    return value;
  }

  // Resolves a list of ids against a catalogue.
  Indices references(const json& object, std::string_view key, const std::string& pointer,
                     const Catalogue& catalogue, bool required) {
    Indices out;
    const json* value = member(object, key, pointer, required);
    if (value == nullptr) return out;
    const auto list_pointer = pointer_append(pointer, key);
    if (!value->is_array()) {
      error(list_pointer, fmt::format("'{}' must be an array of {} ids, found {}", key,
                                      catalogue.label, type_name(*value)));
      return out;
    }
    if (required && value->empty()) {
      error(list_pointer, fmt::format("'{}' must not be empty", key),
            fmt::format("name at least one {}", catalogue.label));
    }
    for (std::size_t i = 0; i < value->size(); ++i) {
      const auto& element = (*value)[i];
      const auto element_pointer = pointer_append(list_pointer, i);
      if (!element.is_string()) {
        error(element_pointer,
              fmt::format("expected a {} id (a string), found {}", catalogue.label,
                          type_name(element)));
        continue;
      }
      const auto id = element.get<std::string>();
      if (const auto index = catalogue.find(id)) {
        out.push_back(*index);
      } else {
        error(element_pointer, fmt::format("unknown {} '{}'", catalogue.label, id),
              suggest(id, catalogue.ids, "known " + catalogue.label + " ids"));
      }
    }
    return out;
  }

  Indices sources_of(const json& object, const std::string& pointer) {
    return references(object, "source", pointer, citations_, true);
  }

  // Registers the ids of one catalogue (array of objects with "id") before anything refers to it.
  void register_ids(const json* array, const std::string& array_pointer, Catalogue& catalogue,
                    bool allow_upper = false) {
    if (array == nullptr) return;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const auto& entry = (*array)[i];
      const auto pointer = pointer_append(array_pointer, i);
      if (!entry.is_object()) continue;  // reported when the entry itself is read
      const auto it = entry.find("id");
      if (it == entry.end() || !it->is_string()) continue;
      const auto id = it->get<std::string>();
      const auto id_pointer = pointer_append(pointer, "id");
      if (!is_id(id, allow_upper)) {
        error(id_pointer, fmt::format("'{}' is not a valid {} id", id, catalogue.label),
              allow_upper ? "use letters, digits, '-' and '_', starting with a letter"
                          : "use lower-case letters, digits, '-' and '_', starting with a letter");
      }
      if (const auto existing = catalogue.find(id)) {
        error(id_pointer, fmt::format("duplicate {} id '{}'", catalogue.label, id),
              fmt::format("it is already defined at {}; ids must be unique",
                          catalogue.pointers[*existing]));
        continue;
      }
      catalogue.index.emplace(id, catalogue.ids.size());
      catalogue.ids.push_back(id);
      catalogue.pointers.push_back(pointer);
    }
  }

  // ---- conditions ----
  std::optional<Condition> condition(const json& j, const std::string& pointer, int depth,
                                     const Scope& scope) {
    if (depth > k_max_condition_depth) {
      error(pointer, fmt::format("conditions are nested deeper than {} levels", k_max_condition_depth),
            "flatten them with all/any, or move parts into named conditions");
      return std::nullopt;
    }
    if (!j.is_object()) {
      error(pointer, fmt::format("a condition must be an object, found {}", type_name(j)),
            "use {\"all\": [...]}, {\"any\": [...]}, {\"not\": ...}, {\"condition\": NAME} or "
            "{\"fact\": ..., \"operator\": ..., \"value\": ...}");
      return std::nullopt;
    }
    static constexpr std::array<std::string_view, 5> k_heads{"all", "any", "not", "condition",
                                                             "fact"};
    std::vector<std::string_view> heads;
    for (const auto head : k_heads) {
      if (j.contains(head)) heads.push_back(head);
    }
    if (heads.size() != 1) {
      error(pointer,
            heads.empty() ? std::string("a condition needs one of all, any, not, condition, fact")
                          : fmt::format("a condition must have exactly one of all, any, not, "
                                        "condition, fact; this one has {}",
                                        fmt::join(heads, " and ")),
            "split it into separate conditions inside an all/any");
      return std::nullopt;
    }
    const auto head = heads.front();
    Condition out;
    if (head == "all" || head == "any") {
      check_keys(j, pointer, {"all", "any"});
      out.kind = head == "all" ? Condition::Kind::all : Condition::Kind::any;
      const auto& operands = j.at(head);
      const auto list_pointer = pointer_append(pointer, head);
      if (!operands.is_array()) {
        error(list_pointer,
              fmt::format("'{}' must be an array of conditions, found {}", head, type_name(operands)));
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
      auto child = condition(j.at("not"), pointer_append(pointer, "not"), depth + 1, scope);
      if (!child) return std::nullopt;
      out.children.push_back(std::move(*child));
      return out;
    }
    if (head == "condition") {
      check_keys(j, pointer, {"condition"});
      return reference(j.at("condition"), pointer_append(pointer, "condition"), depth, scope);
    }
    check_keys(j, pointer, {"fact", "operator", "value"});
    return leaf(j, pointer, scope);
  }

  std::optional<Condition> reference(const json& name_json, const std::string& pointer, int depth,
                                     const Scope& scope) {
    if (!name_json.is_string()) {
      error(pointer, fmt::format("'condition' must name a named condition (a string), found {}",
                                 type_name(name_json)));
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
  std::string scope_violation(Index fact, const Scope& scope) const {
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

  std::optional<Condition> leaf(const json& j, const std::string& pointer, const Scope& scope) {
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
    if (!literal(*question, *op, *value, pointer_append(pointer, "value"), out)) return std::nullopt;
    return out;
  }

  // Checks the literal against what the question can ever answer, and stores it in `out`.
  bool literal(const Question& question, Operator op, const json& value,
               const std::string& pointer, Condition& out) {
    const auto takeable = [&](const json& element, const std::string& element_pointer,
                              Value& converted) {
      if (!value_from_json(element, converted)) {
        error(element_pointer,
              fmt::format("question '{}' can never be {}", question.id, type_name(element)),
              "its answers are: " + allowed_values(question));
        return false;
      }
      if (auto why = check_answer(question, converted); !why.empty()) {
        error(element_pointer,
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
          error(pointer,
                fmt::format("'{}' on the multiple-choice question '{}' never matches (lists "
                            "compare by identity in json-rules-engine)",
                            operator_name(op), question.id),
                "use contains / doesNotContain");
          return false;
        }
        return takeable(value, pointer, out.value);
      case Operator::in:
      case Operator::not_in: {
        if (!value.is_array() || value.empty()) {
          error(pointer,
                fmt::format("'{}' needs a non-empty array of values, found {}", operator_name(op),
                            value.is_array() ? "an empty array" : type_name(value)),
                fmt::format("e.g. \"value\": [{}]", allowed_values(question)));
          return false;
        }
        if (question.type == QuestionType::multi) {
          error(pointer,
                fmt::format("'{}' on the multiple-choice question '{}' never matches",
                            operator_name(op), question.id),
                "use contains / doesNotContain");
          return false;
        }
        bool ok = true;
        for (std::size_t i = 0; i < value.size(); ++i) {
          Value converted;
          if (takeable(value[i], pointer_append(pointer, i), converted)) {
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
          error(pointer,
                fmt::format("'{}' needs a list-valued answer, but question '{}' is {} question, "
                            "so this never matches",
                            operator_name(op), question.id,
                            question.type == QuestionType::boolean ? "a yes/no" : "a single-answer"),
                "use equal / notEqual / in / notIn");
          return false;
        }
        const auto choice = std::find_if(
            question.choices.begin(), question.choices.end(),
            [&](const Choice& c) { return value.is_string() && value.get<std::string>() == c.value; });
        if (choice == question.choices.end()) {
          error(pointer,
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
          error(pointer,
                fmt::format("'{}' compares numbers, but question '{}' is not a number question, "
                            "so this never matches",
                            operator_name(op), question.id),
                "use equal / notEqual / in / notIn");
          return false;
        }
        if (!value.is_number()) {
          error(pointer, fmt::format("'{}' needs a number, found {}", operator_name(op),
                                     type_name(value)));
          return false;
        }
        out.value = value.get<double>();
        return true;
    }
  }

  // ---- document ----
  void load_document(const json& root) {
    if (!expect_object(root, "", "the rules document")) return;
    check_keys(root, "",
               {"format", "id", "version", "title", "disclaimer", "sources", "citations",
                "urgencies", "questions", "conditions", "causes", "advice", "exercises", "plan",
                "rules", "invariants"});
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
    // Last: an invariant may name any urgency, item, citation or question (src/invariants.cpp).
    rules_.invariants = detail::read_invariants(
        member(root, "invariants", "", false),
        {[this](std::string p, std::string what, std::string hint) {
           error(std::move(p), std::move(what), std::move(hint));
         },
         [this](const json& j, const std::string& p) { return condition(j, p, 1, Scope{}); },
         &rules_});
  }

  template <typename Each>
  void for_each_entry(const json* array, std::string_view array_pointer, std::string_view what,
                      Each each) {
    if (array == nullptr) return;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const auto pointer = pointer_append(array_pointer, i);
      if (!expect_object((*array)[i], pointer, what)) continue;
      each((*array)[i], pointer);
    }
  }

  void load_sources(const json* array) {
    for_each_entry(array, "/sources", "a source", [&](const json& j, const std::string& p) {
      check_keys(j, p, {"id", "title", "author", "publisher", "url"});
      Source source;
      source.id = string_member(j, "id", p, true);
      source.title = string_member(j, "title", p, true);
      source.author = string_member(j, "author", p, false);
      source.publisher = string_member(j, "publisher", p, false);
      source.url = string_member(j, "url", p, false);
      rules_.sources.push_back(std::move(source));
    });
  }

  void load_citations(const json* array) {
    for_each_entry(array, "/citations", "a citation", [&](const json& j, const std::string& p) {
      check_keys(j, p, {"id", "source", "point", "quote"});
      Citation citation;
      citation.id = string_member(j, "id", p, true);
      const auto source = string_member(j, "source", p, true);
      if (!source.empty()) {
        if (const auto index = sources_.find(source)) {
          citation.source = *index;
        } else {
          error(pointer_append(p, "source"), fmt::format("unknown source '{}'", source),
                suggest(source, sources_.ids, "known sources"));
        }
      }
      citation.point = string_member(j, "point", p, true);
      citation.quote = string_member(j, "quote", p, false);
      rules_.citations.push_back(std::move(citation));
    });
  }

  std::vector<std::string> kinds(const json& j, std::string_view key, const std::string& pointer,
                                 bool required) {
    auto list = string_list_member(j, key, pointer, required);
    for (std::size_t i = 0; i < list.size(); ++i) check_kind(list[i], pointer_append(pointer_append(pointer, key), i));
    return list;
  }

  void check_kind(const std::string& kind, const std::string& pointer) {
    const auto& known = known_kinds();
    if (std::find(known.begin(), known.end(), kind) != known.end()) return;
    std::vector<std::string> names(known.begin(), known.end());
    error(pointer, fmt::format("unknown kind '{}'", kind), suggest(kind, names, "kinds"));
  }

  void load_urgencies(const json* array) {
    if (array != nullptr && array->empty()) {
      error("/urgencies", "there must be at least one urgency level",
            "list them from the highest (e.g. emergency) to the lowest (e.g. self-care)");
    }
    for_each_entry(array, "/urgencies", "an urgency", [&](const json& j, const std::string& p) {
      check_keys(j, p, {"id", "title", "action", "withhold", "frequency", "on_hold"});
      Urgency urgency;
      urgency.id = string_member(j, "id", p, true);
      urgency.title = string_member(j, "title", p, true);
      urgency.action = string_member(j, "action", p, true);
      urgency.withhold = kinds(j, "withhold", p, false);
      urgency.on_hold = string_member(j, "on_hold", p, false);
      if (const json* frequency = member(j, "frequency", p, false)) {
        const auto fp = pointer_append(p, "frequency");
        if (expect_object(*frequency, fp, "'frequency'")) {
          for (auto it = frequency->begin(); it != frequency->end(); ++it) {
            if (it.key().starts_with('$')) continue;  // "$comment", as anywhere else
            const auto kp = pointer_append(fp, it.key());
            check_kind(it.key(), kp);
            if (!it->is_string() || detail::trim(it->get<std::string>()).empty()) {
              error(kp, "a frequency must be a non-empty string",
                    R"(e.g. "activation": "daily, gently")");
              continue;
            }
            urgency.frequency.emplace_back(it.key(), it->get<std::string>());
          }
        }
      }
      rules_.urgencies.push_back(std::move(urgency));
    });
  }

  void load_questions(const json* array) {
    for_each_entry(array, "/questions", "a question", [&](const json& j, const std::string& p) {
      check_keys(j, p,
                 {"id", "text", "help", "type", "choices", "min", "max", "integer", "ask_if",
                  "red_flag", "red_flag_message", "short"});
      Question question;
      question.id = string_member(j, "id", p, true);
      question.text = string_member(j, "text", p, true);
      question.short_text = string_member(j, "short", p, false);
      question.help = string_member(j, "help", p, true);
      const auto type = string_member(j, "type", p, true);
      static const std::vector<std::string> k_types{"choice", "multi", "boolean", "number"};
      if (type == "choice") {
        question.type = QuestionType::choice;
      } else if (type == "multi") {
        question.type = QuestionType::multi;
      } else if (type == "boolean") {
        question.type = QuestionType::boolean;
      } else if (type == "number") {
        question.type = QuestionType::number;
      } else {
        if (!type.empty()) {
          error(pointer_append(p, "type"), fmt::format("unknown question type '{}'", type),
                suggest(type, k_types, "types"));
        }
        // Without a type nothing about its answers can be checked: say nothing more about it.
        untyped_questions_.push_back(question.id);
        rules_.questions.push_back(std::move(question));
        return;
      }
      const bool has_choices =
          question.type == QuestionType::choice || question.type == QuestionType::multi;
      if (has_choices && !type.empty()) {
        load_choices(j, p, question);
      } else if (j.contains("choices")) {
        error(pointer_append(p, "choices"),
              fmt::format("a {} question takes no choices", type),
              "remove 'choices', or make the type \"choice\"");
      }
      if (question.type == QuestionType::number) {
        load_number_bounds(j, p, question);
      } else {
        for (const auto key : {"min", "max", "integer"}) {
          if (j.contains(key)) {
            error(pointer_append(p, key), fmt::format("'{}' only applies to number questions", key));
          }
        }
      }
      question.red_flag_message = string_member(j, "red_flag_message", p, false);
      if (j.contains("red_flag") != j.contains("red_flag_message")) {
        error(p, "'red_flag' and 'red_flag_message' go together",
              "give both: the condition and the warning shown when it holds");
      }
      rules_.questions.push_back(std::move(question));
    });
  }

  void load_choices(const json& j, const std::string& p, Question& question) {
    const json* choices = array_member(j, "choices", p, true);
    if (choices == nullptr) return;
    const auto choices_pointer = pointer_append(p, "choices");
    if (choices->empty()) {
      error(choices_pointer, "a choice question needs at least one choice");
    }
    for (std::size_t i = 0; i < choices->size(); ++i) {
      const auto cp = pointer_append(choices_pointer, i);
      if (!expect_object((*choices)[i], cp, "a choice")) continue;
      check_keys((*choices)[i], cp, {"value", "label"});
      Choice choice;
      choice.value = string_member((*choices)[i], "value", cp, true);
      choice.label = string_member((*choices)[i], "label", cp, true);
      if (!choice.value.empty() && !is_id(choice.value, false)) {
        error(pointer_append(cp, "value"), fmt::format("'{}' is not a valid choice value", choice.value),
              "use lower-case letters, digits, '-' and '_', starting with a letter");
      }
      const bool duplicate =
          std::any_of(question.choices.begin(), question.choices.end(),
                      [&](const Choice& other) { return other.value == choice.value; });
      if (duplicate) {
        error(pointer_append(cp, "value"), fmt::format("duplicate choice '{}'", choice.value));
      }
      question.choices.push_back(std::move(choice));
    }
  }

  void load_number_bounds(const json& j, const std::string& p, Question& question) {
    for (const auto key : {"min", "max"}) {
      const json* bound = member(j, key, p, true);
      if (bound == nullptr) continue;
      if (!bound->is_number()) {
        error(pointer_append(p, key), fmt::format("'{}' must be a number, found {}", key, type_name(*bound)));
        continue;
      }
      (std::string_view(key) == "min" ? question.min : question.max) = bound->get<double>();
    }
    if (question.min > question.max) {
      error(pointer_append(p, "max"), "'max' is below 'min'");
    }
    if (const json* integer = member(j, "integer", p, false)) {
      if (integer->is_boolean()) {
        question.integer = integer->get<bool>();
      } else {
        error(pointer_append(p, "integer"), "'integer' must be true or false");
      }
    }
  }

  void load_named_conditions(const json* conditions) {
    if (conditions == nullptr) return;
    if (!conditions->is_object()) {
      error("/conditions", fmt::format("'conditions' must be an object of named conditions, found {}",
                                       type_name(*conditions)),
            R"({"name": {"any": [...]}, ...})");
      return;
    }
    for (const auto& [name, body] : conditions->items()) {
      if (!name.empty() && name.front() == '$') continue;
      if (!is_id(name, false)) {
        error(pointer_append("/conditions", name), fmt::format("'{}' is not a valid condition name", name),
              "use lower-case letters, digits, '-' and '_', starting with a letter");
      }
      named_.index.emplace(name, named_.ids.size());
      named_.ids.push_back(name);
      named_.pointers.push_back(pointer_append("/conditions", name));
    }
    named_edges_.resize(named_.ids.size());
    rules_.conditions.resize(named_.ids.size());
    std::vector<bool> compiled(named_.ids.size(), false);
    for (Index i = 0; i < named_.ids.size(); ++i) {
      current_named_ = i;
      auto compiled_condition =
          condition(conditions->at(named_.ids[i]), named_.pointers[i], 1, Scope{});
      rules_.conditions[i].name = named_.ids[i];
      if (compiled_condition) rules_.conditions[i].condition = std::move(*compiled_condition);
    }
    current_named_.reset();
    check_named_cycles();
    compute_named_facts();
  }

  // A named condition that refers to itself, directly or not, would never finish evaluating.
  // Depth-first with an explicit stack, not recursion: a file may chain 100,000 references.
  void check_named_cycles() {
    enum class Mark { unvisited, visiting, done };
    struct Frame {
      Index node;
      std::size_t next_edge;
    };
    std::vector<Mark> marks(named_.ids.size(), Mark::unvisited);
    std::vector<Frame> path;
    for (Index root = 0; root < named_.ids.size(); ++root) {
      if (marks[root] != Mark::unvisited) continue;
      marks[root] = Mark::visiting;
      path.push_back({root, 0});
      while (!path.empty()) {
        Frame& frame = path.back();
        const auto& edges = named_edges_[frame.node];
        if (frame.next_edge == edges.size()) {
          marks[frame.node] = Mark::done;
          path.pop_back();
          continue;
        }
        const Index next = edges[frame.next_edge++];
        if (marks[next] == Mark::visiting) {
          std::vector<std::string> names;
          const auto start = std::find_if(path.begin(), path.end(),
                                          [&](const Frame& f) { return f.node == next; });
          for (auto it = start; it != path.end(); ++it) names.push_back(named_.ids[it->node]);
          names.push_back(named_.ids[next]);
          if (names.size() > 8) {  // a long cycle: its ends say enough
            names.erase(names.begin() + 4, names.end() - 3);
            names.insert(names.begin() + 4, "…");
          }
          error(named_.pointers[next],
                fmt::format("named condition '{}' refers to itself: {}", named_.ids[next],
                            fmt::join(names, " -> ")),
                "break the cycle; a condition cannot depend on itself");
          has_cycle_ = true;
        } else if (marks[next] == Mark::unvisited) {
          marks[next] = Mark::visiting;
          path.push_back({next, 0});  // `frame` is not used past this point
        }
      }
    }
  }

  // What a compiled condition amounts to once its references are followed: how deeply it nests
  // (its root at `level`, a referenced condition one level below the reference) and the latest
  // question it depends on. Recursion here only follows the
  // inline nesting, which condition() has already bounded; references use the named results.
  struct Reach {
    int depth = 0;
    std::optional<Index> latest;
    bool reported = false;  // a named condition it refers to is already reported as too deep
  };

  Reach reach(const Condition& c, int level) const {
    switch (c.kind) {
      case Condition::Kind::leaf: return Reach{level, c.fact, false};
      case Condition::Kind::reference:
        // The referenced condition sits one level below the reference, as evaluation sees it.
        return Reach{level + named_depth_[c.reference], named_max_fact_[c.reference],
                     named_too_deep_[c.reference]};
      default: {
        Reach out{level, std::nullopt, false};
        for (const auto& child : c.children) {
          const auto child_reach = reach(child, level + 1);
          out.depth = std::max(out.depth, child_reach.depth);
          if (child_reach.latest && (!out.latest || *child_reach.latest > *out.latest)) {
            out.latest = child_reach.latest;
          }
          out.reported = out.reported || child_reach.reported;
        }
        return out;
      }
    }
  }

  // For each named condition, the latest question it depends on (through references too), so an
  // ask_if that uses it can be checked against the questionnaire order, and how deeply it nests
  // through references, so that the depth limit holds however the nesting is written: evaluation
  // recurses through references as through inline conditions. Named conditions are visited after
  // those they refer to (post-order, with an explicit stack).
  void compute_named_facts() {
    named_max_fact_.assign(named_.ids.size(), std::nullopt);
    named_depth_.assign(named_.ids.size(), 0);
    named_too_deep_.assign(named_.ids.size(), false);
    if (has_cycle_) return;
    std::vector<bool> done(named_.ids.size(), false);
    std::vector<std::pair<Index, std::size_t>> stack;  // node, next reference to visit
    for (Index root = 0; root < named_.ids.size(); ++root) {
      if (done[root]) continue;
      stack.emplace_back(root, 0);
      while (!stack.empty()) {
        auto& [node, next_edge] = stack.back();
        const auto& edges = named_edges_[node];
        if (next_edge < edges.size()) {
          const Index next = edges[next_edge++];
          if (!done[next]) stack.emplace_back(next, 0);  // acyclic: never already on the stack
          continue;
        }
        const Index current = node;
        stack.pop_back();
        if (done[current]) continue;  // reached twice before it was finished
        done[current] = true;
        const auto summary = reach(rules_.conditions[current].condition, 1);
        named_max_fact_[current] = summary.latest;
        named_depth_[current] = summary.depth;
        named_too_deep_[current] = summary.reported || summary.depth > k_max_condition_depth;
        if (summary.depth > k_max_condition_depth && !summary.reported) {
          error(named_.pointers[current],
                fmt::format("named condition '{}' nests conditions {} levels deep, counting the "
                            "named conditions it refers to; the limit is {}",
                            named_.ids[current], summary.depth, k_max_condition_depth),
                "flatten them with all/any, or refer to fewer named conditions inside one another");
        }
      }
    }
  }

  void load_question_conditions(const json* array) {
    if (array == nullptr) return;
    Index question_index = 0;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const auto& j = (*array)[i];
      if (!j.is_object()) continue;
      const auto p = pointer_append("/questions", i);
      if (question_index >= rules_.questions.size()) break;
      auto& question = rules_.questions[question_index];
      // Only questions with a registered id can be scoped; others were reported already.
      const auto own = questions_.find(question.id);
      if (own && *own == question_index) {
        if (const auto it = j.find("ask_if"); it != j.end()) {
          question.ask_if = condition(*it, pointer_append(p, "ask_if"), 1,
                                      Scope{question_index, false, "ask_if"});
        }
        if (const auto it = j.find("red_flag"); it != j.end()) {
          question.red_flag = condition(*it, pointer_append(p, "red_flag"), 1,
                                        Scope{question_index, true, "red_flag"});
        }
      }
      ++question_index;
    }
    for (const auto& pending : pending_scope_checks_) {
      const auto latest = named_max_fact_.empty() ? std::nullopt : named_max_fact_[pending.named];
      if (!latest) continue;
      if (auto why = scope_violation(*latest, pending.scope); !why.empty()) {
        error(pending.pointer,
              fmt::format("{} (through named condition '{}')", why, named_.ids[pending.named]),
              "a condition can only use answers to questions asked before; move the question or "
              "change the condition");
      }
    }
    pending_scope_checks_.clear();
  }

  void load_causes(const json* array) {
    for_each_entry(array, "/causes", "a cause", [&](const json& j, const std::string& p) {
      check_keys(j, p, {"id", "title", "explanation", "kind", "source"});
      Cause cause;
      cause.id = string_member(j, "id", p, true);
      cause.title = string_member(j, "title", p, true);
      cause.explanation = string_member(j, "explanation", p, true);
      cause.kind = string_member(j, "kind", p, false);
      if (!cause.kind.empty()) check_kind(cause.kind, pointer_append(p, "kind"));
      cause.source = sources_of(j, p);
      rules_.causes.push_back(std::move(cause));
    });
  }

  void load_advice(const json* array) {
    for_each_entry(array, "/advice", "an advice item", [&](const json& j, const std::string& p) {
      check_keys(j, p, {"id", "text", "kind", "detail", "source"});
      AdviceItem item;
      item.id = string_member(j, "id", p, true);
      item.text = string_member(j, "text", p, true);
      item.kind = string_member(j, "kind", p, false);
      if (j.contains("kind") && !item.kind.empty()) check_kind(item.kind, pointer_append(p, "kind"));
      if (const json* detail = member(j, "detail", p, false)) {
        if (detail->is_boolean()) {
          item.detail = detail->get<bool>();
        } else {
          error(pointer_append(p, "detail"), "'detail' must be true or false",
                "true leaves the item out of the default text result");
        }
      }
      item.source = sources_of(j, p);
      rules_.advice.push_back(std::move(item));
    });
  }

  void load_exercises(const json* array) {
    for_each_entry(array, "/exercises", "an exercise", [&](const json& j, const std::string& p) {
      check_keys(j, p,
                 {"id", "name", "kind", "how", "dose", "frequency", "cues", "start", "source"});
      Exercise exercise;
      exercise.id = string_member(j, "id", p, true);
      exercise.name = string_member(j, "name", p, true);
      exercise.kind = string_member(j, "kind", p, true);
      if (!exercise.kind.empty()) check_kind(exercise.kind, pointer_append(p, "kind"));
      exercise.how = string_member(j, "how", p, true);
      exercise.dose = string_member(j, "dose", p, true);
      exercise.frequency = string_member(j, "frequency", p, true);
      exercise.cues = string_list_member(j, "cues", p, true);
      exercise.start = string_member(j, "start", p, true);
      exercise.source = sources_of(j, p);
      rules_.exercises.push_back(std::move(exercise));
    });
  }

  void load_plan(const json* array) {
    for_each_entry(array, "/plan", "a plan step", [&](const json& j, const std::string& p) {
      check_keys(j, p, {"id", "kind", "text", "source"});
      PlanStep step;
      step.id = string_member(j, "id", p, true);
      step.kind = string_member(j, "kind", p, true);
      if (!step.kind.empty()) check_kind(step.kind, pointer_append(p, "kind"));
      step.text = string_member(j, "text", p, true);
      step.source = sources_of(j, p);
      rules_.plan.push_back(std::move(step));
    });
  }

  void load_rules_array(const json* array) {
    if (array != nullptr && array->empty()) {
      error("/rules", "there are no rules", "add at least one rule");
    }
    for_each_entry(array, "/rules", "a rule", [&](const json& j, const std::string& p) {
      check_keys(j, p, {"id", "title", "when", "then", "source"});
      Rule rule;
      rule.id = string_member(j, "id", p, true);
      rule.title = string_member(j, "title", p, false);
      if (const json* when = member(j, "when", p, true)) {
        if (auto compiled = condition(*when, pointer_append(p, "when"), 1, Scope{})) {
          rule.when = std::move(*compiled);
        }
      }
      if (const json* then = member(j, "then", p, true)) {
        load_conclusion(*then, pointer_append(p, "then"), rule.then);
      }
      rule.source = sources_of(j, p);
      rules_.rules.push_back(std::move(rule));
    });
  }

  void load_conclusion(const json& j, const std::string& p, Conclusion& then) {
    if (!expect_object(j, p, "'then'")) return;
    check_keys(j, p, {"urgency", "action", "causes", "advice", "exercises", "plan"});
    const auto urgency = string_member(j, "urgency", p, false);
    if (j.contains("urgency") && !urgency.empty()) {
      if (const auto index = urgencies_.find(urgency)) {
        then.urgency = *index;
      } else {
        error(pointer_append(p, "urgency"), fmt::format("unknown urgency '{}'", urgency),
              suggest(urgency, urgencies_.ids, "urgencies"));
      }
    }
    const auto action = string_member(j, "action", p, false);
    if (j.contains("action") && !action.empty()) {
      if (const auto index = advice_.find(action)) {
        then.action = *index;
      } else {
        error(pointer_append(p, "action"), fmt::format("unknown advice '{}'", action),
              suggest(action, advice_.ids, "advice items"));
      }
    }
    then.causes = references(j, "causes", p, causes_, false);
    then.advice = references(j, "advice", p, advice_, false);
    then.exercises = references(j, "exercises", p, exercises_, false);
    then.plan = references(j, "plan", p, plan_, false);
    const bool concludes = j.contains("urgency") || then.action || !then.causes.empty() ||
                           !then.advice.empty() ||
                           !then.exercises.empty() || !then.plan.empty();
    if (!concludes) {
      error(p, "the rule concludes nothing",
            "give it an urgency, causes, advice, exercises or plan steps");
    }
  }

  struct PendingScopeCheck {
    Index named;
    std::string pointer;
    Scope scope;
  };

  std::string_view text_;
  std::string_view file_;
  Diagnostics diagnostics_;
  std::size_t problem_count_ = 0;
  RuleSet rules_;
  Catalogue sources_{"source", {}, {}, {}};
  Catalogue citations_{"citation", {}, {}, {}};
  Catalogue urgencies_{"urgency", {}, {}, {}};
  Catalogue questions_{"question", {}, {}, {}};
  Catalogue causes_{"cause", {}, {}, {}};
  Catalogue advice_{"advice", {}, {}, {}};
  Catalogue exercises_{"exercise", {}, {}, {}};
  Catalogue plan_{"plan step", {}, {}, {}};
  Catalogue rules_ids_{"rule", {}, {}, {}};
  Catalogue named_{"named condition", {}, {}, {}};
  std::optional<Index> current_named_;
  std::vector<Indices> named_edges_;
  std::vector<std::optional<Index>> named_max_fact_;
  std::vector<int> named_depth_;
  std::vector<bool> named_too_deep_;
  std::vector<PendingScopeCheck> pending_scope_checks_;
  bool has_cycle_ = false;
  std::vector<std::string> untyped_questions_;
};

}  // namespace

std::string_view question_type_name(QuestionType type) {
  switch (type) {
    case QuestionType::choice: return "choice";
    case QuestionType::multi: return "multi";
    case QuestionType::boolean: return "boolean";
    case QuestionType::number: return "number";
  }
  return "?";
}

const std::vector<std::string_view>& known_kinds() {
  static const std::vector<std::string_view> kinds{
      "rest",     "release",    "activation", "mobility", "strength",
      "plyometric", "running",  "medical",    "follow-up", "overuse"};
  return kinds;
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
  return Loader(text, file_name).run();
}

}  // namespace kneetriage
