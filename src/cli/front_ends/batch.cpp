#include "front_ends/batch.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <utility>

#include "errors.hpp"
#include "front_ends/one_shot.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/assessment_writer.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/evaluation.hpp"
#include "kneetriage/fhir.hpp"
#include "kneetriage/json_writer.hpp"
#include "kneetriage/questionnaire.hpp"
#include "suggest.hpp"
#include "terminal/io.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

namespace {

// Reads this much at a time, and writes stdout in blocks of about this size.
constexpr std::size_t k_read_chunk = std::size_t{256} << 10U;
constexpr std::size_t k_write_block = std::size_t{256} << 10U;
// Room for a block and the record that fills it (a full record is about 16 KiB).
constexpr std::size_t k_write_reserve = k_write_block + (std::size_t{64} << 10U);

}  // namespace

namespace {

// Splits what a file descriptor delivers into lines, reading in large chunks into one buffer
// allocated once. A line longer than the limit is counted and dropped as it streams past.
class LineStream {
 public:
  enum class Status { line, too_long, need_input, end };
  struct Line {
    Status status = Status::end;
    std::string_view text;     // Status::line
    std::uint64_t number = 0;  // Status::line and too_long
    std::uint64_t bytes = 0;   // Status::too_long: the line's length
  };

  LineStream(int fd, std::size_t max_line)
      : fd_(fd),
        max_line_(max_line),
        capacity_(max_line + 1 + k_read_chunk),
        // NOLINTNEXTLINE(modernize-avoid-c-arrays): uninitialised, so untouched pages cost nothing
        buffer_(std::make_unique_for_overwrite<char[]>(capacity_)) {}

  // The next line from what has been read, or need_input: call fill(), then next() again.
  Line next() {
    if (discarding_) {
      const char* newline = find_newline(begin_);
      if (newline == nullptr) {
        discarded_ += end_ - begin_;
        begin_ = end_ = 0;
        if (!eof_) return {Status::need_input, {}, 0, 0};
        discarding_ = false;
        return {Status::too_long, {}, number_, discarded_};
      }
      const auto length = static_cast<std::size_t>(newline - (data() + begin_));
      begin_ = scan_ = begin_ + length + 1;
      discarding_ = false;
      return {Status::too_long, {}, number_, discarded_ + length};
    }
    const char* newline = find_newline(scan_);
    if (newline != nullptr) {
      const std::string_view text(data() + begin_,
                                  static_cast<std::size_t>(newline - (data() + begin_)));
      begin_ = scan_ = static_cast<std::size_t>(newline - data()) + 1;
      ++number_;
      if (text.size() > max_line_) return {Status::too_long, {}, number_, text.size()};
      return {Status::line, text, number_, 0};
    }
    const std::size_t pending = end_ - begin_;
    if (pending > max_line_) {  // over the limit before its end: drop it as it streams past
      ++number_;
      discarding_ = true;
      discarded_ = pending;
      begin_ = end_ = scan_ = 0;
      return next();
    }
    scan_ = end_;
    if (!eof_) return {Status::need_input, {}, 0, 0};
    if (pending == 0) return {Status::end, {}, 0, 0};
    // The last line has no newline: it is a line all the same.
    const std::string_view text(data() + begin_, pending);
    begin_ = scan_ = end_;
    ++number_;
    return {Status::line, text, number_, 0};
  }

  // Reads once. Returns 0, or errno when the read failed.
  int fill() {
    if (begin_ > 0 && capacity_ - end_ < k_read_chunk) {
      std::memmove(data(), data() + begin_, end_ - begin_);
      end_ -= begin_;
      scan_ -= begin_;
      begin_ = 0;
    }
    while (true) {
      const ssize_t n = ::read(fd_, data() + end_, std::min(k_read_chunk, capacity_ - end_));
      if (n > 0) {
        end_ += static_cast<std::size_t>(n);
        return 0;
      }
      if (n == 0) {
        eof_ = true;
        return 0;
      }
      if (errno != EINTR) return errno;
    }
  }

 private:
  [[nodiscard]] char* data() const { return buffer_.get(); }
  [[nodiscard]] const char* find_newline(std::size_t from) const {
    return static_cast<const char*>(std::memchr(data() + from, '\n', end_ - from));
  }

  int fd_;
  std::size_t max_line_;
  std::size_t capacity_;
  std::unique_ptr<char[]> buffer_;  // NOLINT(modernize-avoid-c-arrays): see the constructor
  std::size_t begin_ = 0;           // start of the first unreturned byte
  std::size_t scan_ = 0;            // where to resume looking for a newline
  std::size_t end_ = 0;             // end of the bytes read
  bool eof_ = false;
  bool discarding_ = false;
  std::uint64_t discarded_ = 0;
  std::uint64_t number_ = 0;
};

// "12,345 lines, 98,765 lines/s", redrawn in place on a terminal at most five times a second.
class Progress {
 public:
  explicit Progress(bool enabled) : line_(enabled, std::chrono::milliseconds(200)) {}

  void update(const BatchTotals& totals) {
    if ((totals.records & 1023U) != 0 || !line_.due()) return;
    line_.draw(text(totals));
  }

  void finish(const BatchTotals& totals) { line_.draw(text(totals), "\n"); }

 private:
  [[nodiscard]] std::string text(const BatchTotals& totals) const {
    const double seconds = line_.seconds();
    const auto rate =
        seconds > 0 ? static_cast<std::uint64_t>(static_cast<double>(totals.records) / seconds) : 0;
    std::string text = fmt::format("{} lines, {} lines/s", totals.records, rate);
    if (totals.bad > 0) text += fmt::format(", {} bad", totals.bad);
    return text;
  }

