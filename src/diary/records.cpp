#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "kneetriage/diary_records.hpp"
#include "support/json_locate.hpp"

namespace kneetriage {

namespace {

using ordered = nlohmann::ordered_json;

std::string dump(const ordered& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ordered optional_json(const std::optional<int>& value) {
  return value ? ordered(*value) : ordered();
}

// Reads the members of one record object, adding a diagnostic for each problem.
class RecordReader {
 public:
  RecordReader(const ordered& object, Diagnostics& out, std::string_view file)
      : object_(object), out_(out), file_(file) {}

  void problem(const std::string& key, std::string what, std::string hint = {}) {
    out_.push_back({std::string(file_), 0, 0, "/" + key, std::move(what), std::move(hint)});
  }

  const ordered* member(const std::string& key, bool required = true) {
    const auto it = object_.find(key);
    if (it == object_.end()) {
      if (required) problem(key, fmt::format("'{}' is missing", key));
      return nullptr;
    }
    seen_.push_back(key);
    return &*it;
  }

  std::string text(const std::string& key) {
    const ordered* value = member(key);
    if (value == nullptr) return {};
    if (!value->is_string()) {
      problem(key, fmt::format("'{}' must be a string", key));
      return {};
    }
    return value->get<std::string>();
  }

  Day day(const std::string& key) {
    const std::string value = text(key);
    if (const std::optional<Day> day = parse_day(value)) return *day;
    if (member(key) != nullptr && member(key)->is_string())
      problem(key, fmt::format("'{}' is not a date", value), "a date as YYYY-MM-DD");
    return {};
  }

  std::optional<int> pain(const std::string& key, bool nullable) {
    const ordered* value = member(key);
    if (value == nullptr) return std::nullopt;
    if (value->is_null() && nullable) return std::nullopt;
    if (!value->is_number_integer() || value->get<std::int64_t>() < 0 ||
        value->get<std::int64_t>() > k_max_pain) {
      problem(key, fmt::format("'{}' is not a pain score", value->dump()),
              nullable ? "a whole number from 0 to 10, or null" : "a whole number from 0 to 10");
      return std::nullopt;
    }
    return value->get<int>();
  }

  bool flag(const std::string& key) {
    const ordered* value = member(key);
    if (value == nullptr) return false;
    if (!value->is_boolean()) {
      problem(key, fmt::format("'{}' must be true or false", key));
      return false;
    }
    return value->get<bool>();
  }

  // A list of ids, each of which `known` must accept.
  template <typename Known>
  std::vector<std::string> ids(const std::string& key, Known known, std::string_view kind) {
    const ordered* value = member(key);
    std::vector<std::string> out;
    if (value == nullptr) return out;
    if (!value->is_array()) {
      problem(key, fmt::format("'{}' must be a list of {} ids", key, kind));
      return out;
    }
    for (std::size_t i = 0; i < value->size(); ++i) {
      const ordered& item = (*value)[i];
      const std::string at = fmt::format("{}/{}", key, i);
      if (!item.is_string()) {
        problem(at, fmt::format("must be a {} id", kind));
        continue;
      }
      const auto id = item.get<std::string>();
      if (!known(id)) {
        problem(at, fmt::format("unknown {} '{}'", kind, id));
        continue;
      }
      out.push_back(id);
    }
    return out;
  }

  void no_others() {
    for (const auto& [key, value] : object_.items()) {
      if (key.starts_with("$")) continue;
      if (std::find(seen_.begin(), seen_.end(), key) == seen_.end())
        problem(key, fmt::format("unknown field '{}'", key));
    }
  }

 private:
  const ordered& object_;
  Diagnostics& out_;
  std::string_view file_;
  std::vector<std::string> seen_;
};

bool any_id(const std::string&) {
  return true;
}

}  // namespace

std::string record_line(const DiaryAssessment& a) {
  ordered out;
  out["schema"] = k_diary_record_schema;
  out["type"] = "assessment";
  out["day"] = day_text(a.day);
  out["rules_id"] = a.rules_id;
  out["rules_version"] = a.rules_version;
  out["urgency"] = a.urgency;
  out["causes"] = a.causes;
  out["exercises"] = a.exercises;
  out["daily_exercises"] = a.daily_exercises;
  out["plan"] = a.plan;
  out["answers"] = ordered::parse(a.answers, nullptr, false);
  if (out["answers"].is_discarded()) out["answers"] = ordered::object();
  out["origin"] = a.origin;
  return dump(out);
}

std::string record_line(const DiaryEntry& e) {
  ordered out;
  out["schema"] = k_diary_record_schema;
  out["type"] = "entry";
  out["day"] = day_text(e.day);
  out["pain_during"] = optional_json(e.pain_during);
  out["pain_after"] = e.pain_after;
  out["exercises"] = e.exercises;
  out["ran"] = e.ran;
  out["distance_km"] = e.distance_km ? ordered(*e.distance_km) : ordered();
  out["note"] = e.note;
  out["new_signs"] = e.new_signs;
  return dump(out);
}

namespace {

// Assessments and entries merged by day, a day's assessments first.
template <typename OnAssessment, typename OnEntry>
void by_day(const std::vector<DiaryAssessment>& assessments, const std::vector<DiaryEntry>& entries,
            OnAssessment on_assessment, OnEntry on_entry) {
  auto a = assessments.begin();
  auto e = entries.begin();
  while (a != assessments.end() || e != entries.end()) {
    if (e == entries.end() || (a != assessments.end() && a->day <= e->day))
      on_assessment(*a++);
    else
      on_entry(*e++);
  }
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_list(const std::vector<std::string>& list) {
  std::string joined;
  for (const std::string& item : list) joined += (joined.empty() ? "" : ";") + item;
  return csv_field(joined);
}

}  // namespace

std::string diary_json_lines(const std::vector<DiaryAssessment>& assessments,
                             const std::vector<DiaryEntry>& entries) {
  std::string out;
  by_day(
      assessments, entries, [&](const DiaryAssessment& a) { out += record_line(a) + "\n"; },
      [&](const DiaryEntry& e) { out += record_line(e) + "\n"; });
  return out;
}

std::string diary_csv(const std::vector<DiaryAssessment>& assessments,
                      const std::vector<DiaryEntry>& entries) {
  std::string out =
      "type,day,urgency,causes,plan,pain_during,pain_after,exercises,ran,distance_km,note,"
      "new_signs\r\n";
  by_day(
      assessments, entries,
      [&](const DiaryAssessment& a) {
        out += fmt::format("assessment,{},{},{},{},,,{},,,,\r\n", day_text(a.day),
                           csv_field(a.urgency), csv_list(a.causes), csv_list(a.plan),
                           csv_list(a.exercises));
      },
      [&](const DiaryEntry& e) {
        out += fmt::format("entry,{},,,,{},{},{},{},{},{},{}\r\n", day_text(e.day),
                           e.pain_during ? std::to_string(*e.pain_during) : "", e.pain_after,
                           csv_list(e.exercises), e.ran ? "yes" : "no",
                           e.distance_km ? fmt::format("{}", *e.distance_km) : "",
                           csv_field(e.note), csv_list(e.new_signs));
      });
  return out;
}

DiaryRecord read_record(std::string_view text, std::string_view file, int line,
                        const RuleSet& rules) {
  DiaryRecord record;
  Diagnostics& out = record.diagnostics;
  // Ordered, so that the kept answers keep their order through an import.
  ordered json;
  try {
    json = ordered::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    out.push_back(detail::parse_error_diagnostic(
        text, file, error.byte, error.what(),
        {"each line must be one JSON object", "the line is empty", "the line is binary"}));
  } catch (const nlohmann::json::exception& error) {
    // A number too large for a double, say.
    out.push_back(detail::unrepresentable_json_diagnostic(text, file, error.what()));
  }
  if (!out.empty()) {
    // The text is one line of the file: its position there is `line`.
    out.back().line = line;
    return record;
  }
  if (!json.is_object()) {
    out.push_back({std::string(file), line, 1, "", "a record must be a JSON object", ""});
    return record;
  }
  RecordReader read(json, out, file);
  const std::string schema = read.text("schema");
  if (!schema.empty() && schema != k_diary_record_schema)
    read.problem("schema", fmt::format("unknown schema '{}'", schema),
                 std::string("expected ") + k_diary_record_schema);
  const std::string type = read.text("type");
  const auto exercise_known = [&](const std::string& id) {
    return std::any_of(rules.exercises.begin(), rules.exercises.end(),
                       [&](const Exercise& e) { return e.id == id; });
  };
  if (type == "assessment") {
    DiaryAssessment a;
    a.day = read.day("day");
    a.rules_id = read.text("rules_id");
    a.rules_version = read.text("rules_version");
    a.urgency = read.text("urgency");
    // Ids of the rules it was made with, which may be older than these: kept as they are.
    a.causes = read.ids("causes", any_id, "cause");
    a.exercises = read.ids("exercises", any_id, "exercise");
    a.daily_exercises = read.ids("daily_exercises", any_id, "exercise");
    a.plan = read.ids("plan", any_id, "plan step");
    if (const ordered* answers = read.member("answers"); answers != nullptr) {
      if (answers->is_object())
        a.answers = dump(*answers);
      else
        read.problem("answers", "'answers' must be an object");
    }
    a.origin = read.text("origin");
    if (!a.origin.empty() && a.origin != "assessment" && a.origin != "new-sign")
      read.problem("origin", fmt::format("unknown origin '{}'", a.origin),
                   "assessment or new-sign");
    record.assessment = std::move(a);
  } else if (type == "entry") {
    DiaryEntry e;
    e.day = read.day("day");
    e.pain_during = read.pain("pain_during", true);
    e.pain_after = read.pain("pain_after", false).value_or(0);
    e.exercises = read.ids("exercises", exercise_known, "exercise");
    e.ran = read.flag("ran");
    if (const ordered* distance = read.member("distance_km"); distance != nullptr) {
      if (distance->is_number() && std::isfinite(distance->get<double>()) &&
          distance->get<double>() >= 0 && distance->get<double>() <= 1000)
        e.distance_km = distance->get<double>();
      else if (!distance->is_null())
        read.problem("distance_km", "'distance_km' is not a distance",
                     "kilometres from 0 to 1000, or null");
    }
    e.note = read.text("note");
    e.new_signs = read.ids(
        "new_signs",
        [&](const std::string& id) {
          const auto q = rules.find_question(id);
          return q && rules.questions[*q].red_flag.has_value();
        },
        "red-flag question");
    if (!e.ran && (e.pain_during || e.distance_km))
      read.problem("ran", "'pain_during' and 'distance_km' need a run", "\"ran\": true");
    record.entry = std::move(e);
  } else if (!type.empty()) {
    read.problem("type", fmt::format("unknown record type '{}'", type), "assessment or entry");
  }
  if (out.empty()) read.no_others();
  if (!out.empty()) {
    record.assessment.reset();
    record.entry.reset();
    add_positions(out, text);
    for (Diagnostic& d : out) {
      d.line = line;  // one record per line: the column is within it
      if (d.column == 0) d.column = 1;
    }
  }
  return record;
}

}  // namespace kneetriage
