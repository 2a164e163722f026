// The answer space: every answer set the questionnaire allows, skipping what ask_if skips, within
// a bound; and the two questions the front ends ask of it: is the result decided already, and
// which missing questions are partial or not needed.
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/questionnaire.hpp"

using kneetriage::Answers;
using kneetriage::RuleSet;
using kneetriage::WalkEnd;
using nlohmann::json;

namespace {

// The fixture: knees (2) → side (2, only for one knee) → hot (2) → fever (2, only when hot)
// → pain (0..10) → places (any subset of 2). Complete sets: 3 × 3 × 11 × 4 = 396.
const RuleSet& minimal() {
  static const auto loaded = fixtures::load_ok(fixtures::minimal_rules());
  return loaded;
}

// Two levels and three questions, to control exactly what each answer changes:
// flag=yes is an emergency that withholds strength work; detail=a adds a squat (strength work);
// note=yes adds the squat too (so after detail=a it shows in the trace only).
json triage_rules() {
  json rules = fixtures::minimal_rules();
  rules["urgencies"] = json::parse(R"([
    {"id": "emergency", "title": "Emergency", "action": "Call now", "withhold": ["strength"]},
    {"id": "self-care", "title": "Self-care", "action": "Do the plan"}])");
  rules["questions"] = json::parse(R"([
    {"id": "flag", "text": "Flag?", "help": "h", "type": "boolean",
     "red_flag": {"fact": "flag", "operator": "equal", "value": true},
     "red_flag_message": "A flag"},
    {"id": "detail", "text": "Detail?", "help": "h", "type": "choice",
     "choices": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]},
    {"id": "note", "text": "Note?", "help": "h", "type": "boolean"}])");
  rules["conditions"] = json::object();
  rules["rules"] = json::parse(R"([
    {"id": "flagged", "title": "Flagged", "source": ["A2"],
     "when": {"fact": "flag", "operator": "equal", "value": true},
     "then": {"urgency": "emergency", "causes": ["injury"], "advice": ["stop"]}},
    {"id": "detail-a", "title": "Detail a", "source": ["A1"],
     "when": {"fact": "detail", "operator": "equal", "value": "a"},
     "then": {"exercises": ["squat"]}},
    {"id": "noted", "title": "Noted", "source": ["A1"],
     "when": {"fact": "note", "operator": "equal", "value": true},
     "then": {"exercises": ["squat"]}}])");
  return rules;
}

const RuleSet& triage() {
  static const auto loaded = fixtures::load_ok(triage_rules());
  return loaded;
}

struct Count {
  std::size_t complete = 0, partial = 0;
  std::set<std::string> seen;  // every set visited, as JSON text
  std::vector<std::string> order;
};

Count walk(const RuleSet& rules, const Answers& start, bool prefixes = false,
           WalkEnd expected = WalkEnd::finished, std::size_t bound = kneetriage::k_answer_space_bound) {
  Count count;
  const WalkEnd end = kneetriage::walk_answer_space(
      rules, start,
      [&](const Answers& answers, bool complete) {
        CHECK(complete == kneetriage::is_complete(rules, answers));
        CHECK(kneetriage::ignored(rules, answers).empty());  // only answers that apply
        const std::string text = kneetriage::answers_to_json(rules, answers).dump();
        CHECK(count.seen.insert(text).second);  // never the same set twice
        count.order.push_back(text);
        ++(complete ? count.complete : count.partial);
        return true;
      },
      prefixes, bound);
  CHECK(end == expected);
  return count;
}

std::vector<std::string> ids(const RuleSet& rules, const kneetriage::Indices& indices) {
  std::vector<std::string> out;
  for (const auto i : indices) out.push_back(rules.questions[i].id);
  return out;
}

}  // namespace

TEST_CASE("the walk visits every complete answer set once, skipping what ask_if skips") {
  const Count count = walk(minimal(), Answers(minimal()));
  CHECK(count.complete == 396);
  CHECK(count.partial == 0);
  for (const std::string& text : count.seen) {
    const json answers = json::parse(text);
    CHECK(answers.contains("side") == (answers["knees"] == "one"));
    CHECK(answers.contains("fever") == (answers["hot"] == true));
  }
}

TEST_CASE("with prefixes the walk visits every partial set on the way, the start first") {
  // Partial sets: 1 (nothing) + 1 (side) + 3 (hot) + 3 (fever) + 9 (pain) + 9 × 11 (places).
  const Count count = walk(minimal(), Answers(minimal()), true);
  CHECK(count.complete == 396);
  CHECK(count.partial == 116);
  CHECK(count.order.front() == "{}");
}