  StatusLine line_;
};

// Standard output in large blocks.
class Output {
 public:
  Output() { buffer_.reserve(k_write_reserve); }
  std::string& buffer() { return buffer_; }
  void flush_if_full() {
    if (buffer_.size() >= k_write_block) flush();
  }
  void flush() {
    if (buffer_.empty()) return;
    write_stdout(buffer_);
    buffer_.clear();
    // One huge error record must not keep its memory for the rest of the run.
    if (buffer_.capacity() > 4 * k_write_block) {
      buffer_.shrink_to_fit();
      buffer_.reserve(k_write_reserve);
    }
  }

 private:
  std::string buffer_;
};

struct Input {
  int fd = -1;
  bool owned = false;
  std::string name;  // as reported in records and messages
};

std::optional<Input> open_input(const std::string& path) {
  if (path == "-") return Input{STDIN_FILENO, false, display_name(path)};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const auto fail = [&](int error) {
    report(fmt::format("cannot read {}: {}", sanitize(path), std::strerror(error)));
    return std::nullopt;
  };
  if (fd < 0) return fail(errno);
  struct stat status {};
  if (::fstat(fd, &status) == 0 && S_ISDIR(status.st_mode)) {
    ::close(fd);
    return fail(EISDIR);
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return Input{fd, true, path};
}

}  // namespace

BatchTotals run_batch(const RuleSet& rules, const BatchOptions& options) {
  BatchProcessor processor(rules, options.format);
  BatchTotals totals;
  Progress progress(options.progress);
  Output output;
  std::string first_bad;  // "file:line" of the first bad record, for the closing message
  const auto count_bad = [&](const std::string& file, std::uint64_t line) {
    if (totals.bad++ == 0) first_bad = fmt::format("{}:{}", sanitize(file), line);
  };

  const std::vector<std::string> stdin_only{"-"};
  for (const std::string& path : options.files.empty() ? stdin_only : options.files) {
    std::optional<Input> input = open_input(path);
    if (!input) {
      ++totals.unreadable_files;
      continue;
    }
    LineStream lines(input->fd, k_max_batch_line);
    bool reading = true;
    while (reading) {
      const LineStream::Line line = lines.next();
      switch (line.status) {
        case LineStream::Status::line:
          if (BatchProcessor::is_blank(line.text)) break;
          ++totals.records;
          if (!processor.process(line.text, {input->name, line.number}, output.buffer()))
            count_bad(input->name, line.number);
          output.flush_if_full();
          progress.update(totals);
          break;
        case LineStream::Status::too_long:
          ++totals.records;
          count_bad(input->name, line.number);
          processor.too_long(line.bytes, {input->name, line.number}, output.buffer());
          break;
        case LineStream::Status::need_input:
          // Whatever is done goes out before a read that may wait, so a slow or interactive
          // producer sees each result as soon as it is ready.
          output.flush();
          if (const int error = lines.fill(); error != 0) {
            report(fmt::format("cannot read {}: {}", sanitize(input->name), std::strerror(error)));
            ++totals.unreadable_files;
            reading = false;
          }
          break;
        case LineStream::Status::end:
          reading = false;
          break;
      }
    }
    if (input->owned) ::close(input->fd);
  }
  output.flush();
  progress.finish(totals);
  if (totals.bad > 0) {
    report(
        fmt::format("{} of {} records {} bad (the first at {}); their error records are in "
                    "the output",
                    totals.bad, totals.records, totals.bad == 1 ? "was" : "were", first_bad));
  }
  return totals;
}

int batch_exit_status(const BatchTotals& totals) {
  if (totals.unreadable_files > 0) return to_int(ExitStatus::no_input);
  if (totals.bad > 0) return to_int(ExitStatus::data);
  return to_int(ExitStatus::ok);
}

Command register_batch(CLI::App& app, Context& context) {
  struct Settings {
    std::vector<std::string> files;
  };
  auto settings = std::make_shared<Settings>();
  CLI::App* command = app.add_subcommand(
      "batch",
      "Assess many answer sets: read JSON Lines (one answers object per line) from each FILE or "
      "standard input, write one JSON line per non-blank input line, in order. A bad line gets "
      "an error record in its place; exit status 65 if any line was bad, 66 if a file could not "
      "be read. Lines over 1 MiB are bad; blank lines are skipped.");
  command
      ->add_option("FILE", settings->files, "Files of JSON Lines; - or none reads standard input")
      ->type_name("FILE");
  add_format_option(*command, context, {"json", "summary"},
                    "json: the full assessment per line (the default); summary: urgency, cause "
                    "ids and fired rule ids, with the file and line");
  command->footer(
      "Examples:\n"
      "  kneetriage batch survey.jsonl > results.jsonl\n"
      "  kneetriage batch --format summary survey.jsonl | jq -r .urgency | sort | uniq -c\n"
      "  jq -c . responses/*.json | kneetriage batch\n"
      "  kneetriage batch survey.jsonl | jq -c 'select(has(\"error\"))'");
  return {command, [settings, &context] {
            BatchOptions options;
            options.files = settings->files;
            options.format =
                batch_format_from_name(context.format_name).value_or(BatchFormat::json);
            // On a terminal the records show progress themselves, and the two would interleave.
            options.progress = is_terminal(STDERR_FILENO) && !is_terminal(STDOUT_FILENO);
            return batch_exit_status(run_batch(context.rules(), options));
          }};
}

}  // namespace kneetriage::cli
