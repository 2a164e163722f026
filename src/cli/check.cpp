// `kneetriage check FILE…`: lints rules files, reporting every problem of every file, as
// `opa check` does for policies.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "context.hpp"
#include "errors.hpp"
#include "io.hpp"

namespace kneetriage::cli {

namespace {

void report(const Error& error) {
  fmt::print(stderr, "kneetriage: {}\n", error.what());
  for (const std::string& line : error.details()) fmt::print(stderr, "{}\n", line);
}

}  // namespace

Command register_check(CLI::App& app, Context& context) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* command = app.add_subcommand(
      "check",
      "Check rules files and report every problem found (file:line:column: /pointer: what "
      "(hint)). With no FILE, checks the rules in effect. Exit status 0 when all are valid, "
      "65 when any is not, 66 when any cannot be read.");
  command->add_option("FILE", *files, "Rules files to check; - reads standard input")
      ->type_name("FILE");
  return {command, [files, &context] {
            std::vector<RulesSource> sources;
            for (const std::string& file : *files) sources.push_back({file, "check"});
            if (sources.empty()) sources.push_back(context.rules_source);
            ExitStatus worst = ExitStatus::ok;
            for (const RulesSource& source : sources) {
              const std::string name =
                  source.path ? sanitize(display_name(*source.path)) : "the built-in rules";
              try {
                const RuleSet rules = load_rules_from(source);
                fmt::print(stderr, "ok: {} questions, {} rules ({})\n", rules.questions.size(),
                           rules.rules.size(), name);
              } catch (const Error& error) {
                report(error);
                // A file that cannot be read outranks one that is wrong.
                if (error.status() == ExitStatus::no_input || worst == ExitStatus::ok)
                  worst = error.status();
              }
            }
            return to_int(worst);
          }};
}

}  // namespace kneetriage::cli
