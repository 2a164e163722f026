// `kneetriage log | progress | history | export | import` and keeping a result in the diary:
// arguments and the terminal in, calls to the diary (src/diary) and its screens out.
#include "diary/diary_commands.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "diary/diary_screens.hpp"
#include "errors.hpp"
#include "front_ends/prompt.hpp"
#include "kneetriage/diary.hpp"
#include "kneetriage/diary_entry.hpp"
#include "kneetriage/diary_progress.hpp"
#include "kneetriage/diary_records.hpp"
#include "kneetriage/follow_up.hpp"
#include "suggest.hpp"
#include "terminal/describe.hpp"
#include "terminal/io.hpp"
#include "terminal/layout.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

namespace {

constexpr const char* k_no_diary_hint =
    "keep a result in it first: 'kneetriage --log' with your answers, or yes when the "
    "questionnaire offers";

// The diary's errors as the program's: each names the file and leaves it as it was.
[[noreturn]] void rethrow(const DiaryError& error) {
  const std::string what = sanitize(error.what());
  switch (error.kind()) {
    case DiaryError::Kind::missing:
      throw InputError(what, {k_no_diary_hint});
    case DiaryError::Kind::not_a_diary:
      throw DataError(what, {"it was left as it is; give another file with --diary FILE"});
    case DiaryError::Kind::too_new:
      throw DataError(what, {"it was left as it is; use the newer kneetriage that wrote it, or "
                             "--diary FILE for another diary"});
    case DiaryError::Kind::cannot_read:
      throw InputError(what);
    case DiaryError::Kind::cannot_write:
      break;
  }
  throw OutputError(what, {"nothing was written; the diary holds what it held before"});
}

template <typename Run>
int guarded(Run run) {
  try {
    return run();
  } catch (const DiaryError& error) {
    rethrow(error);
  }
}

// Today's calendar day, or KNEETRIAGE_TODAY's (for tests: a fixed clock).
Day diary_today() {
  const char* fixed = std::getenv("KNEETRIAGE_TODAY");
  if (fixed == nullptr || fixed[0] == '\0') return local_today();
  if (const std::optional<Day> day = parse_day(fixed)) return *day;
  throw UsageError(
      fmt::format("invalid value for KNEETRIAGE_TODAY: '{}' is not a date", sanitize(fixed)),
      {"a date as YYYY-MM-DD, or unset it for today"});
}

struct Place {
  std::filesystem::path path;
  bool is_default = false;
};

// --diary, else KNEETRIAGE_DIARY, else the default place.
Place diary_place(const Context& context) {
  if (!context.diary_option.empty()) return {context.diary_option, false};
  if (const char* env = std::getenv("KNEETRIAGE_DIARY"); env != nullptr && env[0] != '\0')
    return {env, false};
  const std::filesystem::path path = default_diary_path();
  if (path.empty())
    throw UsageError("there is no place for the diary: HOME and XDG_DATA_HOME are not set",
                     {"give one with --diary FILE or KNEETRIAGE_DIARY"});
  return {path, true};
}

// The default place's folders are made as needed, private (0700): the diary is health data.
void make_folders(const std::filesystem::path& folder) {
  if (folder.empty() || std::filesystem::exists(folder)) return;
  make_folders(folder.parent_path());
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST)
    throw OutputError(fmt::format("{}: could not make the diary's folder: {}",
                                  sanitize(folder.string()), std::strerror(errno)));
}

Diary open_diary(const Context& context, Diary::Mode mode) {
  const Place place = diary_place(context);
  if (mode == Diary::Mode::write && place.is_default) make_folders(place.path.parent_path());
  return Diary::open(place.path, mode);
}

// ---- log ----

struct LogOptions {
  EntryInput input;
  bool yesterday = false;
  std::vector<CLI::Option*> entry_options;
};

[[nodiscard]] bool any_entry_flag(const LogOptions& options) {
  return std::any_of(options.entry_options.begin(), options.entry_options.end(),
                     [](const CLI::Option* option) { return option->count() > 0; });
}

