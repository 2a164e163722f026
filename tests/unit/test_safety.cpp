// Safety properties of the built-in rules, checked for EVERY way the questionnaire can be
// answered: the questionnaire is walked with next_question(), each applicable question taking
// each of its values, and the assessment is checked at every step — both for the complete
// answers and for every prefix (a runner may press q at any question and see the result).
//
// With the questionnaire of rules/knee.json 1.0.0 that is 60,480 complete combinations and
// 113,231 assessments in all (complete and partial); the test INFOs the counts.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include <nlohmann/json.hpp>

#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/condition.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/questionnaire.hpp"
#include "kneetriage/rules.hpp"

namespace {

using kneetriage::Answers;
using kneetriage::Assessment;
using kneetriage::Index;
using kneetriage::RuleSet;
using kneetriage::Value;

const RuleSet& knee_rules() { return fixtures::knee_rules(); }

std::vector<Value> values_of(const kneetriage::Question& q) {
  std::vector<Value> values;
  switch (q.type) {
    case kneetriage::QuestionType::boolean:
      values = {Value{true}, Value{false}};
      break;
    case kneetriage::QuestionType::choice:
      for (const auto& c : q.choices) values.emplace_back(c.value);
      break;
    case kneetriage::QuestionType::multi:
    case kneetriage::QuestionType::number:
      FAIL("the knee questionnaire has no " << kneetriage::question_type_name(q.type)
                                            << " questions; extend the enumeration");
  }
  return values;
}

// Looks facts up by question id in the effective answers of an assessment.
class Facts {
 public:
  Facts(const RuleSet& rules, const Answers& answers) : rules_(rules), answers_(answers) {}

  [[nodiscard]] bool is(std::string_view id, const Value& expected) const {
    const auto index = rules_.find_question(id);
    if (!index) FAIL("no question " << id);  // not REQUIRE: this runs ~2 million times
    const auto& value = answers_.values[*index];
    return value.has_value() && kneetriage::strictly_equal(*value, expected);
  }
  [[nodiscard]] bool yes(std::string_view id) const { return is(id, Value{true}); }
  [[nodiscard]] bool no(std::string_view id) const { return is(id, Value{false}); }
  [[nodiscard]] bool choice(std::string_view id, std::string_view value) const {
    return is(id, Value{std::string(value)});
  }

