// The safety of the built-in rules that their invariants cannot state, proved for EVERY way the
// questionnaire can be answered. The floors themselves (the least urgency for each red flag, the
// kinds each level withholds, "stop running" until seen) are invariants in rules/knee.json, the
// authority, which `kneetriage check` proves (test_invariants.cpp pins that the rules keep
// declaring them). What stays here is what data cannot say: that the engine's verdict and trace
// are honest and every red-flag answer shows, words that speak of running or waiting whatever an
// item's kind, levels pinned from above as well as below, and "one of these" requirements.
//
// The one answer-space walker (kneetriage/answer_space.hpp) visits every complete answer set and
// every prefix of one (a runner may press q at any question and see the result); each is assessed
// and checked. Each check takes the RuleSet: the last test cases break the knee rules on purpose,
// one small JSON edit per check, and show the walk finds the violation. A failure names the check
// and gives the answers as the flags that reproduce it.
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fixtures.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/condition.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/rules.hpp"
#include "kneetriage/value.hpp"

namespace {

using kneetriage::Answers;
using kneetriage::Assessment;
using kneetriage::Index;
using kneetriage::Indices;
using kneetriage::RuleSet;
using kneetriage::Value;
using kneetriage::Withheld;

// ---------------------------------------------------------------------------------------------
// The checks

enum Check : std::size_t {
  red_flags_never_hidden,
  no_running_words,
  no_waiting_words,
  general_advice,
  exact_levels,
  withhold_respected,
  severe_concluded,
  gym_advice,
  never_roll_alone,
  check_count
};

constexpr std::array<const char*, check_count> k_check_names{
    "every red-flag answer raises the result, and the urgency and trace are the fired rules'",
    "nothing shown at see-doctor and above speaks of running",
    "nothing shown at urgent and above speaks of waiting",
    "every self-care runner gets release work and glute activation (A9, A11)",
    "numbness alone is urgent, not more; severe at self-care leads with the week off",
    "the engine obeys every level's withhold list",
    "severe: the article's advice is concluded (A17, A18)",
    "gym work is answered at every level: it doesn't transfer, do endurance work (A8)",
    "foam rolling is never prescribed alone (A10)"};

// What a runner must never read at see-doctor and above, and at urgent and above.
constexpr std::array<std::string_view, 10> k_running_phrases{
    "before every run", "before each run", "before running", "before runs",   "after runs",
    "after a run",      "keep running",    "couch to 5k",    "run pain-free", "build up"};
constexpr std::array<std::string_view, 6> k_waiting_phrases{
    "week off", "a week", "after a week", "weeks", "couple of weeks", "fortnight"};
// Claims the sources do not make.
constexpr std::array<std::string_view, 2> k_invented_phrases{"partly for this reason",
                                                             "usually responds"};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The first of `phrases` that `text` contains, case-insensitively; empty when none.
template <std::size_t N>
std::string first_phrase(std::string_view text, const std::array<std::string_view, N>& phrases) {
  const std::string lowered = lower(text);
  for (const std::string_view phrase : phrases) {
    if (lowered.find(phrase) != std::string::npos) return std::string(phrase);
  }
  return {};
}

// "--knees one --side left ...": the answers as the one-shot flags that give them.
std::string as_flags(const RuleSet& rules, const Answers& answers) {
  std::string out;
  for (Index q = 0; q < rules.questions.size() && q < answers.values.size(); ++q) {
    if (!answers.values[q]) continue;
    if (!out.empty()) out += ' ';
    out += "--" + rules.questions[q].id + " " + kneetriage::display(*answers.values[q]);
  }
  return out.empty() ? "(no answers)" : out;
}

template <typename Catalogue>
std::optional<Index> index_of(const Catalogue& catalogue, std::string_view id) {
  for (Index i = 0; i < catalogue.size(); ++i) {
    if (catalogue[i].id == id) return i;
  }
  return std::nullopt;
}

bool contains(const Indices& list, std::optional<Index> item) {
  return item && std::find(list.begin(), list.end(), *item) != list.end();
}

bool withholds(const kneetriage::Urgency& urgency, std::string_view kind) {
  return std::find(urgency.withhold.begin(), urgency.withhold.end(), kind) !=
         urgency.withhold.end();
}

struct Levels {
  Index emergency = 0, urgent = 0, see_doctor = 0, self_care = 0;
};

Levels levels(const RuleSet& rules) {
  const auto find = [&](std::string_view id) {
    const auto index = rules.find_urgency(id);
    INFO("urgency " << id);
    REQUIRE(index.has_value());
    return *index;
  };
  return {find("emergency"), find("urgent"), find("see-doctor"), find("self-care")};
}

// The questions the checks read, by id: Q::swelling is k_questions[Q::swelling].
enum class Q : std::size_t {
  weight_bearing,
  very_painful,
  trauma,
  locking,
  swelling,
  badly_swollen,
  hot,
  fever,
  numbness,
  circulation,
  location,
  severity,
  strength_training,
  breathless
};
constexpr std::array<std::string_view, 14> k_questions{
    "weight_bearing",    "very_painful",  "trauma",   "locking",
    "swelling",          "badly_swollen", "hot",      "fever",
    "numbness",          "circulation",   "location", "severity",
    "strength_training", "breathless"};

struct Violation {
  Check check;
  std::string what;
};

// Every check for one assessment. Built once per RuleSet: what each catalogue item says is
// looked at once here, so the walk itself only compares indices.
class Checker {
 public:
  explicit Checker(const RuleSet& rules, std::optional<Check> only = std::nullopt)
      : rules_(rules), level_(levels(rules)), only_(only) {
    for (std::size_t q = 0; q < k_questions.size(); ++q) {
      const auto index = rules.find_question(k_questions[q]);
      INFO("question " << k_questions[q]);
      REQUIRE(index.has_value());
      q_[q] = *index;
    }
    for (const auto& advice : rules.advice) {
      advice_running_.push_back(first_phrase(advice.text, k_running_phrases));
      advice_waiting_.push_back(first_phrase(advice.text, k_waiting_phrases));
    }
    for (const auto& cause : rules.causes) {
      const std::string text = cause.title + " " + cause.explanation;
      cause_running_.push_back(first_phrase(text, k_running_phrases));
      cause_waiting_.push_back(first_phrase(text, k_waiting_phrases));
    }
    for (const auto& step : rules.plan) {
      plan_running_.push_back(first_phrase(step.text, k_running_phrases));
      plan_waiting_.push_back(first_phrase(step.text, k_waiting_phrases));
    }
    for (const auto& level : rules.urgencies) {
      const std::string text =
          level.title + " " + level.action + " " + level.on_hold + " " + level.safety_net;
      level_running_.push_back(first_phrase(text, k_running_phrases));
      level_waiting_.push_back(first_phrase(text, k_waiting_phrases));
      std::vector<std::string> running, waiting;
      for (const auto& exercise : rules.exercises) {
        std::string shown = exercise.name + " | " + exercise.how + " | " +
                            kneetriage::frequency_at(level, exercise) + " | " + exercise.start;
        for (const auto& cue : exercise.cues) shown += " | " + cue;
        running.push_back(first_phrase(shown, k_running_phrases));
        waiting.push_back(first_phrase(shown, k_waiting_phrases));
      }
      exercise_running_.push_back(std::move(running));
      exercise_waiting_.push_back(std::move(waiting));
    }
    release_advice_ = index_of(rules.advice, "release-tight-muscles");
    week_off_now_ = index_of(rules.advice, "week-off-now");
    gym_ = index_of(rules.advice, "gym-does-not-transfer");
    endurance_ = index_of(rules.advice, "endurance-focused");
    foam_roll_ = index_of(rules.exercises, "foam-roll");
    clams_ = index_of(rules.exercises, "clams");
    bridge_ = index_of(rules.exercises, "glute-bridge");
    squat_ = index_of(rules.exercises, "squat");
    knee_dip_ = index_of(rules.exercises, "knee-dip");
    couch_to_5k_ = index_of(rules.plan, "couch-to-5k");
  }

