#include "kneetriage/rule_analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>

#include "analysis/answer_model.hpp"
#include "kneetriage/engine.hpp"

namespace kneetriage {
namespace {

bool has(const Indices& list, Index item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool advice_shown(const Assessment& a, Index item) {
  return (a.action && *a.action == item) || has(a.advice, item);
}

bool in(const std::vector<std::string>& kinds, const std::string& kind) {
  return !kind.empty() && std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

// Calls f(label, id, kind, shown) for each item `refs` names.
template <typename F>
void each_ref(const RuleSet& rules, const Assessment& a, const ItemRefs& refs, F&& f) {
  for (const Index c : refs.causes) f("cause", rules.causes[c].id, has(a.causes, c));
  for (const Index item : refs.advice) f("advice", rules.advice[item].id, advice_shown(a, item));
  for (const Index e : refs.exercises) f("exercise", rules.exercises[e].id, has(a.exercises, e));
  for (const Index p : refs.plan) f("plan step", rules.plan[p].id, has(a.plan, p));
}

std::string kind_shown(const RuleSet& rules, const Assessment& a,
                       const std::vector<std::string>& kinds) {
  const auto said = [](std::string_view label, const std::string& id, const std::string& kind) {
    return fmt::format("{} {} of kind {} is shown", label, id, kind);
  };
  if (a.action && in(kinds, rules.advice[*a.action].kind))
    return said("advice", rules.advice[*a.action].id, rules.advice[*a.action].kind);
  for (const Index i : a.advice)
    if (in(kinds, rules.advice[i].kind))
      return said("advice", rules.advice[i].id, rules.advice[i].kind);
  for (const Index e : a.exercises)
    if (in(kinds, rules.exercises[e].kind))
      return said("exercise", rules.exercises[e].id, rules.exercises[e].kind);
  for (const Index p : a.plan)
    if (in(kinds, rules.plan[p].kind))
      return said("plan step", rules.plan[p].id, rules.plan[p].kind);
  for (const Index c : a.causes)
    if (in(kinds, rules.causes[c].kind))
      return said("cause", rules.causes[c].id, rules.causes[c].kind);
  return {};
}

// The complete answer sets of the walk, each as a key (one small code per question, packed into
// a few words: 0 when the question is not asked, else 1 + its value's place in the walk's order)
// and a hash of its shown result. Afterwards, per question q, the answer sets that agree on every
// question but q and those q gates fall in one group; two results in a group prove q matters.
// A key is 8 bytes for the knee rules, so this costs 16 bytes per complete answer set, and one
// pass over a hash table per question (a question that matters usually stops the pass early).
class ResultsByAnswers {
 public:
  explicit ResultsByAnswers(const RuleSet& rules) : rules_(rules) {
    std::size_t word = 0;
    unsigned used = 0;
    for (const Question& question : rules.questions) {
      const auto width =
          std::max(1U, static_cast<unsigned>(std::bit_width(code_count(question) - 1)));
      if (used + width > 64) {
        ++word;
        used = 0;
      }
      fields_.push_back({word, used, width});
      used += width;
    }
    words_ = word + 1;
  }

  void add(const Answers& answers, const Assessment& assessment) {
    const std::size_t first = keys_.size();
    keys_.resize(first + words_, 0);
    for (Index q = 0; q < fields_.size() && q < answers.values.size(); ++q) {
      if (!answers.values[q]) continue;
      const Field& field = fields_[q];
      keys_[first + field.word] |= (code(rules_.questions[q], *answers.values[q]) & field.mask())
                                   << field.shift;
    }
    results_.push_back(shown_result_hash(assessment) ^ answers_named_hash(assessment));
  }

  // The text result names answers too: those behind a red flag ("because you answered") and
  // behind each cause it shows ("you said: one knee (right knee)"). An answer the runner sees
  // named back is part of the result, even where the advice is the same for every answer; which
  // answers are named counts, not how often or in what order. The frequencies of the exercises
  // shown are part of it too (same_shown_result).
  [[nodiscard]] std::uint64_t answers_named_hash(const Assessment& assessment) const {
    std::vector<bool> named(rules_.questions.size(), false);
    for (const FiredRule& fired : assessment.fired) {
      const Conclusion& then = rules_.rules[fired.rule].then;
      const bool sets_urgency =
          assessment.is_red_flag() && then.urgency && *then.urgency == assessment.urgency;
      const bool names_cause =
          std::any_of(then.causes.begin(), then.causes.end(), [&](Index cause) {
            return std::find(assessment.causes.begin(), assessment.causes.end(), cause) !=
                   assessment.causes.end();
          });
      if (!sets_urgency && !names_cause) continue;
      for (const Match& match : fired.matched)
        if (match.answer && !match.negated) named[match.fact] = true;
    }
    std::uint64_t h = 0;
    for (Index q = 0; q < named.size(); ++q) {
      if (!named[q] || !assessment.answers.values[q]) continue;
      const std::uint64_t item =
          (std::uint64_t{q} << 32U) | code(rules_.questions[q], *assessment.answers.values[q]);
      h = (h ^ item) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL;
    }
    for (const Index e : assessment.exercises)
      h = (h ^ std::hash<std::string>{}(frequency_of(assessment, rules_.exercises[e]))) *
          0x100000001b3ULL;
    return h;
  }

  [[nodiscard]] std::vector<bool> questions_that_change_result() const {
    const std::size_t n = fields_.size();
    const std::vector<std::vector<bool>> gated = detail::gated_questions(rules_);
    std::vector<bool> changes(n, false);
    const std::size_t sets = results_.size();
    // Open addressing over answer-set numbers + 1 (0: empty), at most half full.
    unsigned bits = 1;
    while ((std::size_t{1} << bits) < 2 * sets) ++bits;
    std::vector<std::uint32_t> table(std::size_t{1} << bits);
    std::vector<std::uint64_t> mask(words_);
    for (Index q = 0; q < n; ++q) {
      std::fill(mask.begin(), mask.end(), ~std::uint64_t{0});
      for (Index r = 0; r < n; ++r)
        if (gated[q][r]) mask[fields_[r].word] &= ~(fields_[r].mask() << fields_[r].shift);
      std::fill(table.begin(), table.end(), 0);
      for (std::size_t i = 0; i < sets && !changes[q]; ++i) {
        for (std::size_t slot = slot_of(i, mask, bits);; slot = (slot + 1) & (table.size() - 1)) {
          if (table[slot] == 0) {
            table[slot] = static_cast<std::uint32_t>(i + 1);
            break;
          }
          const std::size_t j = table[slot] - 1;
          if (!same_key(i, j, mask)) continue;
          changes[q] = results_[i] != results_[j];
          break;
        }
      }
    }
    return changes;
  }

 private:
  struct Field {
    std::size_t word;
    unsigned shift, width;
    [[nodiscard]] std::uint64_t mask() const {
      return width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
    }
  };

  // How many codes a question takes (its values, and 0 for not asked); 1 when the walk cannot
  // list its values, as then the walk does not finish once it is asked.
  static std::uint64_t code_count(const Question& question) {
    switch (question.type) {
      case QuestionType::boolean:
        return 3;
      case QuestionType::choice:
        return question.choices.size() + 1;
      case QuestionType::multi:
        return question.choices.size() < 32 ? (std::uint64_t{1} << question.choices.size()) + 1 : 1;
      case QuestionType::number: {
        const double low = std::ceil(question.min), high = std::floor(question.max);
        const bool listable = question.integer && std::isfinite(low) && std::isfinite(high) &&
                              high - low + 1 <= static_cast<double>(k_answer_space_bound);
        return listable && high >= low ? static_cast<std::uint64_t>(high - low) + 2 : 1;
      }
    }
    return 1;
  }

  static std::uint64_t code(const Question& question, const Value& value) {
    if (const bool* b = std::get_if<bool>(&value)) return *b ? 1 : 2;
    if (const double* d = std::get_if<double>(&value))
      return static_cast<std::uint64_t>(*d - std::ceil(question.min)) + 1;
    const auto place = [&](const std::string& choice) -> std::uint64_t {
      for (Index c = 0; c < question.choices.size(); ++c)
        if (question.choices[c].value == choice) return c;
      return 0;
    };
    if (const std::string* s = std::get_if<std::string>(&value)) return place(*s) + 1;
    std::uint64_t subset = 0;
    for (const std::string& choice : std::get<StringList>(value))
      subset |= std::uint64_t{1} << (place(choice) & 63U);
    return subset + 1;
  }

  [[nodiscard]] std::size_t slot_of(std::size_t set, const std::vector<std::uint64_t>& mask,
                                    unsigned bits) const {
    std::uint64_t h = 0;
    for (std::size_t w = 0; w < words_; ++w)
      h = (h ^ (keys_[set * words_ + w] & mask[w])) * 0x9e3779b97f4a7c15ULL;
    return static_cast<std::size_t>(h >> (64 - bits));
  }

  [[nodiscard]] bool same_key(std::size_t a, std::size_t b,
                              const std::vector<std::uint64_t>& mask) const {
    for (std::size_t w = 0; w < words_; ++w)
      if ((keys_[a * words_ + w] ^ keys_[b * words_ + w]) & mask[w]) return false;
    return true;
  }

  const RuleSet& rules_;
  std::vector<Field> fields_;  // per question
  std::size_t words_ = 1;
  std::vector<std::uint64_t> keys_;     // words_ per complete answer set
  std::vector<std::uint64_t> results_;  // shown_result_hash per complete answer set
};

static_assert(k_answer_space_bound < std::numeric_limits<std::uint32_t>::max(),
              "answer sets are numbered in 32 bits in ResultsByAnswers");

}  // namespace

std::string invariant_violation(const RuleSet& rules, const Invariant& invariant,
                                const Assessment& a) {
  // Urgencies are listed highest first: "at least" is a smaller or equal index.
  if (invariant.at_urgency_at_least && a.urgency > *invariant.at_urgency_at_least) return {};
  if (invariant.at_urgency_at_most && a.urgency < *invariant.at_urgency_at_most) return {};
  if (invariant.when && !holds(*invariant.when, rules.conditions, a.answers.facts())) return {};
  const std::string& level = rules.urgencies[a.urgency].id;
  if (invariant.urgency_at_least && a.urgency > *invariant.urgency_at_least)
    return fmt::format("the urgency is {}, not at least {}", level,
                       rules.urgencies[*invariant.urgency_at_least].id);
  if (invariant.urgency_at_most && a.urgency < *invariant.urgency_at_most)
    return fmt::format("the urgency is {}, not at most {}", level,
                       rules.urgencies[*invariant.urgency_at_most].id);
  std::string what;
  each_ref(rules, a, invariant.shown,
           [&](std::string_view label, const std::string& id, bool shown) {
             if (what.empty() && !shown)
               what = fmt::format("{} {} is not shown (at {})", label, id, level);
           });
  if (!what.empty()) return what;
  each_ref(rules, a, invariant.not_shown,
           [&](std::string_view label, const std::string& id, bool shown) {
             if (what.empty() && shown)
               what = fmt::format("{} {} is shown (at {})", label, id, level);
           });
  if (!what.empty()) return what;
  if (!invariant.not_shown_kinds.empty()) {
    what = kind_shown(rules, a, invariant.not_shown_kinds);
    if (!what.empty()) what += fmt::format(" (at {})", level);
  }
  return what;
}

RuleAnalysis analyse_rules_by_walk(const RuleSet& rules, std::size_t bound,
                                   const WalkProgress& progress) {
  RuleAnalysis out;
  out.per_urgency.assign(rules.urgencies.size(), 0);
  out.rule_fires.assign(rules.rules.size(), 0);
  for (const CatalogueKind kind : k_catalogue_kinds)
    out.shown.of(kind).assign(catalogue_size(rules, kind), 0);
  out.invariants.resize(rules.invariants.size());
  ResultsByAnswers results(rules);
  out.end = walk_answer_space(
      rules, Answers(rules),
      [&](const Answers& answers, bool complete) {
        report_walk_progress(progress, out.answer_sets + out.partial_sets + 1);  // with this one
        const Assessment a = assess(rules, answers);
        for (std::size_t i = 0; i < rules.invariants.size(); ++i) {
          std::string what = invariant_violation(rules, rules.invariants[i], a);
          if (what.empty()) continue;
          InvariantResult& result = out.invariants[i];
          ++result.violations;
          if (!result.example || (complete && !result.example_complete)) {
            result.example = a.answers;
            result.example_complete = complete;
            result.what = std::move(what);
          }
        }
        if (!complete) {
          ++out.partial_sets;
          return true;
        }
        ++out.answer_sets;
        ++out.per_urgency[a.urgency];
        for (const FiredRule& fired : a.fired) ++out.rule_fires[fired.rule];
        for (const Index c : a.causes) ++out.shown.causes[c];
        if (a.action) ++out.shown.advice[*a.action];
        for (const Index i : a.advice) ++out.shown.advice[i];
        for (const Index e : a.exercises) ++out.shown.exercises[e];
        for (const Index p : a.plan) ++out.shown.plan[p];
        results.add(answers, a);
        return true;
      },
      /*prefixes=*/true, bound);
  if (out.end == WalkEnd::finished) out.changes_result = results.questions_that_change_result();
  return out;
}

}  // namespace kneetriage
