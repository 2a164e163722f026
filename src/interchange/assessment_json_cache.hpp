// Batch's cache of the assessment document's fixed parts (src/interchange/batch.cpp). Internal:
// the layout is assessment_writer.hpp's, and this only saves escaping the same text again.
#pragma once

#include <memory>
#include <string>

#include "kneetriage/assessment_writer.hpp"
#include "kneetriage/json_writer.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

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

// write_json with a cache, used only where it applies: a compact writer and the cache's own
// RuleSet (null: none).
void write_json(JsonWriter& json, const Assessment& assessment, const AssessmentJsonCache* cache);

// The document on one line, from a cache built for the assessment's RuleSet.
void append_assessment_json(std::string& out, const Assessment& assessment,
                            const AssessmentJsonCache& cache);

}  // namespace kneetriage
