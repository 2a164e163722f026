#include "help/help_page.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>

#include "terminal/describe.hpp"
#include "terminal/layout.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

namespace {

constexpr std::size_t k_help_min_width = 40;
constexpr std::size_t k_help_max_width = 80;

}  // namespace

std::string urgency_exit_statuses(const RuleSet* rules) {
  if (rules == nullptr) return "10 × the number of urgency levels below the result";
  std::string out;
  for (std::size_t i = rules->urgencies.size(); i-- > 0;) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", sanitize(rules->urgencies[i].id),
                       10 * (rules->urgencies.size() - 1 - i));
  }
  return out;
}

const std::vector<HelpItem>& exit_statuses() {
  static const std::vector<HelpItem> statuses{
      {"0", "done"},
      {"1", "test failed: 'kneetriage test' found a case that does not hold"},
      {"64",
       "usage: an unknown flag, a value that is not allowed, or answers missing that "
       "could change the result"},
      {"65", "bad data: a rules file or an answers document is not valid"},
      {"66", "no input: a file cannot be read"},
      {"70", "internal error: a bug in kneetriage; please report it"},
      {"74", "cannot write: a file or standard output cannot be written"},
      {"130", "interrupted: Ctrl-C, end of input, or q at the prompt"},
      {"141",
       "output closed: standard output was closed early (kneetriage ... | head); no message, "
       "as a program stopped by SIGPIPE"},
  };
  return statuses;
}

const std::vector<HelpItem>& questionnaire_keys() {
  static const std::vector<HelpItem> keys{
      {"NUMBER", "picks the answer with that number; at a yes/no question 1 is yes and 2 is no"},
      {"WORD",
       "an answer, or its first letters (bo for both, out for \"On the outer side\"); y, n, "
       "yes and no at a yes/no question. First letters that fit several answers are "
       "refused with those answers and their numbers"},
      {"? or help",
       "why the question is asked; at a warning-sign question also which answer to give, to be "
       "safe, when you cannot tell"},
      {"b or back",
       "back to the previous question; answers after it that no longer apply are dropped, and "
       "Enter keeps your earlier answer"},
      {"q or quit",
       "quit: after a warning sign, the result for the answers so far, marked PARTIAL RESULT; "
       "otherwise stop, with exit status 130 and nothing saved"},
      {"not sure, maybe, idk",
       "how to answer, and at a warning-sign question the answer that is safe"},
      {"Enter", "keeps the earlier answer after going back; otherwise asks for an answer"},
      {"Ctrl-C, Ctrl-D", "stop at once, with exit status 130 and nothing saved"},
  };
  return keys;
}

const std::vector<HelpItem>& environment() {
  static const std::vector<HelpItem> variables{
      {"KNEETRIAGE_RULES", "a rules file to use, as --rules FILE (which wins over it)"},
      {"NO_COLOR", "when set and not empty: no colour, unless --color=always"},
      {"COLUMNS",
       "the width of the help and of messages on a terminal, when narrower than it (40 at "
       "least)"},
  };
  return variables;
}

