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

namespace {

// splitmix64's finaliser: every input bit reaches every output bit.
std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30U;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27U;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31U);
}

std::uint64_t hash_into(std::uint64_t seed, std::uint64_t value) {
  return mix64(seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6U) + (seed >> 2U)));
}

// Each list's length goes in first, so [1] [2 3] and [1 2] [3] hash differently.
std::uint64_t hash_into(std::uint64_t seed, const Indices& list) {
  seed = hash_into(seed, list.size());
  for (const Index item : list) seed = hash_into(seed, item);
  return seed;
}

}  // namespace

std::uint64_t shown_result_hash(const Assessment& a) {
  std::uint64_t h = hash_into(0, a.urgency);
  h = hash_into(h, a.action ? *a.action + 1 : 0);
  h = hash_into(h, a.causes);
  h = hash_into(h, a.advice);
  h = hash_into(h, a.exercises);
  return hash_into(h, a.plan);
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
