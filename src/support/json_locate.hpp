// Finds where in a JSON text the value at a JSON pointer starts, so that every diagnostic can
// name a line and column (nlohmann/json keeps no positions once parsed). Internal.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "kneetriage/diagnostic.hpp"

namespace kneetriage::detail {

struct TextPosition {
  int line = 1;
  int column = 1;
};

[[nodiscard]] TextPosition position_of_offset(std::string_view text, std::size_t offset);

// nullopt when the pointer does not lead to a value in `text` (or the text is not JSON there).
[[nodiscard]] std::optional<TextPosition> locate(std::string_view text, std::string_view pointer);

// What a reader says about a document nlohmann/json could not parse, in each reader's own words.
struct ParseErrorHints {
  std::string_view syntax;  // for a syntax error, e.g. "... must be valid JSON (no comments ...)"
  std::string_view empty;   // for an empty (or all-blank) file
  std::string_view binary;  // for a file with a NUL byte
};

// The diagnostic for a parse_error of nlohmann/json (`byte` and `message` are the exception's):
// "invalid JSON: " and the reason without nlohmann's own position, at the line and column of the
// byte it stopped at; an empty, a UTF-16 or a binary file is named as such.
[[nodiscard]] Diagnostic parse_error_diagnostic(std::string_view text, std::string_view file,
                                                std::size_t byte, std::string_view message,
                                                const ParseErrorHints& hints);

// The diagnostic for any other exception nlohmann/json throws while parsing, in practice a number
// too large for a double ("number overflow parsing '1e309'"): nlohmann gives no position for it,
// so the number it quotes is found in `text`.
[[nodiscard]] Diagnostic unrepresentable_json_diagnostic(std::string_view text,
                                                         std::string_view file,
                                                         std::string_view message);

// The message of a nlohmann/json exception without its "[json.exception.kind.N] " prefix.
[[nodiscard]] std::string exception_reason(std::string_view message);

}  // namespace kneetriage::detail