  [[nodiscard]] const Levels& level() const { return level_; }

  // Appends every violation by `a` (assessed from a complete answer set when `complete`).
  void check(const Assessment& a, bool complete, std::vector<Violation>& out) const {
    const auto fail = [&](Check check, std::string what) {
      out.push_back({check, std::move(what)});
    };
    if (a.rules != &rules_ || a.urgency >= rules_.urgencies.size()) {
      fail(red_flags_never_hidden, "the assessment refers to its rules, urgency in range");
      return;
    }
    // With `only`, just the group of checks it belongs to runs (to find a broken one quickly).
    const auto runs = [&](std::initializer_list<Check> group) {
      return !only_ || std::find(group.begin(), group.end(), *only_) != group.end();
    };
    if (runs({red_flags_never_hidden})) check_red_flags(a, fail);
    if (runs({no_running_words, no_waiting_words, withhold_respected})) check_shown_texts(a, fail);
    if (runs({exact_levels})) check_exact_levels(a, complete, fail);
    if (runs({general_advice, severe_concluded, gym_advice, never_roll_alone}))
      check_content(a, complete, fail);
  }

 private:
  using Fail = std::function<void(Check, std::string)>;

  [[nodiscard]] bool is(const Assessment& a, Q id, const Value& expected) const {
    const auto& value = a.answers.values[q_[static_cast<std::size_t>(id)]];
    return value.has_value() && kneetriage::strictly_equal(*value, expected);
  }
  [[nodiscard]] bool yes(const Assessment& a, Q id) const { return is(a, id, Value{true}); }
  [[nodiscard]] bool no(const Assessment& a, Q id) const { return is(a, id, Value{false}); }
  [[nodiscard]] bool choice(const Assessment& a, Q id, const char* value) const {
    return is(a, id, Value{std::string(value)});
  }
  [[nodiscard]] std::string level_id(const Assessment& a) const {
    return rules_.urgencies[a.urgency].id;
  }
  // The advice items the runner reads: the one that leads the result, then the rest.
  template <typename F>
  void for_each_shown_advice(const Assessment& a, F&& f) const {
    if (a.action) f(*a.action, true);
    for (const Index item : a.advice) f(item, false);
  }
  [[nodiscard]] bool advice_shown(const Assessment& a, std::optional<Index> item) const {
    return item && ((a.action && *a.action == *item) || contains(a.advice, item));
  }
  [[nodiscard]] bool withheld(const Assessment& a, Withheld::What what,
                              std::optional<Index> item) const {
    return item && std::any_of(a.withheld.begin(), a.withheld.end(), [&](const Withheld& w) {
             return w.what == what && w.index == *item;
           });
  }

