// The test-file mechanism (scenarios.hpp) against the small fixture rules: how a file is read,
// where its problems are placed, and what a case reports when the result differs. The knee
// rules' own cases are data in rules/knee.test.json.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "kneetriage/scenarios.hpp"

namespace {

using kneetriage::read_scenarios;
using kneetriage::run_scenario;
using kneetriage::Scenario;

Scenario one_case(const std::string& text) {
  const auto read = read_scenarios(text, "t.json");
  for (const auto& d : read.diagnostics) UNSCOPED_INFO(kneetriage::to_string(d));
  REQUIRE(read.scenarios.has_value());
  REQUIRE(read.scenarios->cases.size() == 1);
  return read.scenarios->cases.front();
}

std::vector<std::string> run(const Scenario& scenario, const std::string& text = "") {
  static const kneetriage::RuleSet rules = fixtures::load_ok(fixtures::minimal_rules());
  return run_scenario(rules, scenario, [&](const kneetriage::Assessment&, bool) { return text; });
}

}  // namespace

TEST_CASE("a case that holds reports nothing; one that does not says what differed",
          "[scenarios]") {
  const auto hot = one_case(R"({"cases": [{"name": "hot", "answers": {"knees": "both",
      "hot": true, "fever": false}, "expect": {"urgency": "see-doctor", "causes": ["injury"],
      "fired": {"include": ["hot-knee"], "exclude": ["hot-fever"]}}}]})");
  CHECK(run(hot).empty());

  const auto wrong = one_case(R"({"cases": [{"name": "hot", "answers": {"hot": true,
      "fever": true}, "expect": {"urgency": "see-doctor", "causes": {"exclude": ["injury"]},
      "exercises": {"exactly": []}, "withheld": ["box-jump"]}}]})");
  CHECK(run(wrong) == std::vector<std::string>{"urgency is emergency, expected see-doctor",
                                               "cause 'injury' shown",
                                               "item 'box-jump' not withheld"});
}

TEST_CASE("defaults are laid under each case, and null takes one away", "[scenarios]") {
  const auto read = read_scenarios(R"({"defaults": {"answers": {"knees": "both", "hot": true}},
      "cases": [{"name": "a", "answers": {"hot": null}, "expect": {"urgency": "self-care"}},
                {"name": "b", "defaults": false, "expect": {"urgency": "self-care"}}]})",
                                   "t.json");
  REQUIRE(read.scenarios.has_value());
  const auto& cases = read.scenarios->cases;
  CHECK(cases[0].answers == nlohmann::json{{"knees", "both"}, {"hot", nullptr}});
  CHECK(cases[1].answers == nlohmann::json::object());
  CHECK(cases[0].line == 2);
  CHECK(run(cases[0]).empty());
}

TEST_CASE("an id the rules lack fails the case, with the likely one", "[scenarios]") {
  const auto typo = one_case(R"({"cases": [{"name": "t", "answers": {"knees": "both"},
      "expect": {"causes": ["quad"], "fired": {"exclude": ["both-knes"]}}}]})");
  CHECK(run(typo) ==
        std::vector<std::string>{"no cause 'quad' in the rules (did you mean 'quads'?)",
                                 "no rule 'both-knes' in the rules (did you mean 'both-knees'?)"});
}

TEST_CASE("text is matched with white space folded, so wrapping does not matter", "[scenarios]") {
  const auto words = one_case(R"({"cases": [{"name": "t", "answers": {"knees": "both"},
      "expect": {"text": {"include": ["Do strength   work"], "exclude": ["Stop running"]}}}]})");
  CHECK(run(words, "Now:\n  Do strength\n  work daily.").empty());
  CHECK(run(words, "Stop\nrunning. Do strength work") ==
        std::vector<std::string>{"text shows \"Stop running\""});
}

TEST_CASE("a bad test file is every problem, each with its place", "[scenarios]") {
  const auto read = read_scenarios(
      "{\"cases\": [\n  {\"name\": \"a\", \"expect\": {}},\n  {\"name\": \"a\", \"expect\": "
      "{\"urgency\": 3}, \"extra\": 1}\n]}",
      "t.json");
  CHECK_FALSE(read.scenarios.has_value());
  std::vector<std::string> lines;
  for (const auto& d : read.diagnostics) lines.push_back(kneetriage::to_string(d));
  CHECK(lines ==
        std::vector<std::string>{
            "t.json:2:27: /cases/0/expect: the case expects nothing, so it could never "
            "fail (add e.g. \"urgency\": \"self-care\" or \"causes\": [\"quad-weakness\"])",
            "t.json:3:12: /cases/1/name: two cases are named 'a' (give each case its own "
            "name, so a failure says which one)",
            "t.json:3:39: /cases/1/expect/urgency: the urgency must be an urgency id, "
            "found 3 (e.g. \"urgent\")",
            "t.json:3:52: /cases/1/extra: unknown key 'extra' (the keys here are: name, "
            "defaults, answers, facts, full, expect)"});
  const auto empty = read_scenarios("", "e.json");
  REQUIRE(empty.diagnostics.size() == 1);
  CHECK(kneetriage::to_string(empty.diagnostics[0])
            .starts_with("e.json:1:1: invalid JSON: "
                         "the file is empty"));
}
