// `kneetriage batch`: a pure filter from JSON Lines of answers to JSON Lines of results, one record
// per non-blank input line, in input order, with an error record in place of every bad line.
// docs/batch.md documents the records, the limits and the exit statuses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "context.hpp"
#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/rules.hpp"

namespace CLI {
class App;
}

namespace kneetriage::cli {

// Longest line batch reads, newline excluded. A longer line becomes an error record; it is never
// held whole (its bytes are counted and dropped), so memory stays flat whatever the input.
inline constexpr std::size_t k_max_batch_line = std::size_t{1} << 20U;  // 1 MiB

enum class BatchFormat {
  json,     // the full assessment document (schema kneetriage/assessment/1), on one line
  summary,  // {"file", "line", "urgency", "causes", "fired"}: ids only, for large runs
};

// "json", "summary"; nullopt for anything else.
[[nodiscard]] std::optional<BatchFormat> batch_format_from_name(std::string_view name);

// Where a line came from: the file as reported ("<stdin>" for standard input) and its 1-based
// physical line number (blank lines count, so `sed -n LINEp FILE` shows it).
struct LinePlace {
  std::string_view file;
  std::uint64_t line = 0;
};

// Turns one input line into one output record. Owns nothing but scratch space reused from line to
// line (so one per thread; `rules` must outlive it), does no I/O and throws on no input, so a fuzz
// target can drive it directly:
//   BatchProcessor batch(rules, BatchFormat::summary);
//   std::string out;
//   bool good = batch.process(R"({"knees": "both", ...})", {"<stdin>", 1}, out);
class BatchProcessor {
 public:
  BatchProcessor(const RuleSet& rules, BatchFormat format);
  ~BatchProcessor();
  BatchProcessor(const BatchProcessor&) = delete;
  BatchProcessor& operator=(const BatchProcessor&) = delete;

  // Appends the record for `line` (without its newline; must not be blank) to `out`, ending in
  // '\n'. Returns false when the line was bad: the record is then an error record.
  bool process(std::string_view line, const LinePlace& place, std::string& out);

  // Appends the error record for a line of `bytes` bytes, over the limit, that was not read.
  void too_long(std::uint64_t bytes, const LinePlace& place, std::string& out);

  // True for a line batch skips: empty, or only JSON whitespace (space, tab, CR).
  [[nodiscard]] static bool is_blank(std::string_view line);

 private:
  struct Scratch;
  const RuleSet& rules_;
  BatchFormat format_;
  std::unique_ptr<Scratch> scratch_;
};

// The one-call form of BatchProcessor::process, for fuzz targets and tests.
bool process_batch_line(const RuleSet& rules, BatchFormat format, std::string_view line,
                        const LinePlace& place, std::string& out);

namespace detail {

// The two halves of BatchProcessor's fast path, exposed so that tests and fuzz targets can hold
// them to the core functions they stand in for.

// Reads the answers of a plain line, without building a JSON document: an object whose members
// are each a valid answer to a known question (or null, or a `$` key with a simple value), no key
// twice, strings printable ASCII without escapes, numbers whole and of at most 15 digits. Returns
// false for anything else, which then goes through the core's answers_from_json to say what is
// wrong (or to read what is merely unusual). When it returns true, `answers` equals
// answers_from_json(rules, nlohmann::json::parse(line), …).answers, with no diagnostics.
class AnswersFastPath {
 public:
  explicit AnswersFastPath(const RuleSet& rules);
  [[nodiscard]] bool read(std::string_view line, Answers& answers);

 private:
  const RuleSet& rules_;
  std::vector<std::pair<std::string_view, Index>> index_;  // question ids, sorted
  std::vector<unsigned char> seen_;
  friend class PlainReader;
};

}  // namespace detail

struct BatchOptions {
  std::vector<std::string> files;  // empty: standard input; "-" is standard input too
  BatchFormat format = BatchFormat::json;
  bool progress = false;  // a progress line on stderr, updated in place
};

struct BatchTotals {
  std::uint64_t records = 0;  // non-blank lines, each given one output record
  std::uint64_t bad = 0;      // of which error records
  std::uint64_t unreadable_files = 0;
};

// Streams every file through a BatchProcessor to standard output, in large blocks. Throws
// BrokenPipe when the reader of stdout goes away and OutputError when stdout cannot be written;
// a file that cannot be read is reported on stderr and counted, and the others are still read.
[[nodiscard]] BatchTotals run_batch(const RuleSet& rules, const BatchOptions& options);

// The exit status for a finished run: 66 when a file could not be read, else 65 when any line was
// bad, else 0.
[[nodiscard]] int batch_exit_status(const BatchTotals& totals);

// Registers `kneetriage batch [--format json|summary] [FILE…]`.
[[nodiscard]] Command register_batch(CLI::App& app, Context& context);

}  // namespace kneetriage::cli