 private:
  const RuleSet& rules_;
  const Answers& answers_;
};

struct Levels {
  Index emergency, urgent, see_doctor, self_care;
};

Levels levels(const RuleSet& rules) {
  const auto find = [&](std::string_view id) {
    const auto index = rules.find_urgency(id);
    INFO("urgency " << id);
    REQUIRE(index.has_value());
    return *index;
  };
  return {find("emergency"), find("urgent"), find("see-doctor"), find("self-care")};
}

template <typename Catalogue>
bool has_id(const Catalogue& catalogue, const kneetriage::Indices& indices, std::string_view id) {
  return std::any_of(indices.begin(), indices.end(),
                     [&](Index i) { return catalogue[i].id == id; });
}

bool withheld_plan_step(const Assessment& a, std::string_view id) {
  return std::any_of(a.withheld.begin(), a.withheld.end(), [&](const kneetriage::Withheld& w) {
    return w.what == kneetriage::Withheld::What::plan_step && a.rules->plan[w.index].id == id;
  });
}

bool withheld_advice(const Assessment& a, std::string_view id) {
  return std::any_of(a.withheld.begin(), a.withheld.end(), [&](const kneetriage::Withheld& w) {
    return w.what == kneetriage::Withheld::What::advice && a.rules->advice[w.index].id == id;
  });
}

bool withholds(const kneetriage::Urgency& urgency, std::string_view kind) {
  return std::find(urgency.withhold.begin(), urgency.withhold.end(), kind) !=
         urgency.withhold.end();
}

// Every safety property for one set of answers; returns the ones that fail.
std::vector<std::string> violations(const RuleSet& rules, const Levels& level,
                                    const Assessment& a) {
  const Facts fact(rules, a.answers);
  std::vector<std::string> out;
  const auto expect = [&](bool ok, const std::string& what) {
    if (!ok) out.push_back(what);
  };
  const Index u = a.urgency;  // lower index = more urgent
  const auto advice = [&](std::string_view id) { return has_id(rules.advice, a.advice, id); };
  const auto plan = [&](std::string_view id) { return has_id(rules.plan, a.plan, id); };

  expect(a.rules == &rules, "assessment refers to its rules");
  expect(u < rules.urgencies.size(), "urgency in range");
  if (!out.empty()) return out;
  expect(!a.rules->disclaimer.empty(), "non-empty disclaimer");

  // The article's red flag (A19): hot or swollen → at least see-doctor, and stop running.
  const bool hot_or_swollen = fact.yes("swelling") || fact.yes("hot");
  if (hot_or_swollen) {
    expect(u <= level.see_doctor, "hot or swollen knee is at least see-doctor");
    expect(advice("stop-running"), "hot or swollen knee: advice to stop running");
  }
  // NHS: hot or swollen with a fever is a possible joint infection.
  if (hot_or_swollen && fact.yes("fever")) {
    expect(u == level.emergency, "hot or swollen knee with fever is an emergency");
  }
  // NHS: cannot bear weight, locking or giving way, a fall / twist / pop.
  if (fact.no("weight_bearing") || fact.yes("locking") || fact.yes("trauma")) {
    expect(u <= level.urgent, "structural red flag is at least urgent");
    expect(advice("stop-running"), "structural red flag: advice to stop running");
  }
  // NHS: numbness, pins and needles, a cold, pale or blue leg.
  if (fact.yes("numbness")) {
    expect(u <= level.urgent, "nerve or circulation red flag is at least urgent");
  }
  // A17 / A18: really suffering → a week off, strength daily, back via Couch to 5K. The strength
  // and running steps may be withheld above self-care, but they are always concluded.
  if (fact.choice("severity", "severe")) {
    expect(plan("week-off"), "severe: a week off running in the plan");
    expect(plan("daily-strength") || withheld_plan_step(a, "daily-strength"),
           "severe: daily strength work concluded");
    expect(plan("couch-to-5k") || withheld_plan_step(a, "couch-to-5k"),
           "severe: return via Couch to 5K concluded");
    if (u == level.self_care) {
      expect(plan("daily-strength") && plan("couch-to-5k"),
             "severe at self-care: strength and Couch to 5K shown");
    }
  }
  // A8: gym work does not transfer by itself (training advice is withheld above self-care).
  if (fact.yes("strength_training")) {
    const auto given = [&](std::string_view id) { return advice(id) || withheld_advice(a, id); };
    expect(given("gym-does-not-transfer") && given("endurance-focused"),
           "gym work: explain it doesn't transfer, recommend endurance work");
    if (u == level.self_care) {
      expect(advice("gym-does-not-transfer") && advice("endurance-focused"),
             "gym work at self-care: the advice is shown");
    }
  }
  // Advice of a kind the urgency withholds never shows (e.g. foam rolling while urgent).
  for (const Index item : a.advice) {
    const auto& kind = rules.advice[item].kind;
    expect(kind.empty() || !withholds(a.urgency_level(), kind),
           "advice " + rules.advice[item].id + " not withheld");
  }
  // Above self-care: nothing that makes you run or jump.
  const auto& urgency = a.urgency_level();
  for (const Index e : a.exercises) {
    const auto& kind = rules.exercises[e].kind;
    expect(!withholds(urgency, kind), "exercise " + rules.exercises[e].id + " not withheld");
    if (u != level.self_care) {
      expect(kind != "running" && kind != "plyometric",
             "no running or plyometric exercise above self-care: " + rules.exercises[e].id);
    }
  }
  for (const Index p : a.plan) {
    const auto& kind = rules.plan[p].kind;
    expect(!withholds(urgency, kind), "plan step " + rules.plan[p].id + " not withheld");
    if (u != level.self_care) {
      expect(kind != "running" && kind != "plyometric",
             "no running or plyometric plan step above self-care: " + rules.plan[p].id);
    }
  }
  // A10: foam rolling never alone.
  const bool rolling = has_id(rules.exercises, a.exercises, "foam-roll");
  const bool strength_or_activation =
      std::any_of(a.exercises.begin(), a.exercises.end(), [&](Index e) {
        return rules.exercises[e].kind == "strength" || rules.exercises[e].kind == "activation";
      });
  expect(!rolling || strength_or_activation, "foam rolling is never prescribed alone");

  // The red flag is never hidden: every rule that holds has fired, and the urgency is the
  // highest any of them concludes.
  Index highest = rules.urgencies.size() - 1;
  std::size_t holding = 0;
  for (Index r = 0; r < rules.rules.size(); ++r) {
    const auto& rule = rules.rules[r];
    if (!kneetriage::holds(rule.when, rules.conditions, a.answers.facts())) continue;
    ++holding;
    expect(std::any_of(a.fired.begin(), a.fired.end(),
                       [&](const kneetriage::FiredRule& f) { return f.rule == r; }),
           "rule " + rule.id + " holds and is reported as fired");
    if (rule.then.urgency) highest = std::min(highest, *rule.then.urgency);
  }
  expect(holding == a.fired.size(), "only rules that hold are reported as fired");
  expect(u == highest, "urgency is the highest concluded by a fired rule");
  expect(!a.fired.empty() || u == level.self_care, "no rule fired: self-care");
  // Highest urgency first: the first fired rule carries the result's urgency.
  if (!a.fired.empty() && u != level.self_care) {
    const auto& first = rules.rules[a.fired.front().rule];
    expect(first.then.urgency && *first.then.urgency == u,
           "the first fired rule carries the result's urgency");
  }
  // A red-flag question answered with its red flag never ends in self-care. (The effective
  // answers hold only questions that apply; holds() stands in for raises_red_flag(), which
  // recomputes them and would double the run time.)
  for (Index q = 0; q < rules.questions.size(); ++q) {
    const auto& question = rules.questions[q];
    if (a.answers.values[q] && question.red_flag &&
        kneetriage::holds(*question.red_flag, rules.conditions, a.answers.facts())) {
      expect(a.is_red_flag(), "red-flag answer to " + question.id + " is a red flag");
    }
  }
  return out;
}

struct Walk {
  explicit Walk(const RuleSet& r) : rules(r), level(levels(r)), rule_fired(r.rules.size()) {}

