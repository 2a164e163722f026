// `kneetriage test FILE…`: runs a rule author's test cases (scenarios.hpp) against the rules in
// effect, as `opa test` runs a policy author's: one line for each failing case, then a summary.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "context.hpp"
#include "errors.hpp"
#include "kneetriage/scenarios.hpp"
#include "terminal/io.hpp"
#include "terminal/layout.hpp"
#include "terminal/render.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t k_width = 80;

struct Tally {
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t bad_files = 0;
  ExitStatus worst_file = ExitStatus::ok;  // 65 or 66, the worse of the files' problems
};

std::string render_for_test(const Assessment& assessment, bool full) {
  TextOptions options;  // 80 columns, no colour: what a runner sees in a plain terminal
  options.full = full;
  return render_text(assessment, options);
}

Json scenario_diagnostic_json(const Diagnostic& d) {
  return {{"line", d.line},
          {"column", d.column},
          {"pointer", d.pointer},
          {"what", d.what},
          {"hint", d.hint}};
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// Runs the cases of one file; prints a line for each failure unless `want_json`.
Json test_file(const RuleSet& rules, const std::string& path, bool want_json, Tally& tally,
               std::string& out) {
  const std::string name = display_name(path);
  Json file{{"file", name}};
  std::string text;
  try {
    text = read_file(path);
  } catch (const Error& error) {
    report(error);
    tally.worst_file = ExitStatus::no_input;
    ++tally.bad_files;
    file["valid"] = false;
    file["error"] = error.what();
    return file;
  }
  const ScenariosResult read = read_scenarios(text, name);
  if (!read.scenarios) {
    std::vector<std::string> lines;
    for (const Diagnostic& d : read.diagnostics) lines.push_back(sanitize(to_string(d)));
    report(
        fmt::format("the test file {} has {}", sanitize(name),
                    read.diagnostics.size() == 1 ? "a problem"
                                                 : plural(read.diagnostics.size(), "", "problems")),
        lines);
    if (tally.worst_file == ExitStatus::ok) tally.worst_file = ExitStatus::data;
    ++tally.bad_files;
    file["valid"] = false;
    Json list = Json::array();
    for (const Diagnostic& d : read.diagnostics) list.push_back(scenario_diagnostic_json(d));
    file["diagnostics"] = std::move(list);
    return file;
  }
  file["valid"] = true;
  Json cases = Json::array();
  for (const Scenario& scenario : read.scenarios->cases) {
    const std::vector<std::string> differences = run_scenario(rules, scenario, render_for_test);
    (differences.empty() ? tally.passed : tally.failed) += 1;
    cases.push_back({{"name", scenario.name},
                     {"line", scenario.line},
                     {"column", scenario.column},
                     {"passed", differences.empty()},
                     {"differences", differences}});
    if (differences.empty() || want_json) continue;
    // One line, however long, as a compiler's diagnostics are: grep finds the whole of it.
    out += sanitize(fmt::format("{}:{}:{}: FAIL '{}': {}", name, scenario.line, scenario.column,
                                scenario.name, fmt::join(differences, "; "))) +
           "\n";
  }
  file["cases"] = std::move(cases);
  return file;
}

}  // namespace

Command register_test(CLI::App& app, Context& context) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* command = app.add_subcommand(
      "test",
      "Run test cases against the rules in effect (--rules FILE to test a rules file): each "
      "case gives answers and what the result must show (urgency, causes, advice, exercises, "
      "plan, text, the rules that fire). Prints a line for each failing case, then a summary. "
      "Exit status 0 when all pass, 1 when any fails, 65 when a test file is not valid, 66 "
      "when one cannot be read.");
  command->add_option("FILE", *files, "Test files (see docs/rules-format.md); - reads stdin")
      ->type_name("FILE")
      ->required();
  add_format_option(*command, context, {"text", "json"},
                    "text: a line per failing case and a summary (the default); json: every "
                    "case's outcome");
  command->footer(
      "Examples:\n"
      "  kneetriage test rules/knee.test.json\n"
      "  kneetriage test --rules my-rules.json my-cases.json\n"
      "  kneetriage test --format json cases.json | jq '.failed'");
  return {
      command, [files, &context] {
        const RuleSet& rules = context.rules();
        const bool want_json = context.format() == Format::json;
        Tally tally;
        std::string out;
        Json documents = Json::array();
        for (const std::string& path : *files)
          documents.push_back(test_file(rules, path, want_json, tally, out));
        if (want_json) {
          Json doc;
          doc["schema"] = "kneetriage/test/1";
          doc["rules_id"] = rules.id;
          doc["rules_version"] = rules.version;
          doc["passed"] = tally.passed;
          doc["failed"] = tally.failed;
          doc["files"] = std::move(documents);
          write_stdout(doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
        } else {
          std::string summary = fmt::format("{}: {} passed, {} failed (rules {} {})",
                                            plural(tally.passed + tally.failed, "case", "cases"),
                                            tally.passed, tally.failed, rules.id, rules.version);
          if (tally.bad_files > 0)
            summary += fmt::format("; {} not run", plural(tally.bad_files, "file", "files"));
          out += wrap(sanitize(summary), k_width, "", "    ");
          write_stdout(out);
        }
        if (tally.worst_file != ExitStatus::ok) return to_int(tally.worst_file);
        return to_int(tally.failed > 0 ? ExitStatus::test_failed : ExitStatus::ok);
      }};
}

}  // namespace kneetriage::cli
