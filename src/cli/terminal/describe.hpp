// The rules' words (kneetriage/describe.hpp) and, for the terminal, a command line wrapped to fit.
#pragma once

#include <string>
#include <string_view>

#include "kneetriage/describe.hpp"

namespace kneetriage::cli {

// A command line split over lines with shell continuations (" \\") to fit `width`.
[[nodiscard]] std::string shell_wrap(std::string_view command, std::size_t width,
                                     std::string_view indent);

}  // namespace kneetriage::cli
