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

bool same_shown_result(const Assessment& a, const Assessment& b) {
  return a.rules == b.rules && a.urgency == b.urgency && a.action == b.action &&
         a.causes == b.causes && a.advice == b.advice && a.exercises == b.exercises &&
         a.plan == b.plan;
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
