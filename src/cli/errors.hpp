// The program's errors: one base type carrying the exit status it maps to (as CLI11's Error does),
// so any layer can throw and main() alone turns the error into a message on stderr and a status.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace kneetriage::cli {

// The documented exit statuses (sysexits.h numbers where one fits).
enum class ExitStatus : int {
  ok = 0,
  test_failed = 1,    // `kneetriage test`: a case does not hold
  usage = 64,         // EX_USAGE: the command line is wrong
  data = 65,          // EX_DATAERR: a rules file or an answers document is wrong
  no_input = 66,      // EX_NOINPUT: a file cannot be read
  internal = 70,      // EX_SOFTWARE: a bug in kneetriage
  cannot_write = 74,  // EX_IOERR: a file (or standard output) cannot be written
  interrupted = 130,  // 128 + SIGINT: Ctrl-C, end of input, or `q` at the prompt
  broken_pipe = 141,  // 128 + SIGPIPE: the reader of stdout went away; no message
};

[[nodiscard]] constexpr int to_int(ExitStatus status) {
  return static_cast<int>(status);
}

// Base of every error the program reports. `what()` is the one-line message; `details` are
// further lines (one per diagnostic, or a hint saying what to do next).
class Error : public std::runtime_error {
 public:
  Error(std::string name, const std::string& message, ExitStatus status,
        std::vector<std::string> details = {})
      : std::runtime_error(message),
        name_(std::move(name)),
        status_(status),
        details_(std::move(details)) {}

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] ExitStatus status() const { return status_; }
  [[nodiscard]] const std::vector<std::string>& details() const { return details_; }

 private:
  std::string name_;
  ExitStatus status_;
  std::vector<std::string> details_;
};

// The command line is wrong: a value that is not allowed, a missing answer, …
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message, std::vector<std::string> details = {})
      : Error("UsageError", message, ExitStatus::usage, std::move(details)) {}
};

// A rules file or an answers document is wrong; `details` holds every diagnostic.
class DataError : public Error {
 public:
  explicit DataError(const std::string& message, std::vector<std::string> details = {})
      : Error("DataError", message, ExitStatus::data, std::move(details)) {}
};

// A file cannot be read (missing, unreadable, a directory).
class InputError : public Error {
 public:
  explicit InputError(const std::string& message, std::vector<std::string> details = {})
      : Error("InputError", message, ExitStatus::no_input, std::move(details)) {}
};

// A file or standard output cannot be written.
class OutputError : public Error {
 public:
  explicit OutputError(const std::string& message, std::vector<std::string> details = {})
      : Error("OutputError", message, ExitStatus::cannot_write, std::move(details)) {}
};

// The person stopped: Ctrl-C, Ctrl-D (end of input) or `q` at the prompt.
class Interrupted : public Error {
 public:
  explicit Interrupted(const std::string& message)
      : Error("Interrupted", message, ExitStatus::interrupted) {}
};

// Whoever reads standard output has gone (`| head`): leave quietly, as a program killed by
// SIGPIPE would, but after cleaning up.
class BrokenPipe : public Error {
 public:
  BrokenPipe() : Error("BrokenPipe", "", ExitStatus::broken_pipe) {}
};

}  // namespace kneetriage::cli
