#include "kneetriage/questions_document.hpp"

#include "kneetriage/answers.hpp"
#include "kneetriage/describe.hpp"

namespace kneetriage {

namespace {

nlohmann::ordered_json question_json(const RuleSet& rules, const Question& question) {
  using ordered = nlohmann::ordered_json;
  ordered out;
  out["id"] = question.id;
  out["flag"] = flag_name(question);
  out["text"] = question.text;
  out["help"] = question.help;
  out["type"] = std::string(question_type_name(question.type));
  ordered choices = ordered::array();
  if (question.type == QuestionType::boolean) {
    choices.push_back({{"value", true}, {"label", "yes"}});
    choices.push_back({{"value", false}, {"label", "no"}});
  }
  for (const Choice& choice : question.choices)
    choices.push_back({{"value", choice.value}, {"label", choice.label}});
  out["choices"] = std::move(choices);
  const bool number = question.type == QuestionType::number;
  out["min"] = number ? ordered(question.min) : ordered();
  out["max"] = number ? ordered(question.max) : ordered();
  out["integer"] = number ? ordered(question.integer) : ordered();
  out["allowed"] = allowed_values(question);
  out["ask_if"] = question.ask_if ? condition_to_json(*question.ask_if, rules) : ordered();
  out["red_flag"] = question.red_flag ? condition_to_json(*question.red_flag, rules) : ordered();
  out["red_flag_message"] =
      question.red_flag_message.empty() ? ordered() : ordered(question.red_flag_message);
  return out;
}

}  // namespace

nlohmann::ordered_json questions_document(const RuleSet& rules) {
  nlohmann::ordered_json out;
  out["schema"] = k_questions_schema;
  out["rules_id"] = rules.id;
  out["rules_version"] = rules.version;
  out["title"] = rules.title;
  nlohmann::ordered_json questions = nlohmann::ordered_json::array();
  for (const Question& question : rules.questions)
    questions.push_back(question_json(rules, question));
  out["questions"] = std::move(questions);
  nlohmann::ordered_json conditions = nlohmann::ordered_json::object();
  for (const NamedCondition& named : rules.conditions)
    conditions[named.name] = condition_to_json(named.condition, rules);
  out["conditions"] = std::move(conditions);
  return out;
}

}  // namespace kneetriage
