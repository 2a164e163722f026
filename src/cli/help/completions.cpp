// `kneetriage completions bash|zsh|fish`: shell completion scripts written from the CLI11 app
// itself, so every subcommand, flag and question of the rules in use is in them, with the
// values each flag takes and file names where a flag takes a file.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "context.hpp"
#include "help/help_page.hpp"
#include "suggest.hpp"
#include "terminal/describe.hpp"
#include "terminal/io.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

namespace {

struct FlagSpec {
  std::vector<std::string> names;   // "--weight-bearing", "--weight_bearing"; the first is offered
  std::vector<std::string> values;  // the words it takes, when it takes one of a list
  bool takes_value = false;
  bool file = false;
  std::string help;
};

struct CommandSpec {
  std::string name;  // empty: the top level
  std::string help;
  std::vector<FlagSpec> flags;
  std::vector<std::string> positional_values;
  bool positional_files = false;
};

bool is_word(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// "both|one" or "front,outer,back" as words; nothing for "0-10", "FILE" or "TEXT".
std::vector<std::string> value_words(std::string_view type) {
  std::vector<std::string> words;
  if (type.find_first_of("|,") == std::string_view::npos) return words;
  std::size_t start = 0;
  while (start <= type.size()) {
    std::size_t end = type.find_first_of("|,", start);
    if (end == std::string_view::npos) end = type.size();
    const std::string_view word = type.substr(start, end - start);
    if (!is_word(word) || word == "-") return {};
    words.emplace_back(word);
    start = end + 1;
  }
  return words;
}

FlagSpec flag_spec(const CLI::Option& option) {
  FlagSpec flag;
  for (const std::string& name : option.get_lnames()) flag.names.push_back("--" + name);
  for (const std::string& name : option.get_snames()) flag.names.push_back("-" + name);
  flag.help = summary_of(option.get_description());
  const std::string type = option.get_type_name();
  const std::size_t colon = type.find(':');
  const std::string base = type.substr(0, colon);
  // A validator's description (one_of) lists the values; else the type name may ("both|one").
  if (colon != std::string::npos) flag.values = value_words(type.substr(colon + 1));
  if (flag.values.empty()) flag.values = value_words(base);
  flag.file = base.find("FILE") != std::string::npos;
  flag.takes_value = option.get_items_expected_max() > 0 || !flag.values.empty();
  return flag;
}

void add_flags(const CLI::App& app, CommandSpec& spec, bool common_only) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;
    if (option->get_positional()) {
      if (common_only) continue;
      const FlagSpec flag = flag_spec(*option);
      spec.positional_values = flag.values;
      spec.positional_files = flag.values.empty();
      continue;
    }
    if (common_only && option->get_group() != "Options") continue;
    // --format is each command's own: the top level's formats are the assessment's.
    if (common_only && (option->check_lname("help") || option->check_lname("format"))) continue;
    spec.flags.push_back(flag_spec(*option));
  }
}

std::vector<CommandSpec> specs(const CLI::App& app) {
  std::vector<CommandSpec> out;
  CommandSpec top;
  add_flags(app, top, false);
  out.push_back(std::move(top));
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_group().empty()) continue;
    CommandSpec spec;
    spec.name = sub->get_name();
    spec.help = summary_of(sub->get_description());
    add_flags(*sub, spec, false);
    // Options it does not have itself fall through to the top level's.
    CommandSpec common;
    add_flags(app, common, true);
    for (FlagSpec& flag : common.flags) {
      bool own = false;
      for (const FlagSpec& mine : spec.flags) own = own || mine.names == flag.names;
      if (!own) spec.flags.push_back(std::move(flag));
    }
    out.push_back(std::move(spec));
  }
  // `help COMMAND` completes the commands.
  for (CommandSpec& spec : out) {
    if (spec.name != "help") continue;
    for (const CommandSpec& command : out)
      if (!command.name.empty()) spec.positional_values.push_back(command.name);
    spec.positional_files = false;
  }
  return out;
}

