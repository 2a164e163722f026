#include "kneetriage/diagnostic.hpp"

#include <fmt/format.h>

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

}  // namespace kneetriage
