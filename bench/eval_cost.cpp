// Evaluates COUNT random answer sets once each against a synthetic rules file of RULES rules, for
// counting the instructions assess() executes under callgrind (bench/compare.py runs it with
// --toggle-collect on kneetriage::assess). Instructions, unlike time, do not depend on how much of
// the rules fits in the caches, so they show how the work itself grows with the rules.
//   valgrind --tool=callgrind --toggle-collect='kneetriage::assess(*' eval_cost 1000 50
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "kneetriage/engine.hpp"
#include "support.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: eval_cost RULES COUNT\n");
    return 2;
  }
  using namespace kneetriage;
  const std::size_t rule_count = std::strtoull(argv[1], nullptr, 10);
  const std::size_t count = std::strtoull(argv[2], nullptr, 10);
  const RuleSet rules = bench::load_or_exit(bench::synthetic_rules(rule_count), "synthetic.json");
  std::mt19937_64 random(11);
  std::vector<Answers> answers;
  for (std::size_t i = 0; i < count; ++i) answers.push_back(bench::random_answers(rules, random));
  std::size_t fired = 0;
  for (const Answers& set : answers) fired += assess(rules, set).fired.size();
  std::printf("%zu\n", fired);
  return 0;
}
