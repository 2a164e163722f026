// What an incomplete answer set adds up to: the result every completion shows (decided), a
// result at urgent or above given at once (partial, a floor), or nothing yet (incomplete). Each
// verdict is checked against an enumeration of the completions.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/evaluation.hpp"
#include "kneetriage/questionnaire.hpp"

using kneetriage::Answers;
using kneetriage::Assessment;
using kneetriage::Certainty;
using kneetriage::Evaluation;
using kneetriage::Index;
using kneetriage::RuleSet;
using nlohmann::json;

namespace {

Answers answers_of(const RuleSet& rules, const json& document) {
  auto read = kneetriage::answers_from_json(rules, document, "test");
  REQUIRE(read.diagnostics.empty());
  return read.answers;
}

bool fired(const Assessment& assessment, Index rule) {
  for (const auto& f : assessment.fired)
    if (f.rule == rule) return true;
  return false;
}

// Checks the evaluation of `answers` against every completion; returns how many it enumerated.
std::size_t check_against_completions(const RuleSet& rules, const Answers& answers) {
  const Evaluation evaluation = kneetriage::evaluate(rules, answers);
  std::size_t completions = 0;
  bool all_same = true;
  const auto end =
      kneetriage::walk_answer_space(rules, answers, [&](const Answers& complete, bool) {
        ++completions;
        const Assessment each = kneetriage::assess(rules, complete);
        switch (evaluation.status) {
          case Evaluation::Status::complete:
          case Evaluation::Status::decided:
            if (!kneetriage::same_shown_result(*evaluation.assessment, each)) {
              FAIL_CHECK("a decided result differs from a completion: "
                         << fixtures::document(each)["answers"].dump());
              return false;
            }
            break;
          case Evaluation::Status::partial:
            // Every completion is at least as urgent, and fires every rule the result is made of.
            if (each.urgency > evaluation.assessment->urgency) {
              FAIL_CHECK("a completion is less urgent than the partial result: "
                         << fixtures::document(each)["answers"].dump());
              return false;
            }
            for (const auto& f : evaluation.assessment->fired) {
              if (!fired(each, f.rule)) {
                FAIL_CHECK("rule " << rules.rules[f.rule].id << " does not fire in a completion");
                return false;
              }
            }
            break;
          case Evaluation::Status::incomplete:
            all_same =
                all_same && kneetriage::same_shown_result(kneetriage::assess(rules, answers), each);
            break;
        }
        return true;
      });
  CHECK(end == kneetriage::WalkEnd::finished);
  // Nothing yet: then the answers given do not already show what every completion shows, or
  // the walk could not tell.
  if (evaluation.status == Evaluation::Status::incomplete) CHECK_FALSE(all_same);
  return completions;
}

// A small deterministic generator, so that a failure names the same answer sets every run.
struct Lcg {
  std::uint64_t state = 12345;
  std::uint64_t next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33U;
  }
};

}  // namespace

TEST_CASE("an incomplete answer set is answered only with what every completion shows",
          "[evaluation][exhaustive]") {
  const RuleSet& rules = fixtures::knee_rules();
  // Complete answer sets spread over the space and over every level (most of the space is an
  // emergency), each with one to four answers taken away.
  std::vector<Answers> complete;
  std::vector<std::size_t> seen(rules.urgencies.size(), 0);
  (void)kneetriage::walk_answer_space(rules, Answers(rules), [&](const Answers& a, bool) {
    const Index level = kneetriage::assess(rules, a).urgency;
    const std::size_t every = level == 0 ? 4099 : level == 1 ? 509 : 7;
    if (seen[level]++ % every == 0) complete.push_back(a);
    return true;
  });
  REQUIRE(complete.size() > 300);
  Lcg random;
  std::size_t decided = 0, partial = 0, incomplete = 0, completions = 0;
  for (const Answers& base : complete) {
    Answers taken = base;
    const std::size_t drop = 1 + random.next() % 4;
    for (std::size_t k = 0; k < drop; ++k) {
      taken.values[random.next() % rules.questions.size()].reset();
    }
    taken = kneetriage::effective_answers(rules, taken);
    if (kneetriage::is_complete(rules, taken)) continue;
    completions += check_against_completions(rules, taken);
    const Evaluation e = kneetriage::evaluate(rules, taken);
    decided += e.status == Evaluation::Status::decided;
    partial += e.status == Evaluation::Status::partial;
    incomplete += e.status == Evaluation::Status::incomplete;
  }
  INFO("decided " << decided << ", partial " << partial << ", incomplete " << incomplete);
  // The sample reaches all three verdicts, or it proves little.
  CHECK(decided > 0);
  CHECK(partial > 0);
  CHECK(incomplete > 0);
  CHECK(completions > 1000);
}

