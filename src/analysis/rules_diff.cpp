#include "kneetriage/rules_diff.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "kneetriage/engine.hpp"

namespace kneetriage {
namespace {

// One catalogue (or the rules) of both files, matched by id: for each id in either, its index in
// the old file and in the new one.
struct Matched {
  ItemChange::What what;
  std::vector<std::string> ids;
  std::vector<std::optional<Index>> old_index, new_index;
};

template <typename Items>
Matched match(ItemChange::What what, const Items& old_items, const Items& new_items) {
  Matched m{what, {}, {}, {}};
  std::map<std::string, std::size_t> position;
  const auto add = [&](const std::string& id) {
    const auto [it, added] = position.emplace(id, m.ids.size());
    if (added) {
      m.ids.push_back(id);
      m.old_index.emplace_back();
      m.new_index.emplace_back();
    }
    return it->second;
  };
  for (Index i = 0; i < old_items.size(); ++i) m.old_index[add(old_items[i].id)] = i;
  for (Index i = 0; i < new_items.size(); ++i) m.new_index[add(new_items[i].id)] = i;
  return m;
}

// Which items of one catalogue an assessment fires (rules) or shows, as flags by index.
std::vector<bool> flags_of(ItemChange::What what, const Assessment& a, std::size_t size) {
  std::vector<bool> out(size, false);
  const auto set = [&](const Indices& list) {
    for (const Index i : list) out[i] = true;
  };
  switch (what) {
    case ItemChange::What::rule:
      for (const FiredRule& fired : a.fired) out[fired.rule] = true;
      break;
    case ItemChange::What::cause:
      set(a.causes);
      break;
    case ItemChange::What::advice:
      set(a.advice);
      if (a.action) out[*a.action] = true;
      break;
    case ItemChange::What::exercise:
      set(a.exercises);
      break;
    case ItemChange::What::plan_step:
      set(a.plan);
      break;
  }
  return out;
}

std::size_t catalogue_size(ItemChange::What what, const RuleSet& rules) {
  switch (what) {
    case ItemChange::What::rule:
      return rules.rules.size();
    case ItemChange::What::cause:
      return rules.causes.size();
    case ItemChange::What::advice:
      return rules.advice.size();
    case ItemChange::What::exercise:
      return rules.exercises.size();
    case ItemChange::What::plan_step:
      return rules.plan.size();
  }
  return 0;
}

// The old answers as far as the new questions can take them, by question id.
Answers translate(const RuleSet& from, const Answers& answers, const RuleSet& to) {
  Answers out(to);
  for (Index q = 0; q < to.questions.size(); ++q) {
    const auto old_index = from.find_question(to.questions[q].id);
    if (!old_index || !answers.values[*old_index]) continue;
    const Value& value = *answers.values[*old_index];
    if (check_answer(to.questions[q], value).empty()) out.values[q] = value;
  }
  return out;
}

// True when `answers` give each answer of `kept` to a question they answer.
bool keeps(const Answers& kept, const Answers& answers) {
  for (Index q = 0; q < kept.values.size(); ++q)
    if (kept.values[q] && answers.values[q] && !(*kept.values[q] == *answers.values[q]))
      return false;
  return true;
}

class Differ {
 public:
  Differ(const RuleSet& old_rules, const RuleSet& new_rules, std::size_t bound,
         std::size_t examples, const WalkProgress& progress)
      : old_(old_rules), new_(new_rules), bound_(bound), examples_(examples), progress_(progress) {
    matched_.push_back(match(ItemChange::What::rule, old_.rules, new_.rules));
    matched_.push_back(match(ItemChange::What::cause, old_.causes, new_.causes));
    matched_.push_back(match(ItemChange::What::advice, old_.advice, new_.advice));
    matched_.push_back(match(ItemChange::What::exercise, old_.exercises, new_.exercises));
    matched_.push_back(match(ItemChange::What::plan_step, old_.plan, new_.plan));
    for (const Matched& m : matched_) {
      std::vector<ItemChange> changes(m.ids.size());
      for (std::size_t i = 0; i < m.ids.size(); ++i) {
        changes[i].what = m.what;
        changes[i].id = m.ids[i];
        changes[i].in_old = m.old_index[i].has_value();
        changes[i].in_new = m.new_index[i].has_value();
      }
      changes_.push_back(std::move(changes));
    }
    for (const Question& q : old_.questions)
      if (!new_.find_question(q.id)) out_.only_old_questions.push_back(q.id);
    for (const Question& q : new_.questions)
      if (!old_.find_question(q.id)) out_.only_new_questions.push_back(q.id);
  }

