// A Value is one answer (a fact): yes/no, a number, a choice, or a list of choices. Conditions
// compare facts to literal Values with the semantics of json-rules-engine.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace kneetriage {

using StringList = std::vector<std::string>;
using Value = std::variant<bool, double, std::string, StringList>;

// JavaScript's === on the values json-rules-engine would see: same type and same value;
// two lists are never identical (arrays compare by reference in JS).
[[nodiscard]] bool strictly_equal(const Value& a, const Value& b);

void to_json(nlohmann::json& j, const Value& value);
// Converts a JSON scalar, or an array of strings, to a Value; false when it has no Value form.
[[nodiscard]] bool value_from_json(const nlohmann::json& j, Value& out);

// "yes", "no", 3, "front", ["a","b"]: the form a person reads in messages.
[[nodiscard]] std::string display(const Value& value);

}  // namespace kneetriage
