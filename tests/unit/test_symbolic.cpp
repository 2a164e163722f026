// The symbolic analysis (check, the early end) against the walk over every answer set, its
// oracle: on the knee rules and on hundreds of random rules files small enough to walk, the two
// must agree exactly: counts, invariant verdicts and their first counterexample, dead rules and
// items, idle questions, and whether each partial answer set is decided.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>

#include "../support/random_rules.hpp"
#include "fixtures.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/evaluation.hpp"
#include "kneetriage/questionnaire.hpp"
#include "kneetriage/rule_analysis.hpp"
#include "kneetriage/rules_diff.hpp"

namespace {

using kneetriage::Answers;
using kneetriage::RuleAnalysis;
using kneetriage::RuleSet;

void same_analysis(const RuleSet& rules) {
  const RuleAnalysis walked = kneetriage::analyse_rules_by_walk(rules);
  REQUIRE(walked.end == kneetriage::WalkEnd::finished);
  const RuleAnalysis proved = kneetriage::analyse_rules(rules);
  CHECK(proved.end == kneetriage::WalkEnd::finished);
  CHECK(proved.answer_sets == walked.answer_sets);
  CHECK(proved.partial_sets == walked.partial_sets);
  CHECK(proved.per_urgency == walked.per_urgency);
  CHECK(proved.rule_fires == walked.rule_fires);
  CHECK(proved.shown.causes == walked.shown.causes);
  CHECK(proved.shown.advice == walked.shown.advice);
  CHECK(proved.shown.exercises == walked.shown.exercises);
  CHECK(proved.shown.plan == walked.shown.plan);
  CHECK(proved.changes_result == walked.changes_result);
  REQUIRE(proved.invariants.size() == walked.invariants.size());
  for (std::size_t i = 0; i < walked.invariants.size(); ++i) {
    INFO("invariant " << rules.invariants[i].id);
    const auto& p = proved.invariants[i];
    const auto& w = walked.invariants[i];
    CHECK(p.violations == w.violations);
    CHECK(p.example.has_value() == w.example.has_value());
    if (!p.example || !w.example) continue;
    CHECK(p.example_complete == w.example_complete);
    // The first counterexample in the walk's order, so the same one: it breaks the invariant.
    CHECK(p.example->values == w.example->values);
    CHECK(p.what == w.what);
    CHECK_FALSE(kneetriage::invariant_violation(rules, rules.invariants[i],
                                                kneetriage::assess(rules, *p.example))
                    .empty());
  }
}

// Partial answer sets to ask about: some the walk stops at (a runner pressing q), and some
// complete sets with answers taken out at random (a one-shot with flags missing).
std::vector<Answers> partial_sets(const RuleSet& rules, std::uint64_t seed, std::size_t most) {
  std::vector<Answers> prefixes, complete;
  (void)kneetriage::walk_answer_space(
      rules, Answers(rules),
      [&](const Answers& a, bool is_complete) {
        (is_complete ? complete : prefixes).push_back(a);
        return true;
      },
      /*prefixes=*/true);
  std::mt19937_64 random(seed);
  std::vector<Answers> out;
  const auto pick = [&](const std::vector<Answers>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
  };
  for (std::size_t i = 0; i < most && !prefixes.empty(); ++i) out.push_back(pick(prefixes));
  for (std::size_t i = 0; i < most && !complete.empty(); ++i) {
    Answers a = pick(complete);
    for (auto& value : a.values)
      if (std::bernoulli_distribution(0.4)(random)) value.reset();
    out.push_back(std::move(a));
  }
  return out;
}

void same_decisions(const RuleSet& rules, std::uint64_t seed, std::size_t most) {
  for (const Answers& answers : partial_sets(rules, seed, most)) {
    INFO("answers " << kneetriage::answers_to_json(rules, answers).dump());
    CHECK(kneetriage::result_is_decided(rules, answers) ==
          kneetriage::result_is_decided_by_walk(rules, answers));
  }
}

}  // namespace

TEST_CASE("the symbolic analysis of the knee rules is the walk's, to the answer set",
          "[symbolic][exhaustive]") {
  const RuleSet& rules = fixtures::knee_rules();
  same_analysis(rules);
  same_decisions(rules, 1, 40);
}

TEST_CASE("the symbolic analysis of random rules files is the walk's", "[symbolic]") {
  random_rules::Shape shape;
  shape.decimals = false;
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    const nlohmann::json document = random_rules::generate(seed, shape);
    INFO("seed " << seed << ": " << document.dump());
    const RuleSet rules = fixtures::load_ok(document);
    same_analysis(rules);
    same_decisions(rules, seed, 6);
  }
}

TEST_CASE("decimal questions are analysed, and decided as the walk decides once answered",
          "[symbolic]") {
  for (std::uint64_t seed = 1000; seed < 1100; ++seed) {
    const nlohmann::json document = random_rules::generate(seed);
    INFO("seed " << seed << ": " << document.dump());
    const RuleSet rules = fixtures::load_ok(document);
    const RuleAnalysis proved = kneetriage::analyse_rules(rules);
    CHECK(proved.end == kneetriage::WalkEnd::finished);
    CHECK(proved.answer_sets > 0);
    // With every decimal question answered the walk can list the rest.
    std::mt19937_64 random(seed);
    for (int round = 0; round < 8; ++round) {
      Answers answers(rules);
      for (std::size_t q = 0; q < rules.questions.size(); ++q) {
        const auto& question = rules.questions[q];
        if (question.type == kneetriage::QuestionType::number && !question.integer) {
          answers.values[q] =
              std::uniform_int_distribution<int>(0, static_cast<int>(question.max) * 4)(random) /
              4.0;
        } else if (std::bernoulli_distribution(0.5)(random)) {
          const auto values = kneetriage::values_of(question, 64);
          if (values && !values->empty())
            answers.values[q] = (*values)[std::uniform_int_distribution<std::size_t>(
                0, values->size() - 1)(random)];
        }
      }
      INFO("answers " << kneetriage::answers_to_json(rules, answers).dump());
      const bool listable = kneetriage::walk_answer_space(rules, answers, [](const Answers&, bool) {
                              return true;
                            }) == kneetriage::WalkEnd::finished;
      if (!listable) continue;  // a decimal question left to answer in some completion
      CHECK(kneetriage::result_is_decided(rules, answers) ==
            kneetriage::result_is_decided_by_walk(rules, answers));
    }
  }
}

