// Finds where in a JSON text the value at a JSON pointer starts, so that every diagnostic can
// name a line and column (nlohmann/json keeps no positions once parsed). Internal.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace kneetriage::detail {

struct TextPosition {
  int line = 1;
  int column = 1;
};

[[nodiscard]] TextPosition position_of_offset(std::string_view text, std::size_t offset);

// nullopt when the pointer does not lead to a value in `text` (or the text is not JSON there).
[[nodiscard]] std::optional<TextPosition> locate(std::string_view text, std::string_view pointer);

}  // namespace kneetriage::detail
