// The questionnaire as a JSON document (schema kneetriage/questions/1,
// schemas/questionnaire.schema.json): every question with its flag, text, help, type, choices or
// range, when it is asked and when an answer is a warning sign, for tools that build their own
// forms. fhir.hpp gives the same questionnaire as a FHIR R4 Questionnaire.
#pragma once

#include <nlohmann/json.hpp>

#include "kneetriage/rules.hpp"

namespace kneetriage {

inline constexpr const char* k_questions_schema = "kneetriage/questions/1";

[[nodiscard]] nlohmann::ordered_json questions_document(const RuleSet& rules);

}  // namespace kneetriage
