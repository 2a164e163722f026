// diff as queries on a symbolic model of both rules files side by side (answer_model.hpp): each
// question of the old file next to its counterpart of the new one among the variables, linked so
// that the new file keeps the old answer wherever it asks the question.
#include <bdd.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include "analysis/answer_model.hpp"
#include "kneetriage/rules_diff.hpp"

namespace kneetriage {
namespace {

using detail::AnswerModel;
using detail::BddSession;
using detail::Count;
using detail::Layout;
using detail::saturate;

// Old and new question by id: the new question that keeps each old one's answer.
std::vector<std::optional<Index>> counterparts(const RuleSet& old_rules, const RuleSet& new_rules) {
  std::vector<std::optional<Index>> out;
  for (const Question& q : old_rules.questions) out.push_back(new_rules.find_question(q.id));
  return out;
}

// Whether a question and its counterpart tell the same answers apart, in the same order, each
// standing for as many answer sets, and the new one takes every answer of the old: then they can
// share value variables.
bool same_answers(const AnswerModel& old_model, Index q, const AnswerModel& new_model, Index j) {
  const Question& old_question = old_model.rules().questions[q];
  const Question& new_question = new_model.rules().questions[j];
  if (old_model.is_multi(q) || new_model.is_multi(j)) {
    if (!old_model.is_multi(q) || !new_model.is_multi(j)) return false;
    return std::equal(old_question.choices.begin(), old_question.choices.end(),
                      new_question.choices.begin(), new_question.choices.end(),
                      [](const Choice& a, const Choice& b) { return a.value == b.value; });
  }
  const auto& old_values = old_model.representatives(q);
  const auto& new_values = new_model.representatives(j);
  if (old_values.size() != new_values.size() || old_model.weights(q) != new_model.weights(j))
    return false;
  for (std::size_t i = 0; i < old_values.size(); ++i) {
    if (!strictly_equal(old_values[i], new_values[i])) return false;
    if (new_model.value_index(j, old_values[i]) != i) return false;
    if (!check_answer(new_question, old_values[i]).empty()) return false;
  }
  return old_question.type == new_question.type && old_question.integer == new_question.integer;
}

// Each old question, then its counterpart; a new question without one after the new question
// before it. Keeps linked blocks next to each other, so that the links stay small; a question and
// a counterpart with the same answers share their value variables, after both blocks' flags.
std::pair<Layout, Layout> side_by_side(const AnswerModel& old_model, const AnswerModel& new_model,
                                       const std::vector<std::optional<Index>>& counterpart,
                                       const Layout& old_cuts, const Layout& new_cuts) {
  const std::size_t n_old = old_model.rules().questions.size();
  const std::size_t n_new = new_model.rules().questions.size();
  // The sequence of blocks: (false, old index) or (true, new index).
  std::vector<std::pair<bool, Index>> sequence;
  for (Index q = 0; q < n_old; ++q) sequence.emplace_back(false, q);
  std::vector<std::optional<Index>> old_of(n_new);
  for (Index q = 0; q < n_old; ++q)
    if (counterpart[q]) old_of[*counterpart[q]] = q;
  std::optional<std::size_t> last_new;
  for (Index j = 0; j < n_new; ++j) {
    std::size_t at = 0;
    if (old_of[j]) {
      at = static_cast<std::size_t>(
               std::find(sequence.begin(), sequence.end(), std::make_pair(false, *old_of[j])) -
               sequence.begin()) +
           1;
    } else if (last_new) {
      at = static_cast<std::size_t>(
               std::find(sequence.begin(), sequence.end(), std::make_pair(true, *last_new)) -
               sequence.begin()) +
           1;
    }
    sequence.insert(sequence.begin() + static_cast<std::ptrdiff_t>(at), std::make_pair(true, j));
    last_new = j;
  }
  Layout old_layout = old_cuts, new_layout = new_cuts;
  old_layout.block_start.assign(n_old, 0);
  new_layout.block_start.assign(n_new, 0);
  old_layout.shared_values.assign(n_old, {});
  new_layout.shared_values.assign(n_new, {});
  std::vector<bool> shares(n_new, false);
  for (Index j = 0; j < n_new; ++j)
    shares[j] = old_of[j] && same_answers(old_model, *old_of[j], new_model, j);
  int next = 0;
  for (const auto& [is_new, q] : sequence) {
    if (!is_new) {
      old_layout.block_start[q] = next;
      const bool shared = counterpart[q] && shares[*counterpart[q]];
      next += shared ? 2 : old_model.block_width(q);
      continue;
    }
    new_layout.block_start[q] = next;
    if (!shares[q]) {
      next += new_model.block_width(q);
      continue;
    }
    next += 2;
    std::vector<int> values(static_cast<std::size_t>(new_model.block_width(q) - 2));
    for (int& v : values) v = next++;
    old_layout.shared_values[*old_of[q]] = values;
    new_layout.shared_values[q] = std::move(values);
  }
  return {old_layout, new_layout};
}

// The new file keeps each old answer it can take wherever it asks the question.
bdd links(const AnswerModel& old_model, const AnswerModel& new_model,
          const std::vector<std::optional<Index>>& counterpart) {
  const RuleSet& old_rules = old_model.rules();
  const RuleSet& new_rules = new_model.rules();
  bdd out = bddtrue;
  for (Index q = 0; q < counterpart.size(); ++q) {
    if (!counterpart[q]) continue;
    const Index j = *counterpart[q];
    if (old_model.shares_values(q) && new_model.shares_values(j)) {
      // The same variables: whoever answers sets them, and they are 0 when neither does.
      bdd zero = bddtrue;
      for (const int v : old_model.value_variables(q)) zero &= bdd_nithvarpp(v);
      out &= (old_model.answered(q) | new_model.answered(j)) | zero;
      continue;
    }
    const bool old_multi = old_model.is_multi(q), new_multi = new_model.is_multi(j);
    if (old_multi != new_multi) continue;  // no answer of one is an answer of the other
    if (!old_multi) {
      const auto& values = old_model.representatives(q);
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (!check_answer(new_rules.questions[j], values[i]).empty()) continue;
        const auto index = new_model.value_index(j, values[i]);
        if (!index) continue;
        out &=
            (old_model.has_index(q, i) & new_model.answered(j)) >> new_model.has_index(j, *index);
      }
      continue;
    }
    const auto& old_choices = old_rules.questions[q].choices;
    const auto& new_choices = new_rules.questions[j].choices;
    const auto old_vars = old_model.value_variables(q), new_vars = new_model.value_variables(j);
    bdd kept = old_model.answered(q) & new_model.answered(j);
    bdd same = bddtrue;
    for (std::size_t c = 0; c < old_choices.size(); ++c) {
      const auto it = std::find_if(new_choices.begin(), new_choices.end(), [&](const Choice& n) {
        return n.value == old_choices[c].value;
      });
      if (it == new_choices.end()) {
        kept &= bdd_nithvarpp(old_vars[c]);  // a choice the new question lacks: not kept
      } else {
        const auto d = static_cast<std::size_t>(it - new_choices.begin());
        same &= bdd_biimp(bdd_ithvarpp(old_vars[c]), bdd_ithvarpp(new_vars[d]));
      }
    }
    for (std::size_t d = 0; d < new_choices.size(); ++d) {
      const bool shared = std::any_of(old_choices.begin(), old_choices.end(), [&](const Choice& o) {
        return o.value == new_choices[d].value;
      });
      if (!shared) same &= bdd_nithvarpp(new_vars[d]);
    }
    out &= kept >> same;
  }
  return out;
}

// A catalogue (or the rules) of both files matched by id, with what each file shows of it.
struct ShownById {
  ItemChange::What what;
  std::vector<std::string> ids;
  std::vector<bdd> old_shown, new_shown;  // bddfalse where the file lacks the id
};

template <typename Items, typename OldShown, typename NewShown>
ShownById match_shown(ItemChange::What what, const Items& old_items, const Items& new_items,
                      const OldShown& old_shown, const NewShown& new_shown) {
  ShownById m{what, {}, {}, {}};
  std::map<std::string, std::size_t> position;
  const auto add = [&](const std::string& id) {
    const auto [it, added] = position.emplace(id, m.ids.size());
    if (added) {
      m.ids.push_back(id);
      m.old_shown.push_back(bddfalse);
      m.new_shown.push_back(bddfalse);
    }
    return it->second;
  };
  for (Index i = 0; i < old_items.size(); ++i) m.old_shown[add(old_items[i].id)] = old_shown(i);
  for (Index i = 0; i < new_items.size(); ++i) m.new_shown[add(new_items[i].id)] = new_shown(i);
  return m;
}

class SymbolicDiff {
 public:
  SymbolicDiff(const AnswerModel& old_model, const AnswerModel& new_model,
               std::vector<std::optional<Index>> counterpart, std::size_t examples)
      : old_(old_model),
        new_(new_model),
        counterpart_(std::move(counterpart)),
        examples_(examples) {
    pairs_ = old_.complete() & new_.complete() & links(old_, new_, counterpart_);
  }

