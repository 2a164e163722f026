#include "kneetriage/diagnostic.hpp"

#include <fmt/format.h>

#include "json_locate.hpp"

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
  for (auto& diagnostic : diagnostics) {
    if (diagnostic.line > 0) continue;
    if (const auto position = detail::locate(text, diagnostic.pointer)) {
      diagnostic.line = position->line;
      diagnostic.column = position->column;
    }
  }
}

}  // namespace kneetriage
