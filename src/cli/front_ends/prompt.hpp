// The interactive questionnaire: asks the questions that apply, one at a time, on a terminal.
// Prompts go to stderr so that stdout carries only the result. The terminal is never put in raw
// mode: lines are read as the terminal's own line editing delivers them.
#pragma once

#include <csignal>
#include <cstdio>
#include <string>

#include "kneetriage/assessment.hpp"
#include "kneetriage/rules.hpp"
#include "terminal/render.hpp"

namespace kneetriage::cli {

// Reads lines from a file descriptor, returning early when SIGINT arrives (see InterruptGuard).
class LineReader {
 public:
  enum class Status { line, end_of_input, interrupted };

  explicit LineReader(int fd) : fd_(fd) {}

  // The next line without its newline. Lines longer than k_max_line are cut there (the rest is
  // read and dropped) and reported with `too_long`.
  Status read_line(std::string& line, bool& too_long);

  static constexpr std::size_t k_max_line = 1024;

 private:
  int fd_;
  std::string buffer_;
  bool end_ = false;
};

// While alive, SIGINT sets a flag (and interrupts a blocking read) instead of killing the
// program, so Ctrl-C can leave with a message and exit status 130. Restores the old handler.
class InterruptGuard {
 public:
  InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  ~InterruptGuard();

  [[nodiscard]] static bool interrupted();

 private:
  struct sigaction previous_ {};
};

// Asks the questions, after two opening lines (not medical advice, the emergency numbers; the
// keys). Commands at the prompt: a number, an answer or its first letters; `?` or `help` why the
// question is asked; `b` or `back` back; `q` or `quit` quit (shows the result so far if a red
// flag was raised, otherwise stops); Enter keeps an earlier answer after going back. The words
// are commands only where they do not answer the question. A red flag is warned of at once with
// the level of the answers so far; the questions end early once the rest cannot change the
// result (Session). The result has the questions left unanswered (q after a red flag) or not
// needed (the early end) filled in.
// Throws Interrupted on Ctrl-C, end of input, or `q` without a red flag.
[[nodiscard]] Assessment ask_questions(const RuleSet& rules, LineReader& input, std::FILE* out,
                                         const TextOptions& options);

}  // namespace kneetriage::cli