  RulesDiff run() {
    const RuleSet& o = old_.rules();
    const RuleSet& n = new_.rules();
    RulesDiff out;
    out.end = WalkEnd::finished;
    for (const Question& q : o.questions)
      if (!n.find_question(q.id)) out.only_old_questions.push_back(q.id);
    for (const Question& q : n.questions)
      if (!o.find_question(q.id)) out.only_new_questions.push_back(q.id);
    Count changed_urgency = 0;
    bdd same_urgency = bddfalse;
    std::map<std::pair<std::string, std::string>, UrgencyChange> by_ids;
    for (Index u = 0; u < o.urgencies.size(); ++u) {
      for (Index v = 0; v < n.urgencies.size(); ++v) {
        const bdd both = old_.urgency(u) & new_.urgency(v);
        if (o.urgencies[u].id == n.urgencies[v].id) {
          same_urgency |= both;
          continue;
        }
        const bdd set = pairs_ & both;
        const Count c = count(set);
        if (c == 0) continue;
        changed_urgency += c;
        UrgencyChange& change = by_ids[{o.urgencies[u].id, n.urgencies[v].id}];
        change.from = o.urgencies[u].id;
        change.to = n.urgencies[v].id;
        change.answer_sets = saturate(c);
        change.examples = first(set, examples_);
      }
    }
    for (auto& [ids, change] : by_ids) out.urgency_changes.push_back(std::move(change));
    std::stable_sort(out.urgency_changes.begin(), out.urgency_changes.end(),
                     [](const UrgencyChange& a, const UrgencyChange& b) {
                       return a.answer_sets > b.answer_sets;
                     });
    out.changed_urgency = saturate(changed_urgency);

    const AnswerModel& om = old_;
    const AnswerModel& nm = new_;
    std::vector<ShownById> matched;
    matched.push_back(match_shown(
        ItemChange::What::rule, o.rules, n.rules, [&](Index i) { return om.fires(i); },
        [&](Index i) { return nm.fires(i); }));
    matched.push_back(match_shown(
        ItemChange::What::cause, o.causes, n.causes, [&](Index i) { return om.cause_shown(i); },
        [&](Index i) { return nm.cause_shown(i); }));
    matched.push_back(match_shown(
        ItemChange::What::advice, o.advice, n.advice, [&](Index i) { return om.advice_shown(i); },
        [&](Index i) { return nm.advice_shown(i); }));
    matched.push_back(match_shown(
        ItemChange::What::exercise, o.exercises, n.exercises,
        [&](Index i) { return om.exercise_shown(i); },
        [&](Index i) { return nm.exercise_shown(i); }));
    matched.push_back(match_shown(
        ItemChange::What::plan_step, o.plan, n.plan, [&](Index i) { return om.plan_shown(i); },
        [&](Index i) { return nm.plan_shown(i); }));
    bdd same_action = old_.no_action() & new_.no_action();
    for (Index a = 0; a < o.advice.size(); ++a)
      for (Index b = 0; b < n.advice.size(); ++b)
        if (o.advice[a].id == n.advice[b].id) same_action |= old_.action(a) & new_.action(b);
    // The pairs that show the same result: the same urgency and action, then each item shown by
    // both or neither. Only the items some pair shows differently narrow it (the others hold on
    // every pair), conjoined from the last questions' to the first's, the smallest first among
    // those that start at the same question: conjoining in questionnaire order built intermediate
    // functions many times the size of the result (bench/symbolic_cost at 60 questions: 7.5 s
    // against 1.3 s; the smallest first at each question, 0.5 against 0.7 s).
    bdd unchanged = pairs_ & same_urgency & same_action;
    std::vector<bdd> same_items;
    for (const ShownById& m : matched) {
      for (std::size_t i = 0; i < m.ids.size(); ++i) {
        const bdd& a = m.old_shown[i];
        const bdd& b = m.new_shown[i];
        ItemChange change;
        change.what = m.what;
        change.id = m.ids[i];
        change.in_old = a != bddfalse || has_id(m.what, o, m.ids[i]);
        change.in_new = b != bddfalse || has_id(m.what, n, m.ids[i]);
        const bdd started = pairs_ & (!a) & b;
        const bdd stopped = pairs_ & a & !b;
        if (started == bddfalse && stopped == bddfalse) continue;  // no need to count
        // A fired rule is not shown; only items count as a change of the result.
        if (m.what != ItemChange::What::rule) same_items.push_back(bdd_biimp(a, b));
        change.started = saturate(count(started));
        change.stopped = saturate(count(stopped));
        change.old_count = saturate(count(pairs_ & a));
        change.new_count = saturate(count(pairs_ & b));
        change.started_examples = first(started, 1);
        change.stopped_examples = first(stopped, 1);
        out.changes.push_back(std::move(change));
      }
    }
    // A constant (bddfalse: no pair shows the item alike) first; it ends the conjunction at once.
    const auto top = [](const bdd& f) {
      return f == bddtrue || f == bddfalse ? std::numeric_limits<int>::max() : bdd_var(f);
    };
    std::vector<std::tuple<int, int, bdd>> ordered;  // (top, -size, item): descending
    ordered.reserve(same_items.size());
    for (const bdd& same : same_items) ordered.emplace_back(top(same), -bdd_nodecount(same), same);
    std::sort(ordered.begin(), ordered.end(), [](const auto& x, const auto& y) {
      return std::tie(std::get<0>(x), std::get<1>(x)) > std::tie(std::get<0>(y), std::get<1>(y));
    });
    for (const auto& item : ordered) unchanged &= std::get<2>(item);
    const Count all = count(pairs_);
    out.answer_sets = saturate(all);
    out.changed_result = saturate(all - count(unchanged));
    return out;
  }

