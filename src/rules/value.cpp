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
    if (const auto whole = whole_number(*number)) j = *whole;
  }
}

std::optional<std::int64_t> whole_number(double number) {
  // Below 1e15 every whole double is exact and prints without an exponent.
  if (std::nearbyint(number) == number && std::fabs(number) < 1e15)
    return static_cast<std::int64_t>(number);
  return std::nullopt;
}

std::string number_text(double number) {
  if (const auto whole = whole_number(number)) return fmt::format("{}", *whole);
  return fmt::format("{}", number);
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
  if (const auto* number = std::get_if<double>(&value)) return number_text(*number);
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  return fmt::format("{}", fmt::join(std::get<StringList>(value), ", "));
}

}  // namespace kneetriage
