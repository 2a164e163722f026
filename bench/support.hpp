// What the benchmarks share: the answer space of a rules file, random complete answer sets, and
// synthetic rules files of any size for the scaling runs. Benchmark code only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "kneetriage/answers.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage::bench {

// Loads a rules text; prints the diagnostics and exits on failure (a benchmark cannot go on).
[[nodiscard]] RuleSet load_or_exit(std::string_view text, std::string_view name);

// The answers a benchmark may give to a question: both booleans, every choice, for a multi every
// subset (up to 6 choices; otherwise each single choice and none), for a number every whole value
// (up to 21 of them; otherwise min, middle, max).
[[nodiscard]] std::vector<Value> sample_values(const Question& question);

// Every complete answer set: the questions that apply, each answered with each of its sample
// values, following ask_if as the questionnaire does. Stops after `limit` sets.
[[nodiscard]] std::vector<Answers> answer_space(const RuleSet& rules, std::size_t limit);

// A complete answer set with each question that applies answered at random.
[[nodiscard]] Answers random_answers(const RuleSet& rules, std::mt19937_64& random);

// A valid rules file (docs/rules-format.md) with `rule_count` rules over 24 questions of every
// type (some asked only after others), shaped like rules/knee.json: about two leaves a rule
// (a single leaf, a named condition, or all/any of two or three, some negated), every operator,
// one named condition, cause, advice item and exercise per ten rules. Deterministic per seed.
[[nodiscard]] std::string synthetic_rules(std::size_t rule_count, std::uint64_t seed = 1);

// A valid rules file shaped like a longer questionnaire, for the symbolic analysis's scaling
// runs (check, diff and the early end at 20 to 80 questions): mostly yes/no and choice questions,
// a pain score and a few multi questions, about one in four a follow-up asked only after an
// earlier answer (ask_if). About two rules per question, each reading one to three questions near
// the one it is about (a rule reads related questions, as in rules/knee.json), a few red flags
// at the higher urgencies, and invariants of the knee rules' kinds. Deterministic per seed;
// `variant` changes a few rules, as an edit would, for diff.
[[nodiscard]] std::string synthetic_questionnaire(std::size_t question_count,
                                                  std::uint64_t seed = 1, int variant = 0);

}  // namespace kneetriage::bench