  // The urgency is the highest any rule that holds concludes, the trace is honest, and a
  // question's red-flag answer never ends at the lowest level, whatever else is answered.
  void check_red_flags(const Assessment& a, const Fail& fail) const {
    const Index u = a.urgency;
    if (rules_.disclaimer.empty()) fail(red_flags_never_hidden, "the disclaimer is empty");
    const auto facts = a.answers.facts();
    Index highest = rules_.urgencies.size() - 1;
    std::size_t holding = 0;
    for (Index r = 0; r < rules_.rules.size(); ++r) {
      const auto& rule = rules_.rules[r];
      if (!kneetriage::holds(rule.when, rules_.conditions, facts)) continue;
      ++holding;
      if (std::none_of(a.fired.begin(), a.fired.end(),
                       [&](const kneetriage::FiredRule& f) { return f.rule == r; }))
        fail(red_flags_never_hidden, "rule " + rule.id + " holds but is not reported as fired");
      if (rule.then.urgency) highest = std::min(highest, *rule.then.urgency);
    }
    if (holding != a.fired.size())
      fail(red_flags_never_hidden, "a rule that does not hold is reported as fired");
    if (u != highest)
      fail(red_flags_never_hidden, "urgency " + level_id(a) + ", but a fired rule concludes " +
                                       rules_.urgencies[highest].id);
    if (a.fired.empty() && u != level_.self_care)
      fail(red_flags_never_hidden, "no rule fired, yet the urgency is " + level_id(a));
    if (!a.fired.empty() && u != level_.self_care) {
      const auto& first = rules_.rules[a.fired.front().rule];
      if (!first.then.urgency || *first.then.urgency != u)
        fail(red_flags_never_hidden,
             "the first fired rule (" + first.id + ") does not carry the result's urgency");
    }
    // A red-flag question answered with its red flag never ends in self-care.
    for (Index q = 0; q < rules_.questions.size(); ++q) {
      const auto& question = rules_.questions[q];
      if (a.answers.values[q] && question.red_flag &&
          kneetriage::holds(*question.red_flag, rules_.conditions, facts) && !a.is_red_flag())
        fail(red_flags_never_hidden,
             "red-flag answer to " + question.id + " ends in " + level_id(a));
    }
  }

