#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "describe.hpp"
#include "layout.hpp"
#include "render.hpp"

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

// Everything from the rules file passes through here before it is laid out.
std::string clean(std::string_view text) {
  return sanitize(text);
}

class TextWriter {
 public:
  TextWriter(const Assessment& assessment, const TextOptions& options)
      : a_(assessment), rules_(*assessment.rules), options_(options), style_(options.style) {}

  std::string render() {
    urgency();
    causes();
    advice();
    exercises();
    withheld();
    plan();
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

  // "Does the pain affect both knees, or one? Both knees"
  [[nodiscard]] std::string answered(const Match& match) const {
    const Question& question = rules_.questions[match.fact];
    return fmt::format("{} \u2192 {}", clean(question.text),
                       capitalized(clean(answer_label(question, *match.answer))));
  }

  // The answers behind these fired rules, each question once, in the order the rules saw them.
  [[nodiscard]] std::vector<std::string> answers_behind(const Indices& fired_indices) const {
    std::vector<std::string> lines;
    std::vector<std::size_t> seen;
    for (const Index f : fired_indices) {
      for (const Match& match : a_.fired[f].matched) {
        if (!match.answer || std::find(seen.begin(), seen.end(), match.fact) != seen.end())
          continue;
        seen.push_back(match.fact);
        lines.push_back(answered(match));
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

  void urgency() {
    const Urgency& level = a_.urgency_level();
    const std::string title = upper(clean(level.title));
    if (a_.is_red_flag()) {
      out_ += style_.alarm("!! " + title + " !!");
    } else {
      out_ += style_.bold(title);
    }
    out_ += '\n';
    paragraph(clean(level.action), "", "");
    if (!a_.is_red_flag()) return;
    // Say which answers raised the flag: those behind the rules that set this urgency.
    Indices setting;
    for (Index f = 0; f < a_.fired.size(); ++f) {
      const auto& concluded = rules_.rules[a_.fired[f].rule].then.urgency;
      if (concluded && *concluded == a_.urgency) setting.push_back(f);
    }
    const auto lines = answers_behind(setting);
    if (lines.empty()) return;
    out_ += "Because you answered:\n";
    for (const std::string& line : lines) paragraph(line, k_bullet, "    ");
  }

  void causes() {
    if (a_.causes.empty()) return;
    heading(a_.causes.size() == 1 ? "Likely cause" : "Likely causes");
    bool first = true;
    for (const Index index : a_.causes) {
      const Cause& cause = rules_.causes[index];
      if (!first) out_ += '\n';
      first = false;
      out_ += k_indent;
      out_ += style_.bold(clean(cause.title));
      out_ += '\n';
      paragraph(clean(cause.explanation), "    ", "    ");
      const auto lines = answers_behind(a_.rules_concluding_cause(index));
      if (!lines.empty()) {
        out_ += "    Because you answered:\n";
        for (const std::string& line : lines) paragraph(line, "      \u2022 ", "        ");
      }
      sources(cause.source, "    ");
    }
  }

  void advice() {
    if (a_.advice.empty()) return;
    heading("What to do");
    for (const Index index : a_.advice)
      paragraph(clean(rules_.advice[index].text), k_bullet, "    ");
  }

  void exercises() {
    if (a_.exercises.empty()) return;
    heading("Exercise plan");
    std::vector<std::vector<std::string>> rows;
    for (const Index index : a_.exercises) {
      const Exercise& exercise = rules_.exercises[index];
      std::vector<std::string> cues;
      for (const std::string& cue : exercise.cues) cues.push_back(clean(cue));
      rows.push_back({clean(exercise.name), clean(exercise.dose), clean(exercise.frequency),
                      capitalized(join(cues, "; "))});
    }
    const std::string laid_out =
        table({{"Exercise", 20}, {"Dose", 10}, {"How often", 10}, {"Form cue", 16}}, rows,
              options_.width, k_indent, style_);
    if (!laid_out.empty()) {
      out_ += laid_out;
    } else {
      // Too narrow for a table: one block per exercise.
      for (const auto& row : rows) {
        paragraph(row[0], k_indent, k_indent);
        paragraph(row[1], "    Dose: ", "          ");
        paragraph(row[2], "    How often: ", "               ");
        paragraph(row[3], "    Form cue: ", "              ");
      }
    }
    heading("How to do them");
    bool first = true;
    for (const Index index : a_.exercises) {
      const Exercise& exercise = rules_.exercises[index];
      if (!first) out_ += '\n';
      first = false;
      std::string name = clean(exercise.name);
      if (!exercise.start.empty()) name += " \u2014 start " + clean(exercise.start);
      paragraph(name, k_indent, "    ");
      paragraph(clean(exercise.how), "    ", "    ");
    }
  }

  // Withheld advice is not repeated here: it is background for looking after the knee yourself,
  // and listing it would bury the one thing to do now. The JSON document lists it under withheld.
  void withheld() {
    const bool any_shown = std::any_of(a_.withheld.begin(), a_.withheld.end(), [](const Withheld& w) {
      return w.what != Withheld::What::advice;
    });
    if (!any_shown) return;
    heading(fmt::format("Not for now (left out because the result is \u201c{}\u201d)",
                        clean(a_.urgency_level().title)));
    std::vector<std::string> exercises;
    std::vector<std::string> steps;
    for (const Withheld& item : a_.withheld) {
      switch (item.what) {
        case Withheld::What::exercise:
          exercises.push_back(clean(rules_.exercises[item.index].name));
          break;
        case Withheld::What::advice:
          break;
        case Withheld::What::plan_step:
          steps.push_back(clean(rules_.plan[item.index].text));
          break;
      }
    }
    if (!exercises.empty()) paragraph(join(exercises, ", "), "  Exercises: ", "    ");
    // Plan steps are sentences: one bullet each, under a label.
    const auto group = [&](std::string_view label, const std::vector<std::string>& texts) {
      if (texts.empty()) return;
      out_ += "  ";
      out_ += label;
      out_ += '\n';
      for (const std::string& text : texts) paragraph(text, "    \u2022 ", "      ");
    };
    group("Back to running:", steps);
  }

  void plan() {
    if (a_.plan.empty()) return;
    heading("Back to running");
    std::size_t number = 1;
    for (const Index index : a_.plan) {
      const std::string label = fmt::format("  {}. ", number++);
      paragraph(clean(rules_.plan[index].text), label, std::string(label.size(), ' '));
    }
  }

  void trace() {
    heading("How this was decided");
    if (a_.fired.empty()) {
      out_ += "  No rule fired.\n";
      return;
    }
    bool first = true;
    for (const FiredRule& fired : a_.fired) {
      const Rule& rule = rules_.rules[fired.rule];
      if (!first) out_ += '\n';
      first = false;
      std::string line = fmt::format("Rule {}: {}", clean(rule.id), clean(rule.title));
      if (rule.then.urgency)
        line += fmt::format(" (urgency: {})", clean(rules_.urgencies[*rule.then.urgency].id));
      paragraph(line, k_indent, "    ");
      for (const Match& match : fired.matched) {
        std::string condition = describe_leaf(*match.leaf, rules_);
        if (match.negated) condition = fmt::format("not ({})", condition);
        const std::string answer =
            match.answer ? "you answered " + clean(flag_value(*match.answer)) : "not answered";
        std::string text = fmt::format("{} \u2190 {}", clean(condition), answer);
        if (!match.via.empty()) text += fmt::format(" (via condition {})", clean(match.via));
        paragraph(text, "    matched: ", "             ");
      }
      sources(rule.source, "    ");
    }
  }

  void disclaimer() {
    blank_line();
    paragraph(clean(rules_.disclaimer), "", "");
    out_ += style_.dim(fmt::format("Rules: {} ({} {})", clean(rules_.title), clean(rules_.id),
                                   clean(rules_.version)));
    out_ += '\n';
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
