// Random rules files for comparing the symbolic analysis with the walk: questions of every type
// (yes/no, choice, whole and decimal numbers, multi), conditions with every operator nested in
// all / any / not, named conditions, ask_if chains, several urgency levels that set items aside,
// frequencies, actions and invariants. The same seed gives the same file.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace random_rules {

struct Shape {
  int min_questions = 2, max_questions = 5;
  int max_rules = 6;
  int max_named = 2;
  bool decimals = true;  // a decimal question cannot be walked: leave them out to compare counts
};

class Generator {
 public:
  Generator(std::uint64_t seed, Shape shape) : random_(seed), shape_(shape) {}

  nlohmann::json rules() {
    using nlohmann::json;
    json doc;
    doc["format"] = "kneetriage-rules/1";
    doc["id"] = "random";
    doc["version"] = "0.0.1";
    doc["title"] = "Random rules";
    doc["disclaimer"] = "Not medical advice.";
    doc["sources"] = json::array({{{"id", "s"}, {"title", "S"}}});
    doc["citations"] = json::array({{{"id", "C1"}, {"source", "s"}, {"point", "p"}}});
    const int levels = between(2, 3);
    json urgencies = json::array();
    for (int u = 0; u < levels; ++u) {
      json level{{"id", "u" + std::to_string(u)}, {"title", "U"}, {"action", "act"}};
      json withhold = json::array();
      if (u + 1 < levels)
        for (const char* kind : {"strength", "running", "overuse", "follow-up", "rest"})
          if (chance(0.4)) withhold.push_back(kind);
      if (!withhold.empty()) level["withhold"] = withhold;
      if (chance(0.3)) level["frequency"] = {{"strength", "level " + std::to_string(u)}};
      if (u + 1 < levels && chance(0.5)) level["partial_result"] = true;
      urgencies.push_back(level);
    }
    doc["urgencies"] = urgencies;
    levels_ = levels;

    const int n = between(shape_.min_questions, shape_.max_questions);
    json questions = json::array();
    for (int q = 0; q < n; ++q) {
      Question question;
      question.id = "q" + std::to_string(q);
      json j{{"id", question.id}, {"text", "Q?"}, {"help", "h"}};
      switch (between(0, shape_.decimals ? 4 : 3)) {
        case 0:
          question.type = "boolean";
          break;
        case 1:
          question.type = "choice";
          question.choices = between(2, 3);
          break;
        case 2:
          question.type = "multi";
          question.choices = between(1, 3);
          break;
        case 3:
          question.type = "number";
          question.max = between(1, 4);
          break;
        default:
          question.type = "number";
          question.max = between(1, 3);
          question.integer = false;
          break;
      }
      j["type"] = question.type;
      if (question.choices > 0) {
        json choices = json::array();
        for (int c = 0; c < question.choices; ++c)
          choices.push_back(
              {{"value", "c" + std::to_string(c)}, {"label", "C" + std::to_string(c)}});
        j["choices"] = choices;
      }
      if (question.type == "number") {
        j["min"] = 0;
        j["max"] = question.max;
        if (!question.integer) j["integer"] = false;
      }
      if (q > 0 && chance(0.4)) j["ask_if"] = condition(2, q);
      questions.push_back(j);
      questions_.push_back(question);
    }
    doc["questions"] = questions;

    json named = json::object();
    const int named_count = between(0, shape_.max_named);
    for (int c = 0; c < named_count; ++c) {
      named["n" + std::to_string(c)] = condition(2, n);
      ++named_;
    }
    doc["conditions"] = named;

    const auto catalogue = [&](const char* prefix, int count,
                               const std::vector<std::string>& kinds) {
      json out = json::array();
      for (int i = 0; i < count; ++i) {
        json item{{"id", std::string(prefix) + std::to_string(i)}, {"source", {"C1"}}};
        const std::string kind =
            kinds[static_cast<std::size_t>(between(0, static_cast<int>(kinds.size()) - 1))];
        if (!kind.empty()) item["kind"] = kind;
        out.push_back(item);
      }
      return out;
    };
    json causes = catalogue("cause", between(1, 3), {"", "overuse"});
    for (auto& c : causes) c.update({{"title", "T"}, {"explanation", "E"}});
    json advice = catalogue("advice", between(1, 4), {"", "follow-up", "running"});
    for (auto& a : advice) a["text"] = "A";
    json exercises = catalogue("ex", between(1, 2), {"strength", "running"});
    for (auto& e : exercises)
      e.update({{"name", "E"},
                {"how", "h"},
                {"dose", "d"},
                {"frequency", "daily"},
                {"cues", json::array()},
                {"start", "now"}});
    json plan = catalogue("plan", between(1, 2), {"rest", "running"});
    for (auto& p : plan) p["text"] = "P";
    doc["causes"] = causes;
    doc["advice"] = advice;
    doc["exercises"] = exercises;
    doc["plan"] = plan;

    json rules = json::array();
    const int rule_count = between(1, shape_.max_rules);
    for (int r = 0; r < rule_count; ++r) {
      json then = json::object();
      if (chance(0.6)) then["urgency"] = "u" + std::to_string(between(0, levels - 1));
      const auto some = [&](const json& items, const char* key) {
        json ids = json::array();
        for (const auto& item : items)
          if (chance(0.4)) ids.push_back(item["id"]);
        if (!ids.empty()) then[key] = ids;
      };
      some(causes, "causes");
      some(advice, "advice");
      some(exercises, "exercises");
      some(plan, "plan");
      if (chance(0.4))
        then["action"] =
            advice[static_cast<std::size_t>(between(0, static_cast<int>(advice.size()) - 1))]["id"];
      if (chance(0.2)) then["frequency"] = {{"strength", "rule " + std::to_string(r)}};
      const bool concludes = then.contains("urgency") || then.contains("causes") ||
                             then.contains("advice") || then.contains("exercises") ||
                             then.contains("plan");
      if (!concludes) then["causes"] = json::array({causes[0]["id"]});
      rules.push_back({{"id", "r" + std::to_string(r)},
                       {"title", "R"},
                       {"source", {"C1"}},
                       {"when", condition(3, n)},
                       {"then", then}});
    }
    doc["rules"] = rules;

    json invariants = json::array();
    const int invariant_count = between(0, 3);
    for (int i = 0; i < invariant_count; ++i) {
      json inv{{"id", "i" + std::to_string(i)}, {"why", "because"}};
      if (chance(0.5)) inv["when"] = condition(2, n);
      if (chance(0.3)) inv["at_urgency_at_least"] = "u" + std::to_string(between(0, levels - 1));
      json then;
      switch (between(0, 4)) {
        case 0:
          then["urgency_at_least"] = "u" + std::to_string(between(0, levels - 1));
          break;
        case 1:
          then["urgency_at_most"] = "u" + std::to_string(between(0, levels - 1));
          break;
        case 2:
          then["shown"] = {{"advice", json::array({advice[0]["id"]})}};
          break;
        case 3:
          then["not_shown"] = {{"causes", json::array({causes[0]["id"]})},
                               {"exercises", json::array({exercises[0]["id"]})}};
          break;
        default:
          then["not_shown_kinds"] = {"running", "overuse"};
          break;
      }
      inv["then"] = then;
      invariants.push_back(inv);
    }
    if (!invariants.empty()) doc["invariants"] = invariants;
    return doc;
  }

