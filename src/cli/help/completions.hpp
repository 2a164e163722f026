// `kneetriage completions bash|zsh|fish`, and the scripts themselves (for the build, which
// installs them for the built-in rules).
#pragma once

#include <string>
#include <string_view>

#include "context.hpp"

namespace kneetriage::cli {

// The completion script of `app` (with all its subcommands) for "bash", "zsh" or "fish"; empty
// for any other shell.
[[nodiscard]] std::string completion_script(const CLI::App& app, std::string_view shell);

[[nodiscard]] Command register_completions(CLI::App& app, Context& context);

}  // namespace kneetriage::cli
