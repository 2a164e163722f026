#include "kneetriage/diary.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "diary/sqlite.hpp"
#include "kneetriage/answers.hpp"

namespace kneetriage {

namespace {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::Transaction;

// Each step brings the schema from version i to i + 1 and runs in the transaction that sets
// user_version, so a crash leaves the old version or the new one. Steps are never edited once
// released: a change is a new step.
constexpr std::array k_migrations = {
    // 0 -> 1
    "CREATE TABLE assessment ("
    "  id INTEGER PRIMARY KEY,"
    "  day TEXT NOT NULL,"
    "  rules_id TEXT NOT NULL,"
    "  rules_version TEXT NOT NULL,"
    "  urgency TEXT NOT NULL,"
    "  causes TEXT NOT NULL,"
    "  exercises TEXT NOT NULL,"
    "  daily_exercises TEXT NOT NULL,"
    "  plan TEXT NOT NULL,"
    "  answers TEXT NOT NULL,"
    "  origin TEXT NOT NULL);"
    "CREATE INDEX assessment_by_day ON assessment (day, id);"
    "CREATE TABLE entry ("
    "  day TEXT PRIMARY KEY,"
    "  pain_during INTEGER CHECK (pain_during BETWEEN 0 AND 10),"
    "  pain_after INTEGER NOT NULL CHECK (pain_after BETWEEN 0 AND 10),"
    "  exercises TEXT NOT NULL,"
    "  ran INTEGER NOT NULL,"
    "  distance_km REAL,"
    "  note TEXT NOT NULL,"
    "  new_signs TEXT NOT NULL) WITHOUT ROWID;",
};
static_assert(k_migrations.size() == k_diary_schema_version);

std::string stored_list(const std::vector<std::string>& list) {
  return nlohmann::json(list).dump();
}

std::vector<std::string> list_of(const std::string& text) {
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> list;
  if (!parsed.is_array()) return list;
  for (const auto& item : parsed)
    if (item.is_string()) list.push_back(item.get<std::string>());
  return list;
}

Day day_of(const Statement& row, int column, const std::string& path) {
  const std::string text = row.text(column);
  const std::optional<Day> day = parse_day(text);
  if (!day)
    throw DiaryError(DiaryError::Kind::not_a_diary,
                     fmt::format("{}: holds a day that is not a date: '{}'", path, text));
  return *day;
}

constexpr const char* k_assessment_columns =
    "SELECT id, day, rules_id, rules_version, urgency, causes, exercises, daily_exercises, plan, "
    "answers, origin FROM assessment ";

DiaryAssessment assessment_of(const Statement& row, const std::string& path) {
  DiaryAssessment out;
  out.id = row.integer(0);
  out.day = day_of(row, 1, path);
  out.rules_id = row.text(2);
  out.rules_version = row.text(3);
  out.urgency = row.text(4);
  out.causes = list_of(row.text(5));
  out.exercises = list_of(row.text(6));
  out.daily_exercises = list_of(row.text(7));
  out.plan = list_of(row.text(8));
  out.answers = row.text(9);
  out.origin = row.text(10);
  return out;
}

constexpr const char* k_entry_columns =
    "SELECT day, pain_during, pain_after, exercises, ran, distance_km, note, new_signs FROM entry ";

DiaryEntry entry_of(const Statement& row, const std::string& path) {
  DiaryEntry out;
  out.day = day_of(row, 0, path);
  if (!row.is_null(1)) out.pain_during = static_cast<int>(row.integer(1));
  out.pain_after = static_cast<int>(row.integer(2));
  out.exercises = list_of(row.text(3));
  out.ran = row.integer(4) != 0;
  if (!row.is_null(5)) out.distance_km = row.real(5);
  out.note = row.text(6);
  out.new_signs = list_of(row.text(7));
  return out;
}

std::int64_t insert_assessment(Connection& db, const DiaryAssessment& a) {
  Statement insert(db,
                   "INSERT INTO assessment (day, rules_id, rules_version, urgency, causes, "
                   "exercises, daily_exercises, plan, answers, origin) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, day_text(a.day))
      .bind(2, a.rules_id)
      .bind(3, a.rules_version)
      .bind(4, a.urgency)
      .bind(5, stored_list(a.causes))
      .bind(6, stored_list(a.exercises))
      .bind(7, stored_list(a.daily_exercises))
      .bind(8, stored_list(a.plan))
      .bind(9, a.answers)
      .bind(10, a.origin);
  insert.run();
  return sqlite3_last_insert_rowid(db.get());
}

void upsert_entry(Connection& db, const DiaryEntry& e) {
  Statement upsert(db,
                   "INSERT OR REPLACE INTO entry (day, pain_during, pain_after, exercises, ran, "
                   "distance_km, note, new_signs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  upsert.bind(1, day_text(e.day))
      .bind(2, e.pain_during)
      .bind(3, e.pain_after)
      .bind(4, stored_list(e.exercises))
      .bind(5, std::int64_t{e.ran ? 1 : 0})
      .bind(6, e.distance_km)
      .bind(7, e.note)
      .bind(8, stored_list(e.new_signs));
  upsert.run();
}

int user_version(Connection& db) {
  Statement version(db, "PRAGMA user_version");
  return version.step() ? static_cast<int>(version.integer(0)) : 0;
}

// A version-0 database with tables of its own is someone else's: never add ours beside them.
bool has_tables(Connection& db) {
  Statement tables(db, "SELECT count(*) FROM sqlite_master");
  return tables.step() && tables.integer(0) > 0;
}

// The schema version and whether the database holds any table, read together in one read
// transaction: read apart, another process's migration could commit between them and make a
// new diary look like someone else's database.
struct SchemaState {
  int version = 0;
  bool tables = false;
};

SchemaState schema_state(Connection& db) {
  db.exec("BEGIN");  // deferred: reads only, writes nothing to the file
  SchemaState state;
  try {
    state.version = user_version(db);
    state.tables = has_tables(db);
  } catch (...) {
    try {
      db.exec("ROLLBACK");
    } catch (...) {  // the first error is the one to report
    }
    throw;
  }
  db.exec("COMMIT");
  return state;
}

// Switching to WAL needs the file to itself, and SQLite answers "locked" at once rather than
// waiting while another process holds it: a second writer starting at the same moment waits
// here, up to the busy timeout, instead of failing.
void use_wal(Connection& db) {
  constexpr int k_attempts = 500;  // 10 ms apart: the 5 s of the busy timeout
  for (int attempt = 1;; ++attempt) {
    try {
      db.exec("PRAGMA journal_mode = WAL");
      return;
    } catch (const DiaryError& error) {
      if (error.kind() != DiaryError::Kind::cannot_write || attempt == k_attempts) throw;
    }
    ::usleep(10'000);
  }
}

void migrate(Connection& db) {
  use_wal(db);
  Transaction transaction(db);
  // Read again inside the lock: another process may have migrated it meanwhile.
  const int version = user_version(db);
  if (version >= k_diary_schema_version) return;
  if (version == 0 && has_tables(db))
    throw DiaryError(DiaryError::Kind::not_a_diary,
                     "is an SQLite database, but not a kneetriage diary (it has other tables)");
  for (int step = version; step < k_diary_schema_version; ++step) db.exec(k_migrations[step]);
  db.exec(fmt::format("PRAGMA user_version = {}", k_diary_schema_version).c_str());
  transaction.commit();
}

// Creates the file with mode 0600 (the diary is health data) before SQLite sees it: SQLite
// would create it with the umask's mode. An empty file is an empty database.
bool create_private_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return true;
  }
  if (errno == EEXIST) return false;
  throw DiaryError(DiaryError::Kind::cannot_write,
                   fmt::format("{}: could not create it: {}", path.string(), std::strerror(errno)));
}

void remove_created(const std::filesystem::path& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(path.string() + suffix, ignored);
}

}  // namespace

std::optional<Day> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  std::array<int, 3> parts = {0, 0, 0};
  constexpr std::array<std::size_t, 3> starts = {0, 5, 8};
  constexpr std::array<std::size_t, 3> lengths = {4, 2, 2};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    for (std::size_t j = 0; j < lengths[i]; ++j) {
      const char c = text[starts[i] + j];
      if (c < '0' || c > '9') return std::nullopt;
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  const std::chrono::year_month_day date{std::chrono::year{parts[0]},
                                         std::chrono::month{static_cast<unsigned>(parts[1])},
                                         std::chrono::day{static_cast<unsigned>(parts[2])}};
  if (!date.ok() || parts[0] < 1900) return std::nullopt;
  return Day{date};
}

std::string day_text(Day day) {
  const std::chrono::year_month_day date{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

Day local_today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return Day{
      std::chrono::year_month_day{std::chrono::year{local.tm_year + 1900},
                                  std::chrono::month{static_cast<unsigned>(local.tm_mon + 1)},
                                  std::chrono::day{static_cast<unsigned>(local.tm_mday)}}};
}

DiaryAssessment diary_assessment(const Assessment& assessment, Day day, std::string origin) {
  const RuleSet& rules = *assessment.rules;
  DiaryAssessment out;
  out.day = day;
  out.rules_id = rules.id;
  out.rules_version = rules.version;
  out.urgency = assessment.urgency_level().id;
  for (const Index cause : assessment.causes) out.causes.push_back(rules.causes[cause].id);
  for (const Index index : assessment.exercises) {
    const Exercise& exercise = rules.exercises[index];
    out.exercises.push_back(exercise.id);
    // Adherence counts the exercises of every day; "twice a week" ones are not missed daily.
    if (frequency_of(assessment, exercise).starts_with("daily"))
      out.daily_exercises.push_back(exercise.id);
  }
  for (const Index step : assessment.plan) out.plan.push_back(rules.plan[step].id);
  out.answers = answers_to_json(rules, assessment.answers).dump();
  out.origin = std::move(origin);
  return out;
}

std::filesystem::path default_diary_path() {
  const char* data_home = std::getenv("XDG_DATA_HOME");
  if (data_home != nullptr && data_home[0] == '/')
    return std::filesystem::path(data_home) / "kneetriage" / "diary.sqlite";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0')
    return std::filesystem::path(home) / ".local" / "share" / "kneetriage" / "diary.sqlite";
  return {};
}

struct Diary::Impl {
  std::filesystem::path path;
  Connection db;
  Impl(std::filesystem::path p, bool writable) : path(std::move(p)), db(path.string(), writable) {
    db.writing = writable;
  }
};

Diary::Diary(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Diary::Diary(Diary&&) noexcept = default;
Diary& Diary::operator=(Diary&&) noexcept = default;
Diary::~Diary() = default;

const std::filesystem::path& Diary::path() const {
  return impl_->path;
}

Diary Diary::open(const std::filesystem::path& path, Mode mode) {
  const bool writable = mode == Mode::write;
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    if (!writable)
      throw DiaryError(DiaryError::Kind::missing, fmt::format("{}: no diary yet", path.string()));
  } else if (status.type() != std::filesystem::file_type::regular) {
    throw DiaryError(writable ? DiaryError::Kind::cannot_write : DiaryError::Kind::cannot_read,
                     fmt::format("{}: not a regular file", path.string()));
  }
  const bool created = writable && create_private_file(path);
  try {
    auto impl = std::make_unique<Impl>(path, writable);
    Connection& db = impl->db;
    if (writable && db.read_only())
      throw DiaryError(DiaryError::Kind::cannot_write,
                       fmt::format("{}: the diary is read-only", path.string()));
    // Reading the version is the first read of the file: it tells a database from anything
    // else before anything is written.
    const SchemaState state = schema_state(db);
    const int version = state.version;
    if (version > k_diary_schema_version)
      throw DiaryError(
          DiaryError::Kind::too_new,
          fmt::format("{}: written by a newer kneetriage (diary version {}; this one reads up to "
                      "{})",
                      path.string(), version, k_diary_schema_version));
    // Before anything is written (even the journal mode): someone else's database stays as it is.
    if (version == 0 && state.tables)
      throw DiaryError(
          DiaryError::Kind::not_a_diary,
          fmt::format("{}: an SQLite database, but not a kneetriage diary", path.string()));
    if (version < k_diary_schema_version) {
      if (!writable) {
        // An empty file (made by a write that failed, or by hand) holds no diary yet; an older
        // schema is brought up to date by the next write, never by a read.
        if (version == 0)
          throw DiaryError(DiaryError::Kind::missing,
                           fmt::format("{}: no diary yet (the file is empty)", path.string()));
        throw DiaryError(DiaryError::Kind::cannot_read,
                         fmt::format("{}: an older diary (version {}): run 'kneetriage log' once "
                                     "to bring it up to date",
                                     path.string(), version));
      } else {
        try {
          migrate(db);
        } catch (const DiaryError& failure) {
          if (failure.kind() != DiaryError::Kind::not_a_diary) throw;
          throw DiaryError(failure.kind(), path.string() + ": " + failure.what());
        }
      }
    }
    if (writable) {
      // FULL: each commit is on disk when log returns (a power cut keeps it too).
      db.exec("PRAGMA synchronous = FULL");
    }
    return Diary(std::move(impl));
  } catch (...) {
    if (created) remove_created(path);
    throw;
  }
}

std::vector<DiaryAssessment> Diary::assessments() const {
  Statement rows(impl_->db, std::string(k_assessment_columns) + "ORDER BY day, id");
  std::vector<DiaryAssessment> out;
  while (rows.step()) out.push_back(assessment_of(rows, impl_->path.string()));
  return out;
}

std::optional<DiaryAssessment> Diary::latest_assessment() const {
  Statement rows(impl_->db,
                 std::string(k_assessment_columns) + "ORDER BY day DESC, id DESC LIMIT 1");
  if (!rows.step()) return std::nullopt;
  return assessment_of(rows, impl_->path.string());
}

std::optional<DiaryAssessment> Diary::first_assessment() const {
  Statement rows(impl_->db, std::string(k_assessment_columns) + "ORDER BY day, id LIMIT 1");
  if (!rows.step()) return std::nullopt;
  return assessment_of(rows, impl_->path.string());
}

std::vector<DiaryEntry> Diary::entries(std::optional<Day> since) const {
  Statement rows(impl_->db, std::string(k_entry_columns) + "WHERE day >= ? ORDER BY day");
  rows.bind(1, since ? day_text(*since) : std::string());
  std::vector<DiaryEntry> out;
  while (rows.step()) out.push_back(entry_of(rows, impl_->path.string()));
  return out;
}

std::optional<DiaryEntry> Diary::entry(Day day) const {
  Statement rows(impl_->db, std::string(k_entry_columns) + "WHERE day = ?");
  rows.bind(1, day_text(day));
  if (!rows.step()) return std::nullopt;
  return entry_of(rows, impl_->path.string());
}

std::size_t Diary::entry_count() const {
  Statement rows(impl_->db, "SELECT count(*) FROM entry");
  return rows.step() ? static_cast<std::size_t>(rows.integer(0)) : 0;
}

std::int64_t Diary::add_assessment(const DiaryAssessment& assessment) {
  Transaction transaction(impl_->db);
  const std::int64_t id = insert_assessment(impl_->db, assessment);
  transaction.commit();
  return id;
}

void Diary::put_entry(const DiaryEntry& entry) {
  Transaction transaction(impl_->db);
  upsert_entry(impl_->db, entry);
  transaction.commit();
}

std::int64_t Diary::put_entry_with_assessment(const DiaryEntry& entry,
                                              const DiaryAssessment& assessment) {
  Transaction transaction(impl_->db);
  upsert_entry(impl_->db, entry);
  const std::int64_t id = insert_assessment(impl_->db, assessment);
  transaction.commit();
  return id;
}

void Diary::add_all(const std::vector<DiaryAssessment>& assessments,
                    const std::vector<DiaryEntry>& entries) {
  Transaction transaction(impl_->db);
  for (const DiaryAssessment& assessment : assessments) insert_assessment(impl_->db, assessment);
  for (const DiaryEntry& entry : entries) upsert_entry(impl_->db, entry);
  transaction.commit();
}

}  // namespace kneetriage