 private:
  static bool has_id(ItemChange::What what, const RuleSet& rules, const std::string& id) {
    const auto in = [&](const auto& items) {
      return std::any_of(items.begin(), items.end(),
                         [&](const auto& item) { return item.id == id; });
    };
    switch (what) {
      case ItemChange::What::rule:
        return in(rules.rules);
      case ItemChange::What::cause:
        return in(rules.causes);
      case ItemChange::What::advice:
        return in(rules.advice);
      case ItemChange::What::exercise:
        return in(rules.exercises);
      case ItemChange::What::plan_step:
        return in(rules.plan);
    }
    return false;
  }

  [[nodiscard]] Count count(const bdd& set) const {
    return detail::count_pairs(old_, new_, counterpart_, set);
  }

  // The first `most` pairs of `set` in the walk's order: the old answers, then the new, each
  // question's states in walk order (a range of whole numbers number by number).
  [[nodiscard]] std::vector<DiffExample> first(const bdd& set, std::size_t most) const {
    std::vector<DiffExample> out;
    if (most == 0 || set == bddfalse) return out;
    DiffExample current{Answers(old_.rules()), Answers(new_.rules())};
    std::vector<signed char> assigned(static_cast<std::size_t>(bdd_varnum()), -1);
    extend(set, 0, current, assigned, out, most);
    return out;
  }

