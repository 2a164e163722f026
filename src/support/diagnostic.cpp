#include "kneetriage/diagnostic.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "support/json_locate.hpp"

namespace kneetriage {

std::string to_string(const Diagnostic& diagnostic) {
  std::string out = diagnostic.file.empty() ? std::string("<input>") : diagnostic.file;
  if (diagnostic.line > 0) {
    out += fmt::format(":{}:{}", diagnostic.line, diagnostic.column);
  }
  out += ": ";
  if (!diagnostic.pointer.empty()) {
    out += diagnostic.pointer;
    out += ": ";
  }
  out += diagnostic.what;
  if (!diagnostic.hint.empty()) {
    out += " (";
    out += diagnostic.hint;
    out += ")";
  }
  return out;
}

void add_positions(Diagnostics& diagnostics, std::string_view text) {
  // Each lookup scans the text from its start (twice: to the value, then counting lines). Past a
  // budget, diagnostics keep their JSON pointer but get no line and column, so that a 60 MB file
  // with 500 problems, or a 1 MB answers file with 80,000, is reported in a second, not minutes.
  constexpr std::size_t k_locate_budget = std::size_t{512} << 20U;
  const std::size_t max_located =
      std::max<std::size_t>(1, k_locate_budget / std::max<std::size_t>(1, 2 * text.size()));
  std::size_t located = 0;
  for (auto& diagnostic : diagnostics) {
    if (diagnostic.line > 0) continue;
    if (located++ == max_located) break;
    if (const auto position = detail::locate(text, diagnostic.pointer)) {
      diagnostic.line = position->line;
      diagnostic.column = position->column;
    }
  }
}

}  // namespace kneetriage