  const RuleSet& rules;
  Levels level;
  std::size_t complete = 0;
  std::size_t assessed = 0;
  std::size_t failing = 0;
  std::vector<std::string> examples;  // the first few failures, with their answers
  std::vector<bool> rule_fired;  // over complete answers

  void visit(Answers& answers) {
    ++assessed;
    const auto next = kneetriage::next_question(rules, answers);
    const auto a = kneetriage::assess(rules, answers);
    const auto problems = violations(rules, level, a);
    if (!problems.empty()) {
      ++failing;
      if (examples.size() < 10) {
        std::string text = kneetriage::answers_to_json(rules, answers).dump() + ":";
        for (const auto& p : problems) text += "\n    " + p;
        examples.push_back(text);
      }
    }
    if (!next) {
      ++complete;
      for (const auto& f : a.fired) rule_fired[f.rule] = true;
      return;
    }
    if (answers.values[*next]) FAIL("next_question returned an answered question");
    for (const Value& value : values_of(rules.questions[*next])) {
      answers.values[*next] = value;
      visit(answers);
    }
    answers.values[*next].reset();
  }
};

}  // namespace

TEST_CASE("safety properties hold for every combination of answers", "[safety][knee]") {
  const RuleSet& rules = knee_rules();
  Walk walk(rules);
  Answers answers(rules);
  walk.visit(answers);

  INFO("complete combinations enumerated: " << walk.complete);
  INFO("assessments checked (complete and partial): " << walk.assessed);
  for (const auto& example : walk.examples) UNSCOPED_INFO(example);
  CHECK(walk.failing == 0);
  // Pins the questionnaire's shape, so the enumeration cannot silently shrink: 2 weight_bearing
  // × 2 trauma × 2 locking × 7 swelling/hot/fever × 2 numbness × 3 knees/side × 5 location
  // × 3 timing × 3 severity × 2 strength_training × 2 new_to_running. Update with the rules.
  CHECK(walk.complete == 60480);
  CHECK(walk.assessed > walk.complete);

  // Every rule can fire for some runner: no dead rules.
  for (Index r = 0; r < rules.rules.size(); ++r) {
    INFO("rule " << rules.rules[r].id);
    CHECK(walk.rule_fired[r]);
  }
}

