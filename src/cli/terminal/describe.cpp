#include "terminal/describe.hpp"

namespace kneetriage::cli {

std::string shell_wrap(std::string_view command, std::size_t width, std::string_view indent) {
  std::string out(indent);
  std::size_t column = indent.size();
  std::size_t start = 0;
  bool first = true;
  // Break between a flag's value and the next flag, never between a flag and its value.
  while (start < command.size()) {
    std::size_t end = command.find(" --", start + 1);
    if (end == std::string_view::npos) end = command.size();
    std::string_view piece = command.substr(start, end - start);
    if (!first && column + piece.size() + 2 > width) {
      out += " \\\n";
      out += indent;
      out += "   ";
      column = indent.size() + 3;
      piece.remove_prefix(piece.starts_with(' ') ? 1 : 0);
      out += ' ';
      ++column;
    }
    out += piece;
    column += piece.size();
    start = end;
    first = false;
  }
  return out;
}

}  // namespace kneetriage::cli