namespace {

bool is_help_option(const CLI::Option& option) {
  return option.check_lname("help");
}

// A description up to its first sentence or clause break: one line in a list.
std::string first_part(std::string_view text) {
  std::size_t end = text.size();
  for (const std::string_view stop : {". ", "; "}) end = std::min(end, text.find(stop));
  // A long one loses its aside in brackets too.
  if (end > 45 && text.find(" (") < end) end = text.find(" (");
  return sanitize(text.substr(0, end));
}

std::vector<HelpItem> items_of(const std::vector<const CLI::Option*>& options, bool brief) {
  std::vector<HelpItem> items;
  items.reserve(options.size());
  for (const CLI::Option* option : options)
    items.push_back({option_term(*option), brief ? first_part(option->get_description())
                                                 : sanitize(option->get_description())});
  return items;
}

std::string example_line(const RuleSet* rules) {
  return rules != nullptr ? sanitize(command_line(*rules, example_answers(*rules)))
                          : std::string("kneetriage --QUESTION ANSWER ...");
}

HelpPage top_page(const CLI::App& app, const RuleSet* rules) {
  HelpPage page;
  page.description = sanitize(app.get_description());
  page.usage = {"kneetriage [COMMAND] [--QUESTION ANSWER]... [OPTION]..."};

  HelpSection commands{"Commands", {}, {}};
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_group().empty()) continue;
    std::string summary = summary_of(sub->get_description());
    // One line each: a long summary is cut at its first comma.
    if (const std::size_t comma = summary.find(", ");
        summary.size() > 50 && comma != std::string::npos)
      summary.resize(comma);
    commands.items.push_back({sub->get_name(), summary});
  }
  if (!commands.items.empty()) page.sections.push_back(std::move(commands));

  std::vector<const CLI::Option*> options = options_in(app, k_assessment_group);
  for (const CLI::Option* option : options_in(app, "Options"))
    if (!is_help_option(*option)) options.push_back(option);
  if (const CLI::Option* help = app.get_help_ptr(); help != nullptr) options.push_back(help);
  page.sections.push_back({"Options", items_of(options, true), {}});

  const std::vector<const CLI::Option*> answers = options_in(app, k_answers_group);
  if (!answers.empty())
    page.sections.push_back(
        {"Answers (a flag per question; 'kneetriage questions' shows them in full)",
         items_of(answers, false),
         {}});
  else
    page.sections.push_back(
        {"Answers",
         {{"--QUESTION ANSWER", "the rules' questions (they could not be loaded)"}},
         {}});

  page.sections.push_back(
      {"Example (with no answers, on a terminal, kneetriage asks)", {}, {example_line(rules)}});

  std::vector<std::string> statuses;
  // In brief: 1 is 'test''s own (its help says so), and a bug (70) or a closed pipe (141) is
  // nothing to act on; the man page has them all.
  for (const HelpItem& status : exit_statuses())
    if (status.term != "1" && status.term != "70" && status.term != "141")
      statuses.push_back(status.term + " " + status.text.substr(0, status.text.find(':')));
  page.sections.push_back(
      {"Exit status",
       {{"", join(statuses, ", ") + "; --exit-code: " + urgency_exit_statuses(rules)}},
       {}});
  page.closing = "More: 'kneetriage COMMAND --help', 'man kneetriage'.";
  return page;
}

HelpPage command_page(const CLI::App& command) {
  HelpPage page;
  page.description = sanitize(command.get_description());
  std::string usage = "kneetriage " + command.get_name();
  std::vector<const CLI::Option*> positionals;
  std::vector<const CLI::Option*> options;
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_group().empty()) continue;
    (option->get_positional() ? positionals : options).push_back(option);
  }
  if (!options.empty()) usage += " [OPTION]...";
  for (const CLI::Option* option : positionals)
    usage +=
        option->get_required() ? " " + option_term(*option) : " [" + option_term(*option) + "]";
  page.usage.push_back(usage);
  if (!positionals.empty())
    page.sections.push_back({"Arguments", items_of(positionals, false), {}});
  // The help flag last: the command's own options come first.
  std::stable_partition(options.begin(), options.end(),
                        [](const CLI::Option* option) { return !is_help_option(*option); });
  page.sections.push_back({"Options", items_of(options, false), {}});

  // The top level's common options work here too; name them, without repeating their help.
  if (const CLI::App* parent = command.get_parent(); parent != nullptr) {
    std::vector<std::string> also;
    for (const CLI::Option* option : options_in(*parent, "Options")) {
      // --format is each command's own: the top level's formats are the assessment's.
      if (is_help_option(*option) || option == parent->get_version_ptr() ||
          option->check_lname("format"))
        continue;
      const bool own = std::any_of(options.begin(), options.end(), [&](const CLI::Option* mine) {
        return mine->get_name() == option->get_name();
      });
      if (!own) also.push_back(option_term(*option));
    }
    if (!also.empty()) page.closing = "Also: " + join(also, ", ") + " (see 'kneetriage --help').";
  }

  // A command's footer holds its examples ("Examples:\n  kneetriage check FILE").
  const std::string footer = command.get_footer();
  if (!footer.empty()) {
    HelpSection examples{"", {}, {}};
    std::size_t start = 0;
    while (start <= footer.size()) {
      std::size_t end = footer.find('\n', start);
      if (end == std::string::npos) end = footer.size();
      std::string line = sanitize(footer.substr(start, end - start));
      if (examples.title.empty() && !line.empty() && line.back() == ':')
        examples.title = line.substr(0, line.size() - 1);
      else if (!line.empty())
        examples.lines.push_back(line.starts_with("  ") ? line.substr(2) : line);
      start = end + 1;
    }
    if (examples.title.empty()) examples.title = "Examples";
    page.sections.push_back(std::move(examples));
  }
  return page;
}

