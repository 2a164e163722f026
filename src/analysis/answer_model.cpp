#include "analysis/answer_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_map>
#include <utility>

#include "kneetriage/assessment.hpp"

namespace kneetriage::detail {
namespace {

// Numbers a question's conditions compare it with: the ends of the ranges the model splits its
// answers into.
void thresholds(const Condition& condition, Index question, std::set<double>& out) {
  if (condition.kind != Condition::Kind::leaf) {
    for (const Condition& child : condition.children) thresholds(child, question, out);
    return;
  }
  if (condition.fact != question) return;
  if (const double* d = std::get_if<double>(&condition.value)) out.insert(*d);
  for (const Value& v : condition.values)
    if (const double* d = std::get_if<double>(&v)) out.insert(*d);
}

void each_condition(const RuleSet& rules, const auto& f) {
  for (const Question& q : rules.questions) {
    if (q.ask_if) f(*q.ask_if);
    if (q.red_flag) f(*q.red_flag);
    for (const QuestionWording& w : q.text_if) f(w.when);
  }
  for (const NamedCondition& c : rules.conditions) f(c.condition);
  for (const Rule& r : rules.rules) f(r.when);
  for (const Invariant& i : rules.invariants)
    if (i.when) f(*i.when);
}

int bits_for(std::size_t values) {
  int bits = 0;
  while ((std::size_t{1} << bits) < values) ++bits;
  return bits;
}

constexpr std::size_t k_free_key = std::size_t{1} << 40U;

}  // namespace

std::size_t saturate(Count count) {
  constexpr auto most = std::numeric_limits<std::size_t>::max();
  return count > Count{most} ? most : static_cast<std::size_t>(count);
}

std::vector<std::vector<bool>> gated_questions(const RuleSet& rules) {
  const std::size_t n = rules.questions.size();
  std::vector<std::vector<bool>> asks_after(n, std::vector<bool>(n, false));  // [r][q]: r reads q
  for (Index r = 0; r < n; ++r) {
    const auto& ask_if = rules.questions[r].ask_if;
    if (ask_if) asks_after[r] = questions_read(*ask_if, rules);
  }
  std::vector<std::vector<bool>> gated(n, std::vector<bool>(n, false));
  for (Index q = 0; q < n; ++q) {
    gated[q][q] = true;
    for (bool grew = true; grew;) {
      grew = false;
      for (Index r = 0; r < n; ++r) {
        if (gated[q][r]) continue;
        for (Index p = 0; p < n && !gated[q][r]; ++p) gated[q][r] = gated[q][p] && asks_after[r][p];
        grew = grew || gated[q][r];
      }
    }
  }
  return gated;
}

AnswerModel::AnswerModel(const RuleSet& rules, std::shared_ptr<BddSession> session,
                         VariableOrder order, const Layout& layout)
    : session_(std::move(session)), rules_(rules) {
  make_blocks(order, layout);
  make_space();
  make_result();
}

AnswerModel::~AnswerModel() = default;

void AnswerModel::make_blocks(VariableOrder order, const Layout& layout) {
  const std::size_t n = rules_.questions.size();
  blocks_.resize(n);
  for (Index q = 0; q < n; ++q) order_.push_back(q);
  if (order == VariableOrder::reversed) std::reverse(order_.begin(), order_.end());
  std::vector<std::set<double>> points(n);
  each_condition(rules_, [&](const Condition& c) {
    for (Index q = 0; q < n; ++q)
      if (rules_.questions[q].type == QuestionType::number) thresholds(c, q, points[q]);
  });
  for (Index q = 0; q < n && q < layout.extra_points.size(); ++q)
    points[q].insert(layout.extra_points[q].begin(), layout.extra_points[q].end());
  for (Index q = 0; q < n; ++q) {
    const Question& question = rules_.questions[q];
    Block& block = blocks_[q];
    switch (question.type) {
      case QuestionType::boolean:
        block.values = {Value{true}, Value{false}};
        break;
      case QuestionType::choice:
        for (const Choice& c : question.choices) block.values.emplace_back(c.value);
        break;
      case QuestionType::multi:
        block.multi = true;
        break;
      case QuestionType::number: {
        // Each threshold in range is a range of its own; so is each open interval between two
        // (the ends of the question's own range count as thresholds). Every condition is then
        // constant over each range, so one representative answers for all of it.
        const double low = question.integer ? std::ceil(question.min) : question.min;
        const double high = question.integer ? std::floor(question.max) : question.max;
        std::vector<double> cut{low};
        for (const double p : points[q])
          if (p > low && p < high) cut.push_back(p);
        if (high > low) cut.push_back(high);
        for (std::size_t i = 0; i < cut.size(); ++i) {
          if (!question.integer || std::floor(cut[i]) == cut[i]) {
            block.ranges.push_back({true, cut[i], cut[i]});
            block.values.emplace_back(cut[i]);
            block.weight.push_back(1);
          }
          if (i + 1 == cut.size()) break;
          const double a = cut[i], b = cut[i + 1];
          if (question.integer) {
            const double first = std::floor(a) + 1, last = std::ceil(b) - 1;
            if (first > last) continue;
            block.ranges.push_back({false, a, b});
            block.values.emplace_back(first);
            block.weight.push_back(static_cast<Count>(last - first + 1));
          } else {
            block.ranges.push_back({false, a, b});
            block.values.emplace_back(a + (b - a) / 2);
            block.weight.push_back(1);
          }
        }
        break;
      }
    }
    if (!block.multi && block.weight.empty()) block.weight.assign(block.values.size(), 1);
  }
  int next = 0;
  if (!layout.block_start.empty())
    std::sort(order_.begin(), order_.end(),
              [&](Index a, Index b) { return layout.block_start[a] < layout.block_start[b]; });
  for (const Index q : order_) {
    Block& block = blocks_[q];
    if (!layout.block_start.empty()) next = layout.block_start[q];
    block.answered = next++;
    block.unanswered = next++;
    const int width = block.multi ? static_cast<int>(rules_.questions[q].choices.size())
                                  : bits_for(block.values.size());
    if (q < layout.shared_values.size() && !layout.shared_values[q].empty()) {
      block.value = layout.shared_values[q];
      block.shared = true;
      continue;
    }
    for (int b = 0; b < width; ++b) block.value.push_back(next++);
  }
  variables_ = 0;
  for (const Block& block : blocks_)
    variables_ = std::max(
        {variables_, block.unanswered + 1, block.value.empty() ? 0 : block.value.back() + 1});
  session_->ensure_variables(variables_);
}

bdd AnswerModel::index_is(const Block& block, std::size_t index) const {
  bdd out = bdd_ithvarpp(block.answered) & bdd_nithvarpp(block.unanswered);
  for (std::size_t b = 0; b < block.value.size(); ++b)
    out &= ((index >> b) & 1U) != 0 ? bdd_ithvarpp(block.value[b]) : bdd_nithvarpp(block.value[b]);
  return out;
}

bdd AnswerModel::answered(Index question) const {
  const Block& block = blocks_[question];
  if (block.multi) return bdd_ithvarpp(block.answered) & bdd_nithvarpp(block.unanswered);
  bdd out = bddfalse;
  for (std::size_t i = 0; i < block.values.size(); ++i) out |= index_is(block, i);
  return out;
}

bdd AnswerModel::not_asked(Index question) const {
  const Block& block = blocks_[question];
  bdd out = bdd_nithvarpp(block.answered) & bdd_nithvarpp(block.unanswered);
  if (!block.shared)
    for (const int v : block.value) out &= bdd_nithvarpp(v);
  return out;
}

bdd AnswerModel::unanswered(Index question) const {
  const Block& block = blocks_[question];
  bdd out = bdd_nithvarpp(block.answered) & bdd_ithvarpp(block.unanswered);
  if (!block.shared)
    for (const int v : block.value) out &= bdd_nithvarpp(v);
  return out;
}

std::optional<std::size_t> AnswerModel::index_of(Index question, const Value& value) const {
  const Block& block = blocks_[question];
  if (const double* d = std::get_if<double>(&value); d != nullptr && !block.ranges.empty()) {
    for (std::size_t i = 0; i < block.ranges.size(); ++i) {
      const NumberRange& r = block.ranges[i];
      if (r.point ? *d == r.low : (*d > r.low && *d < r.high)) return i;
    }
    return std::nullopt;
  }
  for (std::size_t i = 0; i < block.values.size(); ++i)
    if (strictly_equal(block.values[i], value)) return i;
  return std::nullopt;
}

bdd AnswerModel::has_value(Index question, const Value& value) const {
  const Block& block = blocks_[question];
  if (block.multi) {
    const auto* list = std::get_if<StringList>(&value);
    if (list == nullptr) return bddfalse;
    bdd out = answered(question);
    const auto& choices = rules_.questions[question].choices;
    for (std::size_t c = 0; c < choices.size(); ++c) {
      const bool in = std::find(list->begin(), list->end(), choices[c].value) != list->end();
      out &= in ? bdd_ithvarpp(block.value[c]) : bdd_nithvarpp(block.value[c]);
    }
    return out;
  }
  const auto index = index_of(question, value);
  return index ? index_is(block, *index) : bddfalse;
}

bdd AnswerModel::block_variables(const std::vector<bool>& questions) const {
  std::vector<int> vars;
  for (Index q = 0; q < questions.size() && q < blocks_.size(); ++q) {
    if (!questions[q]) continue;
    vars.push_back(blocks_[q].answered);
    vars.push_back(blocks_[q].unanswered);
    vars.insert(vars.end(), blocks_[q].value.begin(), blocks_[q].value.end());
  }
  return bdd_makesetpp(vars.data(), static_cast<int>(vars.size()));
}

bdd AnswerModel::leaf(const Condition& condition) const {
  const Index q = condition.fact;
  if (q >= blocks_.size())
    return compare(condition.op, std::nullopt, condition) ? bddtrue : bddfalse;
  const Block& block = blocks_[q];
  bdd out =
      compare(condition.op, std::nullopt, condition) ? not_asked(q) | unanswered(q) : bddfalse;
  if (block.multi) {
    const auto& choices = rules_.questions[q].choices;
    const auto* text = std::get_if<std::string>(&condition.value);
    const bool on_choice =
        condition.op == Operator::contains || condition.op == Operator::does_not_contain;
    std::optional<std::size_t> choice;
    for (std::size_t c = 0; text != nullptr && c < choices.size(); ++c)
      if (choices[c].value == *text) choice = c;
    if (on_choice && choice) {
      const bdd bit = bdd_ithvarpp(block.value[*choice]);
      out |= answered(q) & (condition.op == Operator::contains ? bit : !bit);
    } else if (compare(condition.op, Value{StringList{}}, condition)) {
      // Any other comparison gives the same for every list of choices (arrays are never
      // identical in JavaScript; a choice the question lacks is in no answer).
      out |= answered(q);
    }
    return out;
  }
  for (std::size_t i = 0; i < block.values.size(); ++i)
    if (compare(condition.op, block.values[i], condition)) out |= index_is(block, i);
  return out;
}

bdd AnswerModel::holds(const Condition& condition) {
  if (const auto it = holds_.find(&condition); it != holds_.end()) return it->second;
  bdd out;
  switch (condition.kind) {
    case Condition::Kind::all:
      out = bddtrue;
      for (const Condition& child : condition.children) out &= holds(child);
      break;
    case Condition::Kind::any:
      out = bddfalse;
      for (const Condition& child : condition.children) out |= holds(child);
      break;
    case Condition::Kind::negation:
      out = !holds(condition.children.front());
      break;
    case Condition::Kind::reference:
      out = holds(rules_.conditions[condition.reference].condition);
      break;
    case Condition::Kind::leaf:
      out = leaf(condition);
      break;
  }
  holds_.emplace(&condition, out);
  return out;
}

void AnswerModel::make_space() {
  const std::size_t n = rules_.questions.size();
  // C[q]: question q is answered exactly when its ask_if holds on the questions before it (ask_if
  // reads only earlier questions, whose unasked ones are undefined facts as in the engine).
  std::vector<bdd> settled(n), applies(n);
  for (Index q = 0; q < n; ++q) {
    const auto& ask_if = rules_.questions[q].ask_if;
    applies[q] = ask_if ? holds(*ask_if) : bddtrue;
    settled[q] = (applies[q] & answered(q)) | ((!applies[q]) & not_asked(q));
  }
  complete_ = bddtrue;
  for (Index q = 0; q < n; ++q) complete_ &= settled[q];
  // A partial set stops at a question that applies: those before it settled, it and every later
  // one unanswered. Built from the last question back, so each suffix is shared.
  partial_ = bddfalse;
  bdd rest_unanswered = bddtrue;
  std::vector<bdd> suffix(n + 1);
  suffix[n] = bddtrue;
  for (Index q = n; q-- > 0;) suffix[q] = suffix[q + 1] & unanswered(q);
  bdd before = bddtrue;
  for (Index q = 0; q < n; ++q) {
    partial_ |= before & applies[q] & suffix[q];
    before &= settled[q];
  }
  (void)rest_unanswered;
}

bool AnswerModel::withholds(Index level, const std::string& kind, bool empty_kind_passes) const {
  if (empty_kind_passes && kind.empty()) return false;
  const auto& withhold = rules_.urgencies[level].withhold;
  return std::find(withhold.begin(), withhold.end(), kind) != withhold.end();
}

std::vector<Index> AnswerModel::list_of(List list, Index rule) const {
  const Conclusion& then = rules_.rules[rule].then;
  if (list == List::causes) return then.causes;
  std::vector<Index> out;
  if (then.action) out.push_back(*then.action);
  out.insert(out.end(), then.advice.begin(), then.advice.end());
  return out;
}

void AnswerModel::make_result() {
  const std::size_t levels = rules_.urgencies.size();
  const Index lowest = levels == 0 ? 0 : levels - 1;
  const std::size_t rule_count = rules_.rules.size();
  fires_.resize(rule_count);
  for (Index r = 0; r < rule_count; ++r) fires_[r] = holds(rules_.rules[r].when);
  const auto level_of = [&](Index r) { return rules_.rules[r].then.urgency.value_or(lowest); };
  for (Index r = 0; r < rule_count; ++r) sorted_rules_.push_back(r);
  std::stable_sort(sorted_rules_.begin(), sorted_rules_.end(),
                   [&](Index a, Index b) { return level_of(a) < level_of(b); });

  // The highest level a fired rule concludes; the lowest when none does.
  std::vector<bdd> reached(levels, bddfalse);
  for (Index r = 0; r < rule_count; ++r) reached[level_of(r)] |= fires_[r];
  urgency_.resize(levels);
  bdd higher = bddfalse;
  for (Index u = 0; u < levels; ++u) {
    urgency_[u] = u == lowest ? !higher : reached[u] & !higher;
    higher |= reached[u];
  }
  const auto levels_letting = [&](const std::string& kind, bool empty_kind_passes) {
    bdd out = bddfalse;
    for (Index u = 0; u < levels; ++u)
      if (!withholds(u, kind, empty_kind_passes)) out |= urgency_[u];
    return out;
  };

  // The action: the first fired rule, in the order they are listed, whose action the level lets
  // through.
  action_.assign(rules_.advice.size(), bddfalse);
  no_action_ = bddfalse;
  for (Index u = 0; u < levels; ++u) {
    bdd none_before = urgency_[u];
    for (const Index r : sorted_rules_) {
      const auto& action = rules_.rules[r].then.action;
      if (!action || withholds(u, rules_.advice[*action].kind, true)) continue;
      action_[*action] |= none_before & fires_[r];
      none_before &= !fires_[r];
    }
    no_action_ |= none_before;
  }

  const auto concluded = [&](auto member) {
    bdd out = bddfalse;
    for (Index r = 0; r < rule_count; ++r)
      if (member(rules_.rules[r].then)) out |= fires_[r];
    return out;
  };
  const auto has = [](const Indices& list, Index i) {
    return std::find(list.begin(), list.end(), i) != list.end();
  };
  for (Index c = 0; c < rules_.causes.size(); ++c)
    cause_shown_.push_back(concluded([&](const Conclusion& t) { return has(t.causes, c); }) &
                           levels_letting(rules_.causes[c].kind, true));
  for (Index a = 0; a < rules_.advice.size(); ++a)
    advice_listed_.push_back(concluded([&](const Conclusion& t) {
                               return has(t.advice, a) || (t.action && *t.action == a);
                             }) &
                             !action_[a] & levels_letting(rules_.advice[a].kind, true));
  for (Index e = 0; e < rules_.exercises.size(); ++e)
    exercise_shown_.push_back(concluded([&](const Conclusion& t) { return has(t.exercises, e); }) &
                              levels_letting(rules_.exercises[e].kind, false));
  for (Index p = 0; p < rules_.plan.size(); ++p)
    plan_shown_.push_back(concluded([&](const Conclusion& t) { return has(t.plan, p); }) &
                          levels_letting(rules_.plan[p].kind, false));
  named_.resize(rules_.questions.size());
}

bdd AnswerModel::advice_shown(Index advice) const {
  return action_[advice] | advice_listed_[advice];
}

bdd AnswerModel::before(List list, Index i, Index j) {
  const auto key = std::make_tuple(list == List::causes ? 0 : 1, i, j);
  if (const auto it = before_.find(key); it != before_.end()) return it->second;
  // The list follows the fired rules in their order, each rule's items in its own order: the
  // first fired rule that concludes either item decides.
  bdd out = bddfalse;
  bdd none_before = bddtrue;
  for (const Index r : sorted_rules_) {
    const std::vector<Index> items = list_of(list, r);
    const auto pi = std::find(items.begin(), items.end(), i);
    const auto pj = std::find(items.begin(), items.end(), j);
    if (pi == items.end() && pj == items.end()) continue;
    if (pi != items.end() && (pj == items.end() || pi < pj)) out |= none_before & fires_[r];
    none_before &= !fires_[r];
  }
  before_.emplace(key, out);
  return out;
}

std::vector<std::string> AnswerModel::frequency_texts(Index exercise) const {
  const Exercise& e = rules_.exercises[exercise];
  std::vector<std::string> out{e.frequency};
  const auto add = [&](const FrequencyByKind& list) {
    for (const auto& [kind, text] : list)
      if (kind == e.kind && std::find(out.begin(), out.end(), text) == out.end())
        out.push_back(text);
  };
  for (const Urgency& u : rules_.urgencies) add(u.frequency);
  for (const Rule& r : rules_.rules) add(r.then.frequency);
  return out;
}

bdd AnswerModel::frequency_is(Index exercise, const std::string& text) {
  const Exercise& e = rules_.exercises[exercise];
  // The fired rules' wording for the kind: the first rule, in their order, that gives one.
  bdd from_rules = bddfalse;
  bdd none_before = bddtrue;
  for (const Index r : sorted_rules_) {
    const auto& list = rules_.rules[r].then.frequency;
    const auto it = std::find_if(list.begin(), list.end(),
                                 [&](const auto& entry) { return entry.first == e.kind; });
    if (it == list.end()) continue;
    if (it->second == text) from_rules |= none_before & fires_[r];
    none_before &= !fires_[r];
  }
  if (e.frequency == text) from_rules |= none_before;
  bdd out = bddfalse;
  for (Index u = 0; u < rules_.urgencies.size(); ++u) {
    const auto& list = rules_.urgencies[u].frequency;
    const auto it = std::find_if(list.begin(), list.end(),
                                 [&](const auto& entry) { return entry.first == e.kind; });
    out |=
        urgency_[u] & (it == list.end() ? from_rules : (it->second == text ? bddtrue : bddfalse));
  }
  return out;
}

void AnswerModel::explain(const Condition& condition, const bdd& path, bool outcome,
                          std::vector<bdd>& named_by_question) {
  switch (condition.kind) {
    case Condition::Kind::all:
    case Condition::Kind::any:
      // The engine explains an operand when it came out as the whole did.
      for (const Condition& child : condition.children) {
        const bdd h = holds(child);
        explain(child, path & (outcome ? h : !h), outcome, named_by_question);
      }
      return;
    case Condition::Kind::negation:
      explain(condition.children.front(), path, !outcome, named_by_question);
      return;
    case Condition::Kind::reference:
      explain(rules_.conditions[condition.reference].condition, path, outcome, named_by_question);
      return;
    case Condition::Kind::leaf:
      if (outcome && condition.fact < named_by_question.size())
        named_by_question[condition.fact] |= path;
      return;
  }
}

bdd AnswerModel::named(Index question) {
  if (named_[question]) return *named_[question];
  const std::size_t levels = rules_.urgencies.size();
  const Index lowest = levels == 0 ? 0 : levels - 1;
  std::vector<bdd> by_question(rules_.questions.size(), bddfalse);
  for (Index q = 0; q < by_question.size(); ++q) named_[q] = bddfalse;
  for (Index r = 0; r < rules_.rules.size(); ++r) {
    const Conclusion& then = rules_.rules[r].then;
    bdd qualifies = then.urgency && *then.urgency != lowest ? urgency_[*then.urgency] : bddfalse;
    for (const Index c : then.causes) qualifies |= cause_shown_[c];
    if (qualifies == bddfalse) continue;
    std::fill(by_question.begin(), by_question.end(), bddfalse);
    explain(rules_.rules[r].when, bddtrue, true, by_question);
    for (Index q = 0; q < by_question.size(); ++q)
      if (by_question[q] != bddfalse) *named_[q] |= fires_[r] & qualifies & by_question[q];
  }
  for (Index q = 0; q < by_question.size(); ++q) *named_[q] &= answered(q);
  return *named_[question];
}

bool AnswerModel::shows_everywhere(const Assessment& a, const bdd& set) {
  // True when `set` lies inside `f`: no answer set of it falls outside.
  const auto within = [&](const bdd& f) { return (set & !f) == bddfalse; };
  if (!within(urgency_[a.urgency])) return false;
  if (!within(a.action ? action_[*a.action] : no_action_)) return false;
  const auto same_set = [&](const Indices& shown, std::size_t size, const auto& shown_bdd) {
    std::vector<bool> in(size, false);
    for (const Index i : shown) in[i] = true;
    for (Index i = 0; i < size; ++i)
      if (!within(in[i] ? shown_bdd(i) : !shown_bdd(i))) return false;
    return true;
  };
  if (!same_set(a.causes, rules_.causes.size(), [&](Index i) { return cause_shown_[i]; }) ||
      !same_set(a.advice, rules_.advice.size(), [&](Index i) { return advice_listed_[i]; }) ||
      !same_set(a.exercises, rules_.exercises.size(),
                [&](Index i) { return exercise_shown_[i]; }) ||
      !same_set(a.plan, rules_.plan.size(), [&](Index i) { return plan_shown_[i]; }))
    return false;
  // The same items in the same order: each before the one after it is enough.
  for (std::size_t i = 0; i + 1 < a.causes.size(); ++i)
    if (!within(before(List::causes, a.causes[i], a.causes[i + 1]))) return false;
  for (std::size_t i = 0; i + 1 < a.advice.size(); ++i)
    if (!within(before(List::advice, a.advice[i], a.advice[i + 1]))) return false;
  for (const Index e : a.exercises)
    if (frequency_texts(e).size() > 1 &&
        !within(frequency_is(e, frequency_of(a, rules_.exercises[e]))))
      return false;
  return true;
}

namespace {

// One question's states as its block's variables: each variable 0, 1, or -1 (free: both count,
// a multi question's choices), with the answer sets it stands for.
struct State {
  std::vector<signed char> bits;
  Count weight = 1;
  std::optional<std::size_t> index;  // answered: the value's index (not multi)
};

// Questions counted together: one, or a question and its counterpart whose number they share.
struct Group {
  std::vector<int> variables;
  std::vector<State> states;
};

class Counter {
 public:
  explicit Counter(std::vector<Group> groups) : groups_(std::move(groups)) {}

