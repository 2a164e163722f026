// Micro-benchmarks of the core with the built-in rules: loading them, one evaluation,
// next_question, serialising an assessment, and the batch path one line at a time.
//   build-bench/bench/kneetriage_micro --benchmark_filter=assess
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "interchange/assessment_json_cache.hpp"
#include "kneetriage/assessment_writer.hpp"
#include "kneetriage/batch.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/questionnaire.hpp"
#include "support.hpp"

namespace {

using namespace kneetriage;

const RuleSet& knee_rules() {
  static const RuleSet rules = bench::load_or_exit(builtin_rules_text(), "<built-in>");
  return rules;
}

// A fixed sample of the whole answer space, so that each benchmark sees every kind of case and
// the branch predictor cannot learn one.
const std::vector<Answers>& sample() {
  static const std::vector<Answers> answers = [] {
    std::vector<Answers> space = bench::answer_space(knee_rules(), 10'000'000);
    std::shuffle(space.begin(), space.end(), std::mt19937_64(7));
    space.resize(std::min<std::size_t>(space.size(), 4096));
    return space;
  }();
  return answers;
}

const std::vector<std::string>& sample_lines() {
  static const std::vector<std::string> lines = [] {
    std::vector<std::string> out;
    for (const Answers& answers : sample())
      out.push_back(answers_to_json(knee_rules(), answers).dump());
    return out;
  }();
  return lines;
}

void load_rules_builtin(benchmark::State& state) {
  const std::string_view text = builtin_rules_text();
  for (auto _ : state) {
    LoadResult loaded = load_rules(text, "<built-in>");
    benchmark::DoNotOptimize(loaded);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(load_rules_builtin)->Unit(benchmark::kMicrosecond);

// The built-in rules as the program gets them: checked at build time, read from their image.
void builtin_rules_image(benchmark::State& state) {
  for (auto _ : state) {
    RuleSet rules = builtin_rules();
    benchmark::DoNotOptimize(rules);
  }
}
BENCHMARK(builtin_rules_image)->Unit(benchmark::kMicrosecond);

void assess_one(benchmark::State& state) {
  const RuleSet& rules = knee_rules();
  const auto& answers = sample();
  std::size_t i = 0;
  for (auto _ : state) {
    Assessment assessment = assess(rules, answers[i++ % answers.size()]);
    benchmark::DoNotOptimize(assessment);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(assess_one);

void next_question_midway(benchmark::State& state) {
  const RuleSet& rules = knee_rules();
  // Each sample answer set with its second half removed: the questionnaire is halfway.
  std::vector<Answers> halves = sample();
  for (Answers& answers : halves)
    for (std::size_t q = answers.values.size() / 2; q < answers.values.size(); ++q)
      answers.values[q].reset();
  std::size_t i = 0;
  for (auto _ : state) {
    auto next = next_question(rules, halves[i++ % halves.size()]);
    benchmark::DoNotOptimize(next);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(next_question_midway);

std::vector<Assessment> sample_assessments() {
  std::vector<Assessment> out;
  for (const Answers& answers : sample()) out.push_back(assess(knee_rules(), answers));
  return out;
}

// The document as every front end writes it: the core's streaming writer (assessment_writer.hpp).
void serialise_assessment_json(benchmark::State& state) {
  const auto assessments = sample_assessments();
  std::size_t i = 0, bytes = 0;
  std::string text;
  for (auto _ : state) {
    text.clear();
    append_assessment_json(text, assessments[i++ % assessments.size()]);
    bytes += text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(serialise_assessment_json);

// The same documents from an AssessmentJsonCache, as batch writes them: the rules' parts copied.
void serialise_assessment_json_cached(benchmark::State& state) {
  const auto assessments = sample_assessments();
  const AssessmentJsonCache cache(knee_rules());
  std::size_t i = 0, bytes = 0;
  std::string text;
  for (auto _ : state) {
    text.clear();
    append_assessment_json(text, assessments[i++ % assessments.size()], cache);
    bytes += text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(serialise_assessment_json_cached);

// Building the cache: what a batch run pays once, before its first full record.
void build_assessment_json_cache(benchmark::State& state) {
  for (auto _ : state) {
    AssessmentJsonCache cache(knee_rules());
    benchmark::DoNotOptimize(cache);
  }
}
BENCHMARK(build_assessment_json_cache)->Unit(benchmark::kMicrosecond);

void serialise_assessment_summary(benchmark::State& state) {
  const auto assessments = sample_assessments();
  std::size_t i = 0;
  std::string text;
  for (auto _ : state) {
    text.clear();
    JsonWriter json(text);
    json.begin_object();
    write_summary_members(json, assessments[i++ % assessments.size()]);
    json.end_object();
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(serialise_assessment_summary);

// The parts of one batch line, for comparing with the whole below.
void parse_line(benchmark::State& state) {
  const auto& lines = sample_lines();
  std::size_t i = 0;
  for (auto _ : state) {
    auto document = nlohmann::json::parse(lines[i++ % lines.size()]);
    benchmark::DoNotOptimize(document);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(parse_line);

void answers_from_json_line(benchmark::State& state) {
  std::vector<nlohmann::json> documents;
  for (const auto& line : sample_lines()) documents.push_back(nlohmann::json::parse(line));
  std::size_t i = 0;
  for (auto _ : state) {
    auto read = answers_from_json(knee_rules(), documents[i++ % documents.size()], "<stdin>");
    benchmark::DoNotOptimize(read);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(answers_from_json_line);

void missing_complete(benchmark::State& state) {
  const auto& answers = sample();
  std::size_t i = 0;
  for (auto _ : state) {
    auto list = missing(knee_rules(), answers[i++ % answers.size()]);
    benchmark::DoNotOptimize(list);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(missing_complete);

void batch_line(benchmark::State& state) {
  const auto format = static_cast<BatchFormat>(state.range(0));
  BatchProcessor processor(knee_rules(), format);
  const auto& lines = sample_lines();
  std::string out;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    out.clear();
    processor.process(lines[i % lines.size()], {"<stdin>", i + 1}, out);
    ++i;
    bytes += out.size();
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetLabel(format == BatchFormat::json ? "json" : "summary");
}
BENCHMARK(batch_line)
    ->Arg(static_cast<int>(BatchFormat::json))
    ->Arg(static_cast<int>(BatchFormat::summary));

}  // namespace

BENCHMARK_MAIN();
