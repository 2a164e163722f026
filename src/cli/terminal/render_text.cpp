#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "kneetriage/evaluation.hpp"
#include "terminal/describe.hpp"
#include "terminal/layout.hpp"
#include "terminal/render.hpp"

namespace kneetriage::cli {

namespace {

constexpr std::string_view k_indent = "  ";
constexpr std::string_view k_bullet = "  \u2022 ";  // "  • "

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x80)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string capitalized(std::string text) {
  if (!text.empty() && static_cast<unsigned char>(text[0]) < 0x80)
    text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

// A title or label in the middle of a sentence: "Both knees" becomes "both knees", but a first
// word in capitals ("IT band") stays as it is.
std::string continued(std::string text) {
  const bool capital_word =
      text.size() > 1 && text[1] != ' ' && !std::islower(static_cast<unsigned char>(text[1]));
  if (!capital_word && !text.empty() && std::isupper(static_cast<unsigned char>(text[0])))
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

// Everything from the rules file passes through here before it is laid out.
std::string clean(std::string_view text) {
  return sanitize(text);
}

// The default result is short enough to act on at a glance (the urgency and the one thing to do
// now first, then the cause, the plan, the way back to running, that one thing again, and the
// disclaimer); `full` adds the background and `explain` the rule trace.
class TextWriter {
 public:
  TextWriter(const Assessment& assessment, const TextOptions& options)
      : a_(assessment), rules_(*assessment.rules), options_(options), style_(options.style) {}

  std::string render() {
    urgency();
    causes();
    plan_section();
    back_to_running();
    now_again();
    if (options_.explain) trace();
    disclaimer();
    return std::move(out_);
  }

 private:
  void blank_line() {
    if (!out_.empty()) out_ += '\n';
  }

  void heading(std::string_view title) {
    blank_line();
    out_ += style_.bold(title);
    out_ += '\n';
  }

  void paragraph(std::string_view text, std::string_view first, std::string_view rest) {
    out_ += wrap(text, options_.width, first, rest);
  }

  [[nodiscard]] bool withheld_any(Withheld::What what) const {
    return std::any_of(a_.withheld.begin(), a_.withheld.end(),
                       [&](const Withheld& w) { return w.what == what; });
  }

  // The one thing to do now: the advice item a rule put first, or the level's own action.
  [[nodiscard]] std::string action_text() const {
    return clean(a_.action ? rules_.advice[*a_.action].text : a_.urgency_level().action);
  }

  // "can put weight on the leg: no" or "left knee": an answer in a few words.
  [[nodiscard]] std::string short_answer(const Match& match) const {
    const Question& question = rules_.questions[match.fact];
    const std::string label = clean(answer_label(question, *match.answer));
    if (question.type == QuestionType::choice) return continued(label);
    const std::string& topic = question.short_text.empty() ? question.text : question.short_text;
    return fmt::format("{}: {}", clean(topic), label);
  }

  // The answers behind these fired rules, each question once, in the order the rules saw them.
  // An answer to a question asked because of the one before it says more about that one, so it
  // follows it in brackets: "one knee (right knee)".
  [[nodiscard]] std::vector<std::string> answers_behind(const Indices& fired_indices) const {
    std::vector<std::string> lines;
    std::vector<std::size_t> seen;
    for (const Index f : fired_indices) {
      for (const Match& match : a_.fired[f].matched) {
        if (!match.answer || match.negated ||
            std::find(seen.begin(), seen.end(), match.fact) != seen.end())
          continue;
        const Indices asked_because = questions_read_by_ask_if(rules_, match.fact);
        const bool follows_previous = !seen.empty() && !lines.empty() &&
                                      asked_because.size() == 1 &&
                                      asked_because.front() == seen.back();
        seen.push_back(match.fact);
        if (follows_previous) {
          lines.back() += " (" + short_answer(match) + ")";
        } else {
          lines.push_back(short_answer(match));
        }
      }
    }
    return lines;
  }

  // `“quote” — Stylist (Strong Women) [A5]`, or the point when the citation has no quote.
  [[nodiscard]] std::string citation(Index index) const {
    const Citation& cited = rules_.citations[index];
    const Source& source = rules_.sources[cited.source];
    const std::string& by = !source.publisher.empty() ? source.publisher : source.title;
    // A quote that brings its own quotation marks (several excerpts) keeps them.
    const bool quoted = cited.quote.starts_with('"') || cited.quote.starts_with("\u201c");
    const std::string said = cited.quote.empty() ? clean(cited.point)
                             : quoted            ? clean(cited.quote)
                                                 : "\u201c" + clean(cited.quote) + "\u201d";
    return fmt::format("{} \u2014 {} [{}]", said, clean(by), clean(cited.id));
  }

  void sources(const Indices& citations, std::string_view indent) {
    for (std::size_t i = 0; i < citations.size(); ++i) {
      const std::string label = i == 0 ? "Source: " : "        ";
      paragraph(citation(citations[i]), std::string(indent) + label,
                std::string(indent) + "        ");
    }
  }

  // Fired rules that concluded the result's urgency: the answers behind them raised the flag.
  [[nodiscard]] Indices rules_setting_urgency() const {
    Indices setting;
    for (Index f = 0; f < a_.fired.size(); ++f) {
      const auto& concluded = rules_.rules[a_.fired[f].rule].then.urgency;
      if (concluded && *concluded == a_.urgency) setting.push_back(f);
    }
    return setting;
  }

  void urgency() {
    const Urgency& level = a_.urgency_level();
    const std::string title = upper(clean(level.title));
    out_ += a_.is_red_flag() ? style_.alarm("!! " + title + " !!") : style_.bold(title);
    out_ += '\n';
    paragraph(action_text(), "", "");
    // What would make it more urgent, and where to go then: with every action, whatever leads.
    if (!level.safety_net.empty()) paragraph(clean(level.safety_net), "", "");
    if (a_.is_red_flag()) {
      const auto answers =
          at_most(answers_behind(rules_setting_urgency()), k_listed_in_full, "other warning sign");
      if (!answers.empty()) paragraph(join(answers, "; ") + ".", "Because you answered: ", "");
    }
    if (a_.is_partial()) {
      const std::size_t n = a_.unanswered.size();
      if (a_.urgency_is_floor) {
        paragraph(fmt::format("{}: {} question{} {} not answered. Act on this now: whatever the "
                              "answer{}, it is at least this urgent.",
                              style_.warn("PARTIAL RESULT"), n, n == 1 ? "" : "s",
                              n == 1 ? "was" : "were", n == 1 ? "" : "s"),
                  "", "");
      } else {
        paragraph(fmt::format("{}: from the answers so far. {} question{} that could change it {} "
                              "not answered.",
                              style_.warn("PARTIAL RESULT"), n, n == 1 ? "" : "s",
                              n == 1 ? "was" : "were"),
                  "", "");
      }
    }
    if (!a_.not_needed.empty()) {
      const std::size_t n = a_.not_needed.size();
      paragraph(fmt::format("({} more question{} could not change this result, so {} not needed.)",
                            n, n == 1 ? "" : "s", n == 1 ? "it was" : "they were"),
                "", "");
    }
  }

  // At a red flag the header lists what led there; past a few items the list would push the
  // action off the screen, so the rest is counted (--full and the JSON have every one).
  static constexpr std::size_t k_listed_in_full = 4;

  [[nodiscard]] std::vector<std::string> at_most(std::vector<std::string> items, std::size_t n,
                                                 std::string_view what) const {
    if (options_.full || items.size() <= n + 1) return items;
    const std::size_t rest = items.size() - n;
    items.resize(n);
    items.push_back(fmt::format("and {} {}{}", rest, what, rest == 1 ? "" : "s"));
    return items;
  }

  void causes() {
    if (a_.causes.empty()) return;
    const char* title = a_.causes.size() == 1 ? "Likely cause" : "Likely causes";
    // At a red flag the urgency already says which answers led here, and the causes are what a
    // doctor will check: their names, in a line or two.
    if (a_.is_red_flag() && !options_.full) {
      std::vector<std::string> names;
      // One sentence: every title after the first continues it ("A possible injury; a possible
      // nerve problem"), unless it starts with a capitalised word such as "IT band".
      for (const Index index : a_.causes) {
        const std::string name = clean(rules_.causes[index].title);
        names.push_back(names.empty() ? name : continued(name));
      }
      names = at_most(std::move(names), k_listed_in_full, "other possible cause");
      blank_line();
      paragraph(join(names, "; ") + ".", style_.bold(std::string(title) + ": "), "");
      return;
    }
    heading(title);
    for (const Index index : a_.causes) {
      const Cause& cause = rules_.causes[index];
      std::string line = clean(cause.title);
      const auto answers = answers_behind(a_.rules_concluding_cause(index));
      if (!answers.empty()) line += " \u2014 you said: " + join(answers, ", ");
      paragraph(line, k_bullet, "    ");
      if (options_.full) {
        paragraph(clean(cause.explanation), "    ", "    ");
        sources(cause.source, "    ");
      }
    }
  }

  void plan_section() {
    std::vector<Index> advice;
    for (const Index index : a_.advice) {
      if (options_.full || !rules_.advice[index].detail) advice.push_back(index);
    }
    const bool on_hold =
        !a_.urgency_level().on_hold.empty() &&
        (withheld_any(Withheld::What::exercise) || withheld_any(Withheld::What::plan_step));
    if (a_.exercises.empty()) {
      // No plan to follow (a red flag): what else to do now, and what is on hold, without a
      // plan heading, so that the action stays in view.
      if (!advice.empty() || on_hold) blank_line();
      for (const Index index : advice) {
        paragraph(clean(rules_.advice[index].text), k_bullet, "    ");
        if (options_.full) sources(rules_.advice[index].source, "    ");
      }
      if (on_hold && advice.empty()) {
        paragraph(clean(a_.urgency_level().on_hold), style_.bold("On hold: "), "");
      } else if (on_hold) {
        paragraph(clean(a_.urgency_level().on_hold), "  On hold: ", "           ");
      }
      return;
    }
    heading("Your plan");
    exercise_table();
    if (!a_.exercises.empty() && !advice.empty()) out_ += '\n';
    for (const Index index : advice) {
      paragraph(clean(rules_.advice[index].text), k_bullet, "    ");
      if (options_.full) sources(rules_.advice[index].source, "    ");
    }
    // What is held back is named, never described: its instructions would contradict the level.
    if (on_hold) {
      out_ += '\n';
      paragraph(clean(a_.urgency_level().on_hold), "  On hold: ", "           ");
    }
    if (options_.full) how_to();
  }

  // One row per exercise (name, dose, how often) with its form cue underneath, full width: the
  // cue is what makes the exercise work, and a column of its own would wrap it to ribbons.
  void exercise_table() {
    if (a_.exercises.empty()) return;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> cues_by_row;
    for (const Index index : a_.exercises) {
      const Exercise& exercise = rules_.exercises[index];
      std::vector<std::string> cues;
      for (const std::string& cue : exercise.cues) cues.push_back(clean(cue));
      if (!options_.full && cues.size() > 1) cues.resize(1);
      rows.push_back(
          {clean(exercise.name), clean(exercise.dose), clean(frequency_of(a_, exercise))});
      cues_by_row.push_back(cues.empty() ? std::string()
                                         : "\u21b3 " + capitalized(join(cues, "; ")));
    }
    const std::string laid_out = table({{"Exercise", 12}, {"Dose", 10}, {"How often", 10}}, rows,
                                       options_.width, k_indent, style_, cues_by_row);
    if (!laid_out.empty()) {
      out_ += laid_out;
      return;
    }
    // Too narrow for a table: one block per exercise.
    for (std::size_t r = 0; r < rows.size(); ++r) {
      paragraph(rows[r][0], k_indent, k_indent);
      paragraph(rows[r][1], "    Dose: ", "          ");
      paragraph(rows[r][2], "    How often: ", "               ");
      if (!cues_by_row[r].empty()) paragraph(cues_by_row[r], "    ", "      ");
    }
  }

  void how_to() {
    if (a_.exercises.empty()) return;
    heading("How to do the exercises");
    bool first = true;
    for (const Index index : a_.exercises) {
      const Exercise& exercise = rules_.exercises[index];
      if (!first) out_ += '\n';
      first = false;
      std::string name = clean(exercise.name);
      if (!exercise.start.empty()) name += " \u2014 start " + clean(exercise.start);
      paragraph(name, k_indent, "    ");
      paragraph(clean(exercise.how), "    ", "    ");
      sources(exercise.source, "    ");
    }
  }

  void back_to_running() {
    if (a_.plan.empty()) return;
    heading("Back to running");
    std::size_t number = 1;
    for (const Index index : a_.plan) {
      const std::string label = fmt::format("  {}. ", number++);
      paragraph(clean(rules_.plan[index].text), label, std::string(label.size(), ' '));
      if (options_.full) sources(rules_.plan[index].source, std::string(label.size(), ' '));
    }
  }

  // The level and the first sentence of the one thing to do now, repeated where the reader stops
  // reading: on a 24-row terminal the top of a long result has scrolled away by then.
  void now_again() {
    const std::string action = action_text();
    std::size_t end = action.find(". ");
    end = end == std::string::npos ? action.size() : end + 1;
    const std::string title = upper(clean(a_.urgency_level().title));
    blank_line();
    paragraph(action.substr(0, end),
              (a_.is_red_flag() ? style_.alarm(title) : style_.bold(title)) + " \u2014 now: ", "");
  }

  // The rules in force, each with what it matched and its sources; then, by title only, the
  // rules that fired but whose every conclusion this level withholds, so that nothing set aside
  // reads as part of the decision.
  void trace() {
    heading("How this was decided");
    if (a_.fired.empty()) {
      out_ += "  No rule fired.\n";
      return;
    }
    std::vector<const FiredRule*> held_back;
    bool first = true;
    for (const FiredRule& fired : a_.fired) {
      if (a_.held_back(fired)) {
        held_back.push_back(&fired);
        continue;
      }
      if (!first) out_ += '\n';
      first = false;
      traced_rule(fired);
    }
    if (held_back.empty()) return;
    if (!first) out_ += '\n';
    paragraph(a_.is_red_flag() ? "Held back at this level (what they give waits until the knee "
                                 "has been seen):"
                               : "Held back at this level:",
              k_indent, k_indent);
    for (const FiredRule* fired : held_back)
      paragraph(clean(rules_.rules[fired->rule].title), "    \u2022 ", "      ");
  }

  void traced_rule(const FiredRule& fired) {
    const Rule& rule = rules_.rules[fired.rule];
    std::string line = fmt::format("Rule {}: {}", clean(rule.id), clean(rule.title));
    if (rule.then.urgency)
      line += fmt::format(" (urgency: {})", clean(rules_.urgencies[*rule.then.urgency].id));
    paragraph(line, k_indent, "    ");
    for (const Match& match : fired.matched) {
      const std::string condition = describe_leaf_plainly(*match.leaf, rules_, match.negated);
      const std::string answer =
          match.answer ? "you answered " + clean(flag_value(*match.answer)) : "not answered";
      std::string text = fmt::format("{} \u2190 {}", clean(condition), answer);
      if (!match.via.empty()) text += fmt::format(" (via condition {})", clean(match.via));
      paragraph(text, "    matched: ", "             ");
    }
    sources(rule.source, "    ");
  }

  void disclaimer() {
    blank_line();
    paragraph(clean(rules_.disclaimer), "", "");
    if (options_.full || options_.explain) {
      out_ += style_.dim(fmt::format("Rules: {} ({} {})", clean(rules_.title), clean(rules_.id),
                                     clean(rules_.version)));
      out_ += '\n';
    }
  }

  const Assessment& a_;
  const RuleSet& rules_;
  const TextOptions& options_;
  const Style& style_;
  std::string out_;
};

}  // namespace

std::string render_text(const Assessment& assessment, const TextOptions& options) {
  return TextWriter(assessment, options).render();
}

}  // namespace kneetriage::cli
