// A Diagnostic is one problem found in user-supplied data (a rules file, an answers document, a
// flag): where it is, what is wrong, and how to fix it. Loaders return every one they find.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kneetriage {

struct Diagnostic {
  std::string file;     // file name as given by the user, "<stdin>", "<built-in>" or a flag
  int line = 0;         // 1-based; 0 when unknown
  int column = 0;       // 1-based; 0 when unknown
  std::string pointer;  // JSON pointer of the offending value ("" for the whole document)
  std::string what;     // what is wrong
  std::string hint;     // what would be right; may be empty
};

// "file:line:col: /pointer: what (hint)" — the one-line form printed on stderr.
[[nodiscard]] std::string to_string(const Diagnostic& diagnostic);

using Diagnostics = std::vector<Diagnostic>;

// Fills in the line and column of each diagnostic that has a JSON pointer but no position, by
// finding the pointer in the JSON `text` the diagnostics are about (an answers file, say).
void add_positions(Diagnostics& diagnostics, std::string_view text);

// "Did you mean": the candidate closest to `word` when close enough to be a likely typo (a swap of
// two letters is one edit), or the only candidate `word` begins; empty otherwise. Every
// suggestion kneetriage makes, in the loaders' diagnostics and on the command line, is this one.
[[nodiscard]] std::string closest_match(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace kneetriage