  // What the shown texts say at each level (the kinds shown are the invariants' to check), and
  // that the engine obeys each level's withhold list, whatever the rules declare.
  void check_shown_texts(const Assessment& a, const Fail& fail) const {
    const Index u = a.urgency;
    const auto& urgency = rules_.urgencies[u];
    const bool see_doctor_or_above = u <= level_.see_doctor;
    const bool urgent_or_above = u <= level_.urgent;
    const auto said = [&](Check check, const std::string& what, const std::string& phrase) {
      fail(check, what + " says \"" + phrase + "\" at " + level_id(a));
    };
    const auto withheld_kind = [&](const std::string& what, const std::string& kind) {
      if (!kind.empty() && withholds(urgency, kind))
        fail(withhold_respected, what + " of withheld kind " + kind + " is shown");
    };

    if (see_doctor_or_above && !level_running_[u].empty())
      said(no_running_words, "the level's own title, action or on-hold text", level_running_[u]);
    if (urgent_or_above && !level_waiting_[u].empty())
      said(no_waiting_words, "the level's own title, action or on-hold text", level_waiting_[u]);

    for_each_shown_advice(a, [&](Index item, bool action) {
      const auto& advice = rules_.advice[item];
      const std::string what =
          (action ? "the action (advice " : "advice ") + advice.id + (action ? ")" : "");
      if (see_doctor_or_above && !advice_running_[item].empty())
        said(no_running_words, what, advice_running_[item]);
      if (urgent_or_above && !advice_waiting_[item].empty())
        said(no_waiting_words, what, advice_waiting_[item]);
      withheld_kind(what, advice.kind);
    });
    for (const Index e : a.exercises) {
      const auto& exercise = rules_.exercises[e];
      const std::string what = "exercise " + exercise.id;
      if (see_doctor_or_above && !exercise_running_[u][e].empty())
        said(no_running_words, what, exercise_running_[u][e]);
      if (urgent_or_above && !exercise_waiting_[u][e].empty())
        said(no_waiting_words, what, exercise_waiting_[u][e]);
      withheld_kind(what, exercise.kind);
    }
    for (const Index p : a.plan) {
      const auto& step = rules_.plan[p];
      const std::string what = "plan step " + step.id;
      if (see_doctor_or_above && !plan_running_[p].empty())
        said(no_running_words, what, plan_running_[p]);
      if (urgent_or_above && !plan_waiting_[p].empty())
        said(no_waiting_words, what, plan_waiting_[p]);
      withheld_kind(what, step.kind);
    }
    for (const Index c : a.causes) {
      const auto& cause = rules_.causes[c];
      const std::string what = "cause " + cause.id;
      if (see_doctor_or_above && !cause_running_[c].empty())
        said(no_running_words, what, cause_running_[c]);
      if (urgent_or_above && !cause_waiting_[c].empty())
        said(no_waiting_words, what, cause_waiting_[c]);
      withheld_kind(what, cause.kind);
    }
  }

  // Levels the invariants pin from below only: numbness alone is urgent and no more, and a
  // severe knee at self-care leads with the week off and says when to be seen.
  void check_exact_levels(const Assessment& a, bool complete, const Fail& fail) const {
    const Index u = a.urgency;
    // Numbness with every other red-flag question answered safe: urgent, not a 999 call.
    if (complete && yes(a, Q::numbness) && yes(a, Q::weight_bearing) && no(a, Q::very_painful) &&
        no(a, Q::trauma) && no(a, Q::locking) && no(a, Q::swelling) && no(a, Q::hot) &&
        no(a, Q::circulation) && !yes(a, Q::breathless) && u != level_.urgent)
      fail(exact_levels, "numbness alone must be urgent, is " + level_id(a));
    // Severe at self-care: the week off leads, and the level's safety net (shown with every
    // action) says when to see a GP or physiotherapist.
    if (choice(a, Q::severity, "severe") && u == level_.self_care) {
      const std::string action = lower(a.action ? rules_.advice[*a.action].text : "");
      const std::string net = lower(a.urgency_level().safety_net);
      const bool week_off = action.find("week off") != std::string::npos;
      const bool see_someone =
          net.find("see a") != std::string::npos &&
          (net.find("gp") != std::string::npos || net.find("physio") != std::string::npos);
      if (!a.action || !week_off || !see_someone)
        fail(exact_levels,
             "severe at self-care: the result must lead with a week off, with a safety net "
             "that says when to see a GP or physiotherapist");
    }
  }

