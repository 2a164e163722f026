// Renderers: an Assessment in, bytes out. They make no decisions: everything they print comes
// from the Assessment and the rules it was made with.
#pragma once

#include <cstddef>
#include <string>

#include "kneetriage/assessment.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

struct TextOptions {
  std::size_t width = 80;  // columns to wrap to
  Style style;             // colour or not
  bool explain = false;    // add the trace of fired rules
  bool full = false;       // add the background: explanations, detail advice, how-to, sources
};

// The human-readable result: urgency, causes and why, what to do, the exercise table, withheld
// items, the return-to-running plan, the disclaimer (and with `explain`, the trace).
[[nodiscard]] std::string render_text(const Assessment& assessment, const TextOptions& options);

// The JSON document (schema kneetriage/assessment/1) with a 2-space indent and a final newline.
// Also used by batch runs, one document per case.
[[nodiscard]] std::string render_json(const Assessment& assessment);

}  // namespace kneetriage::cli
