// The pain diary: the assessments a runner chose to keep and a short entry per day (pain, the
// plan's exercises, running), stored in one SQLite file that no crash or full disk can corrupt.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kneetriage/assessment.hpp"

namespace kneetriage {

// A local calendar day: the day the runner lived it, stored as text (YYYY-MM-DD) so that reading
// the diary in another timezone, or across a clock change, gives the same days.
using Day = std::chrono::sys_days;

// "2026-03-01" as a Day; nullopt unless it is exactly YYYY-MM-DD and a real date.
[[nodiscard]] std::optional<Day> parse_day(std::string_view text);
[[nodiscard]] std::string day_text(Day day);
// Today on the local clock (the TZ environment variable decides which calendar day that is).
[[nodiscard]] Day local_today();
// Whole days from `from` to `to` (negative when `to` is earlier).
[[nodiscard]] inline int days_between(Day from, Day to) {
  return static_cast<int>((to - from).count());
}

inline constexpr int k_max_pain = 10;

// An assessment kept in the diary: what the follow-up needs of it, and the answers, so that the
// triage can be run again with a new sign added.
struct DiaryAssessment {
  std::int64_t id = 0;  // set by the diary; 0 for one not stored yet
  Day day{};
  std::string rules_id, rules_version;
  std::string urgency;                       // urgency id
  std::vector<std::string> causes;           // cause ids
  std::vector<std::string> exercises;        // the plan's exercise ids
  std::vector<std::string> daily_exercises;  // those of them done every day (adherence)
  std::vector<std::string> plan;             // return-to-running step ids
  std::string answers;                       // the answers, a compact JSON object
  std::string origin;                        // "assessment", or "new-sign" for a re-run
  bool operator==(const DiaryAssessment&) const = default;
};

// One day of the diary. Pain is 0 (none) to 10 (the worst imaginable), during running and after
// it (or through the day when there was no run), as the article tells the two apart.
struct DiaryEntry {
  Day day{};
  std::optional<int> pain_during;  // only on a day with a run
  int pain_after = 0;
  std::vector<std::string> exercises;  // exercise ids done that day
  bool ran = false;
  std::optional<double> distance_km;  // only with a run
  std::string note;
  std::vector<std::string> new_signs;  // red-flag question ids reported that day
  [[nodiscard]] int worst_pain() const { return std::max(pain_during.value_or(0), pain_after); }
  bool operator==(const DiaryEntry&) const = default;
};

// The diary as kept for `assessment`, made on `day`.
[[nodiscard]] DiaryAssessment diary_assessment(const Assessment& assessment, Day day,
                                               std::string origin = "assessment");

// What went wrong with a diary file, for the program to map to its exit statuses.
class DiaryError : public std::runtime_error {
 public:
  enum class Kind {
    missing,       // there is no diary yet (reading only)
    not_a_diary,   // not an SQLite database, or a database of something else
    too_new,       // written by a newer kneetriage (its schema version is higher)
    cannot_read,   // the file or its folder cannot be opened
    cannot_write,  // read-only, a full disk, locked by another writer for too long
  };
  DiaryError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// The schema version this build reads and writes (SQLite's user_version).
inline constexpr int k_diary_schema_version = 1;

// An open diary file. Every write is one transaction: it is all there after a crash, or none of
// it is. Throws DiaryError.
//   Diary diary = Diary::open(default_diary_path(), Diary::Mode::write);
//   diary.put_entry(entry);
class Diary {
 public:
  enum class Mode {
    read,   // never creates or changes the file: a missing diary is DiaryError::missing
    write,  // creates it (mode 0600) when missing, and brings an older schema up to date
  };
  [[nodiscard]] static Diary open(const std::filesystem::path& path, Mode mode);
  Diary(Diary&&) noexcept;
  Diary& operator=(Diary&&) noexcept;
  ~Diary();

  [[nodiscard]] const std::filesystem::path& path() const;

  // Oldest first (by day, then in the order kept).
  [[nodiscard]] std::vector<DiaryAssessment> assessments() const;
  [[nodiscard]] std::optional<DiaryAssessment> latest_assessment() const;
  [[nodiscard]] std::optional<DiaryAssessment> first_assessment() const;
  // Entries from `since` on (all when nullopt), oldest first.
  [[nodiscard]] std::vector<DiaryEntry> entries(std::optional<Day> since = std::nullopt) const;
  [[nodiscard]] std::optional<DiaryEntry> entry(Day day) const;
  [[nodiscard]] std::size_t entry_count() const;

  // Returns the id it was stored under.
  std::int64_t add_assessment(const DiaryAssessment& assessment);
  // Keeps `entry` as the day's, replacing one already there (a correction).
  void put_entry(const DiaryEntry& entry);
  // An assessment that a new sign in `entry` led to, kept with the entry in one transaction.
  std::int64_t put_entry_with_assessment(const DiaryEntry& entry,
                                         const DiaryAssessment& assessment);
  // Adds everything in one transaction; none of it when any part fails.
  void add_all(const std::vector<DiaryAssessment>& assessments,
               const std::vector<DiaryEntry>& entries);

 private:
  struct Impl;
  explicit Diary(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Where a diary is kept unless the program is told otherwise: $XDG_DATA_HOME/kneetriage/
// diary.sqlite, else ~/.local/share/kneetriage/diary.sqlite. Empty when neither is set.
[[nodiscard]] std::filesystem::path default_diary_path();

}  // namespace kneetriage
