// The text result over every answer combination (issue 8): what is withheld is never printed as
// an instruction (section 2), and the default result fits a terminal (section 4). The one
// answer-space walker (kneetriage/answer_space.hpp) visits every prefix (a runner may press q at
// any question) and every complete answer set. Results that show the same thing render the same
// text, so each distinct one is rendered once (see shown_key and quoted_answers_key).
//
// Both checks take the RuleSet; the last test cases break the knee rules on purpose and show the
// walk finds it.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "kneetriage/answer_space.hpp"
#include "kneetriage/answers.hpp"
#include "kneetriage/assessment.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/rules.hpp"
#include "kneetriage/value.hpp"
#include "terminal/describe.hpp"
#include "terminal/render.hpp"

namespace {

using kneetriage::Answers;
using kneetriage::Assessment;
using kneetriage::Index;
using kneetriage::RuleSet;
using kneetriage::Withheld;
using kneetriage::cli::TextOptions;

constexpr std::size_t k_width = 80;

// The most lines the default result may take at an urgency (issue 8, section 4).
std::size_t line_limit(std::string_view urgency) {
  if (urgency == "self-care") return 45;
  if (urgency == "see-doctor") return 35;
  return 20;  // urgent or emergency
}

kneetriage::RuleSet load(std::string_view text) {
  auto loaded = kneetriage::load_rules(text, "knee.json");
  for (const auto& d : loaded.diagnostics) UNSCOPED_INFO(kneetriage::to_string(d));
  REQUIRE(loaded.rules.has_value());
  return std::move(*loaded.rules);
}

const RuleSet& knee_rules() {
  static const RuleSet rules = load(kneetriage::builtin_rules_text());
  return rules;
}

// Runs of whitespace as one space, so that text wrapped over lines and indented still matches.
std::string squeezed(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::size_t code_points(std::string_view line) {
  return static_cast<std::size_t>(std::count_if(line.begin(), line.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

struct Layout {
  std::size_t lines = 0;
  std::size_t widest = 0;
  std::string widest_line;
};

Layout layout_of(std::string_view text) {
  Layout layout;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    ++layout.lines;
    if (const std::size_t width = code_points(line); width > layout.widest) {
      layout.widest = width;
      layout.widest_line = std::string(line);
    }
    start = end + 1;
  }
  return layout;
}

// Results that show the same thing render the same text, so each is rendered once. What a
// result shows and holds back: same_shown_result's fields and the withheld items. I is judged on
// these alone: the results under one key differ only in the answers they quote, and a quoted
// answer cannot make up a withheld item's instructions.
std::string shown_key(const Assessment& a) {
  std::string key;
  const auto add = [&](std::size_t n) {
    key += std::to_string(n);
    key += ',';
  };
  const auto list = [&](const kneetriage::Indices& items) {
    for (const Index i : items) add(i);
    key += ';';
  };
  add(a.urgency);
  add(a.action ? *a.action + 1 : 0);
  list(a.causes);
  list(a.advice);
  list(a.exercises);
  list(a.plan);
  for (const Withheld& w : a.withheld) {
    add(static_cast<std::size_t>(w.what));
    add(w.index);
  }
  return key;
}

// The default text result (J) also quotes answers: at a red flag those behind the rules that set
// the urgency, otherwise those behind the rules that conclude a cause.
std::string quoted_answers_key(const Assessment& a) {
  const RuleSet& rules = *a.rules;
  std::string key;
  for (const auto& fired : a.fired) {
    const auto& then = rules.rules[fired.rule].then;
    const bool quoted =
        a.is_red_flag() ? then.urgency && *then.urgency == a.urgency
                        : std::any_of(then.causes.begin(), then.causes.end(), [&](Index c) {
                            return std::find(a.causes.begin(), a.causes.end(), c) != a.causes.end();
                          });
    if (!quoted) continue;
    key += std::to_string(fired.rule) + ':';
    for (const auto& match : fired.matched) {
      if (match.negated || !match.answer) continue;
      key += std::to_string(match.fact) + "=" + kneetriage::display(*match.answer) + ",";
    }
    key += ';';
  }
  return key;
}

// I: the instructions of what is withheld. Empty texts are skipped.
std::vector<std::pair<std::string, std::string>> withheld_texts(const Assessment& a) {
  const RuleSet& rules = *a.rules;
  std::vector<std::pair<std::string, std::string>> texts;  // what, squeezed text
  for (const Withheld& w : a.withheld) {
    switch (w.what) {
      case Withheld::What::plan_step:
        texts.emplace_back("plan step " + rules.plan[w.index].id, rules.plan[w.index].text);
        break;
      case Withheld::What::advice:
        texts.emplace_back("advice " + rules.advice[w.index].id, rules.advice[w.index].text);
        break;
      case Withheld::What::exercise:
        texts.emplace_back("how to do exercise " + rules.exercises[w.index].id,
                           rules.exercises[w.index].how);
        break;
      case Withheld::What::cause:
        break;  // set aside, not an instruction
    }
  }
  for (auto& [what, text] : texts) text = squeezed(text);
  texts.erase(std::remove_if(texts.begin(), texts.end(),
                             [](const auto& entry) { return entry.second.empty(); }),
              texts.end());
  return texts;
}

enum class Check { withheld_printed, too_long, too_wide };

struct Finding {
  Check check;
  std::string answers;  // as flags
  std::string what;
};

struct Report {
  kneetriage::WalkEnd end = kneetriage::WalkEnd::finished;
  std::size_t visited = 0, complete = 0, rendered = 0;
  std::size_t distinct = 0;              // distinct default results of complete answer sets
  std::vector<std::size_t> max_lines;    // per urgency, default result of complete answer sets
  std::vector<std::string> max_answers;  // the answers that gave it
  std::size_t widest = 0;
  std::vector<Finding> findings;                                 // the first few of each check
  std::size_t withheld_printed = 0, too_long = 0, too_wide = 0;  // distinct results failing
  double seconds = 0;
};

struct Options {
  std::size_t render_width = k_width;  // what render_text is given; the limit stays k_width
  std::optional<Check> stop_at;        // end the walk at the first finding of this check
};

// Walks every prefix and complete answer set, rendering each distinct result: I over all of them
// (the default result, and with --full --explain), J (the default result) over the complete ones.
// Only complete answer sets count towards the line maxima.
Report walk(const RuleSet& rules, const Options& options = {}) {
  Report report;
  report.max_lines.assign(rules.urgencies.size(), 0);
  report.max_answers.assign(rules.urgencies.size(), "");
  std::unordered_set<std::string> judged_withheld;  // by shown_key
  std::unordered_set<std::string> judged_layout;    // by shown_key and quoted_answers_key
  TextOptions plain;                                // 80 columns, no colour
  plain.width = options.render_width;
  // --full and --explain each add to the default result; one render with both shows all of it.
  TextOptions everything = plain;
  everything.full = true;
  everything.explain = true;
  const auto record = [&](Check check, std::size_t& count, const Answers& answers, bool complete,
                          std::string what) {
    ++count;
    if (std::count_if(report.findings.begin(), report.findings.end(),
                      [&](const Finding& f) { return f.check == check; }) < 3)
      report.findings.push_back(
          {check, kneetriage::command_line(rules, answers) + (complete ? "" : "  (partial)"),
           std::move(what)});
    return !(options.stop_at && *options.stop_at == check);
  };

  const auto start = std::chrono::steady_clock::now();
  report.end = kneetriage::walk_answer_space(
      rules, Answers(rules),
      [&](const Answers& answers, bool complete) {
        ++report.visited;
        const Assessment a = kneetriage::assess(rules, answers);
        std::string key = shown_key(a);
        bool go_on = true;
        // I, over every answer set: the default result, and with --full --explain.
        const auto withheld =
            judged_withheld.insert(key).second ? withheld_texts(a) : decltype(withheld_texts(a)){};
        if (!withheld.empty()) {
          for (const TextOptions* o : {&plain, &everything}) {
            const std::string shown = squeezed(kneetriage::cli::render_text(a, *o));
            ++report.rendered;
            for (const auto& [what, instruction] : withheld) {
              if (shown.find(instruction) == std::string::npos) continue;
              go_on = record(Check::withheld_printed, report.withheld_printed, answers, complete,
                             std::string(o == &plain ? "the default" : "the --full --explain") +
                                 " result at " + rules.urgencies[a.urgency].id +
                                 " prints the withheld " + what + ": \"" + instruction + "\"") &&
                      go_on;
            }
          }
        }
        if (!complete) return go_on;
        // J, over the complete answer sets: the default result.
        ++report.complete;
        key += '|' + quoted_answers_key(a);
        if (!judged_layout.insert(std::move(key)).second) return go_on;
        ++report.distinct;
        const Layout layout = layout_of(kneetriage::cli::render_text(a, plain));
        ++report.rendered;
        const std::string& level = rules.urgencies[a.urgency].id;
        if (layout.lines > report.max_lines[a.urgency]) {
          report.max_lines[a.urgency] = layout.lines;
          report.max_answers[a.urgency] = kneetriage::command_line(rules, answers);
        }
        report.widest = std::max(report.widest, layout.widest);
        if (layout.lines > line_limit(level))
          go_on = record(Check::too_long, report.too_long, answers, true,
                         std::to_string(layout.lines) + " lines at " + level + " (at most " +
                             std::to_string(line_limit(level)) + ")") &&
                  go_on;
        if (layout.widest > k_width)
          go_on =
              record(Check::too_wide, report.too_wide, answers, true,
                     std::to_string(layout.widest) + " columns: \"" + layout.widest_line + "\"") &&
              go_on;
        return go_on;
      },
      /*prefixes=*/true);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

std::string findings(const Report& report, Check check) {
  std::string out;
  for (const auto& f : report.findings) {
    if (f.check == check) out += "\n  " + f.answers + "\n      " + f.what;
  }
  return out;
}

}  // namespace

TEST_CASE("I and J: withheld items are never printed and the default result fits 80 columns",
          "[result][knee][exhaustive]") {
  const RuleSet& rules = knee_rules();
  const Report report = walk(rules);

  std::string per_level;
  for (Index u = 0; u < rules.urgencies.size(); ++u) {
    per_level += "\n  " + rules.urgencies[u].id + ": at most " +
                 std::to_string(report.max_lines[u]) + " lines (limit " +
                 std::to_string(line_limit(rules.urgencies[u].id)) + "), e.g. " +
                 report.max_answers[u];
  }
  WARN("text results: " << report.visited << " answer sets (" << report.complete << " complete), "
                        << report.distinct << " distinct results of complete sets, "
                        << report.rendered << " renders, widest line " << report.widest
                        << " columns, " << report.seconds << " s" << per_level);
  REQUIRE(report.end == kneetriage::WalkEnd::finished);
  CHECK(report.complete > 0);
  {
    INFO("I. withheld items printed as instructions in "
         << report.withheld_printed << " distinct results, e.g."
         << findings(report, Check::withheld_printed));
    CHECK(report.withheld_printed == 0);
  }
  {
    INFO("J. the default result is too long in " << report.too_long << " distinct results, e.g."
                                                 << findings(report, Check::too_long));
    CHECK(report.too_long == 0);
  }
  {
    INFO("J. the default result is wider than 80 columns in "
         << report.too_wide << " distinct results, e.g." << findings(report, Check::too_wide));
    CHECK(report.too_wide == 0);
  }
}

TEST_CASE("I and J broken on purpose are caught by the walk", "[result][knee][exhaustive]") {
  using Json = nlohmann::ordered_json;
  Json document = Json::parse(kneetriage::builtin_rules_text());
  const auto by_id = [](Json& array, std::string_view id) -> Json& {
    const auto found = std::find_if(array.begin(), array.end(),
                                    [&](const Json& item) { return item.value("id", "") == id; });
    INFO("id " << id);
    REQUIRE(found != array.end());
    return *found;
  };
  Options options;
  Check expected = Check::withheld_printed;
  SECTION("I: see-doctor's on-hold line quotes the withheld gradual return") {
    // What the issue saw: "Keep running, but ease back…" printed in the "Not for now" section.
    by_id(document["urgencies"], "see-doctor")["on_hold"] =
        by_id(document["plan"], "gradual-return")["text"];
    expected = Check::withheld_printed;
  }
  SECTION("I: a shown cue repeats how to do a withheld exercise") {
    // At see-doctor the glute bridge is shown and the squat withheld.
    by_id(document["exercises"], "glute-bridge")["cues"].push_back(
        by_id(document["exercises"], "squat")["how"]);
    expected = Check::withheld_printed;
  }
  SECTION("J: the urgent action runs to many lines") {
    auto& action = by_id(document["urgencies"], "urgent")["action"];
    std::string longer = action.get<std::string>();
    for (int i = 0; i < 4; ++i) longer += " " + longer;
    action = longer;
    expected = Check::too_long;
  }
  SECTION("J: rendered for 100 columns, the result is wider than 80") {
    options.render_width = 100;
    expected = Check::too_wide;
  }
  options.stop_at = expected;
  const RuleSet rules = load(document.dump(2));
  const Report report = walk(rules, options);
  INFO("walk stopped after " << report.visited << " answer sets, " << report.seconds << " s");
  INFO("found:" << findings(report, expected));
  CHECK(report.end == kneetriage::WalkEnd::stopped);
  CHECK_FALSE(findings(report, expected).empty());
}
