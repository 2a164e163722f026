// How cost grows with the rules: synthetic rules files (bench/support.hpp) of 10 to 10,000 rules,
// the time to load one (parse and validate) and to assess one answer set against it. Google
// Benchmark fits the growth (the "_BigO" rows); bench/run.sh prints the table with the targets.
//   build-bench/bench/kneetriage_scaling --benchmark_format=json
#include <benchmark/benchmark.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "kneetriage/engine.hpp"
#include "support.hpp"

namespace {

using namespace kneetriage;

const std::string& rules_text(std::size_t count) {
  static std::map<std::size_t, std::string> texts;
  auto [it, added] = texts.try_emplace(count);
  if (added) it->second = bench::synthetic_rules(count);
  return it->second;
}

void load_synthetic_rules(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const std::string& text = rules_text(count);
  for (auto _ : state) {
    LoadResult loaded = load_rules(text, "synthetic.json");
    if (!loaded.rules) state.SkipWithError("the synthetic rules do not load");
    benchmark::DoNotOptimize(loaded);
  }
  state.SetComplexityN(state.range(0));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["rules_file_bytes"] = static_cast<double>(text.size());
}
BENCHMARK(load_synthetic_rules)
    ->RangeMultiplier(10)
    ->Range(10, 10000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();

void assess_synthetic_rules(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const RuleSet rules = bench::load_or_exit(rules_text(count), "synthetic.json");
  std::mt19937_64 random(11);
  std::vector<Answers> answers;
  for (int i = 0; i < 256; ++i) answers.push_back(bench::random_answers(rules, random));
  std::size_t i = 0, fired = 0;
  for (auto _ : state) {
    Assessment assessment = assess(rules, answers[i++ % answers.size()]);
    fired += assessment.fired.size();
    benchmark::DoNotOptimize(assessment);
  }
  state.SetComplexityN(state.range(0));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["fired_per_set"] =
      static_cast<double>(fired) /
      static_cast<double>(std::max<std::int64_t>(1, state.iterations()));
}
BENCHMARK(assess_synthetic_rules)
    ->RangeMultiplier(10)
    ->Range(10, 10000)
    ->Unit(benchmark::kMicrosecond)
    ->Complexity();

}  // namespace

BENCHMARK_MAIN();
