#include "context.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "errors.hpp"
#include "terminal/io.hpp"

namespace kneetriage::cli {

RulesSource RulesSource::find(int argc, const char* const* argv) {
  std::optional<std::string> path;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == "--rules" && i + 1 < argc) {
      path = argv[++i];
    } else if (arg.starts_with("--rules=")) {
      path = std::string(arg.substr(8));
    }
  }
  if (path) return {path, "--rules"};
  if (const char* env = std::getenv("KNEETRIAGE_RULES"); env != nullptr && *env != '\0')
    return {std::string(env), "KNEETRIAGE_RULES"};
  return {std::nullopt, "built-in"};
}

RuleSet load_rules_from(const RulesSource& source) {
  if (!source.path) return builtin_rules();  // checked when the program was built
  const std::string name = source.path ? display_name(*source.path) : "<built-in>";
  const std::string text =
      source.path ? read_file(*source.path) : std::string(builtin_rules_text());
  LoadResult loaded = load_rules(text, name);
  if (loaded.rules && loaded.diagnostics.empty()) return std::move(*loaded.rules);
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : loaded.diagnostics)
    lines.push_back(sanitize(to_string(diagnostic)));
  if (lines.empty()) lines.push_back(name + ": the rules could not be loaded");
  const std::size_t count = loaded.diagnostics.size();
  std::string message = count == 1 ? "the rules file " + sanitize(name) + " has a problem"
                                   : "the rules file " + sanitize(name) + " has " +
                                         std::to_string(count) + " problems";
  if (source.origin == "KNEETRIAGE_RULES") message += " (named by KNEETRIAGE_RULES)";
  throw DataError(message, std::move(lines));
}

const RuleSet& Context::rules() const {
  if (!loaded) {
    if (rules_error) std::rethrow_exception(rules_error);
    throw DataError("no rules were loaded");
  }
  return *loaded;
}

ColorMode Context::color() const {
  return color_mode_from_name(color_name).value_or(ColorMode::automatic);
}

TextOptions Context::text_options(int fd) const {
  TextOptions options;
  options.width = text_width(fd);
  options.style.color = use_color(color(), fd);
  return options;
}

}  // namespace kneetriage::cli
