#include "support/json_locate.hpp"

#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "support/text_util.hpp"

namespace kneetriage::detail {
namespace {

class Scanner {
 public:
  Scanner(std::string_view text, std::size_t start) : text_(text), pos_(start) {}

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  [[nodiscard]] bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool eat(char c) {
    skip_space();
    if (!at(c)) return false;
    ++pos_;
    return true;
  }
  [[nodiscard]] std::size_t pos() const { return pos_; }

  // Four hex digits after "\u" at pos_ + 1; nullopt when they are not there.
  [[nodiscard]] std::optional<char32_t> hex4(std::size_t at) const {
    if (at + 4 > text_.size()) return std::nullopt;
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text_.data() + at, text_.data() + at + 4, value, 16);
    if (error != std::errc() || end != text_.data() + at + 4) return std::nullopt;
    return static_cast<char32_t>(value);
  }

  // Decodes "\uXXXX" (or a surrogate pair "\uD83D\uDE00") with pos_ on the 'u', as UTF-8, as
  // nlohmann/json does, so that a key written with escapes ("kn\u00e9e") is found. Leaves pos_
  // on the last character consumed.
  void append_escaped_code_point(std::string& out) {
    auto code = hex4(pos_ + 1);
    if (!code) {
      out += "\\u";  // malformed: nlohmann rejected the file already; no match
      return;
    }
    pos_ += 4;
    if (*code >= 0xD800 && *code <= 0xDBFF && pos_ + 2 < text_.size() && text_[pos_ + 1] == '\\' &&
        text_[pos_ + 2] == 'u') {
      if (const auto low = hex4(pos_ + 3); low && *low >= 0xDC00 && *low <= 0xDFFF) {
        code = 0x10000 + ((*code - 0xD800) << 10U) + (*low - 0xDC00);
        pos_ += 6;
      }
    }
    const char32_t c = *code;
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6U));
      out += static_cast<char>(0x80 | (c & 0x3FU));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12U));
      out += static_cast<char>(0x80 | ((c >> 6U) & 0x3FU));
      out += static_cast<char>(0x80 | (c & 0x3FU));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18U));
      out += static_cast<char>(0x80 | ((c >> 12U) & 0x3FU));
      out += static_cast<char>(0x80 | ((c >> 6U) & 0x3FU));
      out += static_cast<char>(0x80 | (c & 0x3FU));
    }
  }

  // Reads a string literal and decodes its escapes.
  bool read_string(std::string& out) {
    skip_space();
    if (!at('"')) return false;
    ++pos_;
    out.clear();
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
        ++pos_;
        const char escaped = text_[pos_];
        switch (escaped) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'u':
            append_escaped_code_point(out);
            break;
          default:
            out += escaped;
            break;
        }
      } else {
        out += text_[pos_];
      }
      ++pos_;
    }
    if (!at('"')) return false;
    ++pos_;
    return true;
  }

  // Skips a string literal without decoding or copying it (values can be megabytes long).
  bool skip_string() {
    if (!at('"')) return false;
    ++pos_;
    while (pos_ < text_.size()) {
      const std::size_t stop = text_.find_first_of("\"\\", pos_);
      if (stop == std::string_view::npos) break;
      if (text_[stop] == '"') {
        pos_ = stop + 1;
        return true;
      }
      pos_ = stop + 2;  // a backslash and the character it escapes
    }
    pos_ = text_.size();
    return false;
  }

  // Skips one value without recursion, so that deeply nested input cannot exhaust the stack.
  bool skip_value() {
    skip_space();
    if (pos_ >= text_.size()) return false;
    const char first = text_[pos_];
    if (first == '"') return skip_string();
    if (first == '{' || first == '[') {
      int depth = 0;
      while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c == '"') {
          if (!skip_string()) return false;
          continue;
        }
        if (c == '{' || c == '[') {
          ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
          ++pos_;
          return true;
        }
        ++pos_;
      }
      return false;
    }
    const std::size_t start = pos_;
    while (pos_ < text_.size() &&
           std::string_view(",}] \t\r\n").find(text_[pos_]) == std::string_view::npos) {
      ++pos_;
    }
    return pos_ > start;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::vector<std::string> split_pointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  std::size_t start = 1;  // skip the leading '/'
  while (true) {
    const std::size_t end = pointer.find('/', start);
    std::string token(pointer.substr(start, end == std::string_view::npos ? end : end - start));
    std::string decoded;
    for (std::size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size()) {
        decoded += token[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        decoded += token[i];
      }
    }
    tokens.push_back(std::move(decoded));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return tokens;
}

}  // namespace

