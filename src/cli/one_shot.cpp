#include "one_shot.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "describe.hpp"
#include "errors.hpp"
#include "io.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/fhir.hpp"
#include "kneetriage/questionnaire.hpp"
#include "layout.hpp"
#include "suggest.hpp"
#include "terminal.hpp"

namespace kneetriage::cli {

namespace {

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
// column 2: " prefix (the position goes into the diagnostic itself).
std::string parse_error_text(const nlohmann::json::parse_error& error) {
  std::string what = error.what();
  if (const std::size_t bracket = what.find("] "); bracket != std::string::npos)
    what = what.substr(bracket + 2);
  if (what.starts_with("parse error at line ")) {
    if (const std::size_t colon = what.find(": "); colon != std::string::npos)
      what = what.substr(colon + 2);
  }
  return what;
}

Diagnostic locate(const std::string& text, const nlohmann::json::parse_error& error,
                  const std::string& file) {
  Diagnostic diagnostic;
  diagnostic.file = file;
  diagnostic.what = parse_error_text(error);
  // error.byte is 1-based and points just past the offending character.
  const std::size_t offset =
      std::min<std::size_t>(error.byte > 0 ? error.byte - 1 : 0, text.size());
  diagnostic.line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++diagnostic.line;
      line_start = i + 1;
    }
  }
  diagnostic.column = static_cast<int>(offset - line_start + 1);
  return diagnostic;
}

[[noreturn]] void throw_diagnostics(const std::string& file, const Diagnostics& diagnostics) {
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : diagnostics) lines.push_back(sanitize(to_string(diagnostic)));
  throw DataError(fmt::format("the answers in {} are not valid", sanitize(file)), std::move(lines));
}

}  // namespace

bool AnswerOptions::any_given() const {
  if (answers_file) return true;
  return std::any_of(flag_text.begin(), flag_text.end(),
                     [](const auto& given) { return !given.empty(); });
}

std::string flag_description(const RuleSet& rules, const Question& question) {
  std::string text = question.short_text.empty() ? question.text : question.short_text;
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
    text[0] = static_cast<char>(text[0] - 'a' + 'A');
  if (question.ask_if) text += " (asked if " + describe_plainly(*question.ask_if, rules) + ")";
  return sanitize(text);
}

void add_answer_options(CLI::App& app, const RuleSet* rules, AnswerOptions& options) {
  app.add_option("--answers", options.answers_file,
                 "Read the answers from a JSON object in FILE (- reads standard input)")
      ->type_name("FILE|-");
  if (rules == nullptr) return;
  options.flag_text.resize(rules->questions.size());
  options.flags.resize(rules->questions.size(), nullptr);
  for (std::size_t i = 0; i < rules->questions.size(); ++i) {
    const Question& question = rules->questions[i];
    CLI::Option* option = nullptr;
    try {
      // The dashed name first (shown in help), the id itself as typed in an answers file too.
      std::string names = flag_name(question);
      if (names != "--" + question.id) names += ",--" + question.id;
      option = app.add_option(names, options.flag_text[i], flag_description(*rules, question));
    } catch (const CLI::ConstructionError&) {
      throw DataError(
          fmt::format("the question id '{}' cannot be used: {} is already an option of kneetriage",
                      sanitize(question.id), sanitize(flag_name(question))),
          {"rename the question in the rules file"});
    }
    option->type_name(sanitize(flag_values(question)))
        ->group("Answers (one flag per question)")
        ->expected(1)
        ->allow_extra_args(false);
    // --where front --where outer means --where front,outer; for any other question the last
    // flag wins, so a script can override an answer by appending a flag.
    option->multi_option_policy(question.type == QuestionType::multi
                                    ? CLI::MultiOptionPolicy::TakeAll
                                    : CLI::MultiOptionPolicy::TakeLast);
    options.flags[i] = option;
  }
}

