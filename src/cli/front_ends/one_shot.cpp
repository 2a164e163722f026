#include "front_ends/one_shot.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "errors.hpp"
#include "kneetriage/answer_reader.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/evaluation.hpp"
#include "kneetriage/fhir.hpp"
#include "kneetriage/questionnaire.hpp"
#include "suggest.hpp"
#include "terminal/describe.hpp"
#include "terminal/io.hpp"
#include "terminal/layout.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

namespace {

// Throws UsageError naming every answer to a question that does not apply (defined below).
void reject_inapplicable(const RuleSet& rules, const Answers& answers, const AnswerOptions& options,
                         const AnswerDocument* file, std::string_view file_text);

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
  std::string file_text;  // kept to locate an answer in it
  std::optional<AnswerDocument> file;
  if (options.answers_file) {
    const std::string name = display_name(*options.answers_file);
    file_text = read_file(*options.answers_file);
    file = read_answer_document(rules, file_text, name);
    if (!file->diagnostics.empty()) {
      if (file->parse == AnswerDocument::Parse::unrepresentable)
        file->diagnostics.front().what = "invalid JSON: " + file->diagnostics.front().what;
      throw_diagnostics(name, file->diagnostics);
    }
    answers = file->answers;
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
  reject_inapplicable(rules, answers, options, file ? &*file : nullptr, file_text);
  return answers;
}

std::string saved_answers(const RuleSet& rules, const Answers& answers) {
  nlohmann::ordered_json document;
  document["$schema"] = "kneetriage/answers/1";
  const nlohmann::ordered_json given = answers_to_json(rules, answers);
  for (auto it = given.begin(); it != given.end(); ++it) document[it.key()] = it.value();
  return document.dump(2) + "\n";
}

namespace {

void reject_inapplicable(const RuleSet& rules, const Answers& answers, const AnswerOptions& options,
                         const AnswerDocument* file, std::string_view file_text) {
  const Indices not_applying = ignored(rules, answers);
  if (not_applying.empty()) return;
  const auto by_flag = [&](Index index) {
    return index < options.flag_text.size() && !options.flag_text[index].empty();
  };
  // An answer given as a flag is named as a flag; one from the file, where it is in the file.
  const auto flag_problems = inapplicable_answers(rules, answers, AnswerSpelling::flags);
  Diagnostics file_problems;
  if (file != nullptr) {
    AnswerDocument given = *file;
    given.answers = answers;  // the file's answers with the flags' on top
    file_problems =
        inapplicable_diagnostics(rules, given, file_text, display_name(*options.answers_file));
  }
  std::vector<std::string> lines;
  for (std::size_t k = 0; k < flag_problems.size(); ++k) {
    const Index index = flag_problems[k].question;
    if (by_flag(index) || file == nullptr) {
      lines.push_back(sanitize(flag_problems[k].what));
      lines.push_back("  " + sanitize(flag_problems[k].hint));
    } else {
      lines.push_back(sanitize(to_string(file_problems[k])));
    }
  }
  const std::size_t n = not_applying.size();
  throw UsageError(n == 1 ? std::string("an answer was given to a question that does not apply")
                          : fmt::format("{} answers were given to questions that do not apply", n),
                   std::move(lines));
}

}  // namespace

Assessment evaluate_given(const RuleSet& rules, const Answers& answers) {
  Evaluation evaluation = evaluate(rules, answers);
  if (evaluation.assessment) return std::move(*evaluation.assessment);
  const Indices& absent = evaluation.missing;
  std::vector<std::string> lines;
  std::size_t column = 0;
  for (const Index i : absent)
    column = std::max(column, display_width(flag_name(rules.questions[i]) + " " +
                                            sanitize(flag_values(rules.questions[i]))));
  for (const Index i : absent) {
    const Question& question = rules.questions[i];
    lines.push_back("  " +
                    pad(flag_name(question) + " " + sanitize(flag_values(question)), column) +
                    "  " + sanitize(question_text(rules, answers, i)));
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
