#include "front_ends/one_shot.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "errors.hpp"
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

// Throws UsageError naming every answer to a question that does not apply (defined below).
void reject_inapplicable(const RuleSet& rules, const Answers& answers, const AnswerOptions& options,
                         const std::string& file_text, bool fhir);

// An answer as written in a JSON answers object: true, "both", 7, ["front"].
std::string json_value_text(const Value& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const double* d = std::get_if<double>(&value)) return flag_value(*d);
  if (const std::string* text = std::get_if<std::string>(&value))
    return nlohmann::json(*text).dump();
  return nlohmann::json(std::get<StringList>(value)).dump();
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
  std::string file_text;  // kept to locate an answer in it
  bool fhir = false;
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
    file_text = text;
    fhir = is_fhir_resource(document);
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
  reject_inapplicable(rules, answers, options, file_text, fhir);
  return answers;
}

std::string saved_answers(const RuleSet& rules, const Answers& answers) {
  nlohmann::ordered_json document;
  document["$schema"] = "kneetriage/answers/1";
  const nlohmann::ordered_json given = answers_to_json(rules, answers);
  for (auto it = given.begin(); it != given.end(); ++it) document[it.key()] = it.value();
  return document.dump(2) + "\n";
}

std::vector<InapplicableAnswer> inapplicable_answers(const RuleSet& rules, const Answers& answers,
                                                     AnswerSpelling spelling) {
  const auto named = [&](Index index) {
    const Question& question = rules.questions[index];
    return spelling == AnswerSpelling::flags ? flag_name(question)
                                             : "\"" + sanitize(question.id) + "\"";
  };
  const auto given = [&](Index index, const Value& value) {
    const Question& question = rules.questions[index];
    if (spelling == AnswerSpelling::flags)
      return flag_name(question) + " " + sanitize(flag_value(value));
    return fmt::format("\"{}\": {}", sanitize(question.id), sanitize(json_value_text(value)));
  };
  std::vector<InapplicableAnswer> out;
  for (const Index index : ignored(rules, answers)) {
    const Question& question = rules.questions[index];
    InapplicableAnswer problem{index, {}, {}};
    const std::string when =
        question.ask_if ? sanitize(describe_plainly(*question.ask_if, rules)) : std::string();
    std::vector<std::string> said;
    std::vector<std::string> unsaid;
    for (const Index read : questions_read_by_ask_if(rules, index)) {
      if (answers.values[read]) {
        said.push_back(given(read, *answers.values[read]));
      } else {
        unsaid.push_back(named(read));
      }
    }
    std::string because;
    if (!said.empty())
      because = (spelling == AnswerSpelling::flags ? "you answered " : "the answers say ") +
                join(said, spelling == AnswerSpelling::flags ? " " : ", ");
    if (!unsaid.empty()) {
      if (!because.empty()) because += " and ";
      because += "there is no answer to " + join(unsaid, " or ");
    }
    problem.what = fmt::format("{} is asked only if {}{}{}", named(index), when,
                               because.empty() ? "" : "; ", because);
    std::vector<std::string> fixes;
    for (const AnswerChange& change : changes_that_ask(rules, answers, index))
      fixes.push_back(given(change.question, change.value));
    const std::string leave_out = spelling == AnswerSpelling::flags
                                      ? "leave " + named(index) + " out"
                                      : "remove " + named(index) + " (or set it to null)";
    problem.hint = fixes.empty() ? "change the answers it depends on, or " + leave_out
                                 : fmt::format("if {}, say {}; otherwise {}", when,
                                               join(fixes, " or "), leave_out);
    out.push_back(std::move(problem));
  }
  return out;
}

namespace {

void reject_inapplicable(const RuleSet& rules, const Answers& answers, const AnswerOptions& options,
                         const std::string& file_text, bool fhir) {
  const Indices not_applying = ignored(rules, answers);
  if (not_applying.empty()) return;
  const auto by_flag = [&](Index index) {
    return index < options.flag_text.size() && !options.flag_text[index].empty();
  };
  std::vector<std::string> lines;
  // An answer given as a flag is named as a flag; one from the file, where it is in the file.
  const auto flag_problems = inapplicable_answers(rules, answers, AnswerSpelling::flags);
  const auto json_problems = inapplicable_answers(rules, answers, AnswerSpelling::json);
  for (std::size_t k = 0; k < flag_problems.size(); ++k) {
    const Index index = flag_problems[k].question;
    if (by_flag(index) || !options.answers_file) {
      lines.push_back(flag_problems[k].what);
      lines.push_back("  " + flag_problems[k].hint);
    } else {
      const std::string name = display_name(*options.answers_file);
      Diagnostic diagnostic{name,
                            0,
                            0,
                            fhir ? "/item" : "/" + rules.questions[index].id,
                            json_problems[k].what,
                            json_problems[k].hint};
      Diagnostics one{diagnostic};
      if (!fhir) add_positions(one, file_text);
      lines.push_back(sanitize(to_string(one.front())));
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