// One line at the prompt; nullopt on end of input or Ctrl-C.
std::optional<std::string> ask(LineReader& input, std::string_view question) {
  fmt::print(stderr, "{}", question);
  std::fflush(stderr);
  std::string line;
  bool too_long = false;
  if (input.read_line(line, too_long) != LineReader::Status::line)
    throw Interrupted("stopped: nothing was kept");
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  while (!line.empty() && line.front() == ' ') line.erase(0, 1);
  return line;
}

// Asks until `check` accepts the answer (it returns why not, or "").
template <typename Check>
std::string ask_until(LineReader& input, std::string_view question, Check check) {
  for (;;) {
    std::string answer = ask(input, question).value_or("");
    const std::string problem = check(answer);
    if (problem.empty()) return answer;
    fmt::print(stderr, "  {}\n", problem);
  }
}

std::string pain_problem(const std::string& answer) {
  if (answer.size() <= 2 && !answer.empty() &&
      std::all_of(answer.begin(), answer.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      std::stoi(answer) <= k_max_pain)
    return {};
  return "a whole number from 0 (no pain) to 10 (the worst you can imagine)";
}

// The numbered choices typed ("1 3 4"), as indices; nullopt when one is not a choice.
std::optional<std::vector<std::size_t>> picks(std::string_view answer, std::size_t count) {
  std::vector<std::size_t> out;
  std::string number;
  const auto take = [&]() {
    if (number.empty()) return true;
    if (number.size() > 3) return false;
    const std::size_t n = std::stoul(number);
    number.clear();
    if (n < 1 || n > count) return false;
    if (std::find(out.begin(), out.end(), n - 1) == out.end()) out.push_back(n - 1);
    return true;
  };
  for (const char c : answer) {
    if (c >= '0' && c <= '9') {
      number += c;
    } else if (c == ' ' || c == ',') {
      if (!take()) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  if (!take()) return std::nullopt;
  return out;
}

// The day at the terminal, in a few short questions (under 20 seconds with the answers in mind).
EntryInput ask_entry(const RuleSet& rules, const DiaryAssessment& plan, Day day) {
  const InterruptGuard guard;
  LineReader input(STDIN_FILENO);
  EntryInput entry;
  fmt::print(stderr, "Diary for {} (Ctrl-C stops; nothing is kept until the end)\n", day_name(day));
  const std::string ran = ask_until(input, "Did you run? [y/n] ", [](const std::string& a) {
    return a == "y" || a == "n" || a == "yes" || a == "no" ? "" : "y or n";
  });
  entry.ran = ran.substr(0, 1) == "y" ? "yes" : "no";
  if (*entry.ran == "yes") {
    const std::string km =
        ask_until(input, "How far, in km? [Enter to skip] ", [](const std::string& a) {
          if (a.empty()) return std::string();
          EntryInput probe;
          probe.distance = a;
          probe.pain_after = "0";
          probe.ran = "yes";
          const RuleSet none;
          return entry_from_input(probe, none, DiaryAssessment{}, Day{}).diagnostics.empty()
                     ? std::string()
                     : std::string("kilometres, such as 5 or 3.2");
        });
    if (!km.empty()) entry.distance = km;
    entry.pain_during =
        ask_until(input, "Pain during the run, 0 (none) to 10 (worst)? ", pain_problem);
    entry.pain_after = ask_until(input, "Pain after the run, 0 to 10? ", pain_problem);
  } else {
    entry.pain_after = ask_until(input, "Pain today, 0 (none) to 10 (worst)? ", pain_problem);
  }

  if (!plan.exercises.empty()) {
    fmt::print(stderr, "Your plan's exercises:");
    for (std::size_t i = 0; i < plan.exercises.size(); ++i) {
      const auto it = std::find_if(rules.exercises.begin(), rules.exercises.end(),
                                   [&](const Exercise& e) { return e.id == plan.exercises[i]; });
      fmt::print(stderr, "{}{} {}", i % 3 == 0 ? "\n  " : "   ", i + 1,
                 sanitize(it != rules.exercises.end() ? it->name : plan.exercises[i]));
    }
    std::vector<std::size_t> done;
    ask_until(input, "\nWhich did you do? [numbers such as 1 3, a for all, Enter for none] ",
              [&](const std::string& a) {
                if (a == "a" || a == "all") {
                  done.clear();
                  for (std::size_t i = 0; i < plan.exercises.size(); ++i) done.push_back(i);
                  return std::string();
                }
                const auto chosen = picks(a, plan.exercises.size());
                if (!chosen) return fmt::format("numbers from 1 to {}", plan.exercises.size());
                done = *chosen;
                return std::string();
              });
    std::string ids;
    for (const std::size_t i : done) ids += (ids.empty() ? "" : ",") + plan.exercises[i];
    entry.exercises = ids.empty() ? "none" : ids;
  }

  // The same-day warning signs: one question, and the list only when something is new.
  const Indices signs = new_sign_questions(rules);
  if (!signs.empty()) {
    const std::string any = ask_until(
        input,
        "Anything new today: swelling, locking or giving way, cannot put weight on it, "
        "hot or red, numbness, a cold, pale or blue leg, an injury? [y/N] ",
        [](const std::string& a) {
          return a.empty() || a == "y" || a == "n" || a == "yes" || a == "no" ? "" : "y or n";
        });
    if (any.substr(0, 1) == "y") {
      for (std::size_t i = 0; i < signs.size(); ++i)
        fmt::print(stderr, "{}",
                   wrap(sanitize(rules.questions[signs[i]].text), 80,
                        fmt::format("  {:>2} ", i + 1), "     "));
      std::vector<std::size_t> chosen;
      ask_until(input, "Which are new? [numbers, such as 2 5] ", [&](const std::string& a) {
        const auto which = picks(a, signs.size());
        if (!which || which->empty()) return fmt::format("numbers from 1 to {}", signs.size());
        chosen = *which;
        return std::string();
      });
      for (const std::size_t i : chosen) entry.new_signs.push_back(rules.questions[signs[i]].id);
    }
  }
  const std::string note = ask(input, "A note? [Enter to skip] ").value_or("");
  if (!note.empty()) entry.note = note;
  return entry;
}

[[noreturn]] void throw_entry_problems(const Diagnostics& problems) {
  const Diagnostic& first = problems.front();
  std::vector<std::string> details;
  if (!first.hint.empty()) details.push_back(first.hint);
  for (std::size_t i = 1; i < problems.size(); ++i)
    details.push_back(
        sanitize(fmt::format("invalid value for {}: {}{}", problems[i].file, problems[i].what,
                             problems[i].hint.empty() ? "" : " (" + problems[i].hint + ")")));
  throw UsageError(sanitize(fmt::format("invalid value for {}: {}", first.file, first.what)),
                   std::move(details));
}

int run_log(const Context& context, const LogOptions& options) {
  const RuleSet& rules = context.rules();
  const Day day = diary_today() - std::chrono::days{options.yesterday ? 1 : 0};
  const bool from_flags = any_entry_flag(options);
  if (!from_flags && !is_terminal(STDIN_FILENO))
    throw UsageError("no entry given, and no terminal to ask on",
                     {"give the day as flags: kneetriage log --pain-after 2 --exercises all",
                      "with a run: kneetriage log --distance 5 --pain-during 3 --pain-after 2"});
  Diary diary = open_diary(context, Diary::Mode::write);
  const std::optional<DiaryAssessment> plan = diary.latest_assessment();
  if (!plan)
    throw UsageError(
        fmt::format("{}: no assessment in the diary yet", sanitize(diary.path().string())),
        {k_no_diary_hint});
  const EntryInput input = from_flags ? options.input : ask_entry(rules, *plan, day);
  const EntryResult result = entry_from_input(input, rules, *plan, day);
  if (!result.diagnostics.empty()) throw_entry_problems(result.diagnostics);
  const DiaryEntry& entry = *result.entry;
  const bool replaced = diary.entry(day).has_value();

  if (entry.new_signs.empty()) {
    diary.put_entry(entry);
    write_stdout(entry_summary(rules, entry, *plan, replaced));
    return 0;
  }
  // A new warning sign: the triage again, kept with the entry, and its result shown in full.
  const Assessment again = recheck(rules, *plan, entry.new_signs);
  diary.put_entry_with_assessment(entry, diary_assessment(again, day, "new-sign"));
  std::string text = entry_summary(rules, entry, *plan, replaced);
  text += wrap(fmt::format("A new warning sign ({}): the triage was run again with it, and the "
                           "result below is now your plan in the diary.",
                           sanitize(join(entry.new_signs, ", "))),
               context.text_options(STDOUT_FILENO).width);
  text += "\n";
  text += render_text(again, context.text_options(STDOUT_FILENO));
  write_stdout(text);
  return 0;
}

Command register_log(CLI::App& app, Context& context) {
  auto options = std::make_shared<LogOptions>();
  CLI::App* command = app.add_subcommand(
      "log",
      "Keep today's pain diary entry: pain during and after running, the plan's exercises done, "
      "the run. At a terminal with no flags, it asks; a day logged again is corrected.");
  EntryInput& in = options->input;
  options->entry_options = {
      command
          ->add_option("--pain-during", in.pain_during,
                       "Pain during the run, 0 (none) to 10 (the worst); means you ran")
          ->type_name("0-10"),
      command
          ->add_option("--pain-after", in.pain_after,
                       "Pain after running, or today without a run, 0 to 10 (needed)")
          ->type_name("0-10"),
      command
          ->add_option("--exercises", in.exercises,
                       "The plan's exercises done, by id, comma-separated; all; none")
          ->type_name("IDS"),
      command->add_option("--ran", in.ran, "Whether you ran (yes with --distance or --pain-during)")
          ->type_name("yes|no"),
      command->add_option("--distance", in.distance, "How far you ran, in km")->type_name("KM"),
      command->add_option("--note", in.note, "A note, in your own words")->type_name("TEXT"),
      command
          ->add_option("--new-sign", in.new_signs,
                       "A warning sign new today (a red-flag question id, e.g. locking): "
                       "runs the triage again")
          ->type_name("ID"),
  };
  command->add_flag("--yesterday", options->yesterday, "The entry is yesterday's (to correct it)");
  command->footer(
      "Examples:\n"
      "  kneetriage log\n"
      "  kneetriage log --distance 5 --pain-during 3 --pain-after 2 --exercises all\n"
      "  kneetriage log --pain-after 1 --exercises squat,clams --note 'stairs fine'\n"
      "  kneetriage log --yesterday --pain-after 4 --exercises none");
  return {command,
          [&context, options] { return guarded([&] { return run_log(context, *options); }); }};
}

// ---- progress ----

int run_progress(const Context& context) {
  const RuleSet& rules = context.rules();
  const Day day = diary_today();
  const Diary diary = open_diary(context, Diary::Mode::read);
  std::vector<DiaryAssessment> assessments = diary.assessments();
  // Only what was known on `day`: a fixed clock in the past shows the diary as it was then.
  std::erase_if(assessments, [&](const DiaryAssessment& a) { return a.day > day; });
  if (assessments.empty())
    throw InputError(
        fmt::format("{}: no assessment in the diary yet", sanitize(diary.path().string())),
        {k_no_diary_hint});
  // The facts need the entries since the first assessment at most.
  const std::vector<DiaryEntry> entries = diary.entries(assessments.front().day);
  DiaryProgress progress = diary_progress(assessments, entries, day, k_chart_days);
  std::optional<FollowUpVerdict> verdict;
  if (rules.follow_up) {
    verdict = assess_follow_up(rules, progress.facts);
    progress.running = running_stage_under(progress.running, verdict->urgency_level());
  }
  const FollowUpVerdict* shown = verdict ? &*verdict : nullptr;
  write_stdout(context.format() == Format::json
                   ? progress_json(rules, progress, shown)
                   : progress_text(rules, progress, shown, context.text_options(STDOUT_FILENO)));
  return 0;
}

Command register_progress(CLI::App& app, Context& context) {
  CLI::App* command = app.add_subcommand(
      "progress",
      "Show how the knee is doing: days since the assessment, pain by day, exercises done, where "
      "you are in the return to running, and the follow-up verdict.");
  add_format_option(*command, context, {"text", "json"},
                    "text for people (the default), json for other tools");
  command->footer(
      "Examples:\n"
      "  kneetriage progress\n"
      "  kneetriage progress --format json | jq .follow_up.urgency");
  return {command, [&context] { return guarded([&] { return run_progress(context); }); }};
}

// ---- history, export, import ----

Command register_history(CLI::App& app, Context& context) {
  CLI::App* command =
      app.add_subcommand("history", "List the assessments and entries in the diary, oldest first.");
  add_format_option(*command, context, {"text", "json"},
                    "text for people (the default), json for JSON Lines, as export writes");
  command->footer(
      "Examples:\n"
      "  kneetriage history | less\n"
      "  kneetriage history --format json | jq -c 'select(.type == \"entry\")'");
  return {command, [&context] {
            return guarded([&] {
              const Diary diary = open_diary(context, Diary::Mode::read);
              const auto assessments = diary.assessments();
              const auto entries = diary.entries();
              write_stdout(context.format() == Format::json
                               ? diary_json_lines(assessments, entries)
                               : history_text(context.rules(), assessments, entries,
                                              context.text_options(STDOUT_FILENO)));
              return 0;
            });
          }};
}

Command register_export(CLI::App& app, Context& context) {
  auto output = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "export",
      "Write the whole diary as JSON Lines (one record a line, for import) or CSV (for a "
      "spreadsheet), to standard output or a file.");
  add_format_option(*command, context, {"jsonl", "csv"},
                    "jsonl (the default; import reads it back) or csv");
  command->add_option("-o,--output", *output, "Write to FILE, atomically, instead of stdout")
      ->type_name("FILE");
  command->footer(
      "Examples:\n"
      "  kneetriage export > diary.jsonl\n"
      "  kneetriage export --format csv --output diary.csv");
  return {command, [&context, output] {
            return guarded([&] {
              const Diary diary = open_diary(context, Diary::Mode::read);
              const auto assessments = diary.assessments();
              const auto entries = diary.entries();
              const std::string text = context.format_name == "csv"
                                           ? diary_csv(assessments, entries)
                                           : diary_json_lines(assessments, entries);
              if (output->empty() || *output == "-") {
                write_stdout(text);
              } else {
                save_atomically(*output, text);
                fmt::print(stderr, "Diary written to {}\n", sanitize(*output));
              }
              return 0;
            });
          }};
}

int run_import(const Context& context, const std::vector<std::string>& files) {
  const RuleSet& rules = context.rules();
  std::vector<DiaryAssessment> assessments;
  std::vector<DiaryEntry> entries;
  std::vector<std::string> problems;
  for (const std::string& file : files) {
    const std::string text = read_file(file);
    const std::string name = display_name(file);
    std::size_t start = 0;
    int line = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string_view record(text.data() + start, end - start);
      start = end + 1;
      ++line;
      if (!record.empty() && record.back() == '\r') record.remove_suffix(1);
      if (record.find_first_not_of(" \t") == std::string_view::npos) continue;
      DiaryRecord read = read_record(record, name, line, rules);
      for (const Diagnostic& d : read.diagnostics) problems.push_back(sanitize(to_string(d)));
      if (read.assessment) assessments.push_back(std::move(*read.assessment));
      if (read.entry) entries.push_back(std::move(*read.entry));
    }
  }
  if (!problems.empty())
    throw DataError(fmt::format("{} not valid: nothing was imported",
                                problems.size() == 1 ? "a record is" : "records are"),
                    std::move(problems));

  Diary diary = open_diary(context, Diary::Mode::write);
  // What is there already is kept: the same record again is skipped, a different entry for a
  // day that has one is a conflict (nothing is imported), so an import never loses an entry.
  const auto kept_assessments = diary.assessments();
  std::vector<DiaryAssessment> new_assessments;
  for (const DiaryAssessment& a : assessments) {
    const bool there =
        std::any_of(kept_assessments.begin(), kept_assessments.end(), [&](DiaryAssessment k) {
          k.id = 0;
          return k == a;
        });
    if (!there) new_assessments.push_back(a);
  }
  std::vector<DiaryEntry> new_entries;
  std::vector<std::string> conflicts;
  for (const DiaryEntry& e : entries) {
    const std::optional<DiaryEntry> kept = diary.entry(e.day);
    if (!kept) {
      new_entries.push_back(e);
    } else if (!(*kept == e)) {
      conflicts.push_back(
          fmt::format("{}: the diary has a different entry for this day", day_text(e.day)));
    }
  }
  if (!conflicts.empty()) {
    conflicts.emplace_back(
        "correct the day with 'kneetriage log --yesterday' or edit the file, then import again");
    throw DataError("the import would replace entries: nothing was imported", std::move(conflicts));
  }
  diary.add_all(new_assessments, new_entries);
  fmt::print(stderr, "Imported {} assessments and {} entries into {}{}\n", new_assessments.size(),
             new_entries.size(), sanitize(diary.path().string()),
             new_assessments.size() + new_entries.size() < assessments.size() + entries.size()
                 ? " (the rest were there already)"
                 : "");
  return 0;
}

Command register_import(CLI::App& app, Context& context) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* command = app.add_subcommand(
      "import",
      "Read JSON Lines written by export into the diary: all of it or, when a record is not "
      "valid or a day already has another entry, none of it.");
  command->add_option("FILE", *files, "JSON Lines files; - is standard input")->required();
  command->footer(
      "Examples:\n"
      "  kneetriage import diary.jsonl\n"
      "  kneetriage export --diary old.sqlite | kneetriage import -");
  return {command,
          [&context, files] { return guarded([&] { return run_import(context, *files); }); }};
}

}  // namespace

