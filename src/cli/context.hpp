// What every command shares: where the rules come from and the rules once loaded, and the output
// options. Commands register themselves on the CLI::App and return what to run when chosen.
#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kneetriage/rules.hpp"
#include "terminal/render.hpp"
#include "terminal/terminal.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace kneetriage::cli {

// Where the rules in effect come from: --rules FILE, else $KNEETRIAGE_RULES, else built in.
struct RulesSource {
  std::optional<std::string> path;  // nullopt: the built-in rules
  std::string origin;               // "--rules", "KNEETRIAGE_RULES" or "built-in"

  // The rules are named on the command line before the rest of it can be parsed (their questions
  // become flags), so argv is scanned for --rules FILE / --rules=FILE first.
  [[nodiscard]] static RulesSource find(int argc, const char* const* argv);
};

// Reads and validates a rules file (or the built-in rules). Throws InputError (66) when the file
// cannot be read, DataError (65) carrying every diagnostic when it is not valid.
[[nodiscard]] RuleSet load_rules_from(const RulesSource& source);

enum class Format { text, json, fhir };  // fhir: `questions` only

// What a command's --format accepts: `name` is the command ("" for the assessment).
struct CommandFormats {
  std::string name;
  std::vector<std::string> formats;  // the first is the default
};

struct Context {
  RulesSource rules_source;
  // Set when the rules loaded; otherwise `rules_error` holds why not, thrown by rules() so that
  // commands that do not need the rules (check FILE, --help) still work.
  std::optional<RuleSet> loaded;
  std::exception_ptr rules_error;

  std::string rules_option;  // --rules as parsed; RulesSource::find has already acted on it
  // Every --format writes here, the top level's and each command's; empty: the command's default.
  std::string format_name;
  std::vector<CommandFormats> formats;  // each command's own, from add_format_option
  std::string color_name = "auto";

  [[nodiscard]] const RuleSet& rules() const;
  [[nodiscard]] Format format() const {
    if (format_name == "fhir") return Format::fhir;
    return format_name == "json" ? Format::json : Format::text;
  }
  [[nodiscard]] ColorMode color() const;
  // Layout and colour for text written to `fd` (stdout for results, stderr for the prompt).
  [[nodiscard]] TextOptions text_options(int fd) const;
};

// Gives `command` its own --format, taking `formats` only (the first is the default), so its help
// and completions list only what works there. `--format` before the command name is parsed by the
// top level and checked against the same list.
CLI::Option* add_format_option(CLI::App& command, Context& context,
                               std::vector<std::string> formats, const std::string& description);

// A subcommand: the CLI::App it registered, and what to run when the command line chose it.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// The subcommands. Adding one is a function like these, one line in app.cpp, and its file in
// src/cli/CMakeLists.txt (in the cli11 unity group, as it registers options with CLI11).
[[nodiscard]] Command register_questions(CLI::App& app, Context& context);
[[nodiscard]] Command register_check(CLI::App& app, Context& context);
[[nodiscard]] Command register_diff(CLI::App& app, Context& context);
[[nodiscard]] Command register_test(CLI::App& app, Context& context);
[[nodiscard]] Command register_graph(CLI::App& app, Context& context);

}  // namespace kneetriage::cli
