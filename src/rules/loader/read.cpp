// Reading the JSON text and reporting: the parse, with a position for every syntax error, and
// the diagnostics, located and sorted once the document is read.
// Part of the rules loader: the map of the stages is at the top of src/rules/rules.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "rules/loader/loader.hpp"
#include "support/json_locate.hpp"

namespace kneetriage::detail {

// "did you mean …?" for a message that will be shown: past the cap on diagnostics the message is
// dropped, and comparing an unknown id with every known one is the costly part of an error.
[[nodiscard]] std::string RulesLoader::suggest(std::string_view word,
                                               const std::vector<std::string>& candidates,
                                               std::string_view known_label) const {
  if (diagnostics_.size() >= k_max_diagnostics) return {};
  return detail::suggestion(word, candidates, known_label);
}

void RulesLoader::error(std::string pointer, std::string what, std::string hint) {
  if (in_follow_up_) pointer = follow_up_pointer(std::move(pointer));
  ++problem_count_;
  if (diagnostics_.size() >= k_max_diagnostics) return;
  diagnostics_.push_back(
      Diagnostic{std::string(file_), 0, 0, std::move(pointer), std::move(what), std::move(hint)});
}

void RulesLoader::finish_positions() {
  add_positions(diagnostics_, text_);
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  if (problem_count_ > diagnostics_.size()) {
    diagnostics_.push_back(
        Diagnostic{std::string(file_), 0, 0, "",
                   fmt::format("{} more problems not shown", problem_count_ - diagnostics_.size()),
                   "fix the ones above and check again"});
  }
}

bool RulesLoader::parse(json& root) {
  try {
    root = json::parse(text_.begin(), text_.end());
    return true;
  } catch (const json::parse_error& e) {
    diagnostics_.push_back(parse_error_diagnostic(
        text_, file_, e.byte, e.what(),
        {"the rules file must be valid JSON (no comments, no trailing commas)",
         "a rules file is a JSON object; see docs/rules-format.md",
         "a rules file is a UTF-8 JSON text; see docs/rules-format.md"}));
  } catch (const json::exception& e) {
    // A number too large for a double, say.
    diagnostics_.push_back(unrepresentable_json_diagnostic(text_, file_, e.what()));
  }
  return false;
}

}  // namespace kneetriage::detail
