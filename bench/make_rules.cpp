// Writes a synthetic rules file with N rules, for the scaling benchmark (bench/support.hpp).
//   make_rules 10000 > synthetic-10000.json
#include <cstdio>
#include <cstdlib>
#include <string>

#include "support.hpp"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: make_rules RULE_COUNT [SEED]\n");
    return 2;
  }
  const std::size_t count = std::strtoull(argv[1], nullptr, 10);
  const std::uint64_t seed = argc == 3 ? std::strtoull(argv[2], nullptr, 10) : 1;
  const std::string text = kneetriage::bench::synthetic_rules(count, seed);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
