// A RuleSet as a compact image: every field, length-prefixed, with no names and no checks. It is
// what the build makes of rules/knee.json after loading and checking it with load_rules, so that
// the program starts without parsing and validating JSON (src/tools/compile_rules.cpp writes it).
// Not a file format: an image is read only by the build that wrote it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kneetriage/rules.hpp"

namespace kneetriage::detail {

[[nodiscard]] std::string encode_rules(const RuleSet& rules);

// nullopt when the image is cut short or malformed (a bug of the build, not of the rules).
[[nodiscard]] std::optional<RuleSet> decode_rules(std::string_view image);

}  // namespace kneetriage::detail
