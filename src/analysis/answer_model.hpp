// A rules file as a symbolic model: every answer set the questionnaire allows, and every part of
// the result shown for it, as Boolean functions (BDDs) of the questions' states. Each question
// is one block of variables: "answered" and "unanswered" flags (neither: not asked, as ask_if
// skipped it) and its value: the index of a yes/no or choice answer, or of the range of numbers
// its conditions' thresholds cut out; one variable per choice of a multi question. Conditions
// keep json-rules-engine's meaning of an undefined fact. `kneetriage check`, `diff` and the
// questionnaire's early end are queries on it (rule_analysis.hpp, rules_diff.hpp,
// answer_space.hpp); the walk (walk_answer_space) is the oracle the tests compare it with.
#pragma once

#include <bdd.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/bdd_session.hpp"
#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage::detail {

// Answer sets are counted exactly: 3^80 does not fit in 64 bits.
__extension__ using Count = unsigned __int128;

// The count as a size_t, the largest one when it does not fit.
[[nodiscard]] std::size_t saturate(Count count);

// The order of the questions' blocks among BuDDy's variables. Questionnaire order keeps each
// ask_if next to the questions it reads, which keeps the BDDs small; reversed is for measuring.
// gated[q][r]: whether question r is asked depends on q's answer, through r's ask_if or through
// a question q gates in turn. Each question gates itself.
[[nodiscard]] std::vector<std::vector<bool>> gated_questions(const RuleSet& rules);

enum class VariableOrder { questionnaire, reversed };

// Where a model's blocks go among the variables, and numbers to cut its number questions at beside
// its own thresholds: diff lays two models out with each question next to its counterpart, and
// cuts both at each other's thresholds, so that a range of one is a range of the other.
//
// A question may take its value variables from `shared_values` instead of after its two flags:
// diff gives a question and its counterpart, when they tell the same answers apart, the same value
// variables, so that "both give the same answer" costs nothing. Such a block's value is free when
// the question is not answered (each model alone no longer fixes it); whoever shares it fixes it
// then (diff: the value is 0 when neither is answered), and counts with count_pairs.
struct Layout {
  std::vector<int> block_start;                   // per question; empty: one after another
  std::vector<std::vector<double>> extra_points;  // per question; may be empty
  std::vector<std::vector<int>> shared_values;    // per question; empty: its own variables
};

class AnswerModel;

// Counts the pairs of answer sets (one of each model) in `set`, a subset of both models' complete
// sets and of `linked`: counterpart[q] is the question of `second` that keeps question q of
// `first`'s answer (one number counts once when both give it). A question and its counterpart
// that share value variables are one group whose value is 0 when neither is answered.
[[nodiscard]] Count count_pairs(const AnswerModel& first, const AnswerModel& second,
                                const std::vector<std::optional<Index>>& counterpart,
                                const bdd& set);

class AnswerModel {
 public:
  AnswerModel(const RuleSet& rules, std::shared_ptr<BddSession> session,
              VariableOrder order = VariableOrder::questionnaire, const Layout& layout = {});
  AnswerModel(const AnswerModel&) = delete;
  AnswerModel& operator=(const AnswerModel&) = delete;
  ~AnswerModel();

  [[nodiscard]] const RuleSet& rules() const { return rules_; }
  [[nodiscard]] int variable_count() const { return variables_; }

  // Every complete answer set the questionnaire allows (ask_if obeyed).
  [[nodiscard]] const bdd& complete() const { return complete_; }
  // Every partial one a runner who stops at some question has given (the walk's prefixes).
  [[nodiscard]] const bdd& partial() const { return partial_; }

  [[nodiscard]] bdd holds(const Condition& condition);
  [[nodiscard]] const bdd& fires(Index rule) const { return fires_[rule]; }
  [[nodiscard]] const bdd& urgency(Index level) const { return urgency_[level]; }
  // The advice item leads the result as the action.
  [[nodiscard]] const bdd& action(Index advice) const { return action_[advice]; }
  [[nodiscard]] const bdd& no_action() const { return no_action_; }
  [[nodiscard]] const bdd& cause_shown(Index cause) const { return cause_shown_[cause]; }
  // In the advice list (the action aside).
  [[nodiscard]] const bdd& advice_listed(Index advice) const { return advice_listed_[advice]; }
  [[nodiscard]] bdd advice_shown(Index advice) const;
  [[nodiscard]] const bdd& exercise_shown(Index e) const { return exercise_shown_[e]; }
  [[nodiscard]] const bdd& plan_shown(Index step) const { return plan_shown_[step]; }

  enum class List { causes, advice };
  // Item i comes before item j in the list (both concluded by a fired rule).
  [[nodiscard]] bdd before(List list, Index i, Index j);
  // The frequency the result gives exercise e, and the texts it can be.
  [[nodiscard]] bdd frequency_is(Index exercise, const std::string& text);
  [[nodiscard]] std::vector<std::string> frequency_texts(Index exercise) const;
  // Question q's answer is named back by the result ("because you answered"): a leaf that reads it
  // made a rule fire that sets the red-flag urgency or gives a cause that is shown.
  [[nodiscard]] bdd named(Index question);
  // Whether every answer set of `set` shows what `assessment` shows (same_shown_result).
  [[nodiscard]] bool shows_everywhere(const Assessment& assessment, const bdd& set);

