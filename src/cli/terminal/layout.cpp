#include "terminal/layout.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace kneetriage::cli {

namespace {

// Length of the UTF-8 sequence starting with `lead` (1 for stray continuation bytes, so that
// malformed input still advances).
std::size_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

char32_t decode(std::string_view text, std::size_t i, std::size_t length) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  if (length == 1) return byte(i);
  char32_t value = byte(i) & (0xFF >> (length + 1));
  for (std::size_t k = 1; k < length && i + k < text.size(); ++k)
    value = (value << 6) | (byte(i + k) & 0x3F);
  return value;
}

std::size_t code_point_width(char32_t c) {
  if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) || c == 0xFE0F) return 0;
  const bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
                    (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
                    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                    (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) ||
                    (c >= 0x20000 && c <= 0x3FFFD);
  return wide ? 2 : 1;
}

// Splits `text` into its first `width` columns and the rest (for words longer than a line).
std::pair<std::string_view, std::string_view> split_at_width(std::string_view text,
                                                             std::size_t width) {
  std::size_t used = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length =
        std::min(sequence_length(static_cast<unsigned char>(text[i])), text.size() - i);
    const std::size_t w = code_point_width(decode(text, i, length));
    if (used + w > width && i > 0) break;
    used += w;
    i += length;
  }
  return {text.substr(0, i), text.substr(i)};
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      const std::size_t end = text.find('m', i);
      if (end != std::string_view::npos) {
        i = end + 1;
        continue;
      }
    }
    const std::size_t length =
        std::min(sequence_length(static_cast<unsigned char>(text[i])), text.size() - i);
    width += code_point_width(decode(text, i, length));
    i += length;
  }
  return width;
}

namespace {

// Greedy wrap where the first line may have a different width from the rest.
std::vector<std::string> wrap_lines(std::string_view text, std::size_t first_width,
                                    std::size_t rest_width) {
  first_width = std::max<std::size_t>(first_width, 1);
  rest_width = std::max<std::size_t>(rest_width, 1);
  std::vector<std::string> lines;
  const auto width = [&] { return lines.empty() ? first_width : rest_width; };
  for (std::string_view paragraph : split(text, '\n')) {
    std::string line;
    std::size_t line_width = 0;
    bool any = false;
    for (std::string_view word : split(paragraph, ' ')) {
      if (word.empty()) continue;
      any = true;
      std::size_t word_width = display_width(word);
      if (line_width > 0 && line_width + 1 + word_width <= width()) {
        line += ' ';
        line += word;
        line_width += 1 + word_width;
        continue;
      }
      if (line_width > 0) {
        lines.push_back(std::move(line));
        line.clear();
        line_width = 0;
      }
      while (word_width > width()) {
        auto [head, tail] = split_at_width(word, width());
        // "--location front|outer|inner|back|all-over" breaks after a separator, not mid-value.
        if (const std::size_t cut = head.find_last_of("|,/");
            cut != std::string_view::npos && cut + 1 < head.size() && cut > 0) {
          tail = word.substr(cut + 1);
          head = word.substr(0, cut + 1);
        }
        lines.emplace_back(head);
        word = tail;
        word_width = display_width(word);
      }
      line = std::string(word);
      line_width = word_width;
    }
    if (line_width > 0 || !any) lines.push_back(std::move(line));
  }
  return lines;
}

// Columns left for text after a prefix; never fewer than 10, so text stays readable.
std::size_t room(std::size_t width, std::size_t prefix) {
  return width > prefix + 10 ? width - prefix : 10;
}

}  // namespace

std::vector<std::string> wrap_lines(std::string_view text, std::size_t width) {
  return wrap_lines(text, width, width);
}

std::string wrap(std::string_view text, std::size_t width, std::string_view first_prefix,
                 std::string_view rest_prefix) {
  std::string out;
  bool first = true;
  for (const std::string& line : wrap_lines(text, room(width, display_width(first_prefix)),
                                            room(width, display_width(rest_prefix)))) {
    out += first ? first_prefix : rest_prefix;
    out += line;
    out += '\n';
    first = false;
  }
  return out;
}

std::string pad(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t used = display_width(text);
  if (used < width) out.append(width - used, ' ');
  return out;
}