  Count count(int node) { return from(node, 0); }

 private:
  Count from(int node, std::size_t g) {
    if (node == 0) return 0;
    if (g == groups_.size()) return 1;
    const std::uint64_t at = key(node, g);
    if (const auto it = memo_.find(at); it != memo_.end()) return it->second;
    Count total = 0;
    for (std::size_t s = 0; s < groups_[g].states.size(); ++s) {
      const State& state = groups_[g].states[s];
      total += state.weight * through(node, g, s, 0);
    }
    memo_.emplace(at, total);
    return total;
  }

  Count through(int node, std::size_t g, std::size_t s, std::size_t k) {
    if (node == 0) return 0;
    const Group& group = groups_[g];
    if (k == group.variables.size()) return from(node, g + 1);
    const int var = group.variables[k];
    const bool tests = node > 1 && bdd_var(node) == var;
    const signed char bit = group.states[s].bits[k];
    if (bit >= 0) {
      const int next = !tests ? node : bit == 1 ? bdd_high(node) : bdd_low(node);
      return through(next, g, s, k + 1);
    }
    const std::uint64_t at = key(node, g, s, k);
    if (const auto it = free_memo_.find(at); it != free_memo_.end()) return it->second;
    const Count total =
        tests ? through(bdd_low(node), g, s, k + 1) + through(bdd_high(node), g, s, k + 1)
              : 2 * through(node, g, s, k + 1);
    free_memo_.emplace(at, total);
    return total;
  }

