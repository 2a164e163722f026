// Fuzz target: one answer as typed on a command line (--knees bo) or at the prompt, read by
// parse_answer. The first byte picks the question (the built-in rules, then questions of every
// type, including multi and fractional numbers, which the built-in rules do not have).
// Whatever is accepted must be an answer the question can take.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "kneetriage/answers.hpp"
#include "kneetriage/rules.hpp"

namespace {

using fuzz_support::check;

constexpr std::string_view k_every_type = R"({
  "format": "kneetriage-rules/1", "id": "every-type", "version": "1", "title": "t",
  "disclaimer": "d",
  "sources": [{"id": "s", "title": "s"}],
  "citations": [{"id": "C1", "source": "s", "point": "p"}],
  "urgencies": [{"id": "self-care", "title": "Self-care", "action": "a"}],
  "questions": [
    {"id": "places", "text": "Where?", "help": "h", "type": "multi",
     "choices": [{"value": "front", "label": "Front"}, {"value": "outer", "label": "Outer thigh"},
                 {"value": "out", "label": "Out and about"}]},
    {"id": "pace", "text": "Pace?", "help": "h", "type": "number", "min": -2.5, "max": 1e300,
     "integer": false},
    {"id": "pain", "text": "Pain?", "help": "h", "type": "number", "min": 0, "max": 10},
    {"id": "unicode", "text": "?", "help": "h", "type": "choice",
     "choices": [{"value": "knie", "label": "Knie \u00fcberall"}, {"value": "kn", "label": "\u00dcberall"}]}
  ],
  "causes": [], "advice": [], "exercises": [],
  "rules": [{"id": "r", "when": {"fact": "pain", "operator": "greaterThan", "value": 1},
             "then": {"urgency": "self-care"}, "source": ["C1"]}]
})";

const std::vector<const kneetriage::Question*>& questions() {
  static const auto loaded = [] {
    std::vector<kneetriage::RuleSet> sets;
    for (const auto text : {kneetriage::builtin_rules_text(), k_every_type}) {
      auto result = kneetriage::load_rules(text, "fuzz");
      check(result.rules.has_value());
      sets.push_back(std::move(*result.rules));
    }
    return sets;
  }();
  static const auto all = [] {
    std::vector<const kneetriage::Question*> out;
    for (const auto& set : loaded) {
      for (const auto& question : set.questions) out.push_back(&question);
    }
    return out;
  }();
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto& all = questions();
  const auto& question = *all[data[0] % all.size()];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto parsed = kneetriage::parse_answer(question, text);
  check(parsed.value.has_value() != !parsed.error.empty());
  if (parsed.value) check(kneetriage::check_answer(question, *parsed.value).empty());
  (void)kneetriage::allowed_values(question);
  return 0;
}