// Text inside single quotes, for any of the shells.
std::string shell_quoted(std::string_view text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string bash_script(const std::vector<CommandSpec>& commands) {
  std::vector<std::string> names;
  for (const CommandSpec& command : commands)
    if (!command.name.empty()) names.push_back(command.name);
  std::string out =
      "# bash completion for kneetriage: generated by 'kneetriage completions bash' from its\n"
      "# options and the questions of its rules.\n"
      "_kneetriage() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"\" before=\"\" command=\"\" i\n"
      "  ((COMP_CWORD > 0)) && prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
      "  ((COMP_CWORD > 1)) && before=\"${COMP_WORDS[COMP_CWORD-2]}\"\n"
      "  # --flag=value: bash splits the word at '='.\n"
      "  if [[ $cur == = ]]; then cur=\"\"\n"
      "  elif [[ $prev == = ]]; then prev=\"$before\"; fi\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    case \"${COMP_WORDS[i]}\" in\n";
  if (!names.empty())
    out += "      " + join(names, "|") + ") command=\"${COMP_WORDS[i]}\"; break ;;\n";
  out +=
      "    esac\n"
      "  done\n"
      "  case \"$command:$prev\" in\n";
  for (const CommandSpec& command : commands) {
    for (const FlagSpec& flag : command.flags) {
      if (!flag.takes_value) continue;
      std::vector<std::string> patterns;
      for (const std::string& name : flag.names) patterns.push_back(command.name + ":" + name);
      out += "    " + join(patterns, "|") + ")\n";
      if (flag.file)
        out +=
            "      compopt -o filenames 2>/dev/null\n"
            "      mapfile -t COMPREPLY < <(compgen -f -- \"$cur\"); return ;;\n";
      else if (!flag.values.empty())
        out += "      mapfile -t COMPREPLY < <(compgen -W " + shell_quoted(join(flag.values, " ")) +
               " -- \"$cur\"); return ;;\n";
      else
        out += "      COMPREPLY=(); return ;;\n";
    }
  }
  out += "  esac\n  local words=\"\"\n  case \"$command\" in\n";
  for (const CommandSpec& command : commands) {
    std::vector<std::string> flags;
    for (const FlagSpec& flag : command.flags) flags.push_back(flag.names.front());
    out += "    " + (command.name.empty() ? std::string("\"\"") : command.name) + ")\n";
    out += "      if [[ $cur == -* ]]; then words=" + shell_quoted(join(flags, " ")) + "\n";
    if (command.name.empty())
      out += "      else words=" + shell_quoted(join(names, " ")) + "; fi ;;\n";
    else if (!command.positional_values.empty())
      out += "      else words=" + shell_quoted(join(command.positional_values, " ")) + "; fi ;;\n";
    else if (command.positional_files)
      out +=
          "      else compopt -o filenames 2>/dev/null\n"
          "        mapfile -t COMPREPLY < <(compgen -f -- \"$cur\"); return; fi ;;\n";
    else
      out += "      fi ;;\n";
  }
  out +=
      "  esac\n"
      "  mapfile -t COMPREPLY < <(compgen -W \"$words\" -- \"$cur\")\n"
      "}\n"
      "complete -F _kneetriage kneetriage\n";
  return out;
}

// A zsh _arguments description: no brackets or colons.
std::string zsh_text(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '[' || c == ']')
      out += c == '[' ? '(' : ')';
    else if (c == ':' || c == '\\' || c == '\'')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string zsh_arguments(const CommandSpec& command, const std::vector<std::string>& names,
                          const std::vector<CommandSpec>& commands) {
  std::string out = "      _arguments -s";
  for (const FlagSpec& flag : command.flags) {
    const std::string exclusive =
        flag.names.size() > 1 ? "(" + join(flag.names, " ") + ")" : std::string();
    const std::string group = flag.names.size() > 1 ? "{" + join(flag.names, ",") + "}" : "";
    std::string action;
    if (flag.file)
      action = ":file:_files";
    else if (!flag.values.empty())
      action = ":value:(" + join(flag.values, " ") + ")";
    else if (flag.takes_value)
      action = ":value: ";
    const std::string spec = "[" + zsh_text(flag.help) + "]" + action;
    if (flag.names.size() > 1)
      out += fmt::format(" \\\n        '{}'{}'{}'", exclusive, group, spec);
    else
      out += " \\\n        '" + flag.names.front() + spec + "'";
  }
  if (command.name.empty()) {
    std::vector<std::string> described;
    for (const CommandSpec& sub : commands)
      if (!sub.name.empty()) described.push_back(sub.name + "\\:" + zsh_text(sub.help));
    (void)names;
    out += " \\\n        '1:command:((" + join(described, " ") + "))'";
  } else if (!command.positional_values.empty()) {
    out += " \\\n        '1:value:(" + join(command.positional_values, " ") + ")'";
  } else if (command.positional_files) {
    out += " \\\n        '*:file:_files'";
  }
  return out + "\n";
}

std::string zsh_script(const std::vector<CommandSpec>& commands) {
  std::vector<std::string> names;
  for (const CommandSpec& command : commands)
    if (!command.name.empty()) names.push_back(command.name);
  std::string out =
      "#compdef kneetriage\n"
      "# zsh completion for kneetriage: generated by 'kneetriage completions zsh' from its\n"
      "# options and the questions of its rules.\n"
      "_kneetriage() {\n"
      "  local command=\"\" word\n"
      "  for word in \"${words[@]:1:CURRENT-2}\"; do\n"
      "    case \"$word\" in\n";
  if (!names.empty()) out += "      " + join(names, "|") + ") command=\"$word\"; break ;;\n";
  out += "    esac\n  done\n  case \"$command\" in\n";
  for (const CommandSpec& command : commands) {
    out += "    " + (command.name.empty() ? std::string("\"\"") : command.name) + ")\n";
    out += zsh_arguments(command, names, commands);
    out += "      ;;\n";
  }
  out += "  esac\n}\n_kneetriage \"$@\"\n";
  return out;
}

std::string fish_script(const std::vector<CommandSpec>& commands) {
  std::vector<std::string> names;
  for (const CommandSpec& command : commands)
    if (!command.name.empty()) names.push_back(command.name);
  std::string out =
      "# fish completion for kneetriage: generated by 'kneetriage completions fish' from its\n"
      "# options and the questions of its rules.\n"
      "complete -c kneetriage -f\n";
  for (const CommandSpec& command : commands) {
    const std::string condition = command.name.empty()
                                      ? "__fish_use_subcommand"
                                      : "__fish_seen_subcommand_from " + command.name;
    if (!command.name.empty())
      out += "complete -c kneetriage -n __fish_use_subcommand -a " + command.name + " -d " +
             shell_quoted(command.help) + "\n";
    for (const FlagSpec& flag : command.flags) {
      std::string line = "complete -c kneetriage -n " + shell_quoted(condition);
      for (const std::string& name : flag.names)
        line += name.starts_with("--") ? " -l " + name.substr(2) : " -s " + name.substr(1);
      if (flag.file)
        line += " -r -F";
      else if (!flag.values.empty())
        line += " -x -a " + shell_quoted(join(flag.values, " "));
      else if (flag.takes_value)
        line += " -x";
      if (!flag.help.empty()) line += " -d " + shell_quoted(flag.help);
      out += line + "\n";
    }
    if (!command.name.empty() && !command.positional_values.empty())
      out += "complete -c kneetriage -n " + shell_quoted(condition) + " -a " +
             shell_quoted(join(command.positional_values, " ")) + "\n";
    else if (!command.name.empty() && command.positional_files)
      out += "complete -c kneetriage -n " + shell_quoted(condition) + " -F\n";
  }
  return out;
}

}  // namespace

std::string completion_script(const CLI::App& app, std::string_view shell) {
  const std::vector<CommandSpec> commands = specs(app);
  if (shell == "bash") return bash_script(commands);
  if (shell == "zsh") return zsh_script(commands);
  if (shell == "fish") return fish_script(commands);
  return {};
}

Command register_completions(CLI::App& app, Context& context) {
  auto shell = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "completions",
      "Print shell completions (bash, zsh or fish): every command, flag and question of the "
      "rules in use, with the answers each flag takes. 'cmake --install' puts them in place "
      "for the built-in rules.");
  command->add_option("SHELL", *shell, "The shell: bash, zsh or fish")
      ->required()
      ->check(one_of({"bash", "zsh", "fish"}));
  command->footer(
      "Examples:\n"
      "  source <(kneetriage completions bash)\n"
      "  kneetriage completions zsh > ~/.zfunc/_kneetriage\n"
      "  kneetriage completions fish > ~/.config/fish/completions/kneetriage.fish");
  return {command, [shell, &app, &context] {
            (void)context.rules();  // the question flags come from them
            write_stdout(completion_script(app, *shell));
            return 0;
          }};
}

}  // namespace kneetriage::cli
