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
#include "kneetriage/batch.hpp"
#include "kneetriage/rules.hpp"

namespace CLI {
class App;
}

namespace kneetriage::cli {

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
