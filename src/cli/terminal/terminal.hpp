// What the program needs to know about the terminal: whether a stream is one, how wide it is,
// whether to use colour, and how to make untrusted text (from rules or answers) safe to print.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kneetriage::cli {

[[nodiscard]] bool is_terminal(int fd);

// Columns of the terminal on `fd`; `fallback` when it is not a terminal or the size is unknown.
[[nodiscard]] int terminal_width(int fd, int fallback = 80);

// Columns to lay text out in on `fd`: the terminal's, at most 100 (prose is hard to read in
// longer lines); 80 when `fd` is not a terminal. Read afresh on each call: windows get resized.
[[nodiscard]] std::size_t text_width(int fd);

enum class ColorMode { automatic, always, never };

// "auto", "always", "never"; nullopt for anything else.
[[nodiscard]] std::optional<ColorMode> color_mode_from_name(std::string_view name);

// Colour on `fd`: always → yes; never → no; auto → only on a terminal, with NO_COLOR unset or
// empty (https://no-color.org) and TERM not "dumb".
[[nodiscard]] bool use_color(ColorMode mode, int fd);

// SGR sequences, empty when colour is off, so callers never branch on colour themselves.
struct Style {
  bool color = false;

  [[nodiscard]] std::string bold(std::string_view text) const { return wrap("1", text); }
  [[nodiscard]] std::string alarm(std::string_view text) const { return wrap("1;31", text); }
  [[nodiscard]] std::string warn(std::string_view text) const { return wrap("1;33", text); }
  [[nodiscard]] std::string dim(std::string_view text) const { return wrap("2", text); }

 private:
  [[nodiscard]] std::string wrap(std::string_view sgr, std::string_view text) const;
};

// A status line on standard error for a long run (batch's lines per second, check's walk),
// redrawn in place ("\r\x1b[K" and the text, cut to the terminal's width so that it never wraps
// and leaves stale rows). Drawn only when enabled (the caller decides: stderr is a terminal),
// not before `delay` has passed, and at most five times a second: due() says when.
class StatusLine {
 public:
  explicit StatusLine(bool enabled, std::chrono::milliseconds delay = {});

  // True when enabled, `delay` has passed and the last draw is at least 200 ms old.
  [[nodiscard]] bool due();
  // Seconds since the line was made.
  [[nodiscard]] double seconds() const;
  // Replaces the line with `text`; `end` ("\n" to keep it) is written after the cut text.
  void draw(std::string_view text, std::string_view end = "");
  // Erases the line, if anything was drawn, so that what follows starts on a clean row.
  void clear();

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  bool drawn_ = false;
  Clock::time_point start_ = Clock::now();
  Clock::time_point next_;
};

// "240,000 of at most 2,000,000 answer sets, up to 1 min 28 s left (FILE)": how far a walk of
// the answer space is (check, diff), once it has taken half a second and only when stderr is a
// terminal: a large rules file can take minutes, and a rule author should see that it is working
// and how long it may take. The time left is estimated from the rate so far, up to the bound:
// the walk ends there, or sooner when the answer space is smaller. The file comes last, so that a
// long path is what the terminal's width cuts. clear() before printing the result.
class WalkStatusLine {
 public:
  WalkStatusLine(std::string file, std::size_t bound);

  void update(std::size_t visited);
  void clear() { line_.clear(); }

 private:
  std::string file_;
  std::size_t bound_;
  StatusLine line_;
};

enum class Newlines { keep, replace };

// Makes text safe for a terminal: C0 controls (ESC, CR, BEL, backspace, …), DEL and C1 controls
// become visible caret notation (^[, ^M, ^?) or U+FFFD, so no escape sequence from a rules file
// or an answer can move the cursor, recolour, retitle or clear the screen. Tabs become a space;
// newlines are kept or replaced by a space. Invalid UTF-8 becomes U+FFFD, and bidirectional
// override characters (which can make text read differently from what it is) are replaced too.
[[nodiscard]] std::string sanitize(std::string_view text, Newlines newlines = Newlines::replace);

}  // namespace kneetriage::cli