  // The article's content: what every self-care runner gets, and what a severe knee, gym work and
  // foam rolling come with (each "one of these", or given even where the level withholds it).
  void check_content(const Assessment& a, bool complete, const Fail& fail) const {
    const Index u = a.urgency;
    if (complete && u == level_.self_care) {
      if (!contains(a.exercises, foam_roll_) && !advice_shown(a, release_advice_))
        fail(general_advice, "self-care without release work (A9)");
      if (!contains(a.exercises, clams_) && !contains(a.exercises, bridge_))
        fail(general_advice, "self-care without glute activation (A11)");
    }
    const auto given_advice = [&](std::optional<Index> item) {
      return advice_shown(a, item) || withheld(a, Withheld::What::advice, item);
    };
    const auto given_exercise = [&](std::optional<Index> item) {
      return contains(a.exercises, item) || withheld(a, Withheld::What::exercise, item);
    };
    if (choice(a, Q::severity, "severe")) {
      if (!given_advice(week_off_now_))
        fail(severe_concluded, "severe: at least a week off (A17) is not concluded");
      if (!given_exercise(squat_) || !given_exercise(knee_dip_) || !given_advice(endurance_))
        fail(severe_concluded, "severe: daily strength work (A18) is not concluded");
      if (!contains(a.plan, couch_to_5k_) && !withheld(a, Withheld::What::plan_step, couch_to_5k_))
        fail(severe_concluded, "severe: the way back via Couch to 5K (A17) is not concluded");
      if (u == level_.self_care &&
          (!contains(a.exercises, squat_) || !contains(a.exercises, knee_dip_) ||
           !contains(a.plan, couch_to_5k_)))
        fail(severe_concluded, "severe at self-care: strength work and Couch to 5K not shown");
    }
    if (yes(a, Q::strength_training)) {
      if (!given_advice(gym_) || !given_advice(endurance_))
        fail(gym_advice, "gym work: the advice is not concluded");
    }
    if (contains(a.exercises, foam_roll_) &&
        std::none_of(a.exercises.begin(), a.exercises.end(), [&](Index e) {
          const auto& kind = rules_.exercises[e].kind;
          return kind == "strength" || kind == "activation";
        }))
      fail(never_roll_alone, "foam rolling without strength or activation work");
  }