std::string table(const std::vector<Column>& columns,
                  const std::vector<std::vector<std::string>>& rows, std::size_t width,
                  std::string_view indent, const Style& style,
                  const std::vector<std::string>& notes) {
  const std::size_t n = columns.size();
  if (n == 0) return {};
  constexpr std::size_t k_gap = 2;
  const std::size_t fixed = display_width(indent) + k_gap * (n - 1);
  if (width <= fixed) return {};
  const std::size_t available = width - fixed;

  // Each column's natural width (its longest cell) and its floor: never narrower than its longest
  // word (a word is never broken to make room) nor than its heading and minimum, unless its
  // content is narrower still.
  std::vector<std::size_t> natural(n, 0);
  std::vector<std::size_t> floor(n, 0);
  for (std::size_t c = 0; c < n; ++c) {
    natural[c] = display_width(columns[c].heading);
    std::size_t longest_word = 0;
    for (const auto& row : rows) {
      if (c >= row.size()) continue;
      natural[c] = std::max(natural[c], display_width(row[c]));
      for (const std::string_view word : split(row[c], ' '))
        longest_word = std::max(longest_word, display_width(word));
    }
    floor[c] = std::max(
        longest_word,
        std::min(natural[c], std::max(columns[c].min_width, display_width(columns[c].heading))));
  }
  // The first column names the row ("Single-leg knee dip") and is never broken: the other
  // columns wrap instead. When the names would take more than two fifths of the room, what is
  // left is too narrow for a table, and the rows read better as a list.
  if (natural[0] * 5 > available * 2) return {};
  floor[0] = natural[0];
  if (std::accumulate(floor.begin(), floor.end(), std::size_t{0}) > available) return {};

  // Lines each cell takes at each width a column can have, worked out once.
  std::vector<std::vector<std::vector<std::size_t>>> lines_at(n);
  for (std::size_t c = 0; c < n; ++c) {
    lines_at[c].resize(natural[c] + 1);
    for (std::size_t w = floor[c]; w <= natural[c]; ++w)
      for (const auto& row : rows)
        lines_at[c][w].push_back(c < row.size() ? wrap_lines(row[c], w).size() : 1);
  }
  // Every way of sharing the room, the last column taking what is left (up to its natural
  // width): the fewest lines in all (the table's height), then the fewest wrapped cells; of
  // those, the one that leaves the most room to the last column, which is usually prose.
  std::vector<std::size_t> widths = floor;
  std::vector<std::size_t> trial = floor;
  constexpr std::size_t k_none = std::numeric_limits<std::size_t>::max();
  std::pair<std::size_t, std::size_t> best_cost{k_none, k_none};
  std::vector<std::size_t> rest_floor(n + 1, 0);  // the floors of the columns from c on
  for (std::size_t c = n; c-- > 0;) rest_floor[c] = rest_floor[c + 1] + floor[c];
  const auto evaluate = [&] {
    std::size_t height = 0;
    std::size_t total = 0;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      std::size_t tallest = 0;
      for (std::size_t c = 0; c < n; ++c) {
        tallest = std::max(tallest, lines_at[c][trial[c]][r]);
        total += lines_at[c][trial[c]][r];
      }
      height += tallest;
    }
    const std::pair<std::size_t, std::size_t> cost{height, total};
    if (cost < best_cost) {
      best_cost = cost;
      widths = trial;
    }
  };
  const auto search = [&](const auto& self, std::size_t c, std::size_t used) -> void {
    if (c + 1 == n) {
      trial[c] = std::min(natural[c], available - used);
      evaluate();
      return;
    }
    for (std::size_t w = floor[c]; w <= natural[c] && used + w + rest_floor[c + 1] <= available;
         ++w) {
      trial[c] = w;
      self(self, c + 1, used + w);
    }
  };
  search(search, 0, 0);

  std::string out;
  const auto emit_row = [&](const std::vector<std::vector<std::string>>& cells, bool heading) {
    std::size_t height = 0;
    for (const auto& cell : cells) height = std::max(height, cell.size());
    for (std::size_t line = 0; line < height; ++line) {
      std::string text(indent);
      for (std::size_t c = 0; c < n; ++c) {
        const std::string cell = line < cells[c].size() ? cells[c][line] : std::string();
        const bool last = c + 1 == n;
        const std::string padded = last ? cell : pad(cell, widths[c] + k_gap);
        text += heading ? style.bold(cell) + padded.substr(cell.size()) : padded;
      }
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out += text;
      out += '\n';
    }
  };

  std::vector<std::vector<std::string>> heading_cells;
  for (std::size_t c = 0; c < n; ++c)
    heading_cells.push_back(wrap_lines(columns[c].heading, widths[c]));
  emit_row(heading_cells, true);
  std::string rule(indent);
  for (std::size_t c = 0; c < n; ++c) {
    for (std::size_t k = 0; k < widths[c]; ++k) rule += "\u2500";
    if (c + 1 < n) rule.append(k_gap, ' ');
  }
  out += rule + '\n';

  std::vector<std::vector<std::vector<std::string>>> wrapped;
  bool any_tall = false;
  for (const auto& row : rows) {
    std::vector<std::vector<std::string>> cells;
    for (std::size_t c = 0; c < n; ++c) {
      cells.push_back(
          wrap_lines(c < row.size() ? std::string_view(row[c]) : std::string_view(), widths[c]));
      any_tall = any_tall || cells.back().size() > 1;
    }
    wrapped.push_back(std::move(cells));
  }
  const std::string note_indent = std::string(indent) + "  ";
  for (std::size_t r = 0; r < wrapped.size(); ++r) {
    // Rows that wrap are easier to tell apart with a blank line between them; a note under each
    // row tells them apart already.
    if (r > 0 && any_tall && notes.empty()) out += '\n';
    emit_row(wrapped[r], false);
    if (r < notes.size() && !notes[r].empty())
      out += wrap(notes[r], width, note_indent, note_indent + "  ");
  }
  return out;
}

}  // namespace kneetriage::cli