Answers read_answers(const RuleSet& rules, const AnswerOptions& options) {
  Answers answers(rules);
  if (options.answers_file) {
    const std::string& path = *options.answers_file;
    const std::string name = display_name(path);
    const std::string text = read_file(path);
    nlohmann::json document;
    try {
      document = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& error) {
      throw_diagnostics(name, {locate(text, error, name)});
    } catch (const nlohmann::json::exception& error) {
      // Not a syntax error but still not JSON we can hold, e.g. 1e309 overflows a double.
      std::string what = error.what();
      if (const auto bracket = what.find("] "); bracket != std::string::npos) {
        what = what.substr(bracket + 2);
      }
      throw_diagnostics(name, {Diagnostic{name, 0, 0, "", "invalid JSON: " + what,
                                          "numbers must fit a double-precision float"}});
    }
    AnswersResult read = answers_from_document(rules, document, name);  // or a FHIR response
    add_positions(read.diagnostics, text);
    if (!read.diagnostics.empty()) throw_diagnostics(name, read.diagnostics);
    answers = std::move(read.answers);
  }
  for (std::size_t i = 0; i < rules.questions.size() && i < options.flag_text.size(); ++i) {
    const auto& given = options.flag_text[i];
    if (given.empty()) continue;
    const Question& question = rules.questions[i];
    const std::string text = join(given, ",");
    ParsedAnswer parsed = parse_answer(question, text);
    if (!parsed.value) {
      // Say what the flag takes unless the reason already does.
      const std::string allowed = allowed_values(question);
      std::vector<std::string> details;
      if (question.type != QuestionType::boolean && parsed.error.find(allowed) == std::string::npos)
        details.push_back(fmt::format("{} takes {}", flag_name(question), sanitize(allowed)));
      std::vector<std::string> values;
      for (const Choice& choice : question.choices) values.push_back(choice.value);
      if (const std::string near = nearest(text, values); !near.empty())
        details.push_back(fmt::format("did you mean {} {}?", flag_name(question), sanitize(near)));
      throw UsageError(
          fmt::format("invalid value for {}: {}", flag_name(question), sanitize(parsed.error)),
          std::move(details));
    }
    answers.values[i] = std::move(parsed.value);
  }
  return answers;
}

std::string saved_answers(const RuleSet& rules, const Answers& answers) {
  nlohmann::ordered_json document;
  document["$schema"] = "kneetriage/answers/1";
  const nlohmann::ordered_json given = answers_to_json(rules, answers);
  for (auto it = given.begin(); it != given.end(); ++it) document[it.key()] = it.value();
  return document.dump(2) + "\n";
}

void warn_ignored(const RuleSet& rules, const Answers& answers) {
  for (const Index i : ignored(rules, answers)) {
    const Question& question = rules.questions[i];
    std::string when;
    if (question.ask_if)
      when = " (it is asked only if " + describe_plainly(*question.ask_if, rules) + ")";
    fmt::print(
        stderr,
        "kneetriage: warning: ignoring {} {}: the question does not apply to the other answers{}\n",
        flag_name(question), sanitize(flag_value(*answers.values[i])), sanitize(when));
  }
}

void require_decided(const RuleSet& rules, const Answers& answers) {
  const Indices absent = missing(rules, answers);
  if (absent.empty() || result_is_decided(rules, answers)) return;
  std::vector<std::string> lines;
  std::size_t column = 0;
  for (const Index i : absent)
    column = std::max(column, display_width(flag_name(rules.questions[i]) + " " +
                                            sanitize(flag_values(rules.questions[i]))));
  for (const Index i : absent) {
    const Question& question = rules.questions[i];
    lines.push_back("  " +
                    pad(flag_name(question) + " " + sanitize(flag_values(question)), column) +
                    "  " + sanitize(question.text));
  }
  throw UsageError(absent.size() == 1
                       ? "1 question that applies has no answer; add:"
                       : fmt::format("{} questions that apply have no answer; add:", absent.size()),
                   std::move(lines));
}

std::exception_ptr no_answers_error(const RuleSet& rules) {
  return std::make_exception_ptr(UsageError(
      "no answers given, and standard input is not a terminal, so there is no one to ask",
      {"give every answer as a flag, for example:",
       "  " + sanitize(command_line(rules, example_answers(rules))),
       "or as a JSON object in a file: kneetriage --answers answers.json",
       "'kneetriage questions' lists every question with its allowed answers;",
       "run kneetriage on a terminal to be asked the questions one at a time."}));
}

}  // namespace kneetriage::cli
