// Small string helpers shared by the loaders' messages. Internal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kneetriage::detail {

// "a, b, c" (at most `limit` items, then "…").
[[nodiscard]] std::string join_list(const std::vector<std::string>& items, std::size_t limit = 12);

// The candidate closest to `word` by edit distance, when close enough to be a likely typo.
[[nodiscard]] std::string closest(std::string_view word, const std::vector<std::string>& candidates);

// "unknown X 'y'" hints: "did you mean 'z'?" or "known: a, b, c".
[[nodiscard]] std::string suggestion(std::string_view word, const std::vector<std::string>& candidates,
                                     std::string_view known_label);

[[nodiscard]] std::string lower(std::string_view text);
[[nodiscard]] std::string_view trim(std::string_view text);

// Appends a reference token to a JSON pointer, escaping '~' and '/'.
[[nodiscard]] std::string pointer_append(std::string_view pointer, std::string_view token);
[[nodiscard]] std::string pointer_append(std::string_view pointer, std::size_t index);

}  // namespace kneetriage::detail
