#include "kneetriage/answers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "support/text_util.hpp"

namespace kneetriage {
namespace {

std::vector<std::string> choice_values(const Question& question) {
  std::vector<std::string> values;
  values.reserve(question.choices.size());
  for (const auto& choice : question.choices) values.push_back(choice.value);
  return values;
}

bool is_choice(const Question& question, std::string_view value) {
  return std::any_of(question.choices.begin(), question.choices.end(),
                     [&](const Choice& choice) { return choice.value == value; });
}

std::string format_number(double number) {
  return fmt::format("{}", number);
}

ParsedAnswer failure(std::string error) {
  return ParsedAnswer{std::nullopt, std::move(error)};
}

ParsedAnswer parse_choice(const Question& question, std::string_view text) {
  if (detail::trim(text).empty())
    return failure("no answer given; expected one of: " + allowed_values(question));
  std::vector<std::string> matches;
  for (const std::size_t i : matching_choices(question, text))
    matches.push_back(question.choices[i].value);
  if (matches.size() == 1) return ParsedAnswer{Value{matches.front()}, {}};
  if (matches.size() > 1) {
    return failure(fmt::format("'{}' is ambiguous: it could be {}",
                               detail::brief_text(detail::trim(text)), fmt::join(matches, " or ")));
  }
  return failure(fmt::format("'{}' is not one of: {}", detail::brief_text(detail::trim(text)),
                             detail::join_list(choice_values(question), 64)));
}

}  // namespace

std::vector<std::size_t> matching_choices(const Question& question, std::string_view text) {
  const auto wanted = detail::lower(detail::trim(text));
  if (wanted.empty()) return {};
  for (std::size_t i = 0; i < question.choices.size(); ++i) {
    const Choice& choice = question.choices[i];
    if (choice.value == wanted || detail::lower(choice.label) == wanted) return {i};
  }
  // An unambiguous prefix of a value or of a label ("bo" for both, "out" for outer).
  std::vector<std::size_t> matches;
  for (std::size_t i = 0; i < question.choices.size(); ++i) {
    const Choice& choice = question.choices[i];
    if (choice.value.rfind(wanted, 0) == 0 || detail::lower(choice.label).rfind(wanted, 0) == 0)
      matches.push_back(i);
  }
  return matches;
}

std::string allowed_values(const Question& question) {
  switch (question.type) {
    case QuestionType::choice:
      return detail::join_list(choice_values(question), 64);
    case QuestionType::multi:
      return "a comma-separated list of: " + detail::join_list(choice_values(question), 64);
    case QuestionType::boolean:
      return "yes, no";
    case QuestionType::number:
      return fmt::format("{} from {} to {}", question.integer ? "a whole number" : "a number",
                         format_number(question.min), format_number(question.max));
  }
  return {};
}

std::string check_answer(const Question& question, const Value& value) {
  switch (question.type) {
    case QuestionType::choice: {
      const auto* text = std::get_if<std::string>(&value);
      if (text == nullptr) return "expected one of: " + allowed_values(question);
      if (!is_choice(question, *text)) {
        return fmt::format("'{}' is not one of: {}", detail::brief_text(*text),
                           allowed_values(question));
      }
      return {};
    }
    case QuestionType::multi: {
      const auto* list = std::get_if<StringList>(&value);
      if (list == nullptr)
        return "expected a list of: " + detail::join_list(choice_values(question), 64);
      for (std::size_t i = 0; i < list->size(); ++i) {
        if (!is_choice(question, (*list)[i])) {
          return fmt::format("'{}' is not one of: {}", detail::brief_text((*list)[i]),
                             detail::join_list(choice_values(question), 64));
        }
        if (std::find(list->begin(), list->begin() + static_cast<std::ptrdiff_t>(i), (*list)[i]) !=
            list->begin() + static_cast<std::ptrdiff_t>(i)) {
          return fmt::format("'{}' is listed twice", detail::brief_text((*list)[i]));
        }
      }
      return {};
    }
    case QuestionType::boolean:
      if (!std::holds_alternative<bool>(value)) return "expected yes or no (true or false in JSON)";
      return {};
    case QuestionType::number: {
      const auto* number = std::get_if<double>(&value);
      if (number == nullptr || !std::isfinite(*number))
        return "expected " + allowed_values(question);
      if (*number < question.min || *number > question.max ||
          (question.integer && std::nearbyint(*number) != *number)) {
        return fmt::format("{} is not {}", format_number(*number), allowed_values(question));
      }
      return {};
    }
  }
  return {};
}

ParsedAnswer parse_answer(const Question& question, std::string_view text) {
  const auto trimmed = detail::trim(text);
  switch (question.type) {
    case QuestionType::boolean: {
      const auto word = detail::lower(trimmed);
      if (word == "yes" || word == "y" || word == "true") return ParsedAnswer{Value{true}, {}};
      if (word == "no" || word == "n" || word == "false") return ParsedAnswer{Value{false}, {}};
      return failure(fmt::format("'{}' is not yes or no", detail::brief_text(trimmed)));
    }
    case QuestionType::choice:
      return parse_choice(question, trimmed);
    case QuestionType::multi: {
      StringList list;
      std::string_view rest = trimmed;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        const auto part = detail::trim(rest.substr(0, comma));
        if (!part.empty()) {
          auto parsed = parse_choice(question, part);
          if (!parsed.value) return parsed;
          list.push_back(std::get<std::string>(*parsed.value));
        }
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      }
      Value value{std::move(list)};
      if (auto why = check_answer(question, value); !why.empty()) return failure(std::move(why));
      return ParsedAnswer{std::move(value), {}};
    }
    case QuestionType::number: {
      double number = 0;
      const auto* end = trimmed.data() + trimmed.size();
      const auto [ptr, ec] = std::from_chars(trimmed.data(), end, number);
      if (trimmed.empty() || ec != std::errc() || ptr != end) {
        return failure(fmt::format("'{}' is not a number; expected {}", detail::brief_text(trimmed),
                                   allowed_values(question)));
      }
      Value value{number};
      if (auto why = check_answer(question, value); !why.empty()) return failure(std::move(why));
      return ParsedAnswer{std::move(value), {}};
    }
  }
  return failure("unsupported question type");
}