 private:
  struct Question {
    std::string id, type;
    int choices = 0;
    int max = 0;
    bool integer = true;
  };

  int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(random_) < p; }

  // A condition over questions [0, limit): a leaf, or all / any / not of smaller ones, or a
  // named condition (only where every question is in scope).
  nlohmann::json condition(int depth, int limit) {
    using nlohmann::json;
    const bool may_name = limit >= static_cast<int>(questions_.size()) && named_ > 0 &&
                          static_cast<int>(questions_.size()) > 0;
    const int pick = depth <= 0 ? 0 : between(0, may_name ? 4 : 3);
    if (pick == 4) return {{"condition", "n" + std::to_string(between(0, named_ - 1))}};
    if (pick == 3) return {{"not", condition(depth - 1, limit)}};
    if (pick == 1 || pick == 2 || depth == 3) {
      json list = json::array();
      const int count = between(1, 3);
      for (int i = 0; i < count; ++i) list.push_back(condition(depth - 1, limit));
      return {{pick == 2 ? "any" : "all", list}};
    }
    return leaf(limit);
  }

  nlohmann::json leaf(int limit) {
    using nlohmann::json;
    const Question& q = questions_[static_cast<std::size_t>(between(0, limit - 1))];
    json out{{"fact", q.id}};
    const auto choice = [&] { return "c" + std::to_string(between(0, q.choices - 1)); };
    const auto number = [&] {
      // Whole numbers and halves in and beyond the range: thresholds of every kind.
      const double v = between(-1, 2 * q.max + 1) / 2.0;
      return v;
    };
    const auto in_range = [&] {
      return q.integer ? static_cast<double>(between(0, q.max)) : between(0, 2 * q.max) / 2.0;
    };
    if (q.type == "boolean") {
      const int op = between(0, 3);
      if (op < 2) {
        out["operator"] = op == 0 ? "equal" : "notEqual";
        out["value"] = chance(0.5);
      } else {
        out["operator"] = op == 2 ? "in" : "notIn";
        out["value"] = chance(0.5) ? json::array({true}) : json::array({false, true});
      }
    } else if (q.type == "choice") {
      const int op = between(0, 3);
      if (op < 2) {
        out["operator"] = op == 0 ? "equal" : "notEqual";
        out["value"] = choice();
      } else {
        out["operator"] = op == 2 ? "in" : "notIn";
        json list = json::array({choice()});
        if (chance(0.5)) list.push_back(choice());
        out["value"] = list;
      }
    } else if (q.type == "multi") {
      out["operator"] = chance(0.5) ? "contains" : "doesNotContain";
      out["value"] = choice();
    } else {
      static const char* const k_ops[] = {
          "equal",    "notEqual",          "in",          "notIn",
          "lessThan", "lessThanInclusive", "greaterThan", "greaterThanInclusive"};
      const std::string op = k_ops[between(0, 7)];
      out["operator"] = op;
      if (op == "equal" || op == "notEqual") {
        out["value"] = in_range();
      } else if (op == "in" || op == "notIn") {
        json list = json::array({in_range()});
        if (chance(0.5)) list.push_back(in_range());
        out["value"] = list;
      } else {
        out["value"] = number();
      }
    }
    return out;
  }

  std::mt19937_64 random_;
  Shape shape_;
  std::vector<Question> questions_;
  int levels_ = 0;
  int named_ = 0;
};

inline nlohmann::json generate(std::uint64_t seed, Shape shape = {}) {
  return Generator(seed, shape).rules();
}

}  // namespace random_rules