TEST_CASE("every urgency above self-care withholds running and jumping; emergencies withhold "
          "all knee loading",
          "[safety][knee]") {
  const RuleSet& rules = knee_rules();
  const Levels level = levels(rules);
  CHECK(level.emergency < level.urgent);
  CHECK(level.urgent < level.see_doctor);
  CHECK(level.see_doctor < level.self_care);
  CHECK(level.self_care == rules.urgencies.size() - 1);
  for (Index u = 0; u < rules.urgencies.size(); ++u) {
    const auto& urgency = rules.urgencies[u];
    INFO("urgency " << urgency.id);
    CHECK_FALSE(urgency.action.empty());
    if (u == level.self_care) {
      CHECK(urgency.withhold.empty());
      continue;
    }
    CHECK(withholds(urgency, "running"));
    CHECK(withholds(urgency, "plyometric"));
    if (u <= level.urgent) {
      for (const char* kind : {"strength", "activation", "mobility", "release"}) {
        INFO("kind " << kind);
        CHECK(withholds(urgency, kind));
      }
      CHECK_FALSE(withholds(urgency, "rest"));
    }
  }
}

TEST_CASE("a red-flag answer outweighs everything else in the answers", "[safety][knee]") {
  // The calmest possible runner except for one red flag, and the same with everything
  // pointing at self-care: the red flag still decides the urgency and the first fired rule.
  const RuleSet& rules = knee_rules();
  const Levels level = levels(rules);
  Answers answers(rules);
  const auto set = [&](std::string_view id, std::string_view typed) {
    const auto index = rules.find_question(id);
    REQUIRE(index.has_value());
    const auto parsed = kneetriage::parse_answer(rules.questions[*index], typed);
    REQUIRE(parsed.value.has_value());
    answers.values[*index] = parsed.value;
  };
  set("knees", "both");
  set("weight_bearing", "yes");
  set("trauma", "no");
  set("locking", "no");
  set("swelling", "no");
  set("hot", "no");
  set("numbness", "no");
  set("location", "outer");
  set("timing", "both");
  set("severity", "mild");
  set("strength_training", "yes");
  set("new_to_running", "yes");
  CHECK(kneetriage::assess(rules, answers).urgency == level.self_care);

  set("swelling", "yes");
  set("fever", "yes");
  const auto a = kneetriage::assess(rules, answers);
  CHECK(a.urgency == level.emergency);
  CHECK(a.is_red_flag());
  REQUIRE_FALSE(a.fired.empty());
  CHECK(rules.rules[a.fired.front().rule].id == "nhs-joint-infection");
  CHECK_FALSE(a.withheld.empty());
  CHECK(a.exercises.empty());
  CHECK_FALSE(a.rules->disclaimer.empty());
}
