// Questions: type, choices, number bounds, red_flag with its message; then, once the named
// conditions are compiled, each question's ask_if and red_flag, which may only use questions
// asked before it.
// Part of the rules loader: the map of the stages is at the top of src/rules/rules.cpp.
#include <fmt/format.h>

#include <algorithm>

#include "rules/loader/loader.hpp"

namespace kneetriage::detail {

void RulesLoader::load_questions(const json* array) {
  for_each_entry(array, "/questions", "a question", [&](const json& j, const std::string& p) {
    check_keys(j, p,
               {"id", "text", "help", "type", "choices", "min", "max", "integer", "ask_if",
                "red_flag", "red_flag_message", "short", "text_if"});
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
      error(pointer_append(p, "choices"), fmt::format("a {} question takes no choices", type),
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

void RulesLoader::load_choices(const json& j, const std::string& p, Question& question) {
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
      error(pointer_append(cp, "value"),
            fmt::format("'{}' is not a valid choice value", choice.value),
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

void RulesLoader::load_number_bounds(const json& j, const std::string& p, Question& question) {
  for (const auto key : {"min", "max"}) {
    const json* bound = member(j, key, p, true);
    if (bound == nullptr) continue;
    if (!bound->is_number()) {
      error(pointer_append(p, key),
            fmt::format("'{}' must be a number, found {}", key, kind_of(*bound)));
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

void RulesLoader::load_text_if(const json& list, const std::string& p, Index question_index) {
  const auto lp = pointer_append(p, "text_if");
  if (!list.is_array() || list.empty()) {
    error(
        lp, R"('text_if' must be a non-empty array of {"when": CONDITION, "text": TEXT})",
        R"(e.g. [{"when": {"fact": "knees", "operator": "equal", "value": "both"}, "text": "Is either knee swollen?"}])");
    return;
  }
  for (std::size_t k = 0; k < list.size(); ++k) {
    const auto ep = pointer_append(lp, k);
    if (!expect_object(list[k], ep, "a wording")) continue;
    check_keys(list[k], ep, {"when", "text"});
    QuestionWording wording;
    wording.text = string_member(list[k], "text", ep, true);
    if (const json* when = member(list[k], "when", ep, true)) {
      if (auto compiled = condition(*when, pointer_append(ep, "when"), 1,
                                    Scope{question_index, false, "text_if"})) {
        wording.when = std::move(*compiled);
      }
    }
    rules_.questions[question_index].text_if.push_back(std::move(wording));
  }
}

void RulesLoader::load_question_conditions(const json* array) {
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
        question.ask_if =
            condition(*it, pointer_append(p, "ask_if"), 1, Scope{question_index, false, "ask_if"});
      }
      if (const auto it = j.find("red_flag"); it != j.end()) {
        question.red_flag = condition(*it, pointer_append(p, "red_flag"), 1,
                                      Scope{question_index, true, "red_flag"});
      }
      if (const auto it = j.find("text_if"); it != j.end()) load_text_if(*it, p, question_index);
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

}  // namespace kneetriage::detail
