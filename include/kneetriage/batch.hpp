// Batch's per-line work: one line of JSON answers in, one JSON record out (an assessment, a
// summary, or an error record saying what is wrong and where). No I/O: the program's `batch`
// command streams files through it, and any other front end can. docs/batch.md documents the
// records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "kneetriage/rules.hpp"

namespace kneetriage {

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

}  // namespace kneetriage
