// The ask_if truth for tests/fhir/check_fhir.cjs, from kneetriage's own code: every answer set
// the questionnaire allows (the core's answer-space walk, the partial sets along the way
// included), written as the QuestionnaireResponse kneetriage writes for it, read back as
// kneetriage reads it, with the linkIds a form renderer should enable for those answers: each
// question ask_if asks (applicable()), its help display item, and its red-flag display item when
// the red flag is raised (raises_red_flag()).
//
//   fhir_ask_if_table [RULES_FILE]     (the built-in rules without one)
//
// stdout: one JSON line per distinct answer set,
//   {"answers": {plain answers}, "response": {QuestionnaireResponse}, "enabled": [linkId, ...]}
// Answer sets are distinct on the answers to the questions some ask_if or red_flag refers to (the
// only answers enablement depends on), and on being complete or partial. A decimal question cannot
// be walked value by value: it takes its min, its max, every number a condition compares it with,
// and the midpoint between each two of those (every comparison is constant in between), one walk
// per combination. stderr: one line of counts. Exit 0, or 1 when the rules cannot be loaded, a walk
// cannot list the answer sets, or a response kneetriage writes does not read back.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "kneetriage/answer_space.hpp"
#include "kneetriage/answers.hpp"
#include "kneetriage/condition.hpp"
#include "kneetriage/diagnostic.hpp"
#include "kneetriage/fhir.hpp"
#include "kneetriage/questionnaire.hpp"
#include "kneetriage/rules.hpp"
#include "kneetriage/value.hpp"

namespace {

using kneetriage::Answers;
using kneetriage::Condition;
using kneetriage::Index;
using kneetriage::QuestionType;
using kneetriage::RuleSet;
using kneetriage::Value;

bool is_decimal(const kneetriage::Question& question) {
  return question.type == QuestionType::number && !question.integer;
}

// Marks the questions `condition` refers to, and collects the numbers it compares each with.
void collect_facts(const Condition& condition, const RuleSet& rules, std::vector<bool>& referenced,
                   std::vector<std::set<double>>& literals, int depth = 0) {
  if (depth > 64) return;  // the loader rejects deeper nesting and cycles
  switch (condition.kind) {
    case Condition::Kind::reference:
      collect_facts(rules.conditions[condition.reference].condition, rules, referenced, literals,
                    depth + 1);
      return;
    case Condition::Kind::leaf:
      referenced[condition.fact] = true;
      if (const auto* number = std::get_if<double>(&condition.value))
        literals[condition.fact].insert(*number);
      for (const Value& value : condition.values)
        if (const auto* number = std::get_if<double>(&value))
          literals[condition.fact].insert(*number);
      return;
    default:
      for (const Condition& child : condition.children)
        collect_facts(child, rules, referenced, literals, depth + 1);
  }
}

// The values a decimal question takes: see the file comment.
std::vector<double> decimal_probes(const kneetriage::Question& question,
                                   const std::set<double>& literals) {
  std::set<double> points{question.min, question.max};
  for (const double literal : literals)
    if (literal >= question.min && literal <= question.max) points.insert(literal);
  std::vector<double> out(points.begin(), points.end());
  const std::size_t n = out.size();
  for (std::size_t i = 0; i + 1 < n; ++i) out.push_back((out[i] + out[i + 1]) / 2);
  return out;
}

struct Table {
  const RuleSet& rules;
  std::vector<bool> referenced;
  std::set<std::string> seen{};  // keys of the answer sets written
  std::size_t complete = 0, partial = 0, round_trip_changed = 0, unreadable = 0;

  std::set<std::string> walked{};  // keys of the answer sets as walked, before the round trip

  // The answers to the questions some ask_if or red_flag refers to, as a string.
  std::string key(const Answers& answers) const {
    std::string out;
    for (Index i = 0; i < rules.questions.size(); ++i) {
      if (!referenced[i]) continue;
      out += '|';
      const auto& value = answers.values[i];
      if (!value) continue;
      if (const auto* flag = std::get_if<bool>(&*value)) {
        out += *flag ? "true" : "false";
      } else if (const auto* number = std::get_if<double>(&*value)) {
        char text[32];
        std::snprintf(text, sizeof text, "%.17g", *number);
        out += text;
      } else if (const auto* choice = std::get_if<std::string>(&*value)) {
        out += '"' + *choice;
      } else if (const auto* list = std::get_if<kneetriage::StringList>(&*value)) {
        out += '[';
        for (const auto& item : *list) out += item + ',';
      }
    }
    return out;
  }

