// The pain diary: its file (created private, versioned, never changed when it is not ours, sound
// after a crash, shared by two writers), its days, the follow-up facts and its records.
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "kneetriage/diary.hpp"
#include "kneetriage/diary_entry.hpp"
#include "kneetriage/diary_progress.hpp"
#include "kneetriage/diary_records.hpp"

namespace fs = std::filesystem;
using kneetriage::Day;
using kneetriage::Diary;
using kneetriage::DiaryAssessment;
using kneetriage::DiaryEntry;
using kneetriage::DiaryError;

namespace {

// A fresh folder per test, removed after.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "kt-diary-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

Day day(const char* text) {
  return *kneetriage::parse_day(text);
}

std::string bytes_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Runs SQL on a file directly, as another program would.
std::string sql(const fs::path& path, const std::string& statement) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  std::string result;
  sqlite3_exec(
      db, statement.c_str(),
      [](void* out, int columns, char** values, char**) {
        for (int i = 0; i < columns; ++i)
          *static_cast<std::string*>(out) += values[i] != nullptr ? values[i] : "NULL";
        return 0;
      },
      &result, nullptr);
  sqlite3_close(db);
  return result;
}

DiaryAssessment plan_on(Day d, std::vector<std::string> plan = {"couch-to-5k"}) {
  DiaryAssessment a;
  a.day = d;
  a.rules_id = "knee-pain-runners";
  a.rules_version = "2.0.0";
  a.urgency = "self-care";
  a.exercises = {"squat", "clams", "box-jumps"};
  a.daily_exercises = {"squat", "clams"};
  a.plan = std::move(plan);
  a.answers = R"({"knees":"both"})";
  a.origin = "assessment";
  return a;
}

DiaryEntry entry_on(Day d, int pain, std::vector<std::string> exercises = {"squat", "clams"}) {
  DiaryEntry e;
  e.day = d;
  e.pain_after = pain;
  e.exercises = std::move(exercises);
  return e;
}

DiaryError::Kind error_opening(const fs::path& path, Diary::Mode mode) {
  try {
    (void)Diary::open(path, mode);
  } catch (const DiaryError& error) {
    return error.kind();
  }
  FAIL("the diary opened");
  return DiaryError::Kind::missing;
}

}  // namespace

