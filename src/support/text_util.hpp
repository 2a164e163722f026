// Small string helpers shared by the loaders' messages. Internal.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace kneetriage::detail {

// "a, b, c" (at most `limit` items, then "…").
[[nodiscard]] std::string join_list(const std::vector<std::string>& items, std::size_t limit = 12);

// The candidate closest to `word` by edit distance, when close enough to be a likely typo.
[[nodiscard]] std::string closest(std::string_view word,
                                  const std::vector<std::string>& candidates);

// "unknown X 'y'" hints: "did you mean 'z'?" or "known: a, b, c".
[[nodiscard]] std::string suggestion(std::string_view word,
                                     const std::vector<std::string>& candidates,
                                     std::string_view known_label);

// Text from the input as a message quotes it: cut to about `limit` bytes (on a UTF-8 boundary,
// marked with "…"), so that a 10 MB key or value cannot make a 10 MB message.
[[nodiscard]] std::string brief_text(std::string_view text, std::size_t limit = 60);

// A JSON value as a message shows it: a scalar or a short flat array as (cut) JSON, anything
// nested or long by its kind ("an array of 3 values"). Never recurses into the value, so a value
// nested 100,000 deep is as safe to mention as `true`.
[[nodiscard]] std::string brief_json(const nlohmann::json& value, std::size_t limit = 60);

// The kind of a JSON value as a message names it: "an object", "a string", "a number", "null"...
[[nodiscard]] std::string kind_of(const nlohmann::json& value);

[[nodiscard]] std::string lower(std::string_view text);
[[nodiscard]] std::string_view trim(std::string_view text);

// Appends a reference token to a JSON pointer, escaping '~' and '/'.
[[nodiscard]] std::string pointer_append(std::string_view pointer, std::string_view token);
[[nodiscard]] std::string pointer_append(std::string_view pointer, std::size_t index);

}  // namespace kneetriage::detail
