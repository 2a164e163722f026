// check's analysis and the questionnaire's early end as queries on the symbolic model of the rules
// (answer_model.hpp), in place of a walk over every answer set.
#include <bdd.h>

#include <memory>
#include <mutex>

#include "analysis/answer_model.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/questionnaire.hpp"
#include "kneetriage/rule_analysis.hpp"

namespace kneetriage {
namespace {

using detail::AnswerModel;
using detail::BddSession;
using detail::saturate;

bool kind_in(const std::vector<std::string>& kinds, const std::string& kind) {
  return !kind.empty() && std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

// Levels from `from` to `to` (indices, highest urgency first), as answer sets.
bdd levels_between(const AnswerModel& model, std::size_t from, std::size_t to) {
  bdd out = bddfalse;
  for (std::size_t u = from; u <= to && u < model.rules().urgencies.size(); ++u)
    out |= model.urgency(u);
  return out;
}

// The answer sets, complete or partial, whose result breaks `invariant` (invariant_violation).
bdd violations(AnswerModel& model, const Invariant& invariant) {
  const RuleSet& rules = model.rules();
  const std::size_t lowest = rules.urgencies.size() - 1;
  bdd applies = bddtrue;
  if (invariant.at_urgency_at_least)
    applies &= levels_between(model, 0, *invariant.at_urgency_at_least);
  if (invariant.at_urgency_at_most)
    applies &= levels_between(model, *invariant.at_urgency_at_most, lowest);
  if (invariant.when) applies &= model.holds(*invariant.when);
  bdd fails = bddfalse;
  if (invariant.urgency_at_least)
    fails |= levels_between(model, *invariant.urgency_at_least + 1, lowest);
  if (invariant.urgency_at_most && *invariant.urgency_at_most > 0)
    fails |= levels_between(model, 0, *invariant.urgency_at_most - 1);
  const auto each = [&](const ItemRefs& refs, bool must_show) {
    const auto add = [&](const bdd& shown) { fails |= must_show ? !shown : shown; };
    for (const Index c : refs.causes) add(model.cause_shown(c));
    for (const Index a : refs.advice) add(model.advice_shown(a));
    for (const Index e : refs.exercises) add(model.exercise_shown(e));
    for (const Index p : refs.plan) add(model.plan_shown(p));
  };
  each(invariant.shown, true);
  each(invariant.not_shown, false);
  const auto& kinds = invariant.not_shown_kinds;
  for (Index a = 0; a < rules.advice.size(); ++a)
    if (kind_in(kinds, rules.advice[a].kind)) fails |= model.advice_shown(a);
  for (Index e = 0; e < rules.exercises.size(); ++e)
    if (kind_in(kinds, rules.exercises[e].kind)) fails |= model.exercise_shown(e);
  for (Index p = 0; p < rules.plan.size(); ++p)
    if (kind_in(kinds, rules.plan[p].kind)) fails |= model.plan_shown(p);
  for (Index c = 0; c < rules.causes.size(); ++c)
    if (kind_in(kinds, rules.causes[c].kind)) fails |= model.cause_shown(c);
  return applies & fails;
}

// One part of what is shown, and the variables it reads.
struct Part {
  bdd shown;
  std::vector<bool> reads;  // by variable
};

Part part(const bdd& shown, int variables) {
  Part out{shown, std::vector<bool>(static_cast<std::size_t>(variables), false)};
  for (bdd support = bdd_support(shown); support != bddtrue && support != bddfalse;
       support = bdd_high(support))
    out.reads[static_cast<std::size_t>(bdd_var(support))] = true;
  return out;
}

// What is shown, part by part: two answer sets show the same result exactly when every part is
// the same for both (the order of causes and advice aside, which questions_that_change_result
// looks at when nothing else differs).
std::vector<Part> parts_shown(AnswerModel& model) {
  const RuleSet& rules = model.rules();
  const int vars = model.variable_count();
  std::vector<Part> out;
  for (Index u = 0; u < rules.urgencies.size(); ++u) out.push_back(part(model.urgency(u), vars));
  for (Index a = 0; a < rules.advice.size(); ++a) {
    out.push_back(part(model.action(a), vars));
    out.push_back(part(model.advice_listed(a), vars));
  }
  for (Index c = 0; c < rules.causes.size(); ++c) out.push_back(part(model.cause_shown(c), vars));
  for (Index e = 0; e < rules.exercises.size(); ++e) {
    out.push_back(part(model.exercise_shown(e), vars));
    const auto texts = model.frequency_texts(e);
    if (texts.size() < 2) continue;
    for (const std::string& text : texts)
      out.push_back(part(model.exercise_shown(e) & model.frequency_is(e, text), vars));
  }
  for (Index p = 0; p < rules.plan.size(); ++p) out.push_back(part(model.plan_shown(p), vars));
  for (Index q = 0; q < rules.questions.size(); ++q) {
    const bdd named = model.named(q);
    if (named == bddfalse) continue;
    out.push_back(part(named, vars));
    for (const int v : model.value_variables(q)) out.push_back(part(named & bdd_ithvarpp(v), vars));
  }
  return out;
}

// Whether some two complete answer sets that differ only in the variables `free` show a different
// `part`: some answers to the rest reach both a set where it is shown and one where it is not.
bool part_differs(const AnswerModel& model, const Part& p, const std::vector<bool>& free_vars,
                  const bdd& free_set) {
  bool reads_free = false;
  for (std::size_t v = 0; v < p.reads.size() && !reads_free; ++v)
    reads_free = p.reads[v] && free_vars[v];
  if (!reads_free) return false;
  const bdd with = bdd_appex(model.complete(), p.shown, bddop_and, free_set);
  if (with == bddfalse) return false;
  const bdd without = bdd_appex(model.complete(), !p.shown, bddop_and, free_set);
  return static_cast<bool>((with & without) != bddfalse);
}

std::vector<bool> questions_that_change_result(AnswerModel& model) {
  const RuleSet& rules = model.rules();
  const std::size_t n = rules.questions.size();
  const auto gated = detail::gated_questions(rules);
  const std::vector<Part> parts = parts_shown(model);
  std::vector<bool> changes(n, false);
  for (Index q = 0; q < n; ++q) {
    const bdd free_set = model.block_variables(gated[q]);
    std::vector<bool> free_vars(static_cast<std::size_t>(model.variable_count()), false);
    for (bdd s = free_set; s != bddtrue && s != bddfalse; s = bdd_high(s))
      free_vars[static_cast<std::size_t>(bdd_var(s))] = true;
    for (const Part& p : parts) {
      if (part_differs(model, p, free_vars, free_set)) {
        changes[q] = true;
        break;
      }
    }
    if (changes[q]) continue;
    // The same items, in another order, are another result too.
    const auto order_differs = [&](AnswerModel::List list, std::size_t size, const auto& shown) {
      for (Index i = 0; i < size; ++i)
        for (Index j = i + 1; j < size; ++j) {
          const bdd both = shown(i) & shown(j);
          if (both == bddfalse) continue;
          const Part ordered = part(both & model.before(list, i, j), model.variable_count());
          if (part_differs(model, ordered, free_vars, free_set)) return true;
        }
      return false;
    };
    changes[q] = order_differs(AnswerModel::List::causes, rules.causes.size(),
                               [&](Index i) { return model.cause_shown(i); }) ||
                 order_differs(AnswerModel::List::advice, rules.advice.size(),
                               [&](Index i) { return model.advice_listed(i); });
  }
  return changes;
}

}  // namespace

RuleAnalysis analyse_rules(const RuleSet& rules) {
  const auto session = BddSession::acquire();
  const std::lock_guard guard(session->lock());
  AnswerModel model(rules, session);
  RuleAnalysis out;
  out.end = WalkEnd::finished;
  const bdd& complete = model.complete();
  const auto count = [&](const bdd& set) { return saturate(model.count(complete & set)); };
  out.answer_sets = saturate(model.count(complete));
  out.partial_sets = saturate(model.count(model.partial()));
  for (Index u = 0; u < rules.urgencies.size(); ++u)
    out.per_urgency.push_back(count(model.urgency(u)));
  for (Index r = 0; r < rules.rules.size(); ++r) out.rule_fires.push_back(count(model.fires(r)));
  for (Index c = 0; c < rules.causes.size(); ++c)
    out.shown.causes.push_back(count(model.cause_shown(c)));
  for (Index a = 0; a < rules.advice.size(); ++a)
    out.shown.advice.push_back(count(model.advice_shown(a)));
  for (Index e = 0; e < rules.exercises.size(); ++e)
    out.shown.exercises.push_back(count(model.exercise_shown(e)));
  for (Index p = 0; p < rules.plan.size(); ++p)
    out.shown.plan.push_back(count(model.plan_shown(p)));
  for (const Invariant& invariant : rules.invariants) {
    InvariantResult result;
    const bdd broken = violations(model, invariant);
    const bdd complete_broken = complete & broken;
    const bdd partial_broken = model.partial() & broken;
    result.violations = saturate(model.count(complete_broken) + model.count(partial_broken));
    result.example_complete = complete_broken != bddfalse;
    result.example = model.first(result.example_complete ? complete_broken : partial_broken);
    if (result.example)
      result.what = invariant_violation(rules, invariant, assess(rules, *result.example));
    out.invariants.push_back(std::move(result));
  }
  out.changes_result = questions_that_change_result(model);
  return out;
}

namespace {

// The model of the last rules asked about, kept for the next answers: the questionnaire asks
// after every answer, and a batch for every line. BuDDy's state is global, so this is the one
// place a model outlives a call; the mutex serialises the queries.
class ModelCache {
 public:
  template <typename Query>
  auto with_model(const RuleSet& rules, const Query& query) {
    const std::lock_guard guard(mutex_);
    if (!session_) session_ = BddSession::acquire();
    const std::lock_guard session_guard(session_->lock());
    if (!model_ || !(*rules_ == rules)) {
      model_.reset();
      rules_ = std::make_unique<RuleSet>(rules);
      model_ = std::make_unique<AnswerModel>(*rules_, session_);
    }
    return query(*model_);
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<BddSession> session_;
  std::unique_ptr<RuleSet> rules_;
  std::unique_ptr<AnswerModel> model_;  // last: goes before the session
};

ModelCache& model_cache() {
  static ModelCache cache;
  return cache;
}

}  // namespace

bool result_is_decided(const RuleSet& rules, const Answers& answers) {
  const Answers given = effective_answers(rules, answers);
  return model_cache().with_model(rules, [&](AnswerModel& model) {
    // Every completion: the questions left take any answer the questionnaire allows; one that
    // has an answer keeps it, unless an answer still to come means it is not asked. The answers
    // first: they narrow the space most, so each step stays small.
    bdd kept = bddtrue;
    for (Index q = 0; q < rules.questions.size(); ++q)
      if (given.values[q]) kept &= model.not_asked(q) | model.has_value(q, *given.values[q]);
    const bdd completions = kept & model.complete();
    if (completions == bddfalse) return false;
    // Decided when no completion shows anything else, part by part (cheaper than the whole
    // result as one function, which the completions would then narrow).
    return model.shows_everywhere(assess(rules, given), completions);
  });
}

}  // namespace kneetriage
