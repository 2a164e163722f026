// Writes a synthetic rules file with N rules, for the scaling benchmark, or with N questions
// shaped like a questionnaire, for the symbolic analysis's (bench/support.hpp).
//   make_rules 10000 > synthetic-10000.json
//   make_rules --questions 60 [SEED [VARIANT]] > questionnaire-60.json
#include <cstdio>
#include <cstdlib>
#include <string>

#include "support.hpp"

int main(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[1]) == "--questions") {
    const std::size_t questions = std::strtoull(argv[2], nullptr, 10);
    const std::uint64_t seed = argc >= 4 ? std::strtoull(argv[3], nullptr, 10) : 1;
    const int variant = argc >= 5 ? std::atoi(argv[4]) : 0;
    const std::string text = kneetriage::bench::synthetic_questionnaire(questions, seed, variant);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
  }
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: make_rules RULE_COUNT [SEED] | --questions N [SEED [VARIANT]]\n");
    return 2;
  }
  const std::size_t count = std::strtoull(argv[1], nullptr, 10);
  const std::uint64_t seed = argc == 3 ? std::strtoull(argv[2], nullptr, 10) : 1;
  const std::string text = kneetriage::bench::synthetic_rules(count, seed);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
