// The program's wiring (main.cpp only calls run_program). Load the rules (their questions become
// flags), parse the command line, pick the front end (flags and files, or the questionnaire) and
// the renderer, and turn every error into a message on stderr and a documented exit status.
#include "app.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <cstdio>

#include "context.hpp"
#include "errors.hpp"
#include "front_ends/batch.hpp"
#include "front_ends/one_shot.hpp"
#include "front_ends/prompt.hpp"
#include "help/completions.hpp"
#include "help/help_formatter.hpp"
#include "help/help_page.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/questionnaire.hpp"
#include "suggest.hpp"
#include "terminal/describe.hpp"
#include "terminal/io.hpp"
#include "terminal/render.hpp"
#include "terminal/terminal.hpp"

#ifndef KNEETRIAGE_VERSION
#define KNEETRIAGE_VERSION "unknown"
#endif

namespace kneetriage::cli {

namespace {

// Exit statuses are 10 × the number of urgency levels below the result, so with the built-in
// rules: self-care 0, see-doctor 10, urgent 20, emergency 30. Seven levels at most keep clear of
// the error statuses (64 and up).
constexpr std::size_t k_max_exit_code_levels = 7;

struct AssessOptions {
  AnswerOptions answers;
  std::optional<std::string> save;
  bool explain = false;
  bool full = false;
  bool exit_code = false;
  std::vector<CLI::Option*> options;  // all of the above, to reject them with a subcommand
};

[[nodiscard]] int urgency_exit_status(const Assessment& assessment) {
  return static_cast<int>(10 * (assessment.rules->urgencies.size() - 1 - assessment.urgency));
}

// The command the command line chose; "" for the assessment.
std::string chosen_command(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands({}))
    if (sub->parsed()) return sub->get_name();
  return {};
}

// Why `value` is not a format of the command chosen (empty when it is one). CLI11 checks option
// values once the whole line is parsed, so the command is known even when --format came first.
std::string format_problem(const CLI::App& app, const Context& context, std::string& value) {
  const std::string command = chosen_command(app);
  const auto own = std::find_if(context.formats.begin(), context.formats.end(),
                                [&](const CommandFormats& f) { return f.name == command; });
  if (own == context.formats.end())
    return fmt::format("'{}' takes no --format", command.empty() ? "kneetriage" : command);
  std::string problem = one_of(own->formats)(value);
  if (problem.empty()) return {};
  for (const CommandFormats& other : context.formats) {
    if (std::find(other.formats.begin(), other.formats.end(), value) == other.formats.end())
      continue;
    problem += other.name.empty()
                   ? fmt::format("; {} is for an assessment", sanitize(value))
                   : fmt::format("; {} is for 'kneetriage {}'", sanitize(value), other.name);
    break;
  }
  return problem;
}

void add_common_options(CLI::App& app, Context& context) {
  app.add_option("--rules", context.rules_option,
                 "Use this rules file instead of the built-in rules (also: KNEETRIAGE_RULES)")
      ->type_name("FILE");
  context.formats.push_back({"", {"text", "json"}});
  app.add_option("--format", context.format_name,
                 "Output format: text (the default) or json (each command has its own)")
      ->type_name("text|json")
      ->check(CLI::Validator(
          [&app, &context](std::string& value) { return format_problem(app, context, value); },
          "text|json"));
  // --color alone means always; --color=never (or --color never) picks one.
  app.add_flag("--color{always}", context.color_name, "Colour: auto (the default), always or never")
      ->check(one_of({"auto", "always", "never"}))
      ->option_text("[=WHEN]");
  const RuleSet* rules = context.loaded ? &*context.loaded : nullptr;
  app.set_version_flag("--version",
                       rules != nullptr
                           ? fmt::format("kneetriage {} (rules: {} {})", KNEETRIAGE_VERSION,
                                         sanitize(rules->id), sanitize(rules->version))
                           : fmt::format("kneetriage {}", KNEETRIAGE_VERSION),
                       "Print the version and exit");
}

void add_assess_options(CLI::App& app, const RuleSet* rules, AssessOptions& options) {
  add_answer_options(app, rules, options.answers);
  options.options.push_back(app.get_option("--answers"));
  options.options.push_back(
      app.add_option("--save", options.save, "Write the answers to FILE too (for --answers)")
          ->type_name("FILE"));
  options.options.push_back(app.add_flag("--full", options.full,
                                         "Add the background: explanations, all advice, sources"));
  options.options.push_back(app.add_flag("--explain", options.explain,
                                         "Add how the result was decided: rules fired, sources"));
  options.options.push_back(
      app.add_flag("--exit-code", options.exit_code, "Exit with the urgency (see Exit status)"));
  for (CLI::Option* option : options.options) option->group(std::string(k_assessment_group));
  for (CLI::Option* flag : options.answers.flags) options.options.push_back(flag);
}

// `kneetriage help [COMMAND]`, as git and cargo have it: the same text as --help.
Command register_help(CLI::App& app) {
  auto topic = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "help", "Show the help of kneetriage, or of a command (the same as COMMAND --help).");
  command->add_option("COMMAND", *topic, "The command to explain; none: kneetriage itself");
  command->footer(
      "Examples:\n"
      "  kneetriage help\n"
      "  kneetriage help batch");
  // The formatter itself: App::help() would show the help of the command chosen, this one.
  return {command, [&app, topic] {
            const auto help_of = [&app](const CLI::App& about) {
              return app.get_formatter()->make_help(&about, about.get_name(),
                                                    CLI::AppFormatMode::Normal);
            };
            if (topic->empty()) {
              write_stdout(help_of(app));
              return 0;
            }
            for (const CLI::App* sub : app.get_subcommands({})) {
              if (sub->get_name() != *topic || sub->get_group().empty()) continue;
              write_stdout(help_of(*sub));
              return 0;
            }
            std::vector<std::string> details;
            if (const std::string near = nearest(*topic, subcommand_names(app)); !near.empty())
              details.push_back(fmt::format("did you mean 'kneetriage help {}'?", near));
            details.emplace_back("run 'kneetriage --help' for the commands");
            throw UsageError(fmt::format("unknown command '{}'", sanitize(*topic)),
                             std::move(details));
          }};
}

