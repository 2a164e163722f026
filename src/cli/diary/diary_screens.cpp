#include "diary/diary_screens.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "terminal/layout.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

namespace {

using ordered = nlohmann::ordered_json;

constexpr std::array<const char*, 7> k_weekdays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> k_months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string short_day(Day day) {
  const std::chrono::year_month_day date{day};
  return fmt::format("{} {}", static_cast<unsigned>(date.day()),
                     k_months[static_cast<unsigned>(date.month()) - 1]);
}

const Exercise* find_exercise(const RuleSet& rules, std::string_view id) {
  for (const Exercise& exercise : rules.exercises)
    if (exercise.id == id) return &exercise;
  return nullptr;
}

std::string urgency_title(const RuleSet& rules, const std::string& id) {
  const auto level = rules.find_urgency(id);
  return level ? rules.urgencies[*level].title : id;
}

std::string plural(int n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string pain_words(const DiaryEntry& entry) {
  if (entry.ran && entry.pain_during)
    return fmt::format("pain {} during, {} after", *entry.pain_during, entry.pain_after);
  return fmt::format("pain {}", entry.pain_after);
}

std::string run_words(const DiaryEntry& entry) {
  if (!entry.ran) return "no run";
  return entry.distance_km ? fmt::format("ran {:g} km", *entry.distance_km) : "ran";
}

// The chart: a bar per day, two columns wide, a row for every two points of pain, an odd score
// drawn as "__" half way up the next row.
std::string pain_chart(const DiaryProgress& progress, const Style& style) {
  const auto& days = progress.pain_by_day;
  const Day first = progress.today - std::chrono::days{static_cast<int>(days.size()) - 1};
  std::string out = style.bold(fmt::format("Pain each day, {} to {}", short_day(first),
                                           short_day(progress.today))) +
                    " (the worse of during and after a run; . no entry)\n";
  for (int level = 10; level >= 2; level -= 2) {
    std::string row = fmt::format("{:>3} |", level);
    for (const std::optional<int>& pain : days) {
      if (pain && *pain >= level)
        row += "##";
      else if (pain && *pain == level - 1)
        row += "__";  // an odd score: half way to this row
      else
        row += "  ";
    }
    while (!row.empty() && row.back() == ' ') row.pop_back();
    out += row + "\n";
  }
  std::string base = "  0 +";
  for (const std::optional<int>& pain : days) base += pain ? "--" : "-.";
  out += base + "\n";

  return out;
}

std::string running_text(const RunningStage& stage) {
  switch (stage.kind) {
    case RunningStage::Kind::week_off:
      return fmt::format("day {} of the week off (no running yet; the exercises every day)",
                         stage.day);
    case RunningStage::Kind::stopped:
      return "stopped until a doctor or physiotherapist has seen your knee";
    case RunningStage::Kind::waiting:
      return "the week off is over; no running until you have had a week without pain";
    case RunningStage::Kind::ready:
      return "ready for week 1 of Couch to 5K (a week off and a week without pain are done)";
    case RunningStage::Kind::couch_to_5k:
      return fmt::format("week {} of Couch to 5K, counted from your first run", stage.week);
    case RunningStage::Kind::easing_back:
      return fmt::format("week {} of easing back (shorter, easier runs)", stage.week);
    case RunningStage::Kind::on_hold:
      break;
  }
  return "on hold: no running in this plan";
}

std::string_view running_id(RunningStage::Kind kind) {
  switch (kind) {
    case RunningStage::Kind::week_off:
      return "week-off";
    case RunningStage::Kind::stopped:
      return "stopped";
    case RunningStage::Kind::waiting:
      return "waiting";
    case RunningStage::Kind::ready:
      return "ready";
    case RunningStage::Kind::couch_to_5k:
      return "couch-to-5k";
    case RunningStage::Kind::easing_back:
      return "easing-back";
    case RunningStage::Kind::on_hold:
      break;
  }
  return "on-hold";
}

std::string trend_text(const FollowUpFacts& facts) {
  if (facts.pain_trend == "unknown")
    return fmt::format("not known yet (it needs {} entries in the last {} days)",
                       k_trend_min_entries, k_trend_days);
  return facts.pain_trend;
}

std::vector<std::string> source_titles(const FollowUpVerdict& verdict) {
  std::vector<std::string> titles;
  for (const Index citation : verdict.sources()) {
    const Citation& cited = verdict.rules->citations[citation];
    // The publisher names a source in a word ("NHS"); the title is in the JSON and --full.
    const Source& source = verdict.rules->sources[cited.source];
    const std::string title = source.publisher.empty() ? source.title : source.publisher;
    if (std::find(titles.begin(), titles.end(), title) == titles.end()) titles.push_back(title);
  }
  return titles;
}

ordered list_json(const std::vector<std::string>& list) {
  ordered out = ordered::array();
  for (const std::string& item : list) out.push_back(item);
  return out;
}

}  // namespace

std::string day_name(Day day) {
  const std::chrono::year_month_day date{day};
  const std::chrono::weekday weekday{day};
  return fmt::format(
      "{} {} {} {}", k_weekdays[weekday.c_encoding()], static_cast<unsigned>(date.day()),
      k_months[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()));
}

std::string verdict_text(const FollowUpVerdict& verdict, const TextOptions& options) {
  const Style& style = options.style;
  const Urgency& level = verdict.urgency_level();
  std::string title = "Follow-up: " + sanitize(level.title);
  title = verdict.is_red_flag() ? style.alarm(title) : style.bold(title);
  std::string out = title + "\n";
  out += wrap(sanitize(verdict.action_text()), options.width, "  ", "  ");
  const std::vector<std::string> reasons = verdict.reasons();
  if (!reasons.empty())
    out += wrap(sanitize(join(reasons, "; ")), options.width, "  Why: ", "       ");
  for (const std::string& advice : verdict.advice_texts())
    out += wrap(sanitize(advice), options.width, "  - ", "    ");
  if (const std::vector<std::string> titles = source_titles(verdict); !titles.empty())
    out += wrap(sanitize(join(titles, "; ")), options.width, "  Source: ", "          ");
  // The safety net's first sentence (when to see someone); the result of the assessment and
  // --format json have all of it.
  std::string_view net = verdict.safety_net();
  if (const std::size_t end = net.find(". "); end != std::string_view::npos)
    net = net.substr(0, end + 1);
  if (!net.empty()) out += wrap(sanitize(net), options.width, "  ", "  ");
  return out;
}

std::string progress_text(const RuleSet& rules, const DiaryProgress& progress,
                          const FollowUpVerdict* verdict, const TextOptions& options) {
  const Style& style = options.style;
  const FollowUpFacts& facts = progress.facts;
  std::string out;
  std::string plan = fmt::format("{}: day {} since your first assessment; plan of {}: {}",
                                 style.bold(day_name(progress.today)), facts.days_since_assessment,
                                 short_day(progress.plan.day),
                                 sanitize(urgency_title(rules, progress.plan.urgency)));
  if (progress.plan.origin == "new-sign") plan += " (after a new sign)";
  out += wrap(plan + ".", options.width);
  out += pain_chart(progress, style);
  out += wrap(fmt::format("Pain trend, last {} days: {}.", k_trend_days, trend_text(facts)),
              options.width);
  if (facts.pain_free_days > 0)
    out +=
        wrap(fmt::format("Pain-free for {} in a row.", plural(facts.pain_free_days, "day", "days")),
             options.width);
  if (progress.plan.daily_exercises.empty())
    out += wrap("Exercises: none in this plan to do every day.", options.width);
  else
    out +=
        wrap(fmt::format("Exercises all done on {} of the last 7 days ({} of 28); diary kept on {} "
                         "({}).",
                         facts.adherence_7d, progress.adherence_28d, progress.logged_7d,
                         progress.logged_28d),
             options.width);
  out += wrap("Running: " + running_text(progress.running) + ".", options.width);
  out += "\n";
  out += verdict != nullptr
             ? verdict_text(*verdict, options)
             : wrap("Follow-up: these rules have no follow-up section, so there is no verdict.",
                    options.width);
  return out;
}

std::string progress_json(const RuleSet& rules, const DiaryProgress& progress,
                          const FollowUpVerdict* verdict) {
  const FollowUpFacts& facts = progress.facts;
  ordered out;
  out["schema"] = k_progress_schema;
  out["rules_id"] = rules.id;
  out["rules_version"] = rules.version;
  out["today"] = day_text(progress.today);
  out["first_assessment"] = day_text(progress.first.day);
  ordered plan;
  plan["day"] = day_text(progress.plan.day);
  plan["urgency"] = progress.plan.urgency;
  plan["origin"] = progress.plan.origin;
  plan["exercises"] = list_json(progress.plan.exercises);
  plan["daily_exercises"] = list_json(progress.plan.daily_exercises);
  plan["plan"] = list_json(progress.plan.plan);
  out["plan"] = std::move(plan);
  ordered pain = ordered::array();
  const Day from =
      progress.today - std::chrono::days{static_cast<int>(progress.pain_by_day.size()) - 1};
  for (std::size_t i = 0; i < progress.pain_by_day.size(); ++i) {
    const auto& worst = progress.pain_by_day[i];
    pain.push_back({{"day", day_text(from + std::chrono::days{static_cast<int>(i)})},
                    {"worst_pain", worst ? ordered(*worst) : ordered()}});
  }
  out["pain_by_day"] = std::move(pain);
  out["adherence"] = {{"last_7_days", facts.adherence_7d},
                      {"last_28_days", progress.adherence_28d},
                      {"logged_last_7_days", progress.logged_7d},
                      {"logged_last_28_days", progress.logged_28d}};
  out["running"] = {{"stage", running_id(progress.running.kind)},
                    {"week", progress.running.week},
                    {"day", progress.running.day}};
  out["facts"] = {{"days_since_assessment", facts.days_since_assessment},
                  {"days_on_plan", facts.days_on_plan},
                  {"pain_trend", facts.pain_trend},
                  {"pain_change", facts.pain_change},
                  {"pain_free_days", facts.pain_free_days},
                  {"adherence_7d", facts.adherence_7d},
                  {"last_urgency", facts.last_urgency},
                  {"has_run", facts.has_run}};
  ordered follow_up;
  if (verdict != nullptr) {
    follow_up["urgency"] = verdict->urgency_id();
    follow_up["urgency_title"] = verdict->urgency_level().title;
    follow_up["action"] = verdict->action_text();
    follow_up["safety_net"] = verdict->safety_net();
    follow_up["reasons"] = list_json(verdict->reasons());
    follow_up["advice"] = list_json(verdict->advice_ids());
    // The members of the assessment document's `source` (write_citations): a document written
    // once per run is built as a tree.
    ordered sources = ordered::array();
    for (const Index index : verdict->sources()) {
      const Citation& citation = verdict->rules->citations[index];
      ordered entry = {{"id", citation.id},
                       {"source", verdict->rules->sources[citation.source].id},
                       {"point", citation.point}};
      if (!citation.quote.empty()) entry["quote"] = citation.quote;
      sources.push_back(std::move(entry));
    }
    follow_up["source"] = std::move(sources);
  }
  out["follow_up"] = std::move(follow_up);
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string history_text(const RuleSet& rules, const std::vector<DiaryAssessment>& assessments,
                         const std::vector<DiaryEntry>& entries, const TextOptions& options) {
  std::string out;
  auto a = assessments.begin();
  auto e = entries.begin();
  const std::string indent(12, ' ');
  while (a != assessments.end() || e != entries.end()) {
    if (e == entries.end() || (a != assessments.end() && a->day <= e->day)) {
      std::string line = fmt::format("{}", sanitize(urgency_title(rules, a->urgency)));
      if (!a->causes.empty()) line += " (" + sanitize(join(a->causes, ", ")) + ")";
      if (a->origin == "new-sign") line += ", after a new sign";
      out += wrap(options.style.bold("assessment: ") + line, options.width, day_text(a->day) + "  ",
                  indent);
      ++a;
    } else {
      std::string line = pain_words(*e) + "; " + run_words(*e);
      std::vector<std::string> names;
      for (const std::string& id : e->exercises) {
        const Exercise* exercise = find_exercise(rules, id);
        names.push_back(exercise != nullptr ? exercise->name : id);
      }
      line += names.empty() ? "; no exercises" : "; " + join(names, ", ");
      if (!e->new_signs.empty()) line += "; new: " + join(e->new_signs, ", ");
      if (!e->note.empty()) line += "; \"" + e->note + "\"";
      out += wrap(sanitize(line), options.width, day_text(e->day) + "  ", indent);
      ++e;
    }
  }
  return out;
}

std::string entry_summary(const RuleSet& rules, const DiaryEntry& entry,
                          const DiaryAssessment& plan, bool replaced) {
  (void)rules;
  std::string exercises;
  if (!plan.daily_exercises.empty()) {
    const auto done = std::count_if(
        plan.daily_exercises.begin(), plan.daily_exercises.end(), [&](const std::string& id) {
          return std::find(entry.exercises.begin(), entry.exercises.end(), id) !=
                 entry.exercises.end();
        });
    exercises = fmt::format("; {} of {} daily exercises", done, plan.daily_exercises.size());
  }
  return fmt::format("{} {}: {}; {}{}.\n", replaced ? "Corrected" : "Kept", day_name(entry.day),
                     pain_words(entry), run_words(entry), exercises);
}

}  // namespace kneetriage::cli
