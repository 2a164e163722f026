// Plain-text layout for the terminal: display width of UTF-8 text, word wrapping with hanging
// indents, and tables whose cells wrap. Input is expected to be sanitised already.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "terminal/terminal.hpp"

namespace kneetriage::cli {

// Columns `text` takes on a terminal: wide (CJK, emoji) characters count 2, combining marks 0,
// and SGR colour sequences (ESC [ … m) 0.
[[nodiscard]] std::size_t display_width(std::string_view text);

// Greedy word wrap to `width` columns. The first line starts with `first_prefix`, later ones with
// `rest_prefix` (both count towards the width). A word longer than a line is broken. Newlines in
// `text` start a new paragraph with `rest_prefix`. Every line ends with '\n'.
[[nodiscard]] std::string wrap(std::string_view text, std::size_t width,
                               std::string_view first_prefix = {},
                               std::string_view rest_prefix = {});

// The lines of `text` wrapped to `width` columns, without prefixes or newlines.
[[nodiscard]] std::vector<std::string> wrap_lines(std::string_view text, std::size_t width);

// `text` followed by spaces up to `width` columns.
[[nodiscard]] std::string pad(std::string_view text, std::size_t width);

struct Column {
  std::string heading;
  std::size_t min_width = 8;  // the column is never narrower (unless its content is)
};

// An aligned table under a bold heading row and a rule: columns separated by two spaces, each
// cell wrapped within its column. Widths go by what the columns hold: no column is narrower than
// its longest word, the first (the rows' names) is never broken, and the rest is shared to make
// the table as short as it can be (then to wrap the fewest cells), the last column taking what is
// left. Every sharing is tried, which suits the few columns of a table for people. Returns an
// empty string when the table cannot fit, or its names would take more than two fifths of the
// width: the caller then lays the rows out as a list. `notes`, when given, are wrapped to the full
// width under their rows (indented by two more spaces).
[[nodiscard]] std::string table(const std::vector<Column>& columns,
                                const std::vector<std::vector<std::string>>& rows,
                                std::size_t width, std::string_view indent, const Style& style,
                                const std::vector<std::string>& notes = {});

}  // namespace kneetriage::cli