// Breaks a term too long for a line after its '|' or ',' separators.
std::vector<std::string> split_term(const std::string& term, std::size_t width) {
  std::vector<std::string> lines;
  std::string rest = term;
  while (display_width(rest) > width) {
    std::size_t cut = std::string::npos;
    for (std::size_t i = 0; i < rest.size() && i < width; ++i)
      if (rest[i] == '|' || rest[i] == ',' || rest[i] == ' ') cut = i + 1;
    if (cut == std::string::npos || cut < 4) cut = width;
    lines.push_back(rest.substr(0, cut));
    rest = "  " + rest.substr(cut);
    if (rest.size() <= 2) break;
  }
  lines.push_back(rest);
  return lines;
}

}  // namespace

std::string items_text(const std::vector<HelpItem>& items, std::size_t width) {
  const std::string indent = "  ";
  // Wide enough: descriptions beside their terms; narrow: under them.
  std::size_t column = 0;
  const std::size_t max_column = width * 2 / 5;
  for (const HelpItem& item : items) {
    const std::size_t need = indent.size() + display_width(item.term) + 2;
    if (need <= max_column) column = std::max(column, need);
  }
  const bool beside = width >= 60 && column > 0;
  if (!beside) column = indent.size() + 4;
  std::string out;
  for (const HelpItem& item : items) {
    if (item.term.empty()) {
      out += wrap(item.text, width, indent, indent);
      continue;
    }
    std::string term_text;
    const std::vector<std::string> term_lines = split_term(item.term, width - indent.size());
    for (std::size_t i = 0; i + 1 < term_lines.size(); ++i)
      term_text += indent + term_lines[i] + "\n";
    const std::string last = indent + term_lines.back();
    if (item.text.empty()) {
      out += term_text + last + "\n";
      continue;
    }
    const std::string hanging(column, ' ');
    if (beside && term_lines.size() == 1 && display_width(last) + 2 <= column) {
      out += wrap(item.text, width, pad(last, column), hanging);
    } else {
      out += term_text + last + "\n" + wrap(item.text, width, hanging, hanging);
    }
  }
  return out;
}

std::vector<HelpSection> examples_by_user(const RuleSet* rules) {
  return {
      {"A runner at a terminal",
       {},
       {"kneetriage", "kneetriage --save answers.json", "kneetriage --answers answers.json --full",
        "kneetriage --answers answers.json --explain"}},
      {"A script, with every answer as a flag", {}, {example_line(rules)}},
      {"A script branching on the urgency",
       {},
       {"kneetriage --answers answers.json --exit-code > /dev/null; echo $?"}},
      {"JSON for other tools, and many answer sets at once",
       {},
       {"kneetriage --answers answers.json --format json | jq -r .urgency",
        "kneetriage questions --format json > questions.json",
        "kneetriage batch survey.jsonl > results.jsonl",
        "kneetriage batch --format summary survey.jsonl | jq -r .urgency | sort | uniq -c",
        "kneetriage batch survey.jsonl | jq -c 'select(has(\"error\"))'"}},
      {"A rules author",
       {},
       {"kneetriage check my-rules.json", "kneetriage --rules my-rules.json test my-cases.json",
        "kneetriage diff rules/knee.json my-rules.json",
        "kneetriage --rules my-rules.json graph | dot -Tsvg > rules.svg",
        "kneetriage --rules my-rules.json --answers answers.json --explain"}},
      {"A clinic with a FHIR form renderer",
       {},
       {"kneetriage questions --format fhir > questionnaire.json",
        "kneetriage --answers response.json",
        "jq -c . responses/*.json | kneetriage batch --format summary"}},
  };
}

