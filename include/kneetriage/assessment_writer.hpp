// The one definition of the assessment's JSON layout (schema k_assessment_schema, documented in
// docs/contract.md, "The JSON document"), streamed by a JsonWriter: the one-shot --format json and
// every batch record write through these functions, so there is no second layout to keep equal.
// (The rule for which JSON goes through a writer is in json_writer.hpp.)
#pragma once

#include <memory>
#include <string>

#include "kneetriage/json_writer.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

struct Assessment;
struct Withheld;

// The parts of the compact document that depend only on the rules and the urgency level (each
// catalogue entry, each rule's title and citations), serialised once. A run that writes many
// documents with one RuleSet (batch) copies these bytes instead of escaping the same catalogue
// text again for every record. They are written by the same functions as an uncached document,
// so both give the same bytes. Building one costs about as much as writing a few documents.
class AssessmentJsonCache {
 public:
  explicit AssessmentJsonCache(const RuleSet& rules);  // `rules` must outlive the cache
  ~AssessmentJsonCache();
  AssessmentJsonCache(AssessmentJsonCache&&) noexcept;
  AssessmentJsonCache& operator=(AssessmentJsonCache&&) noexcept;
  AssessmentJsonCache(const AssessmentJsonCache&) = delete;
  AssessmentJsonCache& operator=(const AssessmentJsonCache&) = delete;

 private:
  struct Pieces;
  friend void write_json(JsonWriter&, const Assessment&, const AssessmentJsonCache*);
  [[nodiscard]] std::size_t withheld_slot(const Withheld& item) const;

  const RuleSet* rules_;
  std::unique_ptr<Pieces> pieces_;
};

// Writes the assessment document as one value:
//   std::string out;
//   JsonWriter json(out, 2);
//   write_json(json, assessment);  // out: {"schema": "kneetriage/assessment/1", ...}
// A cache is used only where it applies: a compact writer and the cache's own RuleSet.
void write_json(JsonWriter& json, const Assessment& assessment,
                const AssessmentJsonCache* cache = nullptr);

// The document on one line (`indent` -1) or indented by `indent` spaces, appended to `out`.
void append_assessment_json(std::string& out, const Assessment& assessment, int indent = -1);

// The document as text, on one line or indented:
//   std::cout << assessment_json(assessment, 2) << '\n';
[[nodiscard]] std::string assessment_json(const Assessment& assessment, int indent = -1);

// The compact summary record alone, on one line: {"urgency":…,"causes":[…],"fired":[…]}.
[[nodiscard]] std::string summary_json(const Assessment& assessment);

// The document on one line, from a cache built for the assessment's RuleSet.
void append_assessment_json(std::string& out, const Assessment& assessment,
                            const AssessmentJsonCache& cache);

// The members of the compact summary record (urgency, cause ids, fired rule ids), written into
// the object `json` is in, so a caller can put its own members first (batch: file and line).
void write_summary_members(JsonWriter& json, const Assessment& assessment);

// A `source` list: [{id, source, point, quote?}, ...].
void write_citations(JsonWriter& json, const RuleSet& rules, const Indices& source);

}  // namespace kneetriage
