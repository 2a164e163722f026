#include "kneetriage/answer_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "kneetriage/describe.hpp"
#include "kneetriage/evaluation.hpp"
#include "kneetriage/fhir.hpp"
#include "kneetriage/questionnaire.hpp"

namespace kneetriage {

namespace {

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
// column 2: " prefix (the position goes into the diagnostic itself).
std::string parse_error_text(std::string what) {
  if (const std::size_t bracket = what.find("] "); bracket != std::string::npos)
    what = what.substr(bracket + 2);
  if (what.starts_with("parse error at line ")) {
    if (const std::size_t colon = what.find(": "); colon != std::string::npos)
      what = what.substr(colon + 2);
  }
  return what;
}

Diagnostic locate(std::string_view text, const nlohmann::json::parse_error& error,
                  std::string_view name) {
  Diagnostic diagnostic;
  diagnostic.file = std::string(name);
  diagnostic.what = parse_error_text(error.what());
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

// An answer as written in a JSON answers object: true, "both", 7, ["front"].
std::string json_value_text(const Value& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const double* d = std::get_if<double>(&value)) return flag_value(*d);
  if (const std::string* text = std::get_if<std::string>(&value))
    return nlohmann::json(*text).dump();
  return nlohmann::json(std::get<StringList>(value)).dump();
}

}  // namespace

AnswerDocument read_answer_document(const RuleSet& rules, std::string_view text,
                                    std::string_view name) {
  AnswerDocument read;
  read.answers = Answers(rules);
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& error) {
    read.parse = AnswerDocument::Parse::syntax_error;
    read.diagnostics.push_back(locate(text, error, name));
    return read;
  } catch (const nlohmann::json::exception& error) {
    // Not a syntax error but still not JSON we can hold, e.g. 1e309 overflows a double.
    read.parse = AnswerDocument::Parse::unrepresentable;
    read.diagnostics.push_back(Diagnostic{std::string(name), 0, 0, "",
                                          parse_error_text(error.what()),
                                          "numbers must fit a double-precision float"});
    return read;
  }
  AnswersResult answers = answers_from_document(rules, document, name);  // or a FHIR response
  add_positions(answers.diagnostics, text);
  read.answers = std::move(answers.answers);
  read.diagnostics = std::move(answers.diagnostics);
  read.fhir = is_fhir_resource(document);
  return read;
}

std::vector<InapplicableAnswer> inapplicable_answers(const RuleSet& rules, const Answers& answers,
                                                     AnswerSpelling spelling) {
  const auto named = [&](Index index) {
    const Question& question = rules.questions[index];
    return spelling == AnswerSpelling::flags ? flag_name(question) : "\"" + question.id + "\"";
  };
  const auto given = [&](Index index, const Value& value) {
    const Question& question = rules.questions[index];
    if (spelling == AnswerSpelling::flags) return flag_name(question) + " " + flag_value(value);
    return fmt::format("\"{}\": {}", question.id, json_value_text(value));
  };
  std::vector<InapplicableAnswer> out;
  for (const Index index : ignored(rules, answers)) {
    const Question& question = rules.questions[index];
    InapplicableAnswer problem{index, {}, {}};
    const std::string when = question.ask_if ? describe_plainly(*question.ask_if, rules) : "";
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

Diagnostics inapplicable_diagnostics(const RuleSet& rules, const AnswerDocument& document,
                                     std::string_view text, std::string_view name) {
  Diagnostics out;
  for (InapplicableAnswer& problem :
       inapplicable_answers(rules, document.answers, AnswerSpelling::json)) {
    out.push_back(Diagnostic{std::string(name), 0, 0,
                             document.fhir ? "/item" : "/" + rules.questions[problem.question].id,
                             std::move(problem.what), std::move(problem.hint)});
  }
  // A QuestionnaireResponse's items are not found by pointer: its place is the item list.
  if (!document.fhir) add_positions(out, text);
  return out;
}

}  // namespace kneetriage
