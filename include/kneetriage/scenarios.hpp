// Scenarios: a rule author's test cases as data (docs/rules-format.md, "Test files"): answers,
// and what the result must and must not show. `kneetriage test` reads them and runs each one.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kneetriage/assessment.hpp"
#include "kneetriage/diagnostic.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

// Ids that must be among those shown (include), must not be (exclude), or must be exactly these,
// in any order (exactly).
struct IdExpectation {
  std::vector<std::string> include, exclude;
  std::optional<std::vector<std::string>> exactly;
};

// Text that must or must not appear in the text result; runs of white space (line breaks
// included) count as one space, so wrapping at 80 columns does not matter.
struct TextExpectation {
  std::vector<std::string> include, exclude;
};

struct Expectation {
  std::optional<std::string> urgency;
  bool expects_action = false;        // "action" was given
  std::optional<std::string> action;  // the advice that leads; nullopt: the urgency's own action
  IdExpectation causes, advice, exercises, plan, withheld, fired;
  TextExpectation text;
};

struct Scenario {
  std::string name;
  std::string pointer;  // "/cases/3"
  int line = 0;         // where the case starts in its file; 0 when unknown
  int column = 0;
  nlohmann::json answers = nlohmann::json::object();  // the file's defaults, the case's over them
  // A follow-up case (it gives "facts"): the diary's facts (follow_up.hpp), the file's defaults
  // and the case's over them, assessed by the rules' follow-up section instead of answers.
  bool follow_up = false;
  nlohmann::json facts = nlohmann::json::object();
  bool full = false;  // text expectations are checked against the --full text
  Expectation expect;
};

struct ScenarioFile {
  std::string file;
  std::vector<Scenario> cases;
};

struct ScenariosResult {
  std::optional<ScenarioFile> scenarios;  // set only when diagnostics is empty
  Diagnostics diagnostics;                // every problem found, with its position
};

// Reads a test file; never throws on bad input. Problems of shape (not JSON, a wrong type, an
// unknown key, a case that expects nothing) are diagnostics. Ids are not looked up here: a
// test file is about rules that may change, so an id the rules lack fails its case instead.
//   auto read = read_scenarios(text, "rules/knee.test.json");
[[nodiscard]] ScenariosResult read_scenarios(std::string_view text, std::string_view file_name);

// The text result a runner would see for an assessment (the CLI's renderer, without colour).
using TextRenderer = std::function<std::string(const Assessment& assessment, bool full)>;

// Assesses the scenario's answers against `rules` (a follow-up case's facts against
// rules.follow_up, as assess_follow_up does) and compares the result with what it expects:
// one line for each difference ("urgency is self-care, expected urgent"); empty when it passes.
// `render` is called only when the scenario has text expectations.
[[nodiscard]] std::vector<std::string> run_scenario(const RuleSet& rules, const Scenario& scenario,
                                                    const TextRenderer& render);

}  // namespace kneetriage
