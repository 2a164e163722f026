#include "suggest.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <numeric>

#include "kneetriage/diagnostic.hpp"
#include "terminal/describe.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  return closest_match(word, candidates);
}

CLI::Validator one_of(std::vector<std::string> values) {
  const std::string shown = join(values, "|");
  return {[values = std::move(values)](std::string& value) -> std::string {
            if (std::find(values.begin(), values.end(), value) != values.end()) return {};
            std::string message =
                fmt::format("'{}' is not one of {}", sanitize(value), join(values, ", "));
            if (const std::string near = nearest(value, values); !near.empty())
              message += fmt::format(" (did you mean {}?)", near);
            return message;
          },
          shown};
}

namespace {

void add_names(const CLI::App& app, std::vector<std::string>& names) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;  // hidden
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
  }
}

// The subcommand a command line chose, if any.
const CLI::App* chosen(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->parsed()) return sub;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  add_names(app, names);
  if (app.get_parent() != nullptr && app.get_fallthrough()) add_names(*app.get_parent(), names);
  return names;
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (!sub->get_group().empty()) names.push_back(sub->get_name());
  }
  return names;
}

UsageError usage_error(const CLI::App& app, const CLI::ParseError& error) {
  const CLI::App* command = chosen(app);
  const CLI::App& where = command != nullptr ? *command : app;
  const std::string help =
      command != nullptr
          ? fmt::format("run 'kneetriage {} --help' for its usage", command->get_name())
          : std::string("run 'kneetriage --help' for usage");
  if (dynamic_cast<const CLI::ExtrasError*>(&error) == nullptr)
    return UsageError(sanitize(error.what()), {help});

  // CLI11 names the extras last first; the app keeps them in the order typed.
  std::vector<std::string> extras = app.remaining();
  if (command != nullptr) {
    for (const std::string& word : command->remaining()) {
      if (std::find(extras.begin(), extras.end(), word) == extras.end()) extras.push_back(word);
    }
  }
  std::vector<std::string> shown;
  shown.reserve(extras.size());
  for (const std::string& word : extras) shown.push_back(sanitize(word));
  std::vector<std::string> details;
  const std::vector<std::string> options = option_names(where);
  const std::vector<std::string> commands = subcommand_names(app);
  std::string first_problem;
  bool after_unknown_flag = false;
  for (const std::string& word : extras) {
    if (word.starts_with("-") && word.size() > 1) {
      const std::string name = word.substr(0, word.find('='));
      std::string near = nearest(name, options);
      // -v and -V mean the version in most programs: suggest what is meant, not what is near.
      if ((name == "-v" || name == "-V") &&
          std::find(options.begin(), options.end(), "--version") != options.end())
        near = "--version";
      if (first_problem.empty()) first_problem = "unknown option " + sanitize(name);
      if (!near.empty())
        details.push_back(fmt::format("did you mean {}{}?", near,
                                      word.size() > name.size() ? word.substr(name.size()) : ""));
      after_unknown_flag = word.find('=') == std::string::npos;
      continue;
    }
    if (after_unknown_flag) {  // most likely the unknown flag's value
      after_unknown_flag = false;
      continue;
    }
    if (command == nullptr) {
      const std::string near = nearest(word, commands);
      if (first_problem.empty()) first_problem = "unknown command '" + sanitize(word) + "'";
      if (!near.empty()) details.push_back(fmt::format("did you mean '{}'?", near));
    } else if (first_problem.empty()) {
      first_problem = fmt::format("'{}' takes no more arguments", command->get_name());
    }
  }
  std::string message = first_problem.empty() ? "unexpected arguments" : first_problem;
  if (extras.size() > 1) message += " (not expected: " + join(shown, " ") + ")";
  details.push_back(help);
  return UsageError(message, std::move(details));
}

std::vector<std::string> normalize_arguments(int argc, const char* const* argv) {
  std::vector<std::string> out;
  for (int i = 0; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word == "--") {
      for (; i < argc; ++i) out.emplace_back(argv[i]);
      break;
    }
    if (word == "--color" && i + 1 < argc) {
      const std::string_view next = argv[i + 1];
      if (next == "auto" || next == "always" || next == "never") {
        out.push_back(fmt::format("--color={}", next));
        ++i;
        continue;
      }
    }
    out.emplace_back(word);
  }
  return out;
}

}  // namespace kneetriage::cli