  RulesDiff run() {
    // Each old answer set pairs with every complete new set that keeps its answers wherever the
    // new file asks the question: the new sets are walked once and matched against each.
    std::vector<Assessment> after;
    const WalkEnd new_end = walk_answer_space(new_, Answers(new_), [&](const Answers& a, bool) {
      after.push_back(assess(new_, a));
      return after.size() <= bound_;
    });
    if (new_end != WalkEnd::finished) too_large_ = true;
    out_.end = too_large_
                   ? WalkEnd::too_large
                   : walk_answer_space(old_, Answers(old_), [&](const Answers& old_answers, bool) {
                       const Assessment before = assess(old_, old_answers);
                       const Answers kept = translate(old_, old_answers, new_);
                       for (const Assessment& candidate : after) {
                         if (!keeps(kept, candidate.answers)) continue;
                         if (out_.answer_sets == bound_) {
                           too_large_ = true;
                           return false;
                         }
                         compare(before, candidate);
                         report_walk_progress(progress_, out_.answer_sets);
                       }
                       return true;
                     });
    if (too_large_) out_.end = WalkEnd::too_large;
    for (auto& [key, change] : urgency_) out_.urgency_changes.push_back(std::move(change));
    std::stable_sort(out_.urgency_changes.begin(), out_.urgency_changes.end(),
                     [](const UrgencyChange& a, const UrgencyChange& b) {
                       return a.answer_sets > b.answer_sets;
                     });
    for (auto& list : changes_) {
      for (ItemChange& change : list) {
        if (change.started > 0 || change.stopped > 0) out_.changes.push_back(std::move(change));
      }
    }
    return std::move(out_);
  }

 private:
  void compare(const Assessment& before, const Assessment& after) {
    ++out_.answer_sets;
    const std::string& from = old_.urgencies[before.urgency].id;
    const std::string& to = new_.urgencies[after.urgency].id;
    const auto example = [&]() { return DiffExample{before.answers, after.answers}; };
    bool changed = false;
    if (from != to) {
      changed = true;
      ++out_.changed_urgency;
      UrgencyChange& change = urgency_[{from, to}];
      change.from = from;
      change.to = to;
      ++change.answer_sets;
      if (change.examples.size() < examples_) change.examples.push_back(example());
    }
    for (std::size_t c = 0; c < matched_.size(); ++c) {
      const Matched& m = matched_[c];
      const auto was = flags_of(m.what, before, catalogue_size(m.what, old_));
      const auto is = flags_of(m.what, after, catalogue_size(m.what, new_));
      for (std::size_t i = 0; i < m.ids.size(); ++i) {
        const bool a = m.old_index[i] && was[*m.old_index[i]];
        const bool b = m.new_index[i] && is[*m.new_index[i]];
        ItemChange& change = changes_[c][i];
        change.old_count += a ? 1 : 0;
        change.new_count += b ? 1 : 0;
        if (a == b) continue;
        // A fired rule is not shown; only items count as a change of the result.
        if (m.what != ItemChange::What::rule) changed = true;
        if (b) {
          ++change.started;
          if (change.started_examples.empty()) change.started_examples.push_back(example());
        } else {
          ++change.stopped;
          if (change.stopped_examples.empty()) change.stopped_examples.push_back(example());
        }
      }
    }
    if (!changed)
      changed = (before.action ? old_.advice[*before.action].id : std::string()) !=
                (after.action ? new_.advice[*after.action].id : std::string());
    if (changed) ++out_.changed_result;
  }

  const RuleSet& old_;
  const RuleSet& new_;
  const std::size_t bound_;
  const std::size_t examples_;
  const WalkProgress& progress_;
  bool too_large_ = false;
  std::vector<Matched> matched_;
  std::vector<std::vector<ItemChange>> changes_;  // like matched_
  std::map<std::pair<std::string, std::string>, UrgencyChange> urgency_;
  RulesDiff out_;
};

}  // namespace

std::string_view item_change_label(ItemChange::What what) {
  switch (what) {
    case ItemChange::What::rule:
      return "rule";
    case ItemChange::What::cause:
      return "cause";
    case ItemChange::What::advice:
      return "advice";
    case ItemChange::What::exercise:
      return "exercise";
    case ItemChange::What::plan_step:
      return "plan step";
  }
  return "?";
}

RulesDiff diff_rules_by_walk(const RuleSet& old_rules, const RuleSet& new_rules, std::size_t bound,
                             std::size_t examples, const WalkProgress& progress) {
  return Differ(old_rules, new_rules, bound, examples, progress).run();
}

}  // namespace kneetriage
