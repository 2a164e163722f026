// `kneetriage diff OLD NEW`: what a change to the rules does, over every combination of answers
// (rules_diff.hpp): how many answer sets change urgency, which rules, causes and items change,
// and a few example answer sets for each kind of change.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "context.hpp"
#include "errors.hpp"
#include "kneetriage/rules_diff.hpp"
#include "terminal/describe.hpp"
#include "terminal/io.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

namespace {

using Json = nlohmann::ordered_json;

struct Side {
  std::string path;
  std::string name;
  RuleSet rules;
};

// The answers of both files in one object: the old file's, then the new file's own questions.
Json merged_answers(const Side& old_side, const Side& new_side, const DiffExample& example) {
  Json out = answers_to_json(old_side.rules, example.old_answers);
  const Json added = answers_to_json(new_side.rules, example.new_answers);
  for (auto it = added.begin(); it != added.end(); ++it) {
    if (!out.contains(it.key())) out[it.key()] = it.value();
  }
  return out;
}

// The same answers as flags: "kneetriage --knees one … --new_question yes".
std::string merged_command(const Side& old_side, const Side& new_side, const DiffExample& example) {
  std::string line = command_line(old_side.rules, example.old_answers);
  const RuleSet& rules = new_side.rules;
  for (Index q = 0; q < rules.questions.size(); ++q) {
    if (!example.new_answers.values[q]) continue;
    const auto old_index = old_side.rules.find_question(rules.questions[q].id);
    if (old_index && example.old_answers.values[*old_index]) continue;
    line += fmt::format(" {} {}", flag_name(rules.questions[q]),
                        flag_value(*example.new_answers.values[q]));
  }
  return sanitize(line);
}

Json example_json(const Side& o, const Side& n, const DiffExample& example) {
  return {{"answers", merged_answers(o, n, example)}, {"command", merged_command(o, n, example)}};
}

Json examples_json(const Side& o, const Side& n, const std::vector<DiffExample>& examples) {
  Json list = Json::array();
  for (const DiffExample& example : examples) list.push_back(example_json(o, n, example));
  return list;
}

Json side_json(const Side& side) {
  return {{"file", side.name}, {"id", side.rules.id}, {"version", side.rules.version}};
}

std::string to_json_text(const Side& o, const Side& n, const RulesDiff& diff) {
  Json out;
  out["schema"] = "kneetriage/diff/1";
  out["old"] = side_json(o);
  out["new"] = side_json(n);
  out["complete"] = diff.end == WalkEnd::finished;
  out["answer_sets"] = diff.answer_sets;
  out["changed_urgency"] = diff.changed_urgency;
  out["changed_result"] = diff.changed_result;
  out["questions"] = {{"only_old", diff.only_old_questions}, {"only_new", diff.only_new_questions}};
  Json urgency = Json::array();
  for (const UrgencyChange& change : diff.urgency_changes) {
    urgency.push_back({{"from", change.from},
                       {"to", change.to},
                       {"answer_sets", change.answer_sets},
                       {"examples", examples_json(o, n, change.examples)}});
  }
  out["urgency_changes"] = std::move(urgency);
  Json changes = Json::array();
  for (const ItemChange& change : diff.changes) {
    changes.push_back({{"kind", item_change_label(change.what)},
                       {"id", change.id},
                       {"in_old", change.in_old},
                       {"in_new", change.in_new},
                       {"old_answer_sets", change.old_count},
                       {"new_answer_sets", change.new_count},
                       {"started", change.started},
                       {"stopped", change.stopped},
                       {"examples",
                        {{"started", examples_json(o, n, change.started_examples)},
                         {"stopped", examples_json(o, n, change.stopped_examples)}}}});
  }
  out["changes"] = std::move(changes);
  return out.dump(2) + "\n";
}

std::string to_text(const Side& o, const Side& n, const RulesDiff& diff) {
  std::string out;
  const auto example = [&](const DiffExample& e) {
    out += shell_wrap(merged_command(o, n, e), 80, "    ") + "\n";
  };
  out += fmt::format("old: {}\nnew: {}\n{} answer sets compared\n", sanitize(o.name),
                     sanitize(n.name), count_text(diff.answer_sets));
  if (!diff.only_old_questions.empty())
    out += fmt::format("questions only in the old rules: {}\n",
                       sanitize(fmt::format("{}", fmt::join(diff.only_old_questions, ", "))));
  if (!diff.only_new_questions.empty())
    out += fmt::format("questions only in the new rules: {}\n",
                       sanitize(fmt::format("{}", fmt::join(diff.only_new_questions, ", "))));
  out += fmt::format("the urgency changes for {} answer sets; the result shown for {}\n",
                     count_text(diff.changed_urgency), count_text(diff.changed_result));
  for (const UrgencyChange& change : diff.urgency_changes) {
    out += fmt::format("\n{} -> {}: {} answer sets, for example\n", sanitize(change.from),
                       sanitize(change.to), count_text(change.answer_sets));
    for (const DiffExample& e : change.examples) example(e);
  }
  if (!diff.changes.empty()) out += "\nrules that fire and items shown for other answers:\n";
  for (const ItemChange& change : diff.changes) {
    const char* only = !change.in_old ? " (new)" : !change.in_new ? " (removed)" : "";
    out += fmt::format("  {} {}{}: {} -> {} answer sets", item_change_label(change.what),
                       sanitize(change.id), only, count_text(change.old_count),
                       count_text(change.new_count));
    out += fmt::format(" (+{} -{})\n", count_text(change.started), count_text(change.stopped));
    if (!change.started_examples.empty()) {
      out += "    now, for example:\n";
      example(change.started_examples.front());
    }
    if (!change.stopped_examples.empty()) {
      out += "    no longer, for example:\n";
      example(change.stopped_examples.front());
    }
  }
  if (diff.changed_result == 0 && diff.changes.empty()) out += "no answer set changes\n";
  return out;
}

}  // namespace

