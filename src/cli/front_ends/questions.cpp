// `kneetriage questions`: the questionnaire itself, as text for people or JSON for tools that
// build their own forms.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "context.hpp"
#include "kneetriage/fhir.hpp"
#include "kneetriage/questions_document.hpp"
#include "terminal/describe.hpp"
#include "terminal/io.hpp"
#include "terminal/layout.hpp"

namespace kneetriage::cli {

namespace {

std::string questions_json(const RuleSet& rules) {
  return questions_document(rules).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

std::string questions_text(const RuleSet& rules, const TextOptions& options) {
  const Style& style = options.style;
  std::string out =
      fmt::format("{} ({} {}): {} questions\n", sanitize(rules.title), sanitize(rules.id),
                  sanitize(rules.version), rules.questions.size());
  for (const Question& question : rules.questions) {
    out += '\n';
    out += style.bold(flag_name(question)) + " " + sanitize(flag_values(question)) + "\n";
    out += wrap(sanitize(question.text), options.width, "  ", "  ");
    std::size_t width = 0;
    for (const Choice& choice : question.choices)
      width = std::max(width, display_width(choice.value));
    for (const Choice& choice : question.choices) {
      const std::string value = "    " + pad(sanitize(choice.value), width) + "  ";
      out += wrap(sanitize(choice.label), options.width, value, std::string(value.size(), ' '));
    }
    if (question.type == QuestionType::number)
      out += wrap(sanitize(allowed_values(question)), options.width, "    ", "    ");
    if (!question.help.empty())
      out += wrap(sanitize(question.help), options.width, "  Why we ask: ", "  ");
    if (question.ask_if)
      out += wrap(sanitize(describe_plainly(*question.ask_if, rules)), options.width,
                  "  Asked if: ", "  ");
    if (question.red_flag)
      out += wrap(sanitize(describe_plainly(*question.red_flag, rules)), options.width,
                  "  Red flag when: ", "  ");
  }
  return out;
}

}  // namespace

Command register_questions(CLI::App& app, Context& context) {
  CLI::App* command = app.add_subcommand(
      "questions",
      "Print the questionnaire: every question, its flag, its allowed answers and when it is "
      "asked (--format json for tools that build their own forms, --format fhir for an R4 "
      "Questionnaire).");
  add_format_option(*command, context, {"text", "json", "fhir"},
                    "text for people (the default), json for tools that build their own forms, "
                    "fhir for an R4 FHIR Questionnaire");
  command->footer(
      "Examples:\n"
      "  kneetriage questions | less\n"
      "  kneetriage questions --format json | jq -r '.questions[].flag'\n"
      "  kneetriage questions --format fhir > questionnaire.json");
  return {command, [&context] {
            const RuleSet& rules = context.rules();
            if (context.format() == Format::fhir) {
              write_stdout(questionnaire_to_fhir(rules).dump(
                               2, ' ', false, nlohmann::json::error_handler_t::replace) +
                           "\n");
              return 0;
            }
            write_stdout(context.format() == Format::json
                             ? questions_json(rules)
                             : questions_text(rules, context.text_options(STDOUT_FILENO)));
            return 0;
          }};
}

}  // namespace kneetriage::cli
