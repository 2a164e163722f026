// The help, as a model built from the CLI11 app and the rules, and rendered twice: as text for
// --help (fitted to the terminal) and as the man page kneetriage(1). One source, so the two
// cannot drift apart.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "kneetriage/rules.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace kneetriage::cli {

// "  --knees both|one   Does the pain affect both knees, or one?"
struct HelpItem {
  std::string term;
  std::string text;
};

// A titled part of the help: items in two columns, then lines shown as they are (examples).
struct HelpSection {
  std::string title;
  std::vector<HelpItem> items;
  std::vector<std::string> lines;
};

struct HelpPage {
  std::string description;
  std::vector<std::string> usage;
  std::vector<HelpSection> sections;
  std::string closing;  // a last line: where to read more
};

// The help of `app`: the top level (options, commands, question flags, examples, exit statuses)
// or one subcommand (its own options and examples). `rules` is null when they could not be loaded.
[[nodiscard]] HelpPage help_page(const CLI::App& app, const RuleSet* rules);

// The page as text no wider than `width` columns (at least 40).
[[nodiscard]] std::string help_text(const HelpPage& page, std::size_t width);

// Items in two columns, each indented by two spaces: the text beside its term when there is room,
// under it otherwise; a term too long for a line breaks after its '|' or ',' separators.
[[nodiscard]] std::string items_text(const std::vector<HelpItem>& items, std::size_t width);

// The width the help is laid out for: the terminal's (or 80 when not on one), narrowed by a
// COLUMNS variable, kept within 40-80.
[[nodiscard]] std::size_t help_width(int fd);

// kneetriage(1) in man(7) markup: every subcommand, option and question flag, the exit statuses,
// the environment and the files.
[[nodiscard]] std::string man_page(const CLI::App& app, const RuleSet* rules,
                                   std::string_view version);

// The first clause of a description, for one-line lists: "Check rules files".
[[nodiscard]] std::string summary_of(std::string_view description);

// How an option is typed: "--knees both|one", "--color[=WHEN]", "--full", "FILE...".
[[nodiscard]] std::string option_term(const CLI::Option& option);

// Options as the help groups them. The app's own options in `group`, in the order added.
[[nodiscard]] std::vector<const CLI::Option*> options_in(const CLI::App& app,
                                                         std::string_view group_prefix);

// --exit-code's statuses: "self-care 0, see-doctor 10, urgent 20, emergency 30".
[[nodiscard]] std::string urgency_exit_statuses(const RuleSet* rules);

// The exit statuses every run can end with, and the environment variables read.
[[nodiscard]] const std::vector<HelpItem>& exit_statuses();
[[nodiscard]] const std::vector<HelpItem>& environment();

// What can be typed at the questionnaire's prompt (its opening line names the keys in brief).
[[nodiscard]] const std::vector<HelpItem>& questionnaire_keys();

// Examples for each kind of user: a runner, a script, JSON pipelines and batch, a rules author,
// a FHIR clinic. `rules` (may be null) gives the one-shot example its flags.
[[nodiscard]] std::vector<HelpSection> examples_by_user(const RuleSet* rules);

// The group of the assessment's own options, and of the question flags.
inline constexpr std::string_view k_assessment_group = "Assessment options";
inline constexpr std::string_view k_answers_group = "Answers";

}  // namespace kneetriage::cli
