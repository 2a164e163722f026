// "Did you mean …?" for the command line: flags, subcommands and option values typed slightly
// wrong, and CLI11's parse errors turned into messages that name the words in the order typed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "errors.hpp"

namespace CLI {
class App;
class ParseError;
class Validator;
}  // namespace CLI

namespace kneetriage::cli {

// The core's one "did you mean" (closest_match, kneetriage/diagnostic.hpp), under the name the
// program's messages use.
[[nodiscard]] std::string nearest(std::string_view word,
                                  const std::vector<std::string>& candidates);

// A validator for an option that takes one of `values`: the message names them, and the nearest
// one when the value looks like a typo of it.
[[nodiscard]] CLI::Validator one_of(std::vector<std::string> values);

// Every name a user can type on `app`'s command line: its long and short option names (with their
// dashes), and those of the parent it falls through to.
[[nodiscard]] std::vector<std::string> option_names(const CLI::App& app);

// The names of `app`'s subcommands that are shown in its help.
[[nodiscard]] std::vector<std::string> subcommand_names(const CLI::App& app);

// CLI11's parse error as our usage error: arguments that were not expected are named in the
// order typed, each unknown flag or command with the nearest known one.
[[nodiscard]] UsageError usage_error(const CLI::App& app, const CLI::ParseError& error);

// argv with `--color WHEN` joined into `--color=WHEN`: --color takes its value after '=' (a bare
// --color means always), and the older spaced form keeps working.
[[nodiscard]] std::vector<std::string> normalize_arguments(int argc, const char* const* argv);

}  // namespace kneetriage::cli