AnswersResult answers_from_json(const RuleSet& rules, const nlohmann::json& document,
                                std::string_view file_name) {
  AnswersResult result{Answers(rules), {}};
  // Past this many problems (80,000 unknown keys in one line, say) the rest are only counted:
  // the message must not be ten times the size of the input.
  constexpr std::size_t k_max_diagnostics = 500;
  std::size_t problems = 0;
  const auto report = [&](std::string pointer, std::string what, std::string hint) {
    if (problems++ >= k_max_diagnostics) return;
    result.diagnostics.push_back(Diagnostic{std::string(file_name), 0, 0, std::move(pointer),
                                            std::move(what), std::move(hint)});
  };
  if (!document.is_object()) {
    report("", "the answers must be a JSON object",
           R"(e.g. {"knees": "both", "swelling": false, ...}; keys are question ids)");
    return result;
  }
  std::vector<std::string> ids;
  for (const auto& question : rules.questions) ids.push_back(question.id);
  for (const auto& [key, raw] : document.items()) {
    if (!key.empty() && key.front() == '$') continue;
    const auto pointer = detail::pointer_append("", key);
    const auto index = rules.find_question(key);
    if (!index) {
      report(pointer, fmt::format("unknown question '{}'", detail::brief_text(key)),
             problems < k_max_diagnostics ? detail::suggestion(key, ids, "the questions are")
                                          : std::string());
      continue;
    }
    if (raw.is_null()) continue;  // null means "not answered", as tools often write it
    const auto& question = rules.questions[*index];
    Value value;
    if (!value_from_json(raw, value)) {
      report(pointer,
             fmt::format("'{}' cannot be {}", detail::brief_text(key), detail::brief_json(raw)),
             "expected " + allowed_values(question));
      continue;
    }
    if (auto why = check_answer(question, value); !why.empty()) {
      std::string hint = "expected " + allowed_values(question);
      if (question.type == QuestionType::boolean && raw.is_string()) {
        hint = "yes/no answers are JSON booleans: true or false";
      }
      report(pointer, fmt::format("invalid answer for '{}': {}", key, why), std::move(hint));
      continue;
    }
    result.answers.values[*index] = std::move(value);
  }
  if (problems > result.diagnostics.size()) {
    result.diagnostics.push_back(
        Diagnostic{std::string(file_name), 0, 0, "",
                   fmt::format("{} more problems not shown", problems - result.diagnostics.size()),
                   "fix the ones above and try again"});
  }
  return result;
}

nlohmann::ordered_json answers_to_json(const RuleSet& rules, const Answers& answers) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (Index i = 0; i < rules.questions.size() && i < answers.values.size(); ++i) {
    if (!answers.values[i]) continue;
    nlohmann::json value;
    to_json(value, *answers.values[i]);
    out[rules.questions[i].id] = value;
  }
  return out;
}

}  // namespace kneetriage