  // A question's state as values of some of its variables.
  using Literals = std::vector<std::pair<int, bool>>;

  static Literals not_asked(const AnswerModel& model, Index q) {
    Literals out{{model.answered_variable(q), false}, {model.unanswered_variable(q), false}};
    if (!model.shares_values(q))
      for (const int v : model.value_variables(q)) out.emplace_back(v, false);
    return out;
  }

  static Literals answered(const AnswerModel& model, Index q, std::size_t bits) {
    Literals out{{model.answered_variable(q), true}, {model.unanswered_variable(q), false}};
    const auto vars = model.value_variables(q);
    for (std::size_t b = 0; b < vars.size(); ++b)
      out.emplace_back(vars[b], ((bits >> b) & 1U) != 0);
    return out;
  }

  // Narrows by cofactors rather than conjunctions: each step's function no longer holds the
  // variables already fixed (which `assigned` remembers, as a question shares its value variables
  // with its counterpart), so the steps grow cheaper as the walk goes down.
  void extend(const bdd& rest, std::size_t step, DiffExample& current,
              std::vector<signed char>& assigned, std::vector<DiffExample>& out,
              std::size_t most) const {
    const std::size_t n_old = old_.rules().questions.size();
    const std::size_t n_new = new_.rules().questions.size();
    if (step == n_old + n_new) {
      out.push_back(current);
      return;
    }
    const bool is_new = step >= n_old;
    const AnswerModel& model = is_new ? new_ : old_;
    const Index q = is_new ? step - n_old : step;
    Answers& answers = is_new ? current.new_answers : current.old_answers;
    const auto next = [&](const Literals& state, const std::optional<Value>& value) {
      bdd cube = bddtrue;
      std::vector<int> fixed;
      for (const auto& [variable, bit] : state) {
        signed char& now = assigned[static_cast<std::size_t>(variable)];
        if (now >= 0) {
          if ((now == 1) != bit) {
            for (const int v : fixed) assigned[static_cast<std::size_t>(v)] = -1;
            return;
          }
          continue;
        }
        now = bit ? 1 : 0;
        fixed.push_back(variable);
        cube &= bit ? bdd_ithvarpp(variable) : bdd_nithvarpp(variable);
      }
      const bdd narrowed = bdd_restrict(rest, cube);
      if (narrowed != bddfalse) {
        answers.values[q] = value;
        extend(narrowed, step + 1, current, assigned, out, most);
        answers.values[q].reset();
      }
      for (const int v : fixed) assigned[static_cast<std::size_t>(v)] = -1;
    };
    next(not_asked(model, q), std::nullopt);
    if (out.size() >= most) return;
    if (model.is_multi(q)) {
      const auto& choices = model.rules().questions[q].choices;
      for (std::size_t mask = 0; mask < (std::size_t{1} << choices.size()) && out.size() < most;
           ++mask) {
        StringList chosen;
        for (std::size_t c = 0; c < choices.size(); ++c)
          if (((mask >> c) & 1U) != 0) chosen.push_back(choices[c].value);
        next(answered(model, q, mask), Value{chosen});
      }
      return;
    }
    // A number the new file keeps from the old answers is that number.
    std::optional<double> kept;
    if (is_new) {
      for (Index o = 0; o < counterpart_.size(); ++o) {
        if (counterpart_[o] != q || !current.old_answers.values[o]) continue;
        const Value& old_value = *current.old_answers.values[o];
        if (check_answer(new_.rules().questions[q], old_value).empty())
          if (const double* d = std::get_if<double>(&old_value)) kept = *d;
      }
    }
    const auto& values = model.representatives(q);
    for (std::size_t i = 0; i < values.size() && out.size() < most; ++i) {
      if (!std::holds_alternative<double>(values[i])) {
        next(answered(model, q, i), values[i]);
        continue;
      }
      for (const double x : model.numbers_in(q, i, most)) {
        if (kept && x != *kept) continue;
        next(answered(model, q, i), Value{x});
        if (out.size() >= most) break;
      }
    }
  }

