// The one definition of the assessment's JSON layout (schema k_assessment_schema, documented in
// docs/contract.md, "The JSON document"), streamed by a JsonWriter: the one-shot --format json and
// every batch record write through these functions, so there is no second layout to keep equal.
// (The rule for which JSON goes through a writer is in json_writer.hpp.)
#pragma once

#include <string>

#include "kneetriage/json_writer.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

struct Assessment;

// Writes the assessment document as one value:
//   std::string out;
//   JsonWriter json(out, 2);
//   write_json(json, assessment);  // out: {"schema": "kneetriage/assessment/1", ...}
void write_json(JsonWriter& json, const Assessment& assessment);

// The document on one line (`indent` -1) or indented by `indent` spaces, appended to `out`.
void append_assessment_json(std::string& out, const Assessment& assessment, int indent = -1);

// The document as text, on one line or indented:
//   std::cout << assessment_json(assessment, 2) << '\n';
[[nodiscard]] std::string assessment_json(const Assessment& assessment, int indent = -1);

// The compact summary record alone, on one line: {"urgency":…,"causes":[…],"fired":[…]}.
[[nodiscard]] std::string summary_json(const Assessment& assessment);

// The members of the compact summary record (urgency, cause ids, fired rule ids), written into
// the object `json` is in, so a caller can put its own members first (batch: file and line).
void write_summary_members(JsonWriter& json, const Assessment& assessment);

// A `source` list: [{id, source, point, quote?}, ...].
void write_citations(JsonWriter& json, const RuleSet& rules, const Indices& source);

}  // namespace kneetriage