TEST_CASE("a complete start is the one set visited") {
  const auto done = fixtures::answers(
      minimal(), {{"knees", "both"}, {"hot", false}, {"pain", 2}, {"places", json::array()}});
  const Count count = walk(minimal(), done, true);
  CHECK(count.complete == 1);
  CHECK(count.partial == 0);
}

TEST_CASE("answered questions keep their answer; the others take each value in order") {
  const auto some = fixtures::answers(minimal(), {{"knees", "one"}, {"hot", false}});
  const Count count = walk(minimal(), some);
  CHECK(count.complete == 2 * 11 * 4);
  for (const std::string& text : count.seen) {
    const json answers = json::parse(text);
    CHECK(answers["knees"] == "one");
    CHECK(answers["hot"] == false);
  }
  // Choices in file order; the last question varies fastest.
  CHECK(json::parse(count.order.front())["side"] == "left");
  CHECK(json::parse(count.order.back())["side"] == "right");
}

TEST_CASE("a whole-number question takes each number, a multi question each subset") {
  const auto rest = fixtures::answers(minimal(), {{"knees", "both"}, {"hot", false}});
  const Count count = walk(minimal(), rest);
  std::set<double> pains;
  std::set<std::vector<std::string>> places;
  for (const std::string& text : count.seen) {
    const json answers = json::parse(text);
    pains.insert(answers["pain"].get<double>());
    places.insert(answers["places"].get<std::vector<std::string>>());
  }
  CHECK(pains.size() == 11);
  CHECK(*pains.begin() == 0);
  CHECK(*pains.rbegin() == 10);
  CHECK(places == std::set<std::vector<std::string>>{{}, {"front"}, {"outer"}, {"front", "outer"}});
}

TEST_CASE("an answer to a question that does not apply is not kept") {
  // side is not asked for both knees: the walk goes on as if it had no answer.
  const auto both = fixtures::answers(minimal(), {{"knees", "both"}, {"side", "left"}});
  const Count count = walk(minimal(), both);
  CHECK(count.complete == 3 * 11 * 4);
  for (const std::string& text : count.seen) CHECK_FALSE(json::parse(text).contains("side"));
}

TEST_CASE("an answer that applies only in some branches is set aside in the others") {
  // extra is asked unless knees is both: with knees unanswered it applies, so it keeps its answer
  // where knees is one and is dropped where knees is both.
  json document = fixtures::minimal_rules();
  document["questions"] = json::parse(R"([
    {"id": "knees", "text": "Which knees?", "help": "h", "type": "choice",
     "choices": [{"value": "both", "label": "Both"}, {"value": "one", "label": "One"}]},
    {"id": "extra", "text": "Extra?", "help": "h", "type": "boolean",
     "ask_if": {"fact": "knees", "operator": "notEqual", "value": "both"}}])");
  document["conditions"] = json::object();
  document["rules"] = json::parse(R"([{"id": "r", "title": "R", "source": ["A1"],
    "when": {"fact": "knees", "operator": "equal", "value": "both"},
    "then": {"advice": ["stop"]}}])");
  const RuleSet rules = fixtures::load_ok(document);
  const auto start = fixtures::answers(rules, {{"extra", true}});
  const Count count = walk(rules, start);
  CHECK(count.seen == std::set<std::string>{R"({"knees":"both"})", R"({"knees":"one","extra":true})"});
  // ...and the walk leaves nothing of a branch behind for the next one.
  const Count twice = walk(rules, start);
  CHECK(twice.order == count.order);
}

TEST_CASE("the bound: a walk needing more sets than the bound is too large") {
  CHECK(walk(minimal(), Answers(minimal()), false, WalkEnd::finished, 396).complete == 396);
  CHECK(walk(minimal(), Answers(minimal()), false, WalkEnd::too_large, 395).complete == 395);
  CHECK(walk(minimal(), Answers(minimal()), true, WalkEnd::too_large, 396).partial > 0);
}

TEST_CASE("the visitor can stop the walk") {
  std::size_t calls = 0;
  const WalkEnd end = kneetriage::walk_answer_space(minimal(), Answers(minimal()),
                                                    [&](const Answers&, bool) { return ++calls < 5; });
  CHECK(end == WalkEnd::stopped);
  CHECK(calls == 5);
}

TEST_CASE("a decimal question cannot be listed, unless it is answered") {
  json document = fixtures::minimal_rules();
  document["questions"][4]["integer"] = false;
  const RuleSet rules = fixtures::load_ok(document);
  walk(rules, Answers(rules), false, WalkEnd::too_large);
  walk(rules, fixtures::answers(rules, {{"pain", 2.5}}), false, WalkEnd::finished);
  CHECK_FALSE(kneetriage::result_is_decided(rules, Answers(rules)));
}