TextPosition position_of_offset(std::string_view text, std::size_t offset) {
  TextPosition position;
  const std::size_t end = offset < text.size() ? offset : text.size();
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
      ++position.column;  // count characters, not UTF-8 continuation bytes
    }
  }
  return position;
}

std::optional<TextPosition> locate(std::string_view text, std::string_view pointer) {
  // A byte-order mark is not part of the document; positions still count it as written.
  Scanner scanner(text, text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0);
  for (const auto& token : split_pointer(pointer)) {
    scanner.skip_space();
    if (scanner.eat('{')) {
      bool found = false;
      std::string key;
      while (!found) {
        if (!scanner.read_string(key) || !scanner.eat(':')) return std::nullopt;
        if (key == token) {
          found = true;
          break;
        }
        if (!scanner.skip_value() || !scanner.eat(',')) return std::nullopt;
      }
    } else if (scanner.eat('[')) {
      std::size_t index = 0;
      const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (ec != std::errc() || ptr != token.data() + token.size()) return std::nullopt;
      for (std::size_t i = 0; i < index; ++i) {
        if (!scanner.skip_value() || !scanner.eat(',')) return std::nullopt;
      }
    } else {
      return std::nullopt;
    }
  }
  scanner.skip_space();
  return position_of_offset(text, scanner.pos());
}

Diagnostic parse_error_diagnostic(std::string_view text, std::string_view file, std::size_t byte,
                                  std::string_view message, const ParseErrorHints& hints) {
  auto where = position_of_offset(text, byte == 0 ? 0 : byte - 1);
  std::string what(message);
  // nlohmann's message repeats the position; keep only the reason.
  if (const auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
  std::string_view hint = hints.syntax;
  if (trim(text).empty()) {
    what = "the file is empty";
    hint = hints.empty;
  } else if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
    // nlohmann's own message ("invalid literal") would not say what is wrong with the file.
    what = "the file is UTF-16 text";
    hint = "save it as UTF-8";
    where = TextPosition{};
  } else if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    // nlohmann stops at a NUL byte and reports an "unexpected end of input" there.
    what = "the file is binary, not text: it has a NUL byte here";
    hint = hints.binary;
    where = position_of_offset(text, nul);
  }
  return Diagnostic{std::string(file),       where.line,       where.column, "",
                    "invalid JSON: " + what, std::string(hint)};
}

Diagnostic unrepresentable_json_diagnostic(std::string_view text, std::string_view file,
                                           std::string_view message) {
  const std::string what = exception_reason(message);
  TextPosition where{0, 0};  // no position when the number is not found
  if (const auto open = what.find('\''), close = what.rfind('\'');
      open != std::string::npos && close > open + 1) {
    if (const auto at = text.find(what.substr(open + 1, close - open - 1));
        at != std::string_view::npos)
      where = position_of_offset(text, at);
  }
  return Diagnostic{std::string(file),
                    where.line,
                    where.column,
                    "",
                    "invalid JSON: " + what,
                    "numbers must fit in a double (at most about 1.8e308)"};
}

std::string exception_reason(std::string_view message) {
  if (const auto bracket = message.find("] "); bracket != std::string_view::npos) {
    return std::string(message.substr(bracket + 2));
  }
  return std::string(message);
}

}  // namespace kneetriage::detail