// The assessment of the answers given as flags or a file, or asked at the terminal.
Assessment gather_assessment(const Context& context, const AssessOptions& options) {
  const RuleSet& rules = context.rules();
  if (options.answers.any_given())
    return evaluate_given(rules, read_answers(rules, options.answers));
  if (!is_terminal(STDIN_FILENO)) std::rethrow_exception(no_answers_error(rules));
  // Before the first question, not after the last: a save that cannot work wastes no answers.
  if (options.save) check_writable(*options.save);
  const InterruptGuard guard;
  LineReader input(STDIN_FILENO);
  return ask_questions(rules, input, stderr, context.text_options(STDERR_FILENO));
}

int run_assess(const Context& context, const AssessOptions& options) {
  const RuleSet& rules = context.rules();
  if (options.exit_code && rules.urgencies.size() > k_max_exit_code_levels)
    throw UsageError(fmt::format("--exit-code needs at most {} urgency levels; these rules have {}",
                                 k_max_exit_code_levels, rules.urgencies.size()));
  if (options.save && *options.save == "-")
    throw UsageError("--save needs a file name: standard output carries the result");

  const Assessment assessment = gather_assessment(context, options);

  // Save before printing, but report a failure after, so neither is lost to the other.
  std::exception_ptr save_error;
  if (options.save) {
    try {
      save_atomically(*options.save, saved_answers(rules, assessment.answers));
    } catch (const OutputError& error) {
      save_error = std::make_exception_ptr(OutputError(
          error.what(),
          {"to run this assessment again: " + sanitize(command_line(rules, assessment.answers))}));
    }
  }

  if (context.format() == Format::json) {
    write_stdout(render_json(assessment));
  } else {
    TextOptions text = context.text_options(STDOUT_FILENO);
    text.explain = options.explain;
    text.full = options.full;
    write_stdout(render_text(assessment, text));
  }
  if (save_error) std::rethrow_exception(save_error);
  if (options.save) fmt::print(stderr, "Answers saved to {}\n", sanitize(*options.save));
  return options.exit_code ? urgency_exit_status(assessment) : 0;
}

