// What the symbolic analysis costs (docs/benchmarks.md, "Proofs on a model"), side by side with
// the walk it replaced where the walk can run:
//   symbolic_cost knee            check and the early end on rules/knee.json, walk and model
//   symbolic_cost knee-plus-3     the knee rules with three yes/no questions no rule reads
//   symbolic_cost questions N     check, diff and the early end on a questionnaire of N questions
// One line per measurement; peak memory (getrusage) at the end, so run one case per process.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "kneetriage/answer_space.hpp"
#include "kneetriage/questionnaire.hpp"
#include "kneetriage/rule_analysis.hpp"
#include "kneetriage/rules_diff.hpp"
#include "support.hpp"

namespace {

using kneetriage::Answers;
using kneetriage::RuleSet;
using Clock = std::chrono::steady_clock;

template <typename F>
double seconds(F&& f) {
  const auto start = Clock::now();
  f();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

long peak_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// The early end after each answer of `runs` random questionnaires: the first query builds the
// model, the rest are queries; prints the build, the slowest query and the mean.
void early_end(const RuleSet& rules, int runs, bool walk_too) {
  std::mt19937_64 random(7);
  double slowest = 0, total = 0, first = -1, walk_total = 0;
  std::size_t queries = 0, decided = 0, agree = 0;
  for (int run = 0; run < runs; ++run) {
    const Answers path = kneetriage::bench::random_answers(rules, random);
    Answers answers(rules);
    while (const auto next = kneetriage::next_question(rules, answers)) {
      answers.values[*next] = path.values[*next];
      if (!kneetriage::next_question(rules, answers)) break;
      bool is = false;
      const double t = seconds([&] { is = kneetriage::result_is_decided(rules, answers); });
      if (first < 0) {
        first = t;
      } else {
        slowest = std::max(slowest, t);
        total += t;
        ++queries;
      }
      decided += is ? 1 : 0;
      if (walk_too) {
        bool by_walk = false;
        walk_total +=
            seconds([&] { by_walk = kneetriage::result_is_decided_by_walk(rules, answers); });
        agree += by_walk == is ? 1 : 0;
      }
      if (is) break;  // the questionnaire ends here
    }
  }
  std::printf(
      "early end: model built in %.1f ms; %zu queries after an answer: slowest %.2f ms, mean %.3f "
      "ms; %zu decided\n",
      first * 1e3, queries, slowest * 1e3, queries ? total / queries * 1e3 : 0.0, decided);
  if (walk_too)
    std::printf(
        "early end by walk: mean %.3f ms over the same %zu queries (+ the first); agree on %zu of "
        "%zu\n",
        walk_total / static_cast<double>(queries + 1) * 1e3, queries, agree, queries + 1);
}

void check(const RuleSet& rules, bool walk_too) {
  kneetriage::RuleAnalysis proved;
  const double t = seconds([&] { proved = kneetriage::analyse_rules(rules); });
  std::printf("check by model: %.3f s, %zu answer sets (%zu partial), %zu invariants\n", t,
              proved.answer_sets, proved.partial_sets, rules.invariants.size());
  if (!walk_too) return;
  kneetriage::RuleAnalysis walked;
  const double w = seconds([&] { walked = kneetriage::analyse_rules_by_walk(rules); });
  std::printf("check by walk:  %.3f s, %s; model/walk time %.3f\n", w,
              walked.end == kneetriage::WalkEnd::finished ? "finished" : "too large to walk",
              t / w);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "";
  if (what == "knee" || what == "knee-plus-3") {
    nlohmann::json document = nlohmann::json::parse(kneetriage::builtin_rules_text());
    if (what == "knee-plus-3")
      for (int i = 0; i < 3; ++i)
        document["questions"].push_back({{"id", "extra-" + std::to_string(i)},
                                         {"text", "Extra?"},
                                         {"help", "h"},
                                         {"type", "boolean"}});
    const RuleSet rules = kneetriage::bench::load_or_exit(document.dump(), what);
    check(rules, true);
    early_end(rules, 20, true);
  } else if (what == "questions" && argc > 2) {
    const std::size_t n = std::strtoull(argv[2], nullptr, 10);
    const RuleSet rules =
        kneetriage::bench::load_or_exit(kneetriage::bench::synthetic_questionnaire(n, 1, 0), "old");
    const RuleSet edited =
        kneetriage::bench::load_or_exit(kneetriage::bench::synthetic_questionnaire(n, 1, 1), "new");
    std::printf("%zu questions, %zu rules\n", rules.questions.size(), rules.rules.size());
    check(rules, false);
    kneetriage::RulesDiff diff;
    const double d = seconds([&] { diff = kneetriage::diff_rules(rules, edited); });
    std::printf(
        "diff by model: %.3f s, %zu answer sets compared, %zu change urgency, %zu change the "
        "result\n",
        d, diff.answer_sets, diff.changed_urgency, diff.changed_result);
    early_end(rules, 50, false);
  } else {
    std::fprintf(stderr, "usage: symbolic_cost knee | knee-plus-3 | questions N\n");
    return 2;
  }
  std::printf("peak memory: %ld KiB\n", peak_kib());
  return 0;
}
