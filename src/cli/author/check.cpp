// `kneetriage check FILE…`: lints rules files, reporting every problem of every file, as
// `opa check` does for policies; then analyses each valid file's symbolic model to prove its
// invariants and to find rules that can never fire, items that can never be shown and questions
// that never change the result.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

#include "context.hpp"
#include "errors.hpp"
#include "kneetriage/rule_analysis.hpp"
#include "terminal/describe.hpp"
#include "terminal/io.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

namespace {

using Json = nlohmann::ordered_json;

// A problem found by the analysis, with the lines that follow it (a counterexample).
struct Finding {
  Diagnostic diagnostic;
  std::vector<std::string> more;
};

// "kneetriage --rules FILE --knees one …", the answers as flags a rule author can paste.
std::string pasteable(const RuleSet& rules, const Answers& answers, const RulesSource& source) {
  std::string line = command_line(rules, answers);
  if (source.path) line.insert(std::string("kneetriage").size(), " --rules " + *source.path);
  return sanitize(line);
}

// What the analysis found wrong with `rules`: violated invariants, questions that never change the
// result, dead rules, items never shown.
std::vector<Finding> findings(const RuleSet& rules, const RuleAnalysis& analysis,
                              const std::string& file, const RulesSource& source) {
  std::vector<Finding> out;
  const auto add = [&](std::string pointer, std::string what, std::string hint,
                       std::vector<std::string> more = {}) {
    out.push_back({Diagnostic{file, 0, 0, std::move(pointer), std::move(what), std::move(hint)},
                   std::move(more)});
  };
  for (Index i = 0; i < rules.invariants.size(); ++i) {
    const InvariantResult& result = analysis.invariants[i];
    if (result.violations == 0 || !result.example) continue;
    std::vector<std::string> more{"  counterexample" +
                                  std::string(result.example_complete
                                                  ? ":"
                                                  : " (a partial answer set, as a runner who "
                                                    "stops there sees it):")};
    more.push_back(shell_wrap(pasteable(rules, *result.example, source), 80, "    "));
    add(fmt::format("/invariants/{}", i),
        fmt::format("invariant '{}' fails for {} answer sets: {}", rules.invariants[i].id,
                    count_text(result.violations), result.what),
        rules.invariants[i].why, std::move(more));
  }
  if (analysis.end != WalkEnd::finished) return out;  // a partial walk proves nothing dead
  for (Index q = 0; q < rules.questions.size() && q < analysis.changes_result.size(); ++q) {
    if (analysis.changes_result[q]) continue;
    std::vector<std::string> readers;
    for (const Rule& rule : rules.rules)
      if (questions_read(rule.when, rules)[q]) readers.push_back(rule.id);
    add(fmt::format("/questions/{}", q),
        fmt::format("question '{}' never changes what is shown", rules.questions[q].id),
        readers.empty()
            ? std::string("no rule reads it; make a rule depend on it, or stop asking it")
            : fmt::format("whatever the other answers, the rules that read it ({}) give the same "
                          "urgency, action, causes, advice, exercises and plan for each of its "
                          "answers; make the result depend on it, or stop asking it",
                          fmt::join(readers, ", ")));
  }
  for (Index r = 0; r < rules.rules.size(); ++r) {
    if (analysis.rule_fires[r] > 0) continue;
    add(fmt::format("/rules/{}", r), fmt::format("rule '{}' can never fire", rules.rules[r].id),
        fmt::format("no answer set of {} makes its 'when' hold; check the values it compares "
                    "and the ask_if of the questions it reads",
                    count_text(analysis.answer_sets)));
  }
  const auto never = [&](std::string_view section, std::string_view label, const auto& items,
                         const std::vector<std::size_t>& shown, Indices Conclusion::*list,
                         bool is_advice) {
    for (Index i = 0; i < items.size(); ++i) {
      if (shown[i] > 0) continue;
      std::vector<std::string> by;
      for (const Rule& rule : rules.rules) {
        const Indices& concluded = rule.then.*list;
        const bool action = is_advice && rule.then.action && *rule.then.action == i;
        if (action || std::find(concluded.begin(), concluded.end(), i) != concluded.end())
          by.push_back(rule.id);
      }
      std::string hint = by.empty()
                             ? "no rule concludes it; conclude it from a rule or remove it"
                             : fmt::format(
                                   "the rules that conclude it ({}) never fire at an urgency "
                                   "that lets its kind through",
                                   fmt::join(by, ", "));
      add(fmt::format("/{}/{}", section, i),
          fmt::format("{} '{}' can never be shown", label, items[i].id), std::move(hint));
    }
  };
  never("causes", "cause", rules.causes, analysis.shown.causes, &Conclusion::causes, false);
  never("advice", "advice", rules.advice, analysis.shown.advice, &Conclusion::advice, true);
  never("exercises", "exercise", rules.exercises, analysis.shown.exercises, &Conclusion::exercises,
        false);
  never("plan", "plan step", rules.plan, analysis.shown.plan, &Conclusion::plan, false);
  return out;
}

Json diagnostic_json(const Diagnostic& d) {
  Json out;
  out["file"] = d.file;
  out["line"] = d.line;
  out["column"] = d.column;
  out["pointer"] = d.pointer;
  out["what"] = d.what;
  out["hint"] = d.hint;
  return out;
}

Json analysis_json(const RuleSet& rules, const RuleAnalysis& analysis, const RulesSource& source) {
  Json out;
  out["complete"] = analysis.end == WalkEnd::finished;
  out["answer_sets"] = analysis.answer_sets;
  out["partial_answer_sets"] = analysis.partial_sets;
  Json urgencies = Json::object();
  for (Index u = 0; u < rules.urgencies.size(); ++u)
    urgencies[rules.urgencies[u].id] = analysis.per_urgency[u];
  out["urgencies"] = std::move(urgencies);
  Json fired = Json::array();
  for (Index r = 0; r < rules.rules.size(); ++r)
    fired.push_back({{"id", rules.rules[r].id}, {"answer_sets", analysis.rule_fires[r]}});
  out["rules"] = std::move(fired);
  Json questions = Json::array();
  for (Index q = 0; q < rules.questions.size(); ++q) {
    // null when the walk did not finish: nothing is known about the question then.
    const bool known = q < analysis.changes_result.size();
    questions.push_back(
        {{"id", rules.questions[q].id},
         {"changes_result", known ? Json(static_cast<bool>(analysis.changes_result[q])) : Json()}});
  }
  out["questions"] = std::move(questions);
  const auto shown = [](const auto& items, const std::vector<std::size_t>& counts) {
    Json list = Json::array();
    for (Index i = 0; i < items.size(); ++i)
      list.push_back({{"id", items[i].id}, {"answer_sets", counts[i]}});
    return list;
  };
  out["shown"] = {{"causes", shown(rules.causes, analysis.shown.causes)},
                  {"advice", shown(rules.advice, analysis.shown.advice)},
                  {"exercises", shown(rules.exercises, analysis.shown.exercises)},
                  {"plan", shown(rules.plan, analysis.shown.plan)}};
  Json invariants = Json::array();
  for (Index i = 0; i < rules.invariants.size(); ++i) {
    const InvariantResult& result = analysis.invariants[i];
    Json entry{{"id", rules.invariants[i].id},
               {"holds", result.violations == 0 && analysis.end == WalkEnd::finished},
               {"violations", result.violations}};
    if (result.example) {
      entry["counterexample"] = {{"answers", answers_to_json(rules, *result.example)},
                                 {"complete", result.example_complete},
                                 {"command", pasteable(rules, *result.example, source)},
                                 {"what", result.what}};
    }
    invariants.push_back(std::move(entry));
  }
  out["invariants"] = std::move(invariants);
  return out;
}

// Checks one rules file: fills `document` (its JSON report) and, unless JSON is wanted, prints the
// findings. Returns the file's exit status.
ExitStatus check_one(const RulesSource& source, bool want_json, Json& document) {
  ExitStatus status = ExitStatus::ok;
  const std::string name = source.path ? display_name(*source.path) : std::string("<built-in>");
  const std::string shown_name = source.path ? sanitize(name) : "the built-in rules";
  document["file"] = name;
  const std::string text =
      source.path ? read_file(*source.path) : std::string(builtin_rules_text());
  LoadResult loaded = load_rules(text, name);
  Diagnostics diagnostics = std::move(loaded.diagnostics);
  std::vector<std::vector<std::string>> more(diagnostics.size());
  std::optional<RuleAnalysis> analysis;
  double seconds = 0;
  if (loaded.rules) {
    const auto start = std::chrono::steady_clock::now();
    analysis = analyse_rules(*loaded.rules);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::vector<Finding> found = findings(*loaded.rules, *analysis, name, source);
    Diagnostics walked;
    for (const Finding& f : found) walked.push_back(f.diagnostic);
    add_positions(walked, text);
    for (std::size_t i = 0; i < found.size(); ++i) {
      diagnostics.push_back(std::move(walked[i]));
      more.push_back(std::move(found[i].more));
    }
  }
  const bool unproved = analysis && analysis->end != WalkEnd::finished;
  const bool unproved_invariants = unproved && !loaded.rules->invariants.empty();
  if (!diagnostics.empty() || unproved_invariants) status = ExitStatus::data;

  document["valid"] = status == ExitStatus::ok;
  Json list = Json::array();
  for (const Diagnostic& d : diagnostics) list.push_back(diagnostic_json(d));
  document["diagnostics"] = std::move(list);
  if (analysis) document["analysis"] = analysis_json(*loaded.rules, *analysis, source);
  if (want_json) return status;

  // The first line says how many, as for any rules file that is not valid (context.cpp).
  if (!diagnostics.empty()) {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < diagnostics.size(); ++i) {
      lines.push_back(sanitize(to_string(diagnostics[i])));
      lines.insert(lines.end(), more[i].begin(), more[i].end());
    }
    report(fmt::format("the rules file {} has {}{}", sanitize(name),
                       diagnostics.size() == 1 ? std::string("a problem")
                                               : std::to_string(diagnostics.size()) + " problems",
                       analysis ? fmt::format(" (found over {} answer sets in {:.1f} s)",
                                              count_text(analysis->answer_sets), seconds)
                                : std::string()),
           lines);
  }
  if (unproved) {
    fmt::print(stderr,
               "{}: could not walk every answer set: there are more than {}\n"
               "  (or a question's values cannot be listed: a decimal number, more than 12\n"
               "  choices of a multi question); {}\n",
               shown_name, count_text(k_answer_space_bound),
               unproved_invariants ? "the invariants are NOT proved"
                                   : "dead rules, items and questions were not looked for");
  }
  if (loaded.rules && diagnostics.empty() && !unproved_invariants) {
    fmt::print(stderr,
               "ok: {} questions, {} rules, {} invariants proved over {} answer sets ({} "
               "partial) in {:.1f} s ({})\n",
               loaded.rules->questions.size(), loaded.rules->rules.size(),
               loaded.rules->invariants.size(), count_text(analysis->answer_sets),
               count_text(analysis->partial_sets), seconds, shown_name);
  }
  return status;
}

}  // namespace