  const AnswerModel& old_;
  const AnswerModel& new_;
  std::vector<std::optional<Index>> counterpart_;
  std::size_t examples_;
  bdd pairs_;
};

}  // namespace

RulesDiff diff_rules(const RuleSet& old_rules, const RuleSet& new_rules, std::size_t examples) {
  const auto session = BddSession::acquire();
  const std::lock_guard guard(session->lock());
  const auto counterpart = counterparts(old_rules, new_rules);
  // Each number question is cut at its counterpart's thresholds too, so that their ranges agree;
  // then the blocks' widths are known, and the two are laid out side by side.
  Layout old_cuts, new_cuts;
  {
    const AnswerModel old_plain(old_rules, session), new_plain(new_rules, session);
    old_cuts.extra_points.resize(old_rules.questions.size());
    new_cuts.extra_points.resize(new_rules.questions.size());
    for (Index q = 0; q < counterpart.size(); ++q) {
      if (!counterpart[q]) continue;
      old_cuts.extra_points[q] = new_plain.cut_points(*counterpart[q]);
      new_cuts.extra_points[*counterpart[q]] = old_plain.cut_points(q);
    }
  }
  Layout old_layout, new_layout;
  {
    const AnswerModel old_cut(old_rules, session, detail::VariableOrder::questionnaire, old_cuts);
    const AnswerModel new_cut(new_rules, session, detail::VariableOrder::questionnaire, new_cuts);
    std::tie(old_layout, new_layout) =
        side_by_side(old_cut, new_cut, counterpart, old_cuts, new_cuts);
  }
  const AnswerModel old_model(old_rules, session, detail::VariableOrder::questionnaire, old_layout);
  const AnswerModel new_model(new_rules, session, detail::VariableOrder::questionnaire, new_layout);
  return SymbolicDiff(old_model, new_model, counterpart, examples).run();
}

}  // namespace kneetriage