Command register_diff(CLI::App& app, Context& context) {
  auto paths = std::make_shared<std::vector<std::string>>();
  CLI::App* command = app.add_subcommand(
      "diff",
      "Show what a change to the rules does, over every combination of answers to the "
      "questions of both files: how many answer sets change urgency, which rules, causes "
      "and items change, with example answers. Exit status 0, 65 when a file is not valid "
      "(or the answer space is too large to compare whole), 66 when one cannot be read.");
  command
      ->add_option("OLD NEW", *paths,
                   "The rules before and after the change; - reads "
                   "standard input")
      ->type_name("FILE")
      ->expected(2)
      ->required();
  add_format_option(*command, context, {"text", "json"},
                    "text for people (the default) or json for programs");
  command->footer(
      "Examples:\n"
      "  kneetriage diff rules/knee.json my-rules.json\n"
      "  git show HEAD:rules/knee.json | kneetriage diff - rules/knee.json\n"
      "  kneetriage diff --format json old.json new.json | jq .changed_result");
  return {command, [paths, &context] {
            std::vector<Side> sides;
            std::vector<Error> errors;
            for (const std::string& path : *paths) {
              try {
                sides.push_back({path, display_name(path), load_rules_from({path, "diff"})});
              } catch (const Error& error) {
                errors.push_back(error);
              }
            }
            if (!errors.empty()) {
              // Both files' problems are reported; one that cannot be read outranks a bad one.
              ExitStatus worst = ExitStatus::data;
              for (std::size_t i = 0; i + 1 < errors.size(); ++i) report(errors[i]);
              for (const Error& error : errors)
                if (error.status() == ExitStatus::no_input) worst = ExitStatus::no_input;
              const Error& last = errors.back();
              throw Error(last.name(), last.what(), worst, last.details());
            }
            const RulesDiff diff = diff_rules(sides[0].rules, sides[1].rules, k_diff_examples);
            write_stdout(context.format() == Format::json ? to_json_text(sides[0], sides[1], diff)
                                                          : to_text(sides[0], sides[1], diff));
            if (diff.end != WalkEnd::finished)
              throw DataError(fmt::format(
                  "the diff is incomplete: there are more than {} answer sets to compare (or "
                  "a question's values cannot be listed: a decimal number, more than 12 "
                  "choices of a multi question)",
                  count_text(k_answer_space_bound)));
            return 0;
          }};
}

}  // namespace kneetriage::cli