Command register_check(CLI::App& app, Context& context) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* command = app.add_subcommand(
      "check",
      "Check rules files and report every problem found (file:line:column: /pointer: what "
      "(hint)); then prove each file's invariants over every answer set (a counterexample "
      "for each that fails) and report rules that can never fire, items that can never be "
      "shown and questions whose answer never changes the result. With no FILE, checks the "
      "rules in effect. --format json prints, per file, the "
      "problems and how many answer sets fire each rule. Exit status 0 when all are valid, "
      "65 when any is not, 66 when any cannot be read.");
  command->add_option("FILE", *files, "Rules files to check; - reads standard input")
      ->type_name("FILE");
  add_format_option(*command, context, {"text", "json"},
                    "text: the problems on stderr (the default); json: per file, the problems and "
                    "how many answer sets fire each rule, on stdout");
  command->footer(
      "Examples:\n"
      "  kneetriage check my-rules.json\n"
      "  kneetriage check --format json my-rules.json | jq '.files[].diagnostics'\n"
      "  kneetriage --rules my-rules.json check");
  return {command, [files, &context] {
            std::vector<RulesSource> sources;
            for (const std::string& file : *files) sources.push_back({file, "check"});
            if (sources.empty()) sources.push_back(context.rules_source);
            const bool want_json = context.format() == Format::json;
            ExitStatus worst = ExitStatus::ok;
            Json documents = Json::array();
            for (const RulesSource& source : sources) {
              try {
                Json document;
                const ExitStatus status = check_one(source, want_json, document);
                if (worst == ExitStatus::ok) worst = status;
                documents.push_back(std::move(document));
              } catch (const Error& error) {
                report(error);
                // A file that cannot be read outranks one that is wrong.
                if (error.status() == ExitStatus::no_input || worst == ExitStatus::ok)
                  worst = error.status();
              }
            }
            if (want_json) {
              Json out;
              out["schema"] = "kneetriage/check/1";
              out["files"] = std::move(documents);
              write_stdout(out.dump(2) + "\n");
            }
            return to_int(worst);
          }};
}

}  // namespace kneetriage::cli
