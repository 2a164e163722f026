#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "kneetriage/answer_space.hpp"
#include "kneetriage/answers.hpp"
#include "kneetriage/diary_entry.hpp"
#include "kneetriage/engine.hpp"

namespace kneetriage {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (const char c : text) {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!word.empty()) out.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

std::string id_list(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

std::optional<bool> yes_no(std::string_view text) {
  const std::string word = lower(trimmed(text));
  if (word == "yes" || word == "y" || word == "true") return true;
  if (word == "no" || word == "n" || word == "false") return false;
  return std::nullopt;
}

}  // namespace

EntryResult entry_from_input(const EntryInput& input, const RuleSet& rules,
                             const DiaryAssessment& plan, Day day) {
  EntryResult result;
  Diagnostics& out = result.diagnostics;
  const auto problem = [&](std::string_view flag, std::string what, std::string hint) {
    out.push_back({std::string(flag), 0, 0, "", std::move(what), std::move(hint)});
  };
  const auto pain = [&](std::string_view flag, const std::string& text) -> std::optional<int> {
    const std::string word = trimmed(text);
    int value = -1;
    const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (word.empty() || error != std::errc() || end != word.data() + word.size() || value < 0 ||
        value > k_max_pain) {
      problem(flag, fmt::format("'{}' is not a pain score", text),
              "a whole number from 0 (no pain) to 10 (the worst you can imagine)");
      return std::nullopt;
    }
    return value;
  };

  DiaryEntry entry;
  entry.day = day;
  if (input.pain_during) entry.pain_during = pain("--pain-during", *input.pain_during);
  if (!input.pain_after)
    problem("--pain-after", "is missing: every entry needs it",
            "how much the knee hurt after running, or today when you did not run, 0 to 10");
  else if (const auto after = pain("--pain-after", *input.pain_after))
    entry.pain_after = *after;

  if (input.distance) {
    double km = -1;
    const std::string word = trimmed(*input.distance);
    const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), km);
    if (word.empty() || error != std::errc() || end != word.data() + word.size() ||
        !std::isfinite(km) || km <= 0 || km > 1000)
      problem("--distance", fmt::format("'{}' is not a distance", *input.distance),
              "kilometres, a number above 0 and at most 1000, such as 5 or 3.2");
    else
      entry.distance_km = km;
  }

  const bool run_implied = input.pain_during.has_value() || input.distance.has_value();
  entry.ran = run_implied;
  if (input.ran) {
    if (const auto ran = yes_no(*input.ran)) {
      entry.ran = *ran;
      if (!*ran && run_implied)
        problem("--ran", "is no, but --pain-during or --distance says there was a run",
                "leave out --pain-during and --distance on a day without a run");
    } else {
      problem("--ran", fmt::format("'{}' is not yes or no", *input.ran), "yes or no");
    }
  }

  if (input.exercises) {
    const std::vector<std::string> given = words(*input.exercises);
    if (given.size() == 1 && lower(given[0]) == "all") {
      entry.exercises = plan.exercises;
    } else if (!(given.size() == 1 && lower(given[0]) == "none")) {
      for (const std::string& id : given) {
        const auto known = std::find_if(rules.exercises.begin(), rules.exercises.end(),
                                        [&](const Exercise& e) { return e.id == id; });
        if (known == rules.exercises.end()) {
          problem("--exercises", fmt::format("unknown exercise '{}'", id),
                  "your plan's exercises: " +
                      (plan.exercises.empty() ? std::string("none") : id_list(plan.exercises)) +
                      "; or all, or none");
          continue;
        }
        if (std::find(entry.exercises.begin(), entry.exercises.end(), id) == entry.exercises.end())
          entry.exercises.push_back(id);
      }
    }
  }

  if (input.note) {
    if (input.note->size() > k_max_note)
      problem("--note", fmt::format("is {} bytes long", input.note->size()),
              fmt::format("at most {} bytes", k_max_note));
    else
      entry.note = *input.note;
  }

  const Indices signs = new_sign_questions(rules);
  for (const std::string& given : input.new_signs) {
    for (std::string id : words(given)) {
      std::replace(id.begin(), id.end(), '-', '_');
      const auto question = rules.find_question(id);
      if (!question || std::find(signs.begin(), signs.end(), *question) == signs.end()) {
        std::vector<std::string> ids;
        for (const Index sign : signs) ids.push_back(rules.questions[sign].id);
        problem("--new-sign", fmt::format("'{}' is not a warning sign", id),
                "one of: " + id_list(ids));
        continue;
      }
      if (std::find(entry.new_signs.begin(), entry.new_signs.end(), id) == entry.new_signs.end())
        entry.new_signs.push_back(id);
    }
  }

  if (out.empty()) result.entry = std::move(entry);
  return result;
}

std::optional<Value> red_flag_answer(const RuleSet& rules, const Question& question) {
  if (!question.red_flag) return std::nullopt;
  std::vector<Value> candidates;
  if (question.type == QuestionType::boolean) candidates = {Value{true}, Value{false}};
  if (question.type == QuestionType::choice)
    for (const Choice& choice : question.choices) candidates.emplace_back(choice.value);
  const auto index = rules.find_question(question.id);
  for (const Value& candidate : candidates) {
    std::vector<std::optional<Value>> facts(rules.questions.size());
    facts[*index] = candidate;
    if (holds(*question.red_flag, rules.conditions, facts)) return candidate;
  }
  return std::nullopt;
}

Indices new_sign_questions(const RuleSet& rules) {
  Indices out;
  for (Index i = 0; i < rules.questions.size(); ++i) {
    const Question& question = rules.questions[i];
    if (!question.ask_if && red_flag_answer(rules, question)) out.push_back(i);
  }
  return out;
}

Assessment recheck(const RuleSet& rules, const DiaryAssessment& plan,
                   const std::vector<std::string>& new_signs) {
  // Answers kept with older rules may name questions these rules lack: those are left out.
  nlohmann::json kept = nlohmann::json::parse(plan.answers, nullptr, false);
  if (!kept.is_object()) kept = nlohmann::json::object();
  for (auto it = kept.begin(); it != kept.end();) {
    if (rules.find_question(it.key()))
      ++it;
    else
      it = kept.erase(it);
  }
  AnswersResult read = answers_from_json(rules, kept, "<diary>");
  Answers answers = read.diagnostics.empty() ? std::move(read.answers) : Answers(rules);
  for (const std::string& id : new_signs) {
    const auto question = rules.find_question(id);
    if (!question) continue;
    if (auto value = red_flag_answer(rules, rules.questions[*question]))
      answers.values[*question] = std::move(*value);
  }
  Assessment assessment = assess(rules, answers);
  mark_missing(rules, answers, assessment);
  return assessment;
}

}  // namespace kneetriage
