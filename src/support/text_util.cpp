#include "support/text_util.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <numeric>

namespace kneetriage::detail {

std::string join_list(const std::vector<std::string>& items, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  if (items.size() > limit) out += ", …";
  return out;
}

std::size_t typo_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance: Levenshtein plus swaps of neighbouring letters, the
  // commonest typo, which plain Levenshtein counts as two edits.
  const auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  // Three rows: the one being filled, the one above and the one above that (for swaps).
  std::vector<std::size_t> before(b.size() + 1), above(b.size() + 1), row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    before.swap(above);
    above.swap(row);
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = same(a[i - 1], b[j - 1]) ? 0 : 1;
      row[j] = std::min({above[j] + 1, row[j - 1] + 1, above[j - 1] + cost});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        row[j] = std::min(row[j], before[j - 2] + 1);
    }
  }
  return row[b.size()];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  // Past this many candidates (a generated rules file) a typo hunt costs more than it helps:
  // every unknown word would be compared with every known one.
  constexpr std::size_t k_max_candidates = 1000;
  if (word.empty() || word.size() > 64 || candidates.size() > k_max_candidates) return {};
  // A flag's dashes do not count towards its length: "--x" is not a typo of "--y".
  const std::string_view core = word.substr(std::min(word.find_first_not_of('-'), word.size()));
  // One typo in a short word, one in three letters in a longer one: more, and the guess is
  // more often wrong than right.
  std::size_t best_distance = std::max<std::size_t>(1, core.size() / 3) + 1;
  std::string best;
  for (const auto& candidate : candidates) {
    const std::size_t distance = typo_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  // A prefix names what was meant too ("--kn" for "--knees"), when it names one thing only.
  if (best.empty() && core.size() >= 2) {
    for (const auto& candidate : candidates) {
      if (!candidate.starts_with(word)) continue;
      if (!best.empty()) return {};
      best = candidate;
    }
  }
  return best;
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates,
                       std::string_view known_label) {
  const std::string near = closest(word, candidates);
  if (!near.empty()) return "did you mean '" + near + "'?";
  if (candidates.empty()) return "there are no " + std::string(known_label);
  return std::string(known_label) + ": " + join_list(candidates);
}

std::string brief_text(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

std::string brief_json(const nlohmann::json& value, std::size_t limit) {
  constexpr std::size_t k_max_shown = 16;
  if (value.is_structured()) {
    const bool flat = value.size() <= k_max_shown &&
                      std::none_of(value.begin(), value.end(), [](const nlohmann::json& element) {
                        return element.is_structured();
                      });
    if (!flat) {
      const std::string count = std::to_string(value.size());
      if (value.is_array())
        return "an array of " + count + (value.size() == 1 ? " value" : " values");
      return "an object with " + count + (value.size() == 1 ? " key" : " keys");
    }
  }
  return brief_text(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), limit);
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string kind_of(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "a number";
    default:
      return "an unsupported value";
  }
}

std::string pointer_append(std::string_view pointer, std::string_view token) {
  std::string out;
  out.reserve(pointer.size() + 1 + token.size());
  out.append(pointer);
  out += '/';
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pointer_append(std::string_view pointer, std::size_t index) {
  // One allocation: loaders build a pointer for every element they read.
  std::array<char, 24> digits{};
  const char* end = std::to_chars(digits.data(), digits.data() + digits.size(), index).ptr;
  const auto length = static_cast<std::size_t>(end - digits.data());
  std::string out;
  out.reserve(pointer.size() + 1 + length);
  out.append(pointer);
  out += '/';
  out.append(digits.data(), length);
  return out;
}

}  // namespace kneetriage::detail

namespace kneetriage {

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  return detail::closest(word, candidates);
}

}  // namespace kneetriage