TEST_CASE("a new diary is private, current and in WAL mode, and keeps what is written") {
  const TempDir dir;
  const fs::path path = dir.path / "diary.sqlite";
  {
    Diary diary = Diary::open(path, Diary::Mode::write);
    diary.add_assessment(plan_on(day("2026-01-01")));
    diary.put_entry(entry_on(day("2026-01-02"), 3));
  }
  CHECK((fs::status(path).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  CHECK(sql(path, "PRAGMA user_version") == std::to_string(kneetriage::k_diary_schema_version));
  CHECK(sql(path, "PRAGMA journal_mode") == "wal");
  const Diary diary = Diary::open(path, Diary::Mode::read);
  REQUIRE(diary.assessments().size() == 1);
  CHECK(diary.assessments()[0].plan == std::vector<std::string>{"couch-to-5k"});
  CHECK(diary.entry(day("2026-01-02")) == entry_on(day("2026-01-02"), 3));
}

TEST_CASE("a day logged again is corrected, not doubled") {
  const TempDir dir;
  Diary diary = Diary::open(dir.path / "d", Diary::Mode::write);
  diary.put_entry(entry_on(day("2026-01-02"), 3));
  diary.put_entry(entry_on(day("2026-01-02"), 5));
  CHECK(diary.entry_count() == 1);
  CHECK(diary.entry(day("2026-01-02"))->pain_after == 5);
}

TEST_CASE("reading a diary that is not there creates nothing") {
  const TempDir dir;
  CHECK(error_opening(dir.path / "none.sqlite", Diary::Mode::read) == DiaryError::Kind::missing);
  CHECK_FALSE(fs::exists(dir.path / "none.sqlite"));
}

TEST_CASE("every earlier schema version is brought up to date, and keeps its entries") {
  // Version 0 is an empty file (or an empty database): what a crash before the first commit
  // leaves. Each later version is made by the migrations up to it, through the program itself.
  for (int version = 0; version < kneetriage::k_diary_schema_version; ++version) {
    const TempDir dir;
    const fs::path path = dir.path / "old.sqlite";
    write_bytes(path, "");
    Diary diary = Diary::open(path, Diary::Mode::write);
    diary.put_entry(entry_on(day("2026-01-02"), 1));
    CHECK(sql(path, "PRAGMA user_version") == std::to_string(kneetriage::k_diary_schema_version));
    CHECK(diary.entry_count() == 1);
  }
}

TEST_CASE("a file that is not a database is refused and left as it was") {
  const TempDir dir;
  const fs::path path = dir.path / "notes.txt";
  const std::string text(5000, 'x');
  write_bytes(path, text);
  CHECK(error_opening(path, Diary::Mode::write) == DiaryError::Kind::not_a_diary);
  CHECK(error_opening(path, Diary::Mode::read) == DiaryError::Kind::not_a_diary);
  CHECK(bytes_of(path) == text);
  CHECK_FALSE(fs::exists(dir.path / "notes.txt-wal"));
}

TEST_CASE("another program's database is refused and left as it was") {
  const TempDir dir;
  const fs::path path = dir.path / "other.sqlite";
  sql(path, "CREATE TABLE photos (id INTEGER); INSERT INTO photos VALUES (1)");
  const std::string before = bytes_of(path);
  CHECK(error_opening(path, Diary::Mode::write) == DiaryError::Kind::not_a_diary);
  CHECK(bytes_of(path) == before);
}

TEST_CASE("a diary from a newer kneetriage is refused and left as it was") {
  const TempDir dir;
  const fs::path path = dir.path / "new.sqlite";
  { Diary::open(path, Diary::Mode::write).put_entry(entry_on(day("2026-01-02"), 1)); }
  sql(path, "PRAGMA user_version = 99");
  const std::string before = bytes_of(path);
  CHECK(error_opening(path, Diary::Mode::write) == DiaryError::Kind::too_new);
  CHECK(error_opening(path, Diary::Mode::read) == DiaryError::Kind::too_new);
  CHECK(bytes_of(path) == before);
}

TEST_CASE("a writer killed mid-write leaves a sound diary with every committed entry") {
  const TempDir dir;
  const fs::path path = dir.path / "crash.sqlite";
  { (void)Diary::open(path, Diary::Mode::write); }
  int committed[2];
  REQUIRE(::pipe(committed) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(committed[0]);
    Diary diary = Diary::open(path, Diary::Mode::write);
    for (int i = 0;; ++i) {
      DiaryEntry entry = entry_on(day("2000-01-01") + std::chrono::days{i}, i % 11);
      entry.note = std::string(2000, 'n');  // a few pages a write: the kill lands mid-write
      diary.put_entry(entry);
      if (::write(committed[1], &i, sizeof i) != sizeof i) ::_exit(1);
    }
  }
  ::close(committed[1]);
  int last = -1;
  int i = 0;
  while (last < 40 && ::read(committed[0], &i, sizeof i) == sizeof i) last = i;
  ::kill(child, SIGKILL);
  // Commits reported while the kill was on its way count too.
  while (::read(committed[0], &i, sizeof i) == sizeof i) last = i;
  ::close(committed[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(WIFSIGNALED(status));

  CHECK(sql(path, "PRAGMA integrity_check") == "ok");
  const Diary diary = Diary::open(path, Diary::Mode::read);
  const auto entries = diary.entries();
  REQUIRE(static_cast<int>(entries.size()) >= last + 1);
  for (int n = 0; n <= last; ++n)
    CHECK(entries[static_cast<std::size_t>(n)].day == day("2000-01-01") + std::chrono::days{n});
}

TEST_CASE("two processes logging at once both land") {
  const TempDir dir;
  const fs::path path = dir.path / "shared.sqlite";
  constexpr int k_each = 25;
  std::vector<pid_t> children;
  for (int writer = 0; writer < 2; ++writer) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      try {
        Diary diary = Diary::open(path, Diary::Mode::write);
        for (int i = 0; i < k_each; ++i)
          diary.put_entry(entry_on(day("2010-01-01") + std::chrono::days{writer * 1000 + i}, 2));
      } catch (const std::exception& error) {
        std::fprintf(stderr, "writer %d: %s\n", writer, error.what());  // why, when it fails
        ::_exit(1);
      } catch (...) {
        ::_exit(1);
      }
      ::_exit(0);
    }
    children.push_back(child);
  }
  for (const pid_t child : children) {
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  CHECK(Diary::open(path, Diary::Mode::read).entry_count() == 2 * k_each);
}

TEST_CASE("a day is the calendar day written, read in any timezone and across a clock change") {
  const TempDir dir;
  const fs::path path = dir.path / "tz.sqlite";
  const char* old_tz = std::getenv("TZ");
  const std::string saved = old_tz != nullptr ? old_tz : "";
  ::setenv("TZ", "Pacific/Kiritimati", 1);  // UTC+14
  ::tzset();
  {
    Diary diary = Diary::open(path, Diary::Mode::write);
    diary.add_assessment(plan_on(day("2026-03-28")));
    diary.put_entry(entry_on(day("2026-03-29"), 4));  // the night the UK's clocks go forward
    diary.put_entry(entry_on(day("2026-03-30"), 3));
  }
  ::setenv("TZ", "Pacific/Pago_Pago", 1);  // UTC-11: a day behind
  ::tzset();
  {
    const Diary diary = Diary::open(path, Diary::Mode::read);
    CHECK(kneetriage::day_text(diary.entries()[0].day) == "2026-03-29");
    const auto facts =
        kneetriage::follow_up_facts(diary.assessments(), diary.entries(), day("2026-03-30"));
    CHECK(facts.days_since_assessment == 2);
  }
  ::setenv("TZ", "Europe/London", 1);
  ::tzset();
  CHECK(kneetriage::days_between(day("2026-03-28"), day("2026-03-30")) == 2);
  CHECK(kneetriage::days_between(day("2026-10-24"), day("2026-10-26")) == 2);
  if (old_tz != nullptr)
    ::setenv("TZ", saved.c_str(), 1);
  else
    ::unsetenv("TZ");
  ::tzset();
}

TEST_CASE("dates are read exactly as YYYY-MM-DD and real") {
  CHECK(kneetriage::parse_day("2024-02-29"));
  CHECK_FALSE(kneetriage::parse_day("2026-02-29"));
  CHECK_FALSE(kneetriage::parse_day("2026-13-01"));
  CHECK_FALSE(kneetriage::parse_day("2026-1-01"));
  CHECK_FALSE(kneetriage::parse_day("26-01-01"));
  CHECK_FALSE(kneetriage::parse_day("2026-01-01x"));
  CHECK(kneetriage::day_text(day("2026-01-05")) == "2026-01-05");
}

TEST_CASE("the pain trend is the slope of the last seven days' worst pain") {
  const Day today = day("2026-01-10");
  const auto series = [&](std::vector<int> pains) {
    std::vector<DiaryEntry> out;
    for (std::size_t i = 0; i < pains.size(); ++i)
      out.push_back(
          entry_on(today - std::chrono::days{static_cast<int>(pains.size() - 1 - i)}, pains[i]));
    return out;
  };
  CHECK(kneetriage::pain_trend(series({6, 5, 5, 4, 3, 3, 2}), today) == "better");
  CHECK(kneetriage::pain_trend(series({3, 4, 3, 3, 4, 3, 3}), today) == "same");
  CHECK(kneetriage::pain_trend(series({2, 2, 3, 4, 4, 5, 6}), today) == "worse");
  CHECK(kneetriage::pain_trend(series({2, 6}), today) == "unknown");
  // Older entries do not count: only two in the last seven days.
  auto old = series({9, 9, 9, 9, 9, 9, 9, 9, 2, 2});
  old.erase(old.begin() + 8);
  old.erase(old.begin() + 3, old.begin() + 7);
  CHECK(kneetriage::pain_trend(old, today) == "unknown");
}

TEST_CASE("the follow-up facts count from the assessments and the entries") {
  const Day start = day("2026-01-01");
  std::vector<DiaryEntry> entries;
  for (int i = 1; i <= 10; ++i)
    entries.push_back(entry_on(start + std::chrono::days{i}, i <= 7 ? 8 - i : 0,
                               i % 2 == 0 ? std::vector<std::string>{"squat", "clams"}
                                          : std::vector<std::string>{"squat"}));
  entries[8].ran = true;
  const auto facts =
      kneetriage::follow_up_facts({plan_on(start)}, entries, start + std::chrono::days{10});
  CHECK(facts.days_since_assessment == 10);
  CHECK(facts.days_on_plan == 10);
  CHECK(facts.pain_change == 0 - 7);
  CHECK(facts.pain_free_days == 3);
  CHECK(facts.adherence_7d == 4);  // days 4..10: the even ones
  CHECK(facts.has_run);
  CHECK(facts.last_urgency == "self-care");
  // Today not logged yet: the streak counts to yesterday.
  CHECK(kneetriage::follow_up_facts({plan_on(start)}, entries, start + std::chrono::days{11})
            .pain_free_days == 3);
}

TEST_CASE(
    "the way back to running: a week off, a week without pain, then Couch to 5K from the "
    "first run") {
  const Day start = day("2026-01-01");
  using Kind = kneetriage::RunningStage::Kind;
  const auto after = [&](int days) { return start + std::chrono::days{days}; };
  kneetriage::FollowUpFacts in_pain;
  in_pain.pain_free_days = 0;
  kneetriage::FollowUpFacts pain_free = in_pain;
  pain_free.pain_free_days = 7;
  auto stage = kneetriage::running_stage(plan_on(start), pain_free, std::nullopt, after(3));
  CHECK((stage.kind == Kind::week_off && stage.day == 4));
  // The week off is over, but the knee still hurts: no running yet, as the follow-up says.
  stage = kneetriage::running_stage(plan_on(start), in_pain, std::nullopt, after(7));
  CHECK(stage.kind == Kind::waiting);
  stage = kneetriage::running_stage(plan_on(start), in_pain, std::nullopt, after(20));
  CHECK(stage.kind == Kind::waiting);
  stage = kneetriage::running_stage(plan_on(start), pain_free, std::nullopt, after(14));
  CHECK(stage.kind == Kind::ready);
  // Weeks of the programme count from the first run, however late it came.
  stage = kneetriage::running_stage(plan_on(start), pain_free, after(21), after(21));
  CHECK((stage.kind == Kind::couch_to_5k && stage.week == 1));
  stage = kneetriage::running_stage(plan_on(start), in_pain, after(21), after(28));
  CHECK((stage.kind == Kind::couch_to_5k && stage.week == 2));
  stage = kneetriage::running_stage(plan_on(start, {}), pain_free, std::nullopt, after(15));
  CHECK(stage.kind == Kind::on_hold);
}

TEST_CASE("a follow-up that sends the runner to a doctor stops the running stage too") {
  const kneetriage::RuleSet rules = kneetriage::builtin_rules();
  const auto level = [&](const char* id) -> const kneetriage::Urgency& {
    return rules.urgencies[*rules.find_urgency(id)];
  };
  const kneetriage::RunningStage week3{kneetriage::RunningStage::Kind::couch_to_5k, 3, 0};
  using Kind = kneetriage::RunningStage::Kind;
  CHECK(kneetriage::running_stage_under(week3, level("self-care")).kind == Kind::couch_to_5k);
  CHECK(kneetriage::running_stage_under(week3, level("see-doctor")).kind == Kind::stopped);
  CHECK(kneetriage::running_stage_under(week3, level("emergency")).kind == Kind::stopped);
}

TEST_CASE("records round-trip, and a bad one is located by line, column and pointer") {
  const kneetriage::RuleSet rules = kneetriage::builtin_rules();
  DiaryEntry entry = entry_on(day("2026-01-02"), 3);
  entry.ran = true;
  entry.pain_during = 4;
  entry.distance_km = 5.3;
  entry.note = "stairs \"fine\", 😀";
  const std::string line = kneetriage::record_line(entry);
  const auto read = kneetriage::read_record(line, "d.jsonl", 7, rules);
  REQUIRE(read.diagnostics.empty());
  CHECK(*read.entry == entry);

  const auto bad = kneetriage::read_record(
      R"({"schema":"kneetriage/diary-record/1","type":"entry","day":"2026-02-30","pain_during":null,)"
      R"("pain_after":11,"exercises":["sqaut"],"ran":false,"distance_km":null,"note":"","new_signs":[]})",
      "d.jsonl", 3, rules);
  REQUIRE(bad.diagnostics.size() == 3);
  CHECK(kneetriage::to_string(bad.diagnostics[0]).starts_with("d.jsonl:3:"));
  CHECK(bad.diagnostics[0].pointer == "/day");
  CHECK(bad.diagnostics[0].column > 1);
  CHECK(bad.diagnostics[1].pointer == "/pain_after");
  CHECK(bad.diagnostics[2].pointer == "/exercises/0");
  CHECK_FALSE(bad.entry);
}

TEST_CASE("an entry from flags: pain 0-10, known exercises, a distance only with a run") {
  const kneetriage::RuleSet rules = kneetriage::builtin_rules();
  const DiaryAssessment plan = plan_on(day("2026-01-01"));
  kneetriage::EntryInput input;
  input.pain_after = "2";
  input.distance = "5";
  input.pain_during = "3";
  input.exercises = "all";
  auto result = kneetriage::entry_from_input(input, rules, plan, day("2026-01-02"));
  REQUIRE(result.entry);
  CHECK(result.entry->ran);
  CHECK(result.entry->exercises == plan.exercises);

  input.pain_after = "11";
  input.exercises = "squat,sqaut";
  input.ran = "no";
  input.new_signs = {"locking", "knees"};
  result = kneetriage::entry_from_input(input, rules, plan, day("2026-01-02"));
  CHECK_FALSE(result.entry);
  std::vector<std::string> flags;
  for (const auto& d : result.diagnostics) flags.push_back(d.file);
  CHECK(flags == std::vector<std::string>{"--pain-after", "--ran", "--exercises", "--new-sign"});
}

TEST_CASE("a new warning sign runs the triage again on the kept answers") {
  const kneetriage::RuleSet rules = kneetriage::builtin_rules();
  DiaryAssessment plan = plan_on(day("2026-01-01"));
  plan.answers =
      R"({"knees":"both","weight_bearing":true,"very_painful":false,"trauma":false,)"
      R"("deformity":false,"locking":false,"swelling":false,"hot":false,"numbness":false,)"
      R"("circulation":false,"location":"front","severity":"mild","stops_running":false,)"
      R"("strength_training":false,"new_to_running":true})";
  CHECK(kneetriage::recheck(rules, plan, {}).urgency_level().id == "self-care");
  const auto again = kneetriage::recheck(rules, plan, {"weight_bearing"});
  CHECK(again.is_red_flag());
}
