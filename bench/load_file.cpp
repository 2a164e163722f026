// Loading one rules file, timed against parsing the same text with nlohmann/json alone (and
// destroying the document), so the share of the JSON parser and that of the loader's own work
// can be read from one run. Alternates the two; prints the best and the median CPU
// time of each.
//   build-bench/bench/load_file synthetic-10000.json [ROUNDS]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kneetriage/rules.hpp"

namespace {

double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

struct Times {
  std::vector<double> ms;
  [[nodiscard]] double best() const { return *std::min_element(ms.begin(), ms.end()); }
  [[nodiscard]] double median() {
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: load_file RULES_FILE [ROUNDS]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "load_file: cannot read %s\n", argv[1]);
    return 66;
  }
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const int rounds = argc == 3 ? std::atoi(argv[2]) : 10;
  Times load, parse;
  std::size_t rules = 0;
  for (int round = 0; round < rounds; ++round) {
    double start = cpu_ms();
    {
      const auto loaded = kneetriage::load_rules(text, argv[1]);
      if (!loaded.rules) {
        std::fprintf(stderr, "load_file: %s does not load\n", argv[1]);
        return 65;
      }
      rules = loaded.rules->rules.size();
    }
    load.ms.push_back(cpu_ms() - start);
    start = cpu_ms();
    {
      const auto document = nlohmann::json::parse(text);
      if (document.empty()) return 65;
    }
    parse.ms.push_back(cpu_ms() - start);
  }
  std::printf("%zu rules, %zu bytes, %d rounds (CPU time, parse and destroy included)\n", rules,
              text.size(), rounds);
  std::printf("  load_rules              best %8.2f ms   median %8.2f ms\n", load.best(),
              load.median());
  std::printf("  nlohmann parse alone    best %8.2f ms   median %8.2f ms\n", parse.best(),
              parse.median());
  std::printf("  the loader's own work   best %8.2f ms   (%.0f%% of the load)\n",
              load.best() - parse.best(), 100 * (load.best() - parse.best()) / load.best());
  return 0;
}