int run(int argc, char** argv) {
  Context context;
  context.rules_source = RulesSource::find(argc, argv);
  try {
    context.loaded = load_rules_from(context.rules_source);
  } catch (const Error&) {
    context.rules_error = std::current_exception();  // reported once we know it is needed
  }
  const RuleSet* rules = context.loaded ? &*context.loaded : nullptr;

  CLI::App app{
      "Triage knee pain in runners: urgency, likely cause, what to do, exercises, the way "
      "back to running. Not medical advice; in an emergency call 999 or 112.",
      "kneetriage"};
  app.fallthrough();
  app.require_subcommand(0, 1);
  app.formatter(std::make_shared<HelpFormatter>(help_width(STDOUT_FILENO), rules));
  bool man = false;  // the build writes kneetriage(1) with it; hidden from the help
  app.add_flag("--man", man, "Print the man page")->group("");
  add_common_options(app, context);
  AssessOptions assess_options;
  add_assess_options(app, rules, assess_options);
  const std::vector<Command> commands{
      register_questions(app, context),   register_check(app, context),
      register_diff(app, context),        register_test(app, context),
      register_graph(app, context),       register_batch(app, context),
      register_completions(app, context), register_help(app),
  };
  // Without rules the question flags are unknown: let them through, and report the rules.
  if (rules == nullptr) app.allow_extras();

  try {
    const std::vector<std::string> arguments = normalize_arguments(argc, argv);
    std::vector<const char*> words;
    words.reserve(arguments.size());
    for (const std::string& argument : arguments) words.push_back(argument.c_str());
    app.parse(static_cast<int>(words.size()), words.data());
  } catch (const CLI::CallForHelp&) {
    write_stdout(app.help());
    if (rules == nullptr)
      fmt::print(stderr,
                 "kneetriage: the question flags are missing: the rules could not be "
                 "loaded (run 'kneetriage check' to see why)\n");
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    write_stdout(app.help("", CLI::AppFormatMode::All));
    return 0;
  } catch (const CLI::CallForVersion&) {
    write_stdout(app.version() + "\n");
    return 0;
  } catch (const CLI::ParseError& error) {
    throw usage_error(app, error);
  }
  if (man) {
    write_stdout(man_page(app, rules, KNEETRIAGE_VERSION));
    return 0;
  }

  for (const Command& command : commands) {
    if (!command.app->parsed()) continue;
    for (const CLI::Option* option : assess_options.options) {
      if (option != nullptr && option->count() > 0)
        throw UsageError(fmt::format("{} is for an assessment; it does not go with '{}'",
                                     option->get_name(), command.app->get_name()));
    }
    return command.run();
  }
  if (rules == nullptr) (void)context.rules();  // throws why the rules could not be loaded
  return run_assess(context, assess_options);
}

}  // namespace

CLI::Option* add_format_option(CLI::App& command, Context& context,
                               std::vector<std::string> formats, const std::string& description) {
  const std::string shown = join(formats, "|");
  context.formats.push_back({command.get_name(), formats});
  return command.add_option("--format", context.format_name, description)
      ->type_name(shown)
      ->check(one_of(std::move(formats)));
}

int run_program(int argc, char** argv) {
  // A closed pipe on stdout shows up as EPIPE from write(), handled as a quiet exit.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return run(argc, argv);
  } catch (const BrokenPipe&) {
    return to_int(ExitStatus::broken_pipe);
  } catch (const Error& error) {
    report(error);
    return to_int(error.status());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "kneetriage: internal error: %s\n", error.what());
    return to_int(ExitStatus::internal);
  }
}

}  // namespace kneetriage::cli
