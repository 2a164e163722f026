#include "suggest.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <numeric>

#include "terminal/describe.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

std::size_t typo_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance: Levenshtein plus adjacent transpositions.
  const auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = same(a[i - 1], b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.empty() || word.size() > 64) return {};
  // Dashes do not count towards the length: "--x" is not a typo of "--y".
  const std::string_view core = word.substr(std::min(word.find_first_not_of('-'), word.size()));
  const std::size_t limit = std::max<std::size_t>(1, core.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = typo_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  // A prefix names what was meant too ("--kn" for "--knees"), when it names one thing only.
  if (best.empty() && core.size() >= 2) {
    for (const std::string& candidate : candidates) {
      if (!candidate.starts_with(word)) continue;
      if (!best.empty()) return {};
      best = candidate;
    }
  }
  return best;
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
