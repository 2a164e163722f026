// Fuzz target: one line of `kneetriage batch` input, for the built-in rules and for a rule set
// with every question type. Holds batch to its contract (one record, one line, valid JSON, never
// a throw) and its fast paths to the core functions they stand in for: the SAX answers reader
// must agree with answers_from_json whenever it accepts a line, and the assessment writer must
// write exactly to_json(...).dump() and to_summary_json(...).dump().
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "kneetriage/batch.hpp"
#include "fuzz_support.hpp"
#include "interchange/answers_fast_path.hpp"
#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/evaluation.hpp"
#include "kneetriage/questionnaire.hpp"
#include "kneetriage/rules.hpp"

namespace {

using fuzz_support::check;

constexpr std::string_view k_every_type = R"({
  "format": "kneetriage-rules/1", "id": "every-type", "version": "1", "title": "t",
  "disclaimer": "d \u001b[2J",
  "sources": [{"id": "s", "title": "s"}],
  "citations": [{"id": "C1", "source": "s", "point": "p", "quote": "q"}],
  "urgencies": [{"id": "urgent", "title": "Urgent", "action": "a", "withhold": ["running"]},
                {"id": "self-care", "title": "Self-care", "action": "a"}],
  "questions": [
    {"id": "places", "text": "Where?", "help": "h", "type": "multi",
     "choices": [{"value": "front", "label": "Front"}, {"value": "outer", "label": "Outer"}]},
    {"id": "pace", "text": "Pace?", "help": "h", "type": "number", "min": -2.5, "max": 1e300,
     "integer": false},
    {"id": "pain", "text": "Pain?", "help": "h", "type": "number", "min": 0, "max": 10,
     "ask_if": {"fact": "places", "operator": "contains", "value": "front"}},
    {"id": "hot", "text": "Hot?", "help": "h", "type": "boolean"}
  ],
  "causes": [{"id": "c", "title": "t", "explanation": "e", "source": ["C1"]}],
  "advice": [{"id": "a", "text": "t", "source": ["C1"]}],
  "exercises": [{"id": "run", "name": "Run", "kind": "running", "how": "h", "dose": "d",
                 "frequency": "f", "cues": ["c"], "start": "s", "source": ["C1"]}],
  "rules": [
    {"id": "r1", "when": {"fact": "pain", "operator": "greaterThan", "value": 7.5},
     "then": {"urgency": "urgent", "causes": ["c"], "exercises": ["run"]}, "source": ["C1"]},
    {"id": "r2", "when": {"any": [{"fact": "hot", "operator": "notEqual", "value": true},
                                  {"fact": "pace", "operator": "lessThan", "value": 0}]},
     "then": {"advice": ["a"], "exercises": ["run"]}, "source": ["C1"]}
  ]
})";

kneetriage::RuleSet load(std::string_view text) {
  auto loaded = kneetriage::load_rules(text, "fuzz");
  check(loaded.rules.has_value());
  return std::move(*loaded.rules);
}

// One processor per rule set and format, kept from input to input as a batch run keeps it from
// line to line, so that state left behind by one line cannot go unnoticed in the next.
struct Processors {
  explicit Processors(const kneetriage::RuleSet& rules)
      : json(rules, kneetriage::BatchFormat::json),
        summary(rules, kneetriage::BatchFormat::summary) {}
  kneetriage::BatchProcessor json;
  kneetriage::BatchProcessor summary;
};

void one(const kneetriage::RuleSet& rules, Processors& processors, std::string_view line) {
  using namespace kneetriage;
  using kneetriage::BatchFormat;
  for (const auto format : {BatchFormat::json, BatchFormat::summary}) {
    std::string out = "previous record\n";
    const std::size_t before = out.size();
    auto& processor = format == BatchFormat::json ? processors.json : processors.summary;
    const bool good = processor.process(line, {"fuzz.jsonl", 7}, out);
    // Exactly one record, on one line, appended.
    check(out.size() > before + 1 && out.back() == '\n');
    const std::string_view record(out.data() + before, out.size() - before - 1);
    check(record.find('\n') == std::string_view::npos);
    const auto parsed = nlohmann::json::parse(record, nullptr, false);
    check(!parsed.is_discarded() && parsed.is_object());

    // The core's verdict on the same line.
    const auto document = nlohmann::json::parse(line, nullptr, false);
    bool core_good = false;
    if (!document.is_discarded()) {
      const auto result = answers_from_json(rules, document, "fuzz.jsonl");
      // Answers to questions that do not apply are an error; otherwise the core's evaluation
      // (complete, decided, or partial at a level that gives its result at once) is the record.
      std::optional<Evaluation> evaluation;
      if (result.diagnostics.empty() && ignored(rules, result.answers).empty())
        evaluation = evaluate(rules, result.answers);
      core_good = evaluation && evaluation->assessment.has_value();
      if (core_good && format == BatchFormat::json) {
        check(record == to_json(*evaluation->assessment).dump());
      } else if (core_good) {
        // The summary record adds where the line came from; its urgency and ids are the core's.
        const auto summary = to_summary_json(*evaluation->assessment);
        check(parsed.at("urgency").dump() == summary.at("urgency").dump());
        check(parsed.at("causes").dump() == summary.at("causes").dump());
        check(parsed.at("fired").dump() == summary.at("fired").dump());
      }
    }
    check(good == core_good);
  }

  // The fast answers reader agrees with the core whenever it accepts a line.
  kneetriage::AnswersFastPath fast(rules);
  Answers answers(rules);
  if (fast.read(line, answers)) {
    const auto document = nlohmann::json::parse(line);  // it accepted it: it must be JSON
    const auto result = answers_from_json(rules, document, "fuzz.jsonl");
    check(result.diagnostics.empty());
    check(result.answers.values == answers.values);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto builtin = load(kneetriage::builtin_rules_text());
  static const auto every_type = load(k_every_type);
  static Processors builtin_processors(builtin);
  static Processors every_type_processors(every_type);
  std::string_view line(reinterpret_cast<const char*>(data), size);
  line = line.substr(0, line.find('\n'));  // batch splits lines before it sees them
  if (line.size() > kneetriage::k_max_batch_line ||
      kneetriage::BatchProcessor::is_blank(line)) {
    return 0;
  }
  one(builtin, builtin_processors, line);
  one(every_type, every_type_processors, line);
  return 0;
}