  // States of one question.
  [[nodiscard]] bdd answered(Index question) const;
  [[nodiscard]] bdd not_asked(Index question) const;
  [[nodiscard]] bdd unanswered(Index question) const;
  // Question q has this answer (a number: any in the same range of its conditions).
  [[nodiscard]] bdd has_value(Index question, const Value& value) const;
  // The variables of question q's value, and all of its block.
  [[nodiscard]] std::vector<int> value_variables(Index question) const;
  [[nodiscard]] int answered_variable(Index question) const { return blocks_[question].answered; }
  [[nodiscard]] int unanswered_variable(Index question) const {
    return blocks_[question].unanswered;
  }
  [[nodiscard]] bool shares_values(Index question) const { return blocks_[question].shared; }
  [[nodiscard]] bdd block_variables(const std::vector<bool>& questions) const;

  // How many answer sets `set` holds (a subset of complete() or partial()): a whole-number question
  // counts each number, a decimal one each range its conditions tell apart. Not for a model laid
  // out with shared values (its unasked questions' values are free): count_pairs counts those.
  [[nodiscard]] Count count(const bdd& set) const;
  // The first answer set of `set` in the walk's order (questions in order; unanswered first, then
  // each value in order); nullopt when `set` is empty. `rest` is narrowed to it.
  [[nodiscard]] std::optional<Answers> first(const bdd& set) const;
  [[nodiscard]] Answers first_narrowing(bdd& rest) const;
  // The set holding exactly these answers (unanswered questions: not asked).
  [[nodiscard]] bdd exactly(const Answers& answers) const;

  // Question q's answers as the model tells them apart: a representative of each, in walk order
  // (not for multi questions).
  [[nodiscard]] const std::vector<Value>& representatives(Index question) const {
    return blocks_[question].values;
  }
  [[nodiscard]] bool is_multi(Index question) const { return blocks_[question].multi; }
  [[nodiscard]] const std::vector<Count>& weights(Index question) const {
    return blocks_[question].weight;
  }
  [[nodiscard]] bdd has_index(Index question, std::size_t index) const {
    return index_is(blocks_[question], index);
  }
  [[nodiscard]] std::optional<std::size_t> value_index(Index question, const Value& value) const {
    return index_of(question, value);
  }
  // How many variables question q's block takes, and the numbers its ranges are cut at.
  [[nodiscard]] int block_width(Index question) const {
    return 2 + static_cast<int>(blocks_[question].value.size());
  }
  [[nodiscard]] std::vector<double> cut_points(Index question) const;
  // The whole numbers index `index` of a number question stands for, in order (up to `most`); a
  // decimal range: its representative.
  [[nodiscard]] std::vector<double> numbers_in(Index question, std::size_t index,
                                               std::size_t most) const;

 private:
  struct NumberRange {
    bool point = true;
    double low = 0, high = 0;  // point: low; otherwise the open interval (low, high)
  };
  struct Block {
    int answered = 0, unanswered = 0;
    std::vector<int> value;  // the value's index, least significant bit first; multi: a choice each
    bool multi = false;
    bool shared = false;              // value variables from Layout::shared_values
    std::vector<Value> values;        // not multi: one per index, in walk order
    std::vector<Count> weight;        // answer sets each index stands for
    std::vector<NumberRange> ranges;  // number questions
  };

  friend Count count_pairs(const AnswerModel&, const AnswerModel&,
                           const std::vector<std::optional<Index>>&, const bdd&);
  void make_blocks(VariableOrder order, const Layout& layout);
  void make_space();
  void make_result();
  [[nodiscard]] bdd leaf(const Condition& leaf) const;
  [[nodiscard]] bdd index_is(const Block& block, std::size_t index) const;
  [[nodiscard]] std::optional<std::size_t> index_of(Index question, const Value& value) const;
  [[nodiscard]] bool withholds(Index level, const std::string& kind, bool empty_kind_passes) const;
  [[nodiscard]] std::vector<Index> list_of(List list, Index rule) const;
  void explain(const Condition& condition, const bdd& path, bool outcome,
               std::vector<bdd>& named_by_question);
  [[nodiscard]] Count count_from(int node, std::size_t block,
                                 std::map<std::pair<int, std::size_t>, Count>& memo) const;
  [[nodiscard]] Count count_through(int node, std::size_t block,
                                    const std::vector<signed char>& state, std::size_t k,
                                    std::map<std::pair<int, std::size_t>, Count>& memo) const;

  std::shared_ptr<BddSession> session_;  // first: outlives every bdd below
  const RuleSet& rules_;
  int variables_ = 0;
  std::vector<Block> blocks_;              // per question
  std::vector<Index> order_;               // the questions, as their blocks lie among the variables
  std::map<const Condition*, bdd> holds_;  // memo, by node
  bdd complete_, partial_;
  std::vector<bdd> fires_, urgency_, action_, cause_shown_, advice_listed_, exercise_shown_,
      plan_shown_;
  bdd no_action_;
  std::vector<Index> sorted_rules_;  // the order fired rules are listed in
  std::vector<std::optional<bdd>> named_;
  std::map<std::tuple<int, Index, Index>, bdd> before_;
};

}  // namespace kneetriage::detail