TEST_CASE("a single emergency answer gets its result at once, marked partial, as a floor",
          "[evaluation][exhaustive]") {
  const RuleSet& rules = fixtures::knee_rules();
  for (const char* given :
       {R"({"circulation": true})", R"({"weight_bearing": false, "trauma": true})",
        R"({"location": "back", "calf": true, "breathless": true})"}) {
    INFO(given);
    const Answers answers = answers_of(rules, json::parse(given));
    const Evaluation e = kneetriage::evaluate(rules, answers);
    REQUIRE(e.status == Evaluation::Status::partial);
    CHECK(rules.urgencies[e.assessment->urgency].id == "emergency");
    CHECK(e.assessment->urgency_is_floor);
    CHECK(e.assessment->unanswered == e.missing);
    check_against_completions(rules, answers);
  }
}

TEST_CASE("an urgent answer with the rest missing is partial at urgent, not lower",
          "[evaluation]") {
  const RuleSet& rules = fixtures::knee_rules();
  const Evaluation e =
      kneetriage::evaluate(rules, answers_of(rules, json::parse(R"({"locking": true})")));
  REQUIRE(e.status == Evaluation::Status::partial);
  CHECK(rules.urgencies[e.assessment->urgency].id == "urgent");
  CHECK_FALSE(e.missing.empty());
}

TEST_CASE("a set whose completions agree among themselves but not with it is not decided",
          "[evaluation]") {
  // One knee, side left out: both answers to side show the ankle-and-hip advice (the rule reads
  // side), the answers given do not.
  const RuleSet& rules = fixtures::knee_rules();
  const Answers answers = answers_of(rules, json::parse(R"({"knees": "one", "weight_bearing": true,
      "very_painful": false, "trauma": false, "deformity": false, "locking": false,
      "swelling": false, "hot": false, "numbness": false, "circulation": false,
      "location": "front", "severity": "severe", "stops_running": false,
      "strength_training": true, "new_to_running": true})"));
  const Evaluation e = kneetriage::evaluate(rules, answers);
  CHECK(e.status == Evaluation::Status::incomplete);
  REQUIRE(e.missing.size() == 1);
  CHECK(rules.questions[e.missing.front()].id == "side");
  CHECK_FALSE(kneetriage::result_is_decided(rules, answers));
}

TEST_CASE("below urgent, missing answers that could change the result leave it incomplete",
          "[evaluation]") {
  const RuleSet& rules = fixtures::knee_rules();
  const Evaluation e =
      kneetriage::evaluate(rules, answers_of(rules, json::parse(R"({"knees": "both"})")));
  CHECK(e.status == Evaluation::Status::incomplete);
  CHECK_FALSE(e.assessment.has_value());
}

TEST_CASE("rule certainty follows json-rules-engine on questions that may go unasked",
          "[evaluation]") {
  // fever is asked only when hot: with hot unanswered, `fever notEqual true` holds when hot is
  // no (fever unasked) and may fail when hot is yes.
  json document = fixtures::minimal_rules();
  document["rules"] = json::parse(R"([
    {"id": "not-fever", "when": {"fact": "fever", "operator": "notEqual", "value": true},
     "then": {"advice": ["stop"]}, "source": ["A1"]},
    {"id": "knees-any", "when": {"fact": "knees", "operator": "in", "value": ["both", "one"]},
     "then": {"advice": ["stop"]}, "source": ["A1"]},
    {"id": "fever-equal", "when": {"fact": "fever", "operator": "equal", "value": true},
     "then": {"advice": ["stop"]}, "source": ["A1"]}])");
  const RuleSet rules = fixtures::load_ok(document);
  Answers none(rules);
  auto certainty = kneetriage::rule_certainty(rules, none);
  CHECK(certainty[0] == Certainty::maybe);
  CHECK(certainty[1] == Certainty::always);  // knees is always asked, and takes one of the two
  CHECK(certainty[2] == Certainty::maybe);
  const Answers not_hot = answers_of(rules, json::parse(R"({"hot": false})"));
  certainty = kneetriage::rule_certainty(rules, not_hot);
  CHECK(certainty[0] == Certainty::always);  // fever is never asked
  CHECK(certainty[2] == Certainty::never);
}

TEST_CASE("an answer to a question that does not apply is named with what would make it apply",
          "[evaluation]") {
  const RuleSet& rules = fixtures::knee_rules();
  const Answers answers =
      answers_of(rules, json::parse(R"({"swelling": false, "hot": false, "fever": true})"));
  const auto ignored = kneetriage::ignored(rules, answers);
  REQUIRE(ignored.size() == 1);
  const Index fever = ignored.front();
  CHECK(rules.questions[fever].id == "fever");
  const auto reads = kneetriage::questions_read_by_ask_if(rules, fever);
  REQUIRE(reads.size() == 2);
  CHECK(rules.questions[reads[0]].id == "swelling");
  CHECK(rules.questions[reads[1]].id == "hot");
  const auto changes = kneetriage::changes_that_ask(rules, answers, fever);
  REQUIRE(changes.size() == 2);
  CHECK(rules.questions[changes[0].question].id == "swelling");
  CHECK(std::get<bool>(changes[0].value));
  CHECK(rules.questions[changes[1].question].id == "hot");
}
