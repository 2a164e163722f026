// Typed access to a member of an object: the value has the type its key needs, required keys
// are there, unknown keys are reported (with the likeliest one), kinds are known kinds.
// Part of the rules loader: the map of the stages is at the top of src/rules/rules.cpp.
#include <fmt/format.h>

#include <algorithm>

#include "rules/loader/loader.hpp"

namespace kneetriage::detail {

bool RulesLoader::expect_object(const json& j, const std::string& pointer, std::string_view what) {
  if (j.is_object()) return true;
  error(pointer, fmt::format("{} must be an object, found {}", what, kind_of(j)));
  return false;
}

void RulesLoader::check_keys(const json& object, const std::string& pointer,
                             std::initializer_list<std::string_view> allowed) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& key = it.key();
    if (!key.empty() && key.front() == '$') continue;  // "$comment" and friends
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const std::vector<std::string> allowed_list(allowed.begin(), allowed.end());
    error(pointer_append(pointer, key), fmt::format("unknown key '{}'", detail::brief_text(key)),
          suggest(key, allowed_list, "allowed keys") +
              "; keys starting with '$' are ignored, for comments");
  }
}

// nullptr when absent (after reporting it if required).
const nlohmann::json* RulesLoader::member(const json& object, std::string_view key,
                                          const std::string& pointer, bool required) {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (required) {
      error(pointer, fmt::format("missing required key '{}'", key),
            fmt::format("add \"{}\"; see docs/rules-format.md", key));
    }
    return nullptr;
  }
  return &*it;
}

std::string RulesLoader::string_member(const json& object, std::string_view key,
                                       const std::string& pointer, bool required) {
  const json* value = member(object, key, pointer, required);
  if (value == nullptr) return {};
  if (!value->is_string()) {
    error(pointer_append(pointer, key),
          fmt::format("'{}' must be a string, found {}", key, kind_of(*value)));
    return {};
  }
  auto text = value->get<std::string>();
  if (required && detail::trim(text).empty()) {
    error(pointer_append(pointer, key), fmt::format("'{}' must not be empty", key));
  }
  return text;
}

std::vector<std::string> RulesLoader::string_list_member(const json& object, std::string_view key,
                                                         const std::string& pointer,
                                                         bool required) {
  std::vector<std::string> out;
  const json* value = member(object, key, pointer, required);
  if (value == nullptr) return out;
  const auto list_pointer = [&] { return pointer_append(pointer, key); };
  if (!value->is_array()) {
    error(list_pointer(),
          fmt::format("'{}' must be an array of strings, found {}", key, kind_of(*value)));
    return out;
  }
  for (std::size_t i = 0; i < value->size(); ++i) {
    const auto& element = (*value)[i];
    if (!element.is_string()) {
      error(pointer_append(list_pointer(), i),
            fmt::format("expected a string, found {}", kind_of(element)));
      continue;
    }
    out.push_back(element.get_ref<const std::string&>());
  }
  return out;
}

// The array at `key` of the root; reports absence and wrong types.
const nlohmann::json* RulesLoader::array_member(const json& object, std::string_view key,
                                                const std::string& pointer, bool required) {
  const json* value = member(object, key, pointer, required);
  if (value == nullptr) return nullptr;
  if (!value->is_array()) {
    error(pointer_append(pointer, key),
          fmt::format("'{}' must be an array, found {}", key, kind_of(*value)));
    return nullptr;
  }
  return value;
}

std::vector<std::string> RulesLoader::kinds(const json& j, std::string_view key,
                                            const std::string& pointer, bool required) {
  auto list = string_list_member(j, key, pointer, required);
  for (std::size_t i = 0; i < list.size(); ++i)
    check_kind(list[i], pointer_append(pointer_append(pointer, key), i));
  return list;
}

void RulesLoader::check_kind(const std::string& kind, const std::string& pointer) {
  const auto& known = known_kinds();
  if (std::find(known.begin(), known.end(), kind) != known.end()) return;
  std::vector<std::string> names(known.begin(), known.end());
  error(pointer, fmt::format("unknown kind '{}'", kind), suggest(kind, names, "kinds"));
}

}  // namespace kneetriage::detail
