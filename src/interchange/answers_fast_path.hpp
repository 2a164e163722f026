// Batch's fast reader of plain answer lines (src/interchange/batch.cpp). Internal: tests and fuzz
// targets hold it to the core reader it stands in for.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "kneetriage/answers.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

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

}  // namespace kneetriage