void add_diary_option(CLI::App& app, Context& context) {
  app.add_option("--diary", context.diary_option,
                 "The diary file for log, progress, history, export, import and --log "
                 "(also: KNEETRIAGE_DIARY)")
      ->type_name("FILE");
}

std::vector<Command> register_diary_commands(CLI::App& app, Context& context) {
  return {register_log(app, context), register_progress(app, context),
          register_history(app, context), register_export(app, context),
          register_import(app, context)};
}

void keep_assessment(const Context& context, const Assessment& assessment) {
  guarded([&] {
    Diary diary = open_diary(context, Diary::Mode::write);
    const Day day = diary_today();
    diary.add_assessment(diary_assessment(assessment, day));
    report(
        fmt::format("kept in your diary ({}) as {}'s assessment. Each day: 'kneetriage log'; "
                    "to see how it goes: 'kneetriage progress'.",
                    sanitize(diary.path().string()), day_name(day)));
    return 0;
  });
}

void offer_to_keep(const Context& context, const Assessment& assessment) {
  if (!is_terminal(STDIN_FILENO) || !is_terminal(STDERR_FILENO)) return;
  const InterruptGuard guard;
  LineReader input(STDIN_FILENO);
  fmt::print(stderr,
             "Keep this result in your pain diary, to log each day and see whether the plan is "
             "working? [y/N] ");
  std::fflush(stderr);
  std::string line;
  bool too_long = false;
  if (input.read_line(line, too_long) != LineReader::Status::line) {
    fmt::print(stderr, "\n");
    return;
  }
  if (line.empty() || (line[0] != 'y' && line[0] != 'Y')) return;
  keep_assessment(context, assessment);
}

}  // namespace kneetriage::cli
