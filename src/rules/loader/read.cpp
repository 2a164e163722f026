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
  } catch (const json::out_of_range& e) {
    // A number too large for a double ("number overflow parsing '1e309'"). nlohmann gives no
    // position for it: find the number it quotes.
    const std::string what = exception_reason(e.what());
    int line = 0;
    int column = 0;
    if (const auto open = what.find('\''), close = what.rfind('\'');
        open != std::string::npos && close > open + 1) {
      if (const auto at = text_.find(what.substr(open + 1, close - open - 1));
          at != std::string_view::npos) {
        const auto position = detail::position_of_offset(text_, at);
        line = position.line;
        column = position.column;
      }
    }
    diagnostics_.push_back(Diagnostic{std::string(file_), line, column, "", "invalid JSON: " + what,
                                      "numbers must fit in a double (at most about 1.8e308)"});
  } catch (const json::exception& e) {
    diagnostics_.push_back(
        Diagnostic{std::string(file_), 0, 0, "", std::string("invalid JSON: ") + e.what(), ""});
  }
  return false;
}

}  // namespace kneetriage::detail
