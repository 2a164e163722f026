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

// Which rules a walk covered: the questionnaire's, or the follow-up section's (facts for answers).
struct Part {
  std::string prefix;  // of the JSON pointers: "" or "/follow_up"
  std::string_view questions = "questions";
  std::string_view question = "question";
  std::string_view answer_sets = "answer sets";
  bool follow_up = false;
};

const Part k_questionnaire{};
const Part k_follow_up{"/follow_up", "facts", "fact", "sets of facts", true};

// What the analysis found wrong with `rules`: violated invariants, questions that never change the
// result, dead rules, items never shown. Items are the questionnaire's part's to report, over
// both analyses: the follow-up section shares the catalogues (`follow_up`, when there is one).
std::vector<Finding> findings(const RuleSet& rules, const RuleAnalysis& analysis,
                              const std::string& file, const RulesSource& source,
                              const Part& part = k_questionnaire,
                              const RuleSet* follow_up = nullptr, bool items_known = true) {
  std::vector<Finding> out;
  const auto add = [&](std::string pointer, std::string what, std::string hint,
                       std::vector<std::string> more = {}) {
    out.push_back({Diagnostic{file, 0, 0, std::move(pointer), std::move(what), std::move(hint)},
                   std::move(more)});
  };
  for (Index i = 0; i < rules.invariants.size(); ++i) {
    const InvariantResult& result = analysis.invariants[i];
    if (result.violations == 0 || !result.example) continue;
    std::vector<std::string> more;
    if (part.follow_up) {
      // As a test case's "facts" (docs/rules-format.md), to paste into one.
      more.push_back(std::string("  counterexample (facts") +
                     (result.example_complete ? "" : "; those not listed are unknown") + "):");
      more.push_back("    " + sanitize(answers_to_json(rules, *result.example).dump()));
    } else {
      more.push_back("  counterexample" +
                     std::string(result.example_complete
                                     ? ":"
                                     : " (a partial answer set, as a runner who "
                                       "stops there sees it):"));
      more.push_back(shell_wrap(pasteable(rules, *result.example, source), 80, "    "));
    }
    add(fmt::format("{}/invariants/{}", part.prefix, i),
        fmt::format("invariant '{}' fails for {} {}: {}", rules.invariants[i].id,
                    count_text(result.violations), part.answer_sets, result.what),
        rules.invariants[i].why, std::move(more));
  }
  if (analysis.end != WalkEnd::finished) return out;  // a partial walk proves nothing dead
  for (Index q = 0; q < rules.questions.size() && q < analysis.changes_result.size(); ++q) {
    if (analysis.changes_result[q]) continue;
    std::vector<std::string> readers;
    for (const Rule& rule : rules.rules)
      if (questions_read(rule.when, rules)[q]) readers.push_back(rule.id);
    add(fmt::format("{}/{}/{}", part.prefix, part.questions, q),
        fmt::format("{} '{}' never changes what is shown", part.question, rules.questions[q].id),
        readers.empty()
            ? fmt::format("no rule reads it; make a rule depend on it, or {}",
                          part.follow_up ? "leave the fact out" : "stop asking it")
            : fmt::format("whatever the other answers, the rules that read it ({}) give the same "
                          "urgency, action, causes, advice, exercises and plan for each of its "
                          "answers; make the result depend on it, or stop asking it",
                          fmt::join(readers, ", ")));
  }
  for (Index r = 0; r < rules.rules.size(); ++r) {
    if (analysis.rule_fires[r] > 0) continue;
    add(fmt::format("{}/rules/{}", part.prefix, r),
        fmt::format("rule '{}' can never fire", rules.rules[r].id),
        fmt::format("none of the {} {} makes its 'when' hold; check the values it compares{}",
                    count_text(analysis.answer_sets), part.answer_sets,
                    part.follow_up ? "" : " and the ask_if of the questions it reads"));
  }
  if (part.follow_up || !items_known) return out;  // catalogues: once, over both walks
  for (const CatalogueKind kind : k_catalogue_kinds) {
    const std::vector<std::size_t>& shown = analysis.shown.of(kind);
    for (Index i = 0; i < catalogue_size(rules, kind); ++i) {
      if (shown[i] > 0) continue;
      std::vector<std::string> by;
      const auto concluding = [&](const std::vector<Rule>& list_of_rules) {
        for (const Rule& rule : list_of_rules) {
          const Indices& items = concluded(rule.then, kind);
          const bool action =
              kind == CatalogueKind::advice && rule.then.action && *rule.then.action == i;
          if (action || std::find(items.begin(), items.end(), i) != items.end())
            by.push_back(rule.id);
        }
      };
      concluding(rules.rules);
      if (follow_up != nullptr) concluding(follow_up->rules);
      std::string hint = by.empty()
                             ? "no rule concludes it; conclude it from a rule or remove it"
                             : fmt::format(
                                   "the rules that conclude it ({}) never fire at an urgency "
                                   "that lets its kind through",
                                   fmt::join(by, ", "));
      add(fmt::format("/{}/{}", catalogue_key(kind), i),
          fmt::format("{} '{}' can never be shown", item_label(kind), item_id(rules, kind, i)),
          std::move(hint));
    }
  }
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

// `follow_up`: the follow-up section's walk, reported under "follow_up" (null: none).
Json analysis_json(const RuleSet& rules, const RuleAnalysis& analysis, const RulesSource& source,
                   const RuleAnalysis* follow_up) {
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
  Json shown = Json::object();
  for (const CatalogueKind kind : k_catalogue_kinds) {
    Json list = Json::array();
    for (Index i = 0; i < catalogue_size(rules, kind); ++i)
      list.push_back(
          {{"id", item_id(rules, kind, i)}, {"answer_sets", analysis.shown.of(kind)[i]}});
    shown[std::string(catalogue_key(kind))] = std::move(list);
  }
  out["shown"] = std::move(shown);
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
  if (rules.follow_up && follow_up) {
    Json part = analysis_json(*rules.follow_up, *follow_up, source, nullptr);
    // Facts are not flags: a counterexample is its facts alone.
    for (Json& invariant : part["invariants"])
      if (invariant.contains("counterexample")) invariant["counterexample"].erase("command");
    out["follow_up"] = std::move(part);
  }
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
  std::optional<RuleAnalysis> follow_up;  // the follow-up section's walk, over sets of facts
  double seconds = 0;
  double follow_up_seconds = 0;
  if (loaded.rules) {
    const auto walk = [&](const RuleSet& rules, double& took) {
      const auto start = std::chrono::steady_clock::now();
      RuleAnalysis result = analyse_rules(rules);
      took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return result;
    };
    analysis = walk(*loaded.rules, seconds);
    std::vector<Finding> found;
    if (loaded.rules->follow_up) {
      follow_up = walk(*loaded.rules->follow_up, follow_up_seconds);
      found = findings(*loaded.rules->follow_up, *follow_up, name, source, k_follow_up);
      // The catalogues are shared: an item either walk shows is shown.
      if (follow_up->end == WalkEnd::finished) {
        const auto add_counts = [](std::vector<std::size_t>& to,
                                   const std::vector<std::size_t>& from) {
          for (std::size_t i = 0; i < to.size() && i < from.size(); ++i) to[i] += from[i];
        };
        for (const CatalogueKind kind : k_catalogue_kinds)
          add_counts(analysis->shown.of(kind), follow_up->shown.of(kind));
      }
    }
    // A partial walk of the follow-up section proves no item dead.
    const bool items_known = !follow_up || follow_up->end == WalkEnd::finished;
    std::vector<Finding> main_found =
        findings(*loaded.rules, *analysis, name, source, k_questionnaire,
                 loaded.rules->follow_up.get(), items_known);
    found.insert(found.begin(), std::make_move_iterator(main_found.begin()),
                 std::make_move_iterator(main_found.end()));
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
  const bool follow_up_unproved = follow_up && follow_up->end != WalkEnd::finished;
  const bool unproved_follow_up_invariants =
      follow_up_unproved && !loaded.rules->follow_up->invariants.empty();
  if (!diagnostics.empty() || unproved_invariants || unproved_follow_up_invariants)
    status = ExitStatus::data;

  document["valid"] = status == ExitStatus::ok;
  Json list = Json::array();
  for (const Diagnostic& d : diagnostics) list.push_back(diagnostic_json(d));
  document["diagnostics"] = std::move(list);
  if (analysis)
    document["analysis"] =
        analysis_json(*loaded.rules, *analysis, source, follow_up ? &*follow_up : nullptr);
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
  if (follow_up_unproved) {
    fmt::print(stderr,
               "{}: could not walk every set of facts of the follow-up section: there are more "
               "than {}\n  (cap the facts' ranges); {}\n",
               shown_name, count_text(k_answer_space_bound),
               unproved_follow_up_invariants ? "its invariants are NOT proved"
                                             : "dead rules, items and facts were not looked for");
  }
  if (loaded.rules && diagnostics.empty() && status == ExitStatus::ok) {
    fmt::print(stderr,
               "ok: {} questions, {} rules, {} invariants proved over {} answer sets ({} "
               "partial) in {:.1f} s ({})\n",
               loaded.rules->questions.size(), loaded.rules->rules.size(),
               loaded.rules->invariants.size(), count_text(analysis->answer_sets),
               count_text(analysis->partial_sets), seconds, shown_name);
    if (follow_up) {
      const RuleSet& part = *loaded.rules->follow_up;
      fmt::print(stderr,
                 "ok: follow-up: {} facts, {} rules, {} invariants proved over {} sets of facts "
                 "({} partial) in {:.1f} s\n",
                 part.questions.size(), part.rules.size(), part.invariants.size(),
                 count_text(follow_up->answer_sets), count_text(follow_up->partial_sets),
                 follow_up_seconds);
    }
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