TEST_CASE("a multi question with too many choices cannot be listed") {
  json document = fixtures::minimal_rules();
  auto& choices = document["questions"][5]["choices"];
  for (int c = 0; c < 20; ++c) choices.push_back({{"value", "c" + std::to_string(c)}, {"label", "C"}});
  const RuleSet rules = fixtures::load_ok(document);
  walk(rules, Answers(rules), false, WalkEnd::too_large);
}

TEST_CASE("a red flag that withholds all the rest could change decides the result") {
  const auto flagged = fixtures::answers(triage(), {{"flag", true}});
  CHECK(kneetriage::result_is_decided(triage(), flagged));
  // Not within a bound too small to see every set.
  CHECK_FALSE(kneetriage::result_is_decided_by_walk(triage(), flagged, 3));
  CHECK(kneetriage::result_is_decided_by_walk(triage(), flagged, 4));
}

TEST_CASE("an answer still to come that changes what is shown leaves the result open") {
  CHECK_FALSE(kneetriage::result_is_decided(triage(), Answers(triage())));
  CHECK_FALSE(kneetriage::result_is_decided(triage(), fixtures::answers(triage(), {{"flag", false}})));
  CHECK_FALSE(kneetriage::result_is_decided(triage(), fixtures::answers(triage(), {{"detail", "b"}})));
}

TEST_CASE("an answer that changes only the trace does not keep the result open") {
  const auto answers = fixtures::answers(triage(), {{"flag", false}, {"detail", "a"}});
  CHECK(kneetriage::result_is_decided(triage(), answers));
}

TEST_CASE("complete answers are decided") {
  const auto answers = fixtures::answers(triage(), {{"flag", false}, {"detail", "a"}, {"note", true}});
  CHECK(kneetriage::result_is_decided(triage(), answers));
}

TEST_CASE("mark_missing: nothing missing, not needed, or partial") {
  const auto mark = [](const Answers& answers) {
    auto assessment = kneetriage::assess(triage(), answers);
    assessment.unanswered = {99};  // cleared first
    kneetriage::mark_missing(triage(), answers, assessment);
    return assessment;
  };
  const auto complete = mark(fixtures::answers(triage(), {{"flag", false}, {"detail", "a"}, {"note", true}}));
  CHECK(complete.unanswered.empty());
  CHECK(complete.not_needed.empty());
  CHECK_FALSE(complete.is_partial());

  const auto decided = mark(fixtures::answers(triage(), {{"flag", true}}));
  CHECK(decided.unanswered.empty());
  CHECK(ids(triage(), decided.not_needed) == std::vector<std::string>{"detail", "note"});
  CHECK_FALSE(decided.is_partial());

  const auto open = mark(fixtures::answers(triage(), {{"flag", false}}));
  CHECK(ids(triage(), open.unanswered) == std::vector<std::string>{"detail", "note"});
  CHECK(open.not_needed.empty());
  CHECK(open.is_partial());
}

TEST_CASE("the knee rules: nothing is decided at the start, a red flag on the last warning sign is") {
  const RuleSet& knee = fixtures::knee_rules();
  CHECK_FALSE(kneetriage::result_is_decided(knee, Answers(knee)));
  // Every warning-sign question answered, one of them raising a red flag: the questions after
  // them (gym work, new to running) can only change what a red flag withholds.
  json given = {{"knees", "both"}};
  Answers answers = fixtures::answers(knee, given);
  std::optional<kneetriage::Index> last_flag;
  for (kneetriage::Index i = 0; i < knee.questions.size(); ++i)
    if (knee.questions[i].red_flag) last_flag = i;
  REQUIRE(last_flag);
  bool raised = false;
  while (const auto next = kneetriage::next_question(knee, answers)) {
    if (*next > *last_flag) break;
    const auto& question = knee.questions[*next];
    if (question.type != kneetriage::QuestionType::boolean) {
      // Where and how bad, among the warning signs: the first, ordinary answer.
      REQUIRE_FALSE(question.choices.empty());
      answers.values[*next].emplace(question.choices.front().value);
      continue;
    }
    // The last warning sign raises its red flag; the others are answered so that they do not.
    Answers yes = answers;
    yes.values[*next].emplace(true);
    const bool flags = kneetriage::raises_red_flag(knee, yes, *next);
    const bool last = *next == *last_flag;
    answers.values[*next].emplace(last || !flags);
    raised = raised || (last && flags);
  }
  REQUIRE(raised);
  REQUIRE_FALSE(kneetriage::missing(knee, answers).empty());
  CHECK(kneetriage::result_is_decided(knee, answers));
  auto assessment = kneetriage::assess(knee, answers);
  kneetriage::mark_missing(knee, answers, assessment);
  CHECK(assessment.not_needed == kneetriage::missing(knee, answers));
}
