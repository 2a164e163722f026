#include "kneetriage/assessment.hpp"

#include <nlohmann/json.hpp>

#include "kneetriage/assessment_writer.hpp"

namespace kneetriage {
namespace {

// The writer's text read back, so that the layout lives in assessment_writer.cpp alone.
nlohmann::ordered_json read_back(const std::string& text) {
  return nlohmann::ordered_json::parse(text);
}

}  // namespace

const std::string& frequency_of(const Assessment& assessment, const Exercise& exercise) {
  const Urgency& level = assessment.urgency_level();
  for (const auto& [kind, text] : level.frequency) {
    if (kind == exercise.kind) return text;
  }
  for (const auto& [kind, text] : assessment.frequency) {
    if (kind == exercise.kind) return text;
  }
  return exercise.frequency;
}

bool same_shown_result(const Assessment& a, const Assessment& b) {
  if (!(a.rules == b.rules && a.urgency == b.urgency && a.action == b.action &&
        a.causes == b.causes && a.advice == b.advice && a.exercises == b.exercises &&
        a.plan == b.plan))
    return false;
  if (a.frequency.empty() && b.frequency.empty()) return true;
  for (const Index index : a.exercises) {
    const Exercise& exercise = a.rules->exercises[index];
    if (frequency_of(a, exercise) != frequency_of(b, exercise)) return false;
  }
  return true;
}

nlohmann::ordered_json citations_to_json(const RuleSet& rules, const Indices& source) {
  std::string text;
  JsonWriter json(text);
  write_citations(json, rules, source);
  return read_back(text);
}

nlohmann::ordered_json to_json(const Assessment& assessment) {
  std::string text;
  append_assessment_json(text, assessment);
  return read_back(text);
}

nlohmann::ordered_json to_summary_json(const Assessment& assessment) {
  std::string text;
  JsonWriter json(text);
  json.begin_object();
  write_summary_members(json, assessment);
  json.end_object();
  return read_back(text);
}

}  // namespace kneetriage
