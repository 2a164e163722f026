#include "kneetriage/value.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace kneetriage {

bool strictly_equal(const Value& a, const Value& b) {
  if (a.index() != b.index()) return false;
  if (std::holds_alternative<StringList>(a)) return false;  // JS arrays compare by reference
  return a == b;
}

void to_json(nlohmann::json& j, const Value& value) {
  std::visit([&j](const auto& v) { j = v; }, value);
  if (const auto* number = std::get_if<double>(&value)) {
    // Whole numbers print as integers (3, not 3.0), as a person typed them.
    if (std::nearbyint(*number) == *number && std::fabs(*number) < 1e15) {
      j = static_cast<long long>(*number);
    }
  }
}

bool value_from_json(const nlohmann::json& j, Value& out) {
  switch (j.type()) {
    case nlohmann::json::value_t::boolean:
      out = j.get<bool>();
      return true;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      out = j.get<double>();
      return true;
    case nlohmann::json::value_t::string:
      out = j.get<std::string>();
      return true;
    case nlohmann::json::value_t::array: {
      StringList list;
      list.reserve(j.size());
      for (const auto& element : j) {
        if (!element.is_string()) return false;
        list.push_back(element.get<std::string>());
      }
      out = std::move(list);
      return true;
    }
    default:
      return false;
  }
}

std::string display(const Value& value) {
  if (const auto* flag = std::get_if<bool>(&value)) return *flag ? "yes" : "no";
  if (const auto* number = std::get_if<double>(&value)) return fmt::format("{}", *number);
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  return fmt::format("{}", fmt::join(std::get<StringList>(value), ", "));
}

}  // namespace kneetriage