std::string summary_of(std::string_view description) {
  std::size_t end = description.size();
  for (const std::string_view stop : {". ", ": ", " (", "; "})
    end = std::min(end, description.find(stop));
  std::string out(description.substr(0, end));
  if (!out.empty() && out.back() == '.') out.pop_back();
  return sanitize(out);
}

std::string option_term(const CLI::Option& option) {
  if (option.get_positional()) {
    std::string name = option.get_name(true);
    // "FILE..." takes any number; "OLD NEW" exactly two, each named.
    const bool repeatable =
        option.get_expected_max() > 1 && option.get_expected_min() != option.get_expected_max();
    return repeatable ? name + "..." : name;
  }
  std::string name = option.get_lnames().empty() ? "-" + option.get_snames().front()
                                                 : "--" + option.get_lnames().front();
  if (option.get_lnames().size() == 1 && option.get_snames().size() == 1)
    name = "-" + option.get_snames().front() + ", " + name;
  if (!option.get_option_text().empty()) {
    const std::string& text = option.get_option_text();
    return text.starts_with("[") ? name + text : name + " " + text;
  }
  if (option.get_items_expected_max() == 0) return name;
  std::string type = option.get_type_name();
  if (const std::size_t colon = type.find(':'); colon != std::string::npos) type.resize(colon);
  return type.empty() ? name : name + " " + type;
}

std::vector<const CLI::Option*> options_in(const CLI::App& app, std::string_view group_prefix) {
  std::vector<const CLI::Option*> out;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional() || !option->get_group().starts_with(group_prefix)) continue;
    out.push_back(option);
  }
  return out;
}

HelpPage help_page(const CLI::App& app, const RuleSet* rules) {
  return app.get_parent() == nullptr ? top_page(app, rules) : command_page(app);
}

std::string help_text(const HelpPage& page, std::size_t width) {
  width = std::clamp(width, k_help_min_width, k_help_max_width);
  std::string out = wrap(page.description, width) + "\n";
  for (std::size_t i = 0; i < page.usage.size(); ++i)
    out += wrap(page.usage[i], width, i == 0 ? "Usage: " : "       ", "         ");
  for (const HelpSection& section : page.sections) {
    out += "\n" + wrap(section.title + ":", width, "", "  ");
    out += items_text(section.items, width);
    for (const std::string& line : section.lines) {
      // Command lines break between flags, with the shell's continuation.
      std::string text;
      if (line.starts_with("kneetriage") && display_width(line) + 2 > width)
        text = shell_wrap(line, width - 2, "  ") + "\n";
      bool fits = true;
      for (std::size_t start = 0; start < text.size();) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        fits = fits && display_width(text.substr(start, end - start)) <= width;
        start = end + 1;
      }
      out += !text.empty() && fits ? text : wrap(line, width, "  ", "    ");
    }
  }
  if (!page.closing.empty()) out += "\n" + wrap(page.closing, width);
  return out;
}

std::size_t help_width(int fd) {
  std::size_t width = static_cast<std::size_t>(std::max(terminal_width(fd, 80), 1));
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr && *columns != '\0') {
    char* end = nullptr;
    const long value = std::strtol(columns, &end, 10);
    if (end != nullptr && *end == '\0' && value > 0) width = std::min<std::size_t>(width, value);
  }
  return std::clamp(width, k_help_min_width, k_help_max_width);
}

}  // namespace kneetriage::cli