  bool visit(const Answers& answers, bool is_complete) {
    ++(is_complete ? complete : partial);
    // Enablement depends only on the referenced answers: one answer set of each kind is enough
    // (one partial and one complete, so that both kinds of response are validated).
    if (!walked.insert(key(answers) + (is_complete ? "#complete" : "#partial")).second) return true;
    // What a form renderer would send back, as kneetriage reads it.
    const nlohmann::ordered_json written =
        kneetriage::answers_to_questionnaire_response(rules, answers);
    const auto read = kneetriage::answers_from_questionnaire_response(
        rules, nlohmann::json::parse(written.dump()), "response");
    if (!read.diagnostics.empty()) {
      if (unreadable++ == 0)
        std::cerr << "fhir_ask_if_table: a written response does not read back: "
                  << kneetriage::to_string(read.diagnostics.front()) << "\n  " << written.dump()
                  << "\n";
      return true;
    }
    const Answers effective = kneetriage::effective_answers(rules, read.answers);
    if (effective.values != answers.values) ++round_trip_changed;

    const bool read_complete = kneetriage::is_complete(rules, effective);
    if (!seen.insert(key(effective) + (read_complete ? "#complete" : "#partial")).second)
      return true;

    nlohmann::ordered_json enabled = nlohmann::ordered_json::array();
    const std::vector<bool> applies = kneetriage::applicable(rules, effective);
    for (Index i = 0; i < rules.questions.size(); ++i) {
      if (!applies[i]) continue;
      const auto& question = rules.questions[i];
      enabled.push_back(question.id);
      if (!question.help.empty()) enabled.push_back(question.id + ".help");
      if (kneetriage::raises_red_flag(rules, effective, i))
        enabled.push_back(question.id + ".red-flag");
    }
    nlohmann::ordered_json line;
    line["answers"] = kneetriage::answers_to_json(rules, effective);
    line["response"] = kneetriage::answers_to_questionnaire_response(rules, effective);
    line["enabled"] = std::move(enabled);
    std::cout << line.dump() << '\n';
    return true;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc > 2) {
    std::cerr << "usage: fhir_ask_if_table [RULES_FILE]\n";
    return 1;
  }
  RuleSet rules;
  if (argc == 2) {
    std::ifstream in(argv[1], std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in) {
      std::cerr << "fhir_ask_if_table: cannot read " << argv[1] << "\n";
      return 1;
    }
    auto loaded = kneetriage::load_rules(text, argv[1]);
    if (!loaded.rules) {
      std::cerr << "fhir_ask_if_table: " << argv[1] << " does not load ("
                << loaded.diagnostics.size() << " problems; run kneetriage check on it)\n";
      return 1;
    }
    rules = std::move(*loaded.rules);
  } else {
    rules = kneetriage::builtin_rules();
  }

  const std::size_t n = rules.questions.size();
  Table table{rules, std::vector<bool>(n, false)};
  std::vector<std::set<double>> literals(n);
  for (const auto& question : rules.questions) {
    if (question.ask_if) collect_facts(*question.ask_if, rules, table.referenced, literals);
    if (question.red_flag) collect_facts(*question.red_flag, rules, table.referenced, literals);
  }

  // One start per combination of the decimal questions' probes (one empty start without any).
  std::vector<Answers> starts{Answers(rules)};
  bool has_decimal = false;
  for (Index i = 0; i < n; ++i) {
    if (!is_decimal(rules.questions[i])) continue;
    has_decimal = true;
    std::vector<Answers> next;
    for (const Answers& start : starts) {
      for (const double probe : decimal_probes(rules.questions[i], literals[i])) {
        Answers probed = start;
        probed.values[i].emplace(std::in_place_type<double>, probe);
        next.push_back(std::move(probed));
      }
    }
    starts = std::move(next);
  }

  const auto visitor = [&](const Answers& answers, bool complete) {
    return table.visit(answers, complete);
  };
  // With decimal questions, the answer sets that leave them unanswered: the walk from nothing
  // stops (too_large) where it reaches the first one; what it visited up to there counts.
  if (has_decimal) kneetriage::walk_answer_space(rules, Answers(rules), visitor, true);
  for (const Answers& start : starts) {
    const auto end = kneetriage::walk_answer_space(rules, start, visitor, true);
    if (end != kneetriage::WalkEnd::finished) {
      std::cerr << "fhir_ask_if_table: the answer sets cannot all be listed (a question with "
                   "too many values, or more than "
                << kneetriage::k_answer_space_bound << " answer sets)\n";
      return 1;
    }
  }
  std::cout.flush();
  std::cerr << "fhir_ask_if_table: " << rules.id << ": " << table.complete + table.partial
            << " answer sets walked (" << table.complete << " complete, " << table.partial
            << " partial) from " << starts.size() << " start(s); " << table.seen.size()
            << " distinct (complete or not, and on the answers ask_if and red_flag refer to); "
            << table.round_trip_changed << " of those read back differently from FHIR\n";
  if (table.unreadable > 0) {
    std::cerr << "fhir_ask_if_table: " << table.unreadable
              << " written responses do not read back\n";
    return 1;
  }
  return std::cout ? 0 : 1;
}
