#include "terminal/terminal.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "terminal/io.hpp"

namespace kneetriage::cli {

bool is_terminal(int fd) {
  return ::isatty(fd) == 1;
}

int terminal_width(int fd, int fallback) {
  if (!is_terminal(fd)) return fallback;
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return fallback;
}

std::size_t text_width(int fd) {
  constexpr int k_max_width = 100;
  return static_cast<std::size_t>(std::clamp(terminal_width(fd, 80), 1, k_max_width));
}

std::optional<ColorMode> color_mode_from_name(std::string_view name) {
  if (name == "auto") return ColorMode::automatic;
  if (name == "always") return ColorMode::always;
  if (name == "never") return ColorMode::never;
  return std::nullopt;
}

bool use_color(ColorMode mode, int fd) {
  switch (mode) {
    case ColorMode::always:
      return true;
    case ColorMode::never:
      return false;
    case ColorMode::automatic:
      break;
  }
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return is_terminal(fd);
}

StatusLine::StatusLine(bool enabled, std::chrono::milliseconds delay)
    : enabled_(enabled), next_(start_ + delay) {}

bool StatusLine::due() {
  if (!enabled_) return false;
  const auto now = Clock::now();
  if (now < next_) return false;
  next_ = now + std::chrono::milliseconds(200);
  return true;
}

double StatusLine::seconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

void StatusLine::draw(std::string_view text, std::string_view end) {
  if (!enabled_) return;
  // One column short of the width: a line that fills the last column wraps on some terminals.
  const auto columns = static_cast<std::size_t>(std::max(terminal_width(STDERR_FILENO) - 1, 1));
  if (text.size() > columns) {  // bytes >= columns in UTF-8; never cut inside a character
    std::size_t cut = columns;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;
    text = text.substr(0, cut);
  }
  std::string line = "\r\x1b[K";
  line.append(text).append(end);
  // A status line is a courtesy: a terminal that cannot take it must not stop the run.
  (void)!::write(STDERR_FILENO, line.data(), line.size());
  drawn_ = end.empty();  // a line ended by "\n" is kept: there is nothing left to clear
}

void StatusLine::clear() {
  if (!drawn_) return;
  (void)!::write(STDERR_FILENO, "\r\x1b[K", 4);
  drawn_ = false;
}

WalkStatusLine::WalkStatusLine(std::string file, std::size_t bound)
    : file_(std::move(file)),
      bound_(bound),
      line_(is_terminal(STDERR_FILENO), std::chrono::milliseconds(500)) {}

namespace {

// "12 s", "1 min 28 s", "2 h 5 min".
std::string duration_text(double seconds) {
  const long long whole = std::llround(seconds);
  if (whole < 60) return fmt::format("{} s", whole);
  if (whole < 3600) return fmt::format("{} min {} s", whole / 60, whole % 60);
  return fmt::format("{} h {} min", whole / 3600, whole % 3600 / 60);
}

}  // namespace

void WalkStatusLine::update(std::size_t visited) {
  if (!line_.due()) return;
  const std::size_t left = bound_ - std::min(visited, bound_);
  const double seconds_left = static_cast<double>(left) * line_.seconds() /
                              static_cast<double>(std::max<std::size_t>(visited, 1));
  line_.draw(fmt::format("{} of at most {} answer sets, up to {} left ({})", count_text(visited),
                         count_text(bound_), duration_text(seconds_left), file_));
}

std::string Style::wrap(std::string_view sgr, std::string_view text) const {
  if (!color || text.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size() + 12);
  out.append("\x1b[").append(sgr).append("m").append(text).append("\x1b[0m");
  return out;
}

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 when it is not valid UTF-8
// (overlong forms, surrogates and values above U+10FFFF included).
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  code_point = value;
  return length;
}

bool is_bidi_control(char32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
         c == 0x200F || c == 0x061C;
}

}  // namespace

std::string sanitize(std::string_view text, Newlines newlines) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const std::size_t length = decode_utf8(text, i, c);
    if (length == 0) {
      out.append(k_replacement);
      ++i;
      continue;
    }
    if (c == '\n') {
      out.push_back(newlines == Newlines::keep ? '\n' : ' ');
    } else if (c == '\t') {
      out.push_back(' ');
    } else if (c < 0x20) {
      out.push_back('^');
      out.push_back(static_cast<char>(c + 0x40));
    } else if (c == 0x7F) {
      out.append("^?");
    } else if ((c >= 0x80 && c <= 0x9F) || is_bidi_control(c)) {
      out.append(k_replacement);
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

}  // namespace kneetriage::cli
