// A small, complete rules document for unit tests, and helpers to mutate it and load it.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/assessment_writer.hpp"
#include "kneetriage/rules.hpp"

namespace fixtures {

// The assessment's JSON document, parsed as any reader of the output parses it (keys in order).
inline nlohmann::ordered_json document(const kneetriage::Assessment& assessment) {
  return nlohmann::ordered_json::parse(kneetriage::assessment_json(assessment));
}

inline nlohmann::json minimal_rules() {
  return nlohmann::json::parse(R"({
    "format": "kneetriage-rules/1",
    "id": "test-rules",
    "version": "0.0.1",
    "title": "Test rules",
    "disclaimer": "Not medical advice.",
    "sources": [{"id": "article", "title": "The article"}],
    "citations": [{"id": "A1", "source": "article", "point": "point one", "quote": "quote one"},
                  {"id": "A2", "source": "article", "point": "point two"}],
    "urgencies": [
      {"id": "emergency", "title": "Emergency", "action": "Call now", "withhold": ["running", "plyometric", "strength"]},
      {"id": "see-doctor", "title": "See a doctor", "action": "Book", "withhold": ["running", "plyometric"]},
      {"id": "self-care", "title": "Self-care", "action": "Do the plan"}
    ],
    "questions": [
      {"id": "knees", "text": "Which knees?", "help": "h", "type": "choice",
       "choices": [{"value": "both", "label": "Both knees"}, {"value": "one", "label": "One knee"}]},
      {"id": "side", "text": "Which side?", "help": "h", "type": "choice",
       "choices": [{"value": "left", "label": "Left"}, {"value": "right", "label": "Right"}],
       "ask_if": {"all": [{"fact": "knees", "operator": "equal", "value": "one"}]}},
      {"id": "hot", "text": "Hot?", "help": "h", "type": "boolean",
       "red_flag": {"all": [{"fact": "hot", "operator": "equal", "value": true}]},
       "red_flag_message": "A hot knee needs a doctor"},
      {"id": "fever", "text": "Fever?", "help": "h", "type": "boolean",
       "ask_if": {"condition": "is-hot"}},
      {"id": "pain", "text": "Pain 0-10?", "help": "h", "type": "number", "min": 0, "max": 10},
      {"id": "places", "text": "Where?", "help": "h", "type": "multi",
       "choices": [{"value": "front", "label": "Front"}, {"value": "outer", "label": "Outer thigh"}]}
    ],
    "conditions": {
      "is-hot": {"all": [{"fact": "hot", "operator": "equal", "value": true}]}
    },
    "causes": [{"id": "quads", "title": "Weak quads", "explanation": "why", "source": ["A1"]},
               {"id": "injury", "title": "Injury", "explanation": "why", "source": ["A2"]}],
    "advice": [{"id": "stop", "text": "Stop running", "source": ["A2"]},
               {"id": "strength", "text": "Do strength work", "source": ["A1"]}],
    "exercises": [
      {"id": "squat", "name": "Squat", "kind": "strength", "how": "h", "dose": "3 x 15",
       "frequency": "daily", "cues": ["knees out"], "start": "now", "source": ["A1"]},
      {"id": "box-jump", "name": "Box jump", "kind": "plyometric", "how": "h", "dose": "3 x 5",
       "frequency": "twice a week", "cues": [], "start": "once pain-free", "source": ["A1"]}
    ],
    "plan": [{"id": "rest-week", "kind": "rest", "text": "A week off", "source": ["A2"]},
             {"id": "c25k", "kind": "running", "text": "Couch to 5K", "source": ["A2"]}],
    "rules": [
      {"id": "both-knees", "title": "Both knees", "source": ["A1"],
       "when": {"all": [{"fact": "knees", "operator": "equal", "value": "both"}]},
       "then": {"urgency": "self-care", "causes": ["quads"], "advice": ["strength"],
                "exercises": ["box-jump", "squat"], "plan": ["c25k", "rest-week"]}},
      {"id": "hot-knee", "title": "Hot knee", "source": ["A2"],
       "when": {"condition": "is-hot"},
       "then": {"urgency": "see-doctor", "causes": ["injury"], "advice": ["stop"]}},
      {"id": "hot-fever", "title": "Hot with fever", "source": ["A2"],
       "when": {"all": [{"condition": "is-hot"}, {"fact": "fever", "operator": "equal", "value": true}]},
       "then": {"urgency": "emergency", "causes": ["injury"], "advice": ["stop"]}}
    ]
  })");
}

inline kneetriage::LoadResult load(const nlohmann::json& document) {
  return kneetriage::load_rules(document.dump(2), "test.json");
}

inline kneetriage::RuleSet load_ok(const nlohmann::json& document) {
  auto result = load(document);
  if (!result.rules) {
    std::string all;
    for (const auto& d : result.diagnostics) all += kneetriage::to_string(d) + "\n";
    throw std::runtime_error("fixture did not load:\n" + all);
  }
  return std::move(*result.rules);
}

// minimal_rules(), loaded once.
inline const kneetriage::RuleSet& minimal() {
  static const kneetriage::RuleSet loaded = load_ok(minimal_rules());
  return loaded;
}

// Answers from {"id": value} JSON, failing loudly on any diagnostic.
inline kneetriage::Answers answers(const kneetriage::RuleSet& rules, const nlohmann::json& given) {
  auto result = kneetriage::answers_from_json(rules, given, "test");
  if (!result.diagnostics.empty()) {
    throw std::runtime_error("bad test answers: " + kneetriage::to_string(result.diagnostics[0]));
  }
  return result.answers;
}

// The built-in knee rules, loaded once; fails the test (listing every diagnostic) if they do not
// load.
inline const kneetriage::RuleSet& knee_rules() {
  static const kneetriage::LoadResult loaded =
      kneetriage::load_rules(kneetriage::builtin_rules_text(), "<built-in>");
  for (const auto& diagnostic : loaded.diagnostics)
    UNSCOPED_INFO(kneetriage::to_string(diagnostic));
  REQUIRE(loaded.diagnostics.empty());
  REQUIRE(loaded.rules.has_value());
  return *loaded.rules;
}

}  // namespace fixtures
