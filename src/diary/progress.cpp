#include <algorithm>

#include "kneetriage/diary_progress.hpp"

namespace kneetriage {

namespace {

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Entries from `from` to `today`, both included.
std::vector<const DiaryEntry*> between(const std::vector<DiaryEntry>& entries, Day from,
                                       Day today) {
  std::vector<const DiaryEntry*> out;
  for (const DiaryEntry& entry : entries)
    if (entry.day >= from && entry.day <= today) out.push_back(&entry);
  return out;
}

int adherence(const DiaryAssessment& plan, const std::vector<DiaryEntry>& entries, Day today,
              int days) {
  int done = 0;
  for (const DiaryEntry* entry : between(entries, today - std::chrono::days{days - 1}, today))
    if (did_daily_exercises(plan, *entry)) ++done;
  return done;
}

}  // namespace

std::string pain_trend(const std::vector<DiaryEntry>& entries, Day today) {
  const auto recent = between(entries, today - std::chrono::days{k_trend_days - 1}, today);
  if (static_cast<int>(recent.size()) < k_trend_min_entries) return "unknown";
  double mean_x = 0;
  double mean_y = 0;
  for (const DiaryEntry* entry : recent) {
    mean_x += days_between(today, entry->day);
    mean_y += entry->worst_pain();
  }
  mean_x /= static_cast<double>(recent.size());
  mean_y /= static_cast<double>(recent.size());
  double covariance = 0;
  double variance = 0;
  for (const DiaryEntry* entry : recent) {
    const double dx = days_between(today, entry->day) - mean_x;
    covariance += dx * (entry->worst_pain() - mean_y);
    variance += dx * dx;
  }
  const double slope = covariance / variance;  // variance > 0: entries are on distinct days
  if (slope <= -k_trend_slope) return "better";
  if (slope >= k_trend_slope) return "worse";
  return "same";
}

bool did_daily_exercises(const DiaryAssessment& plan, const DiaryEntry& entry) {
  if (plan.daily_exercises.empty()) return false;
  return std::all_of(plan.daily_exercises.begin(), plan.daily_exercises.end(),
                     [&](const std::string& id) { return contains(entry.exercises, id); });
}

FollowUpFacts follow_up_facts(const std::vector<DiaryAssessment>& assessments,
                              const std::vector<DiaryEntry>& entries, Day today) {
  const DiaryAssessment& first = assessments.front();
  const DiaryAssessment& plan = assessments.back();
  FollowUpFacts facts;
  facts.days_since_assessment = days_between(first.day, today);
  facts.days_on_plan = days_between(plan.day, today);
  facts.pain_trend = pain_trend(entries, today);
  facts.last_urgency = plan.urgency;

  const auto on_plan = between(entries, plan.day, today);
  if (!on_plan.empty())
    facts.pain_change = on_plan.back()->worst_pain() - on_plan.front()->worst_pain();
  facts.has_run = std::any_of(on_plan.begin(), on_plan.end(),
                              [](const DiaryEntry* entry) { return entry->ran; });
  facts.adherence_7d = adherence(plan, entries, today, 7);

  // A streak counts back from today, or from yesterday while today is not logged yet (most
  // runners write the day up in the evening); a day without an entry ends it.
  const auto all = between(entries, first.day, today);
  auto it = all.rbegin();
  Day expected = today;
  if (it != all.rend() && (*it)->day != today) expected = today - std::chrono::days{1};
  for (; it != all.rend() && (*it)->day == expected && (*it)->worst_pain() == 0; ++it) {
    ++facts.pain_free_days;
    expected -= std::chrono::days{1};
  }
  return facts;
}

RunningStage running_stage(const DiaryAssessment& plan, const FollowUpFacts& facts,
                           std::optional<Day> first_run, Day today) {
  const int days = days_between(plan.day, today);
  RunningStage stage;
  // The plan steps of the built-in rules: "after the week off … Couch to 5K" (a week off first),
  // and "keep running, but ease back".
  if (contains(plan.plan, "couch-to-5k")) {
    if (first_run) {
      stage.kind = RunningStage::Kind::couch_to_5k;
      stage.week = days_between(*first_run, today) / 7 + 1;
    } else if (days < 7) {
      stage.kind = RunningStage::Kind::week_off;
      stage.day = days + 1;
    } else if (facts.pain_free_days < 7) {
      stage.kind = RunningStage::Kind::waiting;
    } else {
      stage.kind = RunningStage::Kind::ready;
    }
  } else if (contains(plan.plan, "gradual-return")) {
    stage.kind = RunningStage::Kind::easing_back;
    stage.week = days / 7 + 1;
  }
  return stage;
}

RunningStage running_stage_under(const RunningStage& stage, const Urgency& level) {
  if (stage.kind == RunningStage::Kind::on_hold || !contains(level.withhold, "running"))
    return stage;
  return RunningStage{RunningStage::Kind::stopped, 0, 0};
}

DiaryProgress diary_progress(const std::vector<DiaryAssessment>& assessments,
                             const std::vector<DiaryEntry>& entries, Day today, int chart_days) {
  DiaryProgress progress;
  progress.today = today;
  progress.first = assessments.front();
  progress.plan = assessments.back();
  progress.facts = follow_up_facts(assessments, entries, today);
  const int days = std::clamp(days_between(progress.first.day, today) + 1, 1, chart_days);
  const Day from = today - std::chrono::days{days - 1};
  progress.pain_by_day.assign(static_cast<std::size_t>(days), std::nullopt);
  for (const DiaryEntry* entry : between(entries, from, today))
    progress.pain_by_day[static_cast<std::size_t>(days_between(from, entry->day))] =
        entry->worst_pain();
  progress.adherence_28d = adherence(progress.plan, entries, today, 28);
  progress.logged_7d =
      static_cast<int>(between(entries, today - std::chrono::days{6}, today).size());
  progress.logged_28d =
      static_cast<int>(between(entries, today - std::chrono::days{27}, today).size());
  std::optional<Day> first_run;
  for (const DiaryEntry* entry : between(entries, progress.plan.day, today)) {
    if (entry->ran) {
      first_run = entry->day;
      break;
    }
  }
  progress.running = running_stage(progress.plan, progress.facts, first_run, today);
  const auto upto = between(entries, progress.first.day, today);
  if (!upto.empty()) progress.latest_entry = *upto.back();
  return progress;
}

}  // namespace kneetriage