namespace {

std::string describe(const Answers& answers) {
  std::string out;
  for (const auto& value : answers.values)
    out += (value ? kneetriage::display(*value) : std::string("-")) + " ";
  return out;
}

void same_examples(const std::vector<kneetriage::DiffExample>& a,
                   const std::vector<kneetriage::DiffExample>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("example " << i << ": old " << describe(a[i].old_answers) << " / "
                    << describe(b[i].old_answers) << ", new " << describe(a[i].new_answers) << " / "
                    << describe(b[i].new_answers));
    CHECK(a[i].old_answers.values == b[i].old_answers.values);
    CHECK(a[i].new_answers.values == b[i].new_answers.values);
  }
}

void same_diff(const RuleSet& old_rules, const RuleSet& new_rules) {
  const kneetriage::RulesDiff walked = kneetriage::diff_rules_by_walk(old_rules, new_rules);
  REQUIRE(walked.end == kneetriage::WalkEnd::finished);
  const kneetriage::RulesDiff proved = kneetriage::diff_rules(old_rules, new_rules);
  CHECK(proved.answer_sets == walked.answer_sets);
  CHECK(proved.changed_urgency == walked.changed_urgency);
  CHECK(proved.changed_result == walked.changed_result);
  CHECK(proved.only_old_questions == walked.only_old_questions);
  CHECK(proved.only_new_questions == walked.only_new_questions);
  REQUIRE(proved.urgency_changes.size() == walked.urgency_changes.size());
  for (std::size_t i = 0; i < walked.urgency_changes.size(); ++i) {
    const auto& p = proved.urgency_changes[i];
    const auto& w = walked.urgency_changes[i];
    CHECK(p.from == w.from);
    CHECK(p.to == w.to);
    CHECK(p.answer_sets == w.answer_sets);
    same_examples(p.examples, w.examples);
  }
  REQUIRE(proved.changes.size() == walked.changes.size());
  for (std::size_t i = 0; i < walked.changes.size(); ++i) {
    const auto& p = proved.changes[i];
    const auto& w = walked.changes[i];
    INFO(kneetriage::item_change_label(w.what) << " " << w.id);
    CHECK(p.what == w.what);
    CHECK(p.id == w.id);
    CHECK(p.in_old == w.in_old);
    CHECK(p.in_new == w.in_new);
    CHECK(p.old_count == w.old_count);
    CHECK(p.new_count == w.new_count);
    CHECK(p.started == w.started);
    CHECK(p.stopped == w.stopped);
    same_examples(p.started_examples, w.started_examples);
    same_examples(p.stopped_examples, w.stopped_examples);
  }
}

}  // namespace

TEST_CASE("the symbolic diff of random rules files is the walk's", "[symbolic]") {
  random_rules::Shape shape;
  shape.decimals = false;
  shape.max_questions = 4;
  for (std::uint64_t seed = 0; seed < 150; ++seed) {
    nlohmann::json old_document = random_rules::generate(seed, shape);
    // An edit (a rule's urgency, a question no longer a follow-up, a choice added), and another
    // file altogether over the same question ids (types, choices and ranges differ).
    nlohmann::json edited = old_document;
    edited["rules"][0]["then"]["urgency"] = "u0";
    edited["questions"].back().erase("ask_if");
    for (auto& q : edited["questions"])
      if (q.contains("choices")) {
        q["choices"].push_back({{"value", "extra"}, {"label", "Extra"}});
        break;
      }
    const nlohmann::json other = random_rules::generate(seed + 100000, shape);
    INFO("seed " << seed << ": " << old_document.dump());
    const RuleSet old_rules = fixtures::load_ok(old_document);
    {
      INFO("edited: " << edited.dump());
      same_diff(old_rules, fixtures::load_ok(edited));
    }
    {
      INFO("other: " << other.dump());
      same_diff(old_rules, fixtures::load_ok(other));
    }
  }
}

TEST_CASE("a completion that changes an answer given is no counterexample to a decided result",
          "[symbolic]") {
  // Random rules seed 396: q3 is asked unless q2 is ["c1"], and q2 only when q0 is not true. With
  // q1 and q3 given, every completion shows the same. Probing q2 = ["c1"] on its own sets q3's
  // answer aside, and the probe's first completion (q0 true) then asks q3 again, as 0: that is
  // not a completion of the answers given, and must not make the walk call the result open.
  random_rules::Shape shape;
  shape.decimals = false;
  const RuleSet rules = fixtures::load_ok(random_rules::generate(396, shape));
  const Answers answers =
      kneetriage::answers_from_json(rules, nlohmann::json{{"q1", "c0"}, {"q3", 1}}, "answers")
          .answers;
  CHECK(kneetriage::result_is_decided_by_walk(rules, answers));
  CHECK(kneetriage::result_is_decided(rules, answers));
}