  // Keys: a node and where the count is (a group; a group, a state and a variable of it).
  static std::uint64_t key(int node, std::size_t g, std::size_t s = 0, std::size_t k = 0) {
    return (static_cast<std::uint64_t>(node) << 32U) ^ (g << 20U) ^ (s << 8U) ^ k;
  }

  std::vector<Group> groups_;
  std::unordered_map<std::uint64_t, Count> memo_;
  std::unordered_map<std::uint64_t, Count> free_memo_;
};

}  // namespace

std::vector<int> AnswerModel::value_variables(Index question) const {
  return blocks_[question].value;
}

namespace {

// The states of an answered block, from `state` with its value bits at bits[offset...]: a multi
// question's choices free, or each value's index with the answer sets it stands for.
template <typename Block>
void add_answered(const Block& block, State state, std::size_t offset, std::vector<State>& out) {
  if (block.multi) {
    std::fill(state.bits.begin() + static_cast<std::ptrdiff_t>(offset), state.bits.end(),
              static_cast<signed char>(-1));
    out.push_back(state);
    return;
  }
  for (std::size_t i = 0; i < block.values.size(); ++i) {
    for (std::size_t b = 0; b < block.value.size(); ++b)
      state.bits[offset + b] = static_cast<signed char>((i >> b) & 1U);
    state.weight = block.weight[i];
    state.index = i;
    out.push_back(state);
  }
}

// A block's variables, and its states (not asked, unanswered, each value) over them.
template <typename Block>
Group group_of(const Block& block) {
  Group group;
  group.variables = {block.answered, block.unanswered};
  group.variables.insert(group.variables.end(), block.value.begin(), block.value.end());
  const std::size_t width = block.value.size();
  State state{std::vector<signed char>(2 + width, 0), 1, std::nullopt};
  group.states.push_back(state);  // not asked
  state.bits[1] = 1;
  group.states.push_back(state);  // unanswered
  state.bits[1] = 0;
  state.bits[0] = 1;
  add_answered(block, state, 2, group.states);
  return group;
}

}  // namespace

Count AnswerModel::count(const bdd& set) const {
  std::vector<Group> groups;
  for (const Index q : order_) groups.push_back(group_of(blocks_[q]));
  return Counter(std::move(groups)).count(set.id());
}

Count count_pairs(const AnswerModel& first, const AnswerModel& second,
                  const std::vector<std::optional<Index>>& counterpart, const bdd& set) {
  // Blocks of both in variable order; a number question and its counterpart, next to each other,
  // count as one group: when both are answered with the same range, the one number is counted once.
  struct Placed {
    int start;
    const AnswerModel* model;
    Index question;
  };
  std::vector<Placed> placed;
  for (Index q = 0; q < first.blocks_.size(); ++q)
    placed.push_back({first.blocks_[q].answered, &first, q});
  for (Index q = 0; q < second.blocks_.size(); ++q)
    placed.push_back({second.blocks_[q].answered, &second, q});
  std::sort(placed.begin(), placed.end(),
            [](const Placed& a, const Placed& b) { return a.start < b.start; });
  std::vector<Group> groups;
  std::vector<bool> second_done(second.blocks_.size(), false);
  for (const Placed& p : placed) {
    if (p.model == &second) {
      if (!second_done[p.question]) groups.push_back(group_of(second.blocks_[p.question]));
      continue;
    }
    const auto& x = first.blocks_[p.question];
    const auto other = p.question < counterpart.size() ? counterpart[p.question] : std::nullopt;
    if (x.shared && other) {
      // One value for both: 0 when neither is answered, else the answered one's (or both's).
      const auto& y = second.blocks_[*other];
      second_done[*other] = true;
      Group both;
      both.variables = {x.answered, x.unanswered, y.answered, y.unanswered};
      both.variables.insert(both.variables.end(), x.value.begin(), x.value.end());
      const std::size_t width = x.value.size();
      State neither{std::vector<signed char>(4 + width, 0), 1, std::nullopt};
      both.states.push_back(neither);
      for (const auto& [first_answered, second_answered] :
           {std::pair{true, false}, std::pair{false, true}, std::pair{true, true}}) {
        State s = neither;
        s.bits[0] = first_answered ? 1 : 0;
        s.bits[2] = second_answered ? 1 : 0;
        add_answered(x, s, 4, both.states);
      }
      groups.push_back(std::move(both));
      continue;
    }
    const bool numbers = other && !x.ranges.empty() && !second.blocks_[*other].ranges.empty();
    if (!numbers) {
      groups.push_back(group_of(x));
      continue;
    }
    const auto& y = second.blocks_[*other];
    second_done[*other] = true;
    const Group gx = group_of(x), gy = group_of(y);
    Group both;
    both.variables = gx.variables;
    both.variables.insert(both.variables.end(), gy.variables.begin(), gy.variables.end());
    for (const State& sx : gx.states) {
      for (const State& sy : gy.states) {
        State s;
        s.bits = sx.bits;
        s.bits.insert(s.bits.end(), sy.bits.begin(), sy.bits.end());
        s.weight = sx.weight * sy.weight;
        if (sx.index && sy.index) {
          // The second keeps the first's number when it can take it: the pair is one number.
          const Value& v = x.values[*sx.index];
          if (second.index_of(*other, v) == sy.index &&
              check_answer(second.rules_.questions[*other], v).empty())
            s.weight = sx.weight;
        }
        both.states.push_back(std::move(s));
      }
    }
    groups.push_back(std::move(both));
  }
  return Counter(std::move(groups)).count(set.id());
}

std::optional<Answers> AnswerModel::first(const bdd& set) const {
  if (set == bddfalse) return std::nullopt;
  bdd rest = set;
  return first_narrowing(rest);
}

Answers AnswerModel::first_narrowing(bdd& rest) const {
  Answers out(rules_);
  const auto take = [&](const bdd& state) {
    const bdd narrowed = rest & state;
    if (narrowed == bddfalse) return false;
    rest = narrowed;
    return true;
  };
  for (Index q = 0; q < blocks_.size(); ++q) {
    const Block& block = blocks_[q];
    if (take(unanswered(q)) || take(not_asked(q))) continue;
    if (block.multi) {
      (void)take(answered(q));
      // Subsets in the walk's order: the one with the fewest late choices first.
      StringList chosen;
      const auto& choices = rules_.questions[q].choices;
      std::vector<bool> in(choices.size(), false);
      for (std::size_t c = choices.size(); c-- > 0;)
        if (!take(bdd_nithvarpp(block.value[c]))) in[c] = take(bdd_ithvarpp(block.value[c]));
      for (std::size_t c = 0; c < choices.size(); ++c)
        if (in[c]) chosen.push_back(choices[c].value);
      out.values[q] = Value{std::move(chosen)};
      continue;
    }
    for (std::size_t i = 0; i < block.values.size(); ++i) {
      if (take(index_is(block, i))) {
        out.values[q] = block.values[i];
        break;
      }
    }
  }
  return out;
}

std::vector<double> AnswerModel::cut_points(Index question) const {
  std::vector<double> out;
  for (const NumberRange& r : blocks_[question].ranges) {
    out.push_back(r.low);
    if (!r.point) out.push_back(r.high);
  }
  const Question& q = rules_.questions[question];
  if (q.type == QuestionType::number) {
    out.push_back(q.min);
    out.push_back(q.max);
  }
  return out;
}

std::vector<double> AnswerModel::numbers_in(Index question, std::size_t index,
                                            std::size_t most) const {
  const Block& block = blocks_[question];
  const double first = std::get<double>(block.values[index]);
  std::vector<double> out{first};
  if (!rules_.questions[question].integer || block.ranges[index].point) return out;
  for (double x = first + 1; x < block.ranges[index].high && out.size() < most; x += 1)
    out.push_back(x);
  return out;
}

bdd AnswerModel::exactly(const Answers& answers) const {
  bdd out = bddtrue;
  for (Index q = 0; q < blocks_.size(); ++q)
    out &= answers.values[q] ? has_value(q, *answers.values[q]) : not_asked(q);
  return out;
}

}  // namespace kneetriage::detail
