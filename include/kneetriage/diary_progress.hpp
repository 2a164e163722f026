// How a runner is getting on, from their diary as of one day: the facts the follow-up rules read,
// and what the progress screen shows beside them (pain by day, exercises done, the way back to
// running). Pure functions of the diary's contents and the day.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kneetriage/diary.hpp"
#include "kneetriage/follow_up.hpp"

namespace kneetriage {

// The days of the pain trend, and the slope (pain points per day, least squares) that counts
// as getting better or worse; in between is "same". docs/diary.md explains the choice.
inline constexpr int k_trend_days = 7;
inline constexpr int k_trend_min_entries = 3;
inline constexpr double k_trend_slope = 0.2;

// "better", "same", "worse" or "unknown" for the entries of the last k_trend_days up to `today`:
// the least-squares slope of each day's worst pain against the day, fewer than
// k_trend_min_entries entries being "unknown".
[[nodiscard]] std::string pain_trend(const std::vector<DiaryEntry>& entries, Day today);

// True when the entry records every exercise the plan asks for each day (a plan with none
// counts no day).
[[nodiscard]] bool did_daily_exercises(const DiaryAssessment& plan, const DiaryEntry& entry);

// The facts as of `today`. `assessments` and `entries` are oldest first, as Diary gives them;
// there is at least one assessment. Entries after `today` are left out.
[[nodiscard]] FollowUpFacts follow_up_facts(const std::vector<DiaryAssessment>& assessments,
                                            const std::vector<DiaryEntry>& entries, Day today);

// Where the runner is on the way back to running, counted from the assessment that started the
// plan: the week off first when the plan says "after the week off", then a wait for a week
// without pain, then the weeks of the programme it names, counted from the first run. It never
// says to run where the follow-up rules say to stay off (a week off and a week without pain
// first: rules/knee.json, "pain-free-start-running" and "keep-resting").
struct RunningStage {
  enum class Kind {
    on_hold,      // the plan has no return-to-running step (running is stopped at this level)
    stopped,      // the follow-up verdict's level stops running (running_stage_under)
    week_off,     // day `day` of the week off
    waiting,      // the week off is over; no running until a week without pain
    ready,        // a week off and a week without pain: start week 1 of Couch to 5K
    couch_to_5k,  // week `week` of Couch to 5K, counted from the first run
    easing_back,  // week `week` of easing back while still running
  };
  Kind kind = Kind::on_hold;
  int week = 0;
  int day = 0;
};
// `first_run`: the first day the runner ran since the plan started, if they have.
[[nodiscard]] RunningStage running_stage(const DiaryAssessment& plan, const FollowUpFacts& facts,
                                         std::optional<Day> first_run, Day today);

// The stage as the follow-up verdict's level lets it stand: a level that sets running aside
// (see-doctor and above in the knee rules: "stop running until you have been seen") stops it
// too, whatever week the plan has reached.
[[nodiscard]] RunningStage running_stage_under(const RunningStage& stage, const Urgency& level);

// Everything the progress screen and its JSON document show.
struct DiaryProgress {
  Day today{};
  DiaryAssessment first;  // the first assessment: day 0
  DiaryAssessment plan;   // the latest: the plan in force
  FollowUpFacts facts;
  // The worst pain of each of the last `days` days up to today, oldest first; nullopt: no entry.
  std::vector<std::optional<int>> pain_by_day;
  int adherence_28d = 0;  // days of the last 28 with the daily exercises done
  int logged_7d = 0;      // days of the last 7 with an entry
  int logged_28d = 0;     // and of the last 28
  RunningStage running;
  std::optional<DiaryEntry> latest_entry;
};

// `chart_days` is how many days pain_by_day covers (at most since the first assessment).
[[nodiscard]] DiaryProgress diary_progress(const std::vector<DiaryAssessment>& assessments,
                                           const std::vector<DiaryEntry>& entries, Day today,
                                           int chart_days);

}  // namespace kneetriage
