// FHIR R4: the questionnaire as a Questionnaire resource a Structured Data Capture (SDC) form
// renderer can show, and answers read from (or written as) the QuestionnaireResponse it returns.
// docs/fhir.md explains the mapping; the answers are the same Answers every other front end reads.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kneetriage/answers.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

// The canonical url of the Questionnaire generated from these rules, without the version:
//   "urn:kneetriage:questionnaire:knee-pain-runners"
[[nodiscard]] std::string questionnaire_url(const RuleSet& rules);

// The rules' questionnaire as an R4 Questionnaire: one item per question (linkId = question id),
// ask_if as enableWhen where it can be said that way and as the SDC enableWhenExpression
// (FHIRPath) otherwise, help and red-flag messages as display items.
//   std::cout << questionnaire_to_fhir(rules).dump(2);
[[nodiscard]] nlohmann::ordered_json questionnaire_to_fhir(const RuleSet& rules);

// The ask_if (or red_flag) condition as FHIRPath over a QuestionnaireResponse (%resource), as the
// enableWhenExpression would carry it; for tools and the tests.
[[nodiscard]] std::string condition_to_fhirpath(const Condition& condition, const RuleSet& rules);

// True when `document` says it is a FHIR resource (has a "resourceType"), so that it is read by
// answers_from_questionnaire_response rather than as a plain answers object.
[[nodiscard]] bool is_fhir_resource(const nlohmann::json& document);

// Reads the answers in a QuestionnaireResponse, by linkId, at any depth of nesting. Unknown
// linkIds, values of the wrong type, invalid values and a response to another questionnaire
// (its canonical url differs) are diagnostics located by JSON pointer ("/item/2/answer/0").
//   auto read = answers_from_questionnaire_response(rules, json::parse(text), "response.json");
[[nodiscard]] AnswersResult answers_from_questionnaire_response(const RuleSet& rules,
                                                                const nlohmann::json& document,
                                                                std::string_view file_name);

// A plain answers object or a QuestionnaireResponse, whichever `document` is.
[[nodiscard]] AnswersResult answers_from_document(const RuleSet& rules,
                                                  const nlohmann::json& document,
                                                  std::string_view file_name);

// The answers as a completed QuestionnaireResponse to questionnaire_to_fhir(rules), items in
// question order. A multi answer with nothing chosen has no FHIR form and is left out.
[[nodiscard]] nlohmann::ordered_json answers_to_questionnaire_response(const RuleSet& rules,
                                                                       const Answers& answers);

}  // namespace kneetriage
