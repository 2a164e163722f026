// A Value is one answer (a fact): yes/no, a number, a choice, or a list of choices. Conditions
// compare facts to literal Values with the semantics of json-rules-engine.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

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

// A number that is whole (and small enough to be exact as a double) as the integer a person
// typed: 3, not 3.0. Every place that writes a number, as JSON or as text, goes through this.
[[nodiscard]] std::optional<std::int64_t> whole_number(double number);
// A number as a person reads it: "3", "2.5", "-0.25".
[[nodiscard]] std::string number_text(double number);

}  // namespace kneetriage