  const RuleSet& rules_;
  Levels level_;
  std::optional<Check> only_;
  std::array<Index, k_questions.size()> q_{};
  std::vector<std::string> advice_running_, advice_waiting_, cause_running_, cause_waiting_,
      plan_running_, plan_waiting_, level_running_, level_waiting_;
  std::vector<std::vector<std::string>> exercise_running_, exercise_waiting_;  // [level][exercise]
  std::optional<Index> release_advice_, week_off_now_, gym_, endurance_, foam_roll_, clams_,
      bridge_, squat_, knee_dip_, couch_to_5k_;
};

// The claims the sources do not make, in anything the rules can show; and the trauma rule
// cites the NHS, not the article's A3.
std::vector<std::string> invented_claims(const RuleSet& rules) {
  std::vector<std::string> out;
  const auto look = [&](const std::string& where, const std::string& text) {
    const std::string phrase = first_phrase(text, k_invented_phrases);
    if (!phrase.empty()) out.push_back(where + " says \"" + phrase + "\"");
  };
  look("the title", rules.title);
  look("the disclaimer", rules.disclaimer);
  for (const auto& c : rules.citations) look("citation " + c.id, c.point + " " + c.quote);
  for (const auto& u : rules.urgencies) {
    look("urgency " + u.id, u.title + " " + u.action + " " + u.on_hold);
    for (const auto& [kind, text] : u.frequency) look("urgency " + u.id + " " + kind, text);
  }
  for (const auto& q : rules.questions) {
    std::string text = q.text + " " + q.help + " " + q.red_flag_message + " " + q.short_text;
    for (const auto& c : q.choices) text += " " + c.label;
    look("question " + q.id, text);
  }
  for (const auto& c : rules.causes) look("cause " + c.id, c.title + " " + c.explanation);
  for (const auto& a : rules.advice) look("advice " + a.id, a.text);
  for (const auto& e : rules.exercises) {
    std::string text = e.name + " " + e.how + " " + e.dose + " " + e.frequency + " " + e.start;
    for (const auto& cue : e.cues) text += " " + cue;
    look("exercise " + e.id, text);
  }
  for (const auto& p : rules.plan) look("plan step " + p.id, p.text);
  for (const auto& r : rules.rules) {
    look("rule " + r.id, r.title);
    if (r.id != "nhs-trauma") continue;
    for (const Index c : r.source) {
      if (rules.citations[c].id == "A3") out.push_back("rule nhs-trauma cites A3");
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The walk

struct Report {
  kneetriage::WalkEnd end = kneetriage::WalkEnd::finished;
  std::size_t visited = 0;
  std::size_t complete = 0;
  std::vector<std::size_t> complete_per_level;
  std::array<std::size_t, check_count> failing{};                // answer sets failing each check
  std::array<std::vector<std::string>, check_count> examples{};  // the first few, as flags
  std::vector<bool> rule_fired;                                  // over complete answer sets
  double seconds = 0;
};

// Walks every prefix and complete answer set from no answers at all, checking each. With `stop_at`
// the walk ends at the first answer set that fails that check.
Report walk(const RuleSet& rules, std::optional<Check> stop_at = std::nullopt) {
  const Checker checker(rules, stop_at);
  Report report;
  report.complete_per_level.assign(rules.urgencies.size(), 0);
  report.rule_fired.assign(rules.rules.size(), false);
  std::vector<Violation> found;
  std::array<bool, check_count> failed{};
  const auto start = std::chrono::steady_clock::now();
  report.end = kneetriage::walk_answer_space(
      rules, Answers(rules),
      [&](const Answers& answers, bool complete) {
        ++report.visited;
        const Assessment a = kneetriage::assess(rules, answers);
        if (complete) {
          ++report.complete;
          if (a.urgency < report.complete_per_level.size()) ++report.complete_per_level[a.urgency];
          for (const auto& f : a.fired) report.rule_fired[f.rule] = true;
        }
        found.clear();
        checker.check(a, complete, found);
        if (found.empty()) return true;
        failed.fill(false);
        for (const auto& v : found) {
          if (!failed[v.check]) ++report.failing[v.check];
          failed[v.check] = true;
          auto& examples = report.examples[v.check];
          if (examples.size() < 3) {
            examples.push_back(as_flags(rules, answers) + (complete ? "" : "  (partial)") +
                               "\n      " + v.what);
          }
        }
        return !(stop_at && failed[*stop_at]);
      },
      /*prefixes=*/true);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

std::string walk_end_name(kneetriage::WalkEnd end) {
  switch (end) {
    case kneetriage::WalkEnd::finished:
      return "finished";
    case kneetriage::WalkEnd::stopped:
      return "stopped";
    case kneetriage::WalkEnd::too_large:
      return "too large";
  }
  return "?";
}

}  // namespace

TEST_CASE("what the invariants cannot state holds for every answer combination and every prefix",
          "[safety][knee][exhaustive]") {
  const RuleSet& rules = fixtures::knee_rules();
  const Report report = walk(rules);

  std::string per_level;
  for (Index u = 0; u < rules.urgencies.size(); ++u) {
    per_level += (u == 0 ? "" : ", ") + rules.urgencies[u].id + " " +
                 std::to_string(report.complete_per_level[u]);
  }
  WARN("safety walk: " << report.complete << " complete answer sets (" << per_level << "), "
                       << report.visited << " assessments with every prefix, " << report.seconds
                       << " s");
  REQUIRE(report.end == kneetriage::WalkEnd::finished);
  // Pins the questionnaire's shape, so the enumeration cannot silently shrink: 3 knees/side
  // x 2 weight_bearing x 2 very_painful x 2 trauma x 2 deformity x 2 locking x 11 swelling/
  // badly_swollen/hot/fever x 2 numbness x 2 circulation x 7 location/calf/breathless
  // x 3 severity x 2 stops_running x 2 strength_training x 2 new_to_running. Update with the
  // questions.
  CHECK(report.complete == 709632);
  CHECK(report.visited > report.complete);
  for (Index u = 0; u < rules.urgencies.size(); ++u) {
    INFO("urgency " << rules.urgencies[u].id << " is reached by some complete answer set");
    CHECK(report.complete_per_level[u] > 0);
  }

  for (std::size_t c = 0; c < check_count; ++c) {
    std::string examples;
    for (const auto& example : report.examples[c]) examples += "\n  " + example;
    INFO(k_check_names[c] << ": " << report.failing[c]
                          << " answer sets fail, for example:" << examples);
    CHECK(report.failing[c] == 0);
  }
}

TEST_CASE("no invented claims in anything the rules can show", "[safety][knee]") {
  const auto claims = invented_claims(fixtures::knee_rules());
  for (const auto& claim : claims) UNSCOPED_INFO(claim);
  CHECK(claims.empty());
}

// What each level withholds is the invariants' to prove; the checks above rely on the levels'
// order and on self-care, the level of the plan, holding nothing back.
TEST_CASE("the levels run from emergency down to self-care, which withholds nothing",
          "[safety][knee]") {
  const RuleSet& rules = fixtures::knee_rules();
  const Levels level = levels(rules);
  CHECK(level.emergency < level.urgent);
  CHECK(level.urgent < level.see_doctor);
  CHECK(level.see_doctor < level.self_care);
  CHECK(level.self_care == rules.urgencies.size() - 1);
  CHECK(rules.urgencies[level.self_care].withhold.empty());
}

TEST_CASE("a red-flag answer outweighs everything else in the answers", "[safety][knee]") {
  // The calmest possible runner except for one red flag, and the same with everything
  // pointing at self-care: the red flag still decides the urgency and the first fired rule.
  const RuleSet& rules = fixtures::knee_rules();
  const Levels level = levels(rules);
  Answers answers = fixtures::answers(rules, {{"knees", "both"},
                                              {"weight_bearing", true},
                                              {"very_painful", false},
                                              {"trauma", false},
                                              {"deformity", false},
                                              {"locking", false},
                                              {"swelling", false},
                                              {"hot", false},
                                              {"numbness", false},
                                              {"circulation", false},
                                              {"location", "outer"},
                                              {"severity", "mild"},
                                              {"stops_running", false},
                                              {"strength_training", true},
                                              {"new_to_running", true}});
  CHECK(kneetriage::assess(rules, answers).urgency == level.self_care);

  answers = fixtures::answers(rules, {{"knees", "both"},
                                      {"weight_bearing", true},
                                      {"very_painful", false},
                                      {"trauma", false},
                                      {"deformity", false},
                                      {"locking", false},
                                      {"swelling", true},
                                      {"badly_swollen", false},
                                      {"hot", false},
                                      {"fever", true},
                                      {"numbness", false},
                                      {"circulation", false},
                                      {"location", "outer"},
                                      {"severity", "mild"},
                                      {"stops_running", false},
                                      {"strength_training", true},
                                      {"new_to_running", true}});
  const auto a = kneetriage::assess(rules, answers);
  CHECK(a.urgency == level.emergency);
  CHECK(a.is_red_flag());
  REQUIRE_FALSE(a.fired.empty());
  CHECK(rules.rules[a.fired.front().rule].id == "nhs-joint-infection");
  CHECK_FALSE(a.withheld.empty());
  CHECK(a.exercises.empty());
  CHECK_FALSE(a.rules->disclaimer.empty());
}

// ---------------------------------------------------------------------------------------------
// Each invariant, broken on purpose: a small edit of the knee rules, and the walk must find it.

namespace {

using Json = nlohmann::ordered_json;

Json& by_id(Json& array, std::string_view id) {
  for (auto& item : array) {
    if (item.contains("id") && item["id"] == id) return item;
  }
  FAIL("no entry with id " << id << " in " << array.dump().substr(0, 200));
  throw;  // unreachable: FAIL throws
}

void erase_value(Json& array, std::string_view value) {
  const auto before = array.size();
  array.erase(std::remove(array.begin(), array.end(), Json(value)), array.end());
  INFO("removing " << value << " from " << array.dump());
  REQUIRE(array.size() < before);
}

void erase_by_id(Json& array, std::string_view id) {
  const auto before = array.size();
  array.erase(std::remove_if(array.begin(), array.end(),
                             [&](const Json& item) { return item.value("id", "") == id; }),
              array.end());
  INFO("removing " << id);
  REQUIRE(array.size() < before);
}

struct Breakage {
  const char* name;
  Check expected;
  std::function<void(Json&)> edit;
};

std::vector<Breakage> breakages() {
  return {
      {"the circulation rule concludes no urgency", red_flags_never_hidden,
       [](Json& d) {
         // Its red-flag question then ends in self-care for the calmest runner otherwise.
         by_id(d["rules"], "nhs-circulation")["then"].erase("urgency");
       }},
      {"see-doctor no longer withholds running", no_running_words,
       [](Json& d) { erase_value(by_id(d["urgencies"], "see-doctor")["withhold"], "running"); }},
      {"see-doctor's activation frequency wording is dropped", no_running_words,
       [](Json& d) { by_id(d["urgencies"], "see-doctor").erase("frequency"); }},
      {"urgent no longer withholds rest", no_waiting_words,
       [](Json& d) { erase_value(by_id(d["urgencies"], "urgent")["withhold"], "rest"); }},
      {"urgent no longer withholds follow-up", no_waiting_words,
       [](Json& d) { erase_value(by_id(d["urgencies"], "urgent")["withhold"], "follow-up"); }},
      {"the general self-care rule is deleted", general_advice,
       [](Json& d) { erase_by_id(d["rules"], "self-care-basics"); }},
      {"the numbness rule concludes emergency", exact_levels,
       [](Json& d) { by_id(d["rules"], "nhs-numbness")["then"]["urgency"] = "emergency"; }},
      {"the severe rule loses its action (the week off does not lead)", exact_levels,
       [](Json& d) { by_id(d["rules"], "severe-week-off")["then"].erase("action"); }},
      {"the severe rule no longer returns via Couch to 5K", severe_concluded,
       [](Json& d) { by_id(d["rules"], "severe-week-off")["then"].erase("plan"); }},
      {"the gym rule is deleted", gym_advice,
       [](Json& d) { erase_by_id(d["rules"], "gym-does-not-transfer"); }},
  };
}

}  // namespace

TEST_CASE("each check broken on purpose in the knee rules is caught by the walk",
          "[safety][knee][exhaustive]") {
  const Json original = Json::parse(kneetriage::builtin_rules_text());
  for (const Breakage& breakage : breakages()) {
    DYNAMIC_SECTION(breakage.name) {
      Json broken = original;
      breakage.edit(broken);
      const auto loaded = kneetriage::load_rules(broken.dump(2), "broken.json");
      for (const auto& d : loaded.diagnostics) UNSCOPED_INFO(kneetriage::to_string(d));
      REQUIRE(loaded.rules.has_value());
      const Report report = walk(*loaded.rules, breakage.expected);
      INFO("expected check: " << k_check_names[breakage.expected]);
      INFO("walk: " << walk_end_name(report.end) << " after " << report.visited << " assessments, "
                    << report.seconds << " s");
      std::string examples;
      for (const auto& example : report.examples[breakage.expected]) examples += "\n  " + example;
      INFO("found:" << examples);
      CHECK(report.failing[breakage.expected] > 0);
      CHECK(report.end == kneetriage::WalkEnd::stopped);
    }
  }
}

TEST_CASE("an invented claim or a wrong citation put in on purpose is caught", "[safety][knee]") {
  Json document = Json::parse(kneetriage::builtin_rules_text());
  SECTION("\"usually responds\" back in an advice text") {
    auto& text = by_id(document["advice"], "running-good-for-joints")["text"];
    text = text.get<std::string>() + " It usually responds to the right strength work.";
  }
  SECTION("\"partly for this reason\" back in a cause") {
    auto& text = by_id(document["causes"], "hip-biomechanics")["explanation"];
    text = text.get<std::string>() + " Women are more susceptible, partly for this reason.";
  }
  SECTION("the trauma rule cites A3") {
    by_id(document["rules"], "nhs-trauma")["source"].push_back("A3");
  }
  const auto loaded = kneetriage::load_rules(document.dump(2), "broken.json");
  for (const auto& d : loaded.diagnostics) UNSCOPED_INFO(kneetriage::to_string(d));
  REQUIRE(loaded.rules.has_value());
  const auto claims = invented_claims(*loaded.rules);
  std::string found;
  for (const auto& claim : claims) found += "\n  " + claim;
  INFO("found:" << found);
  CHECK(claims.size() == 1);
}
