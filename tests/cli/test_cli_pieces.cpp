// Unit tests of the program's own pieces: sanitising, wrapping, tables, line reading.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <string>

#include "front_ends/prompt.hpp"
#include "terminal/layout.hpp"
#include "terminal/terminal.hpp"

using namespace kneetriage::cli;

TEST_CASE("sanitize makes escape sequences visible instead of obeyed") {
  CHECK(sanitize("\x1b[2Jcleared") == "^[[2Jcleared");
  CHECK(sanitize("bell\a") == "bell^G");
  CHECK(sanitize("over\rwrite") == "over^Mwrite");
  CHECK(sanitize("del\x7f") == "del^?");
}

TEST_CASE("sanitize replaces C1 controls, bidi overrides and invalid UTF-8") {
  CHECK(sanitize("\xc2\x9b"
                 "31m") ==
        "\xEF\xBF\xBD"
        "31m");  // U+009B CSI
  CHECK(sanitize("a\xe2\x80\xae"
                 "b") ==
        "a\xEF\xBF\xBD"
        "b");  // U+202E RIGHT-TO-LEFT OVERRIDE
  CHECK(sanitize("\xff\xfe") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(sanitize("\xc0\xaf") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
}

TEST_CASE("sanitize keeps ordinary text, UTF-8 and (when asked) newlines") {
  CHECK(sanitize("3 × 15–20 “slow” reps") == "3 × 15–20 “slow” reps");
  CHECK(sanitize("a\nb") == "a b");
  CHECK(sanitize("a\nb", Newlines::keep) == "a\nb");
  CHECK(sanitize("a\tb") == "a b");
}

TEST_CASE("display width counts characters, not bytes, and skips colour") {
  CHECK(display_width("3 × 15–20") == 9);
  CHECK(display_width("\x1b[1;31mred\x1b[0m") == 3);
  CHECK(display_width("日本") == 4);
}

TEST_CASE("wrap breaks at spaces within the width with hanging indents") {
  const std::string text = wrap("one two three four five six", 12, "- ", "  ");
  CHECK(text == "- one two\n  three four\n  five six\n");
  for (const std::string& line : wrap_lines("a sentence that is longer than the width", 10))
    CHECK(display_width(line) <= 10);
}

TEST_CASE("wrap breaks a word longer than the line") {
  CHECK(wrap_lines("abcdefghij", 4) == std::vector<std::string>{"abcd", "efgh", "ij"});
}

TEST_CASE("table aligns columns and wraps the long one") {
  const std::string out =
      table({{"Name", 4}, {"Cue", 4}},
            {{"Squat", "knees over toes, slow and controlled"}, {"Dip", "hips level"}}, 30, "  ",
            Style{});
  CHECK(out ==
        "  Name   Cue\n"
        "  \u2500\u2500\u2500\u2500\u2500  "
        "\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500"
        "\u2500\u2500\u2500\u2500\u2500\u2500\n"
        "  Squat  knees over toes, slow\n"
        "         and controlled\n"
        "\n"
        "  Dip    hips level\n");
}

TEST_CASE("table gives up when it cannot fit, so the caller can list the rows") {
  const std::string long_word(20, 'x');
  CHECK(
      table({{"Exercise", 20}, {"Dose", 20}}, {{long_word, long_word}}, 30, "  ", Style{}).empty());
  CHECK_FALSE(
      table({{"Exercise", 20}, {"Dose", 20}}, {{long_word, long_word}}, 60, "  ", Style{}).empty());
}

namespace {

// The exercise plan of a one-knee result: names, doses and how often.
const std::vector<std::vector<std::string>> k_plan_rows{
    {"Single-leg knee dip", "3 × 15–20 slow reps on each leg", "daily"},
    {"Clams", "2 × 15–20 slow reps on each side", "daily, and before runs"},
    {"Glute bridge", "2 × 15–20 slow reps", "daily, and before runs"},
    {"Foam rolling", "1–2 minutes per muscle", "daily or after runs"},
    {"Box jumps", "3 × 8–10 jumps", "twice a week, once you can run pain-free"},
};
const std::vector<Column> k_plan_columns{{"Exercise", 12}, {"Dose", 10}, {"How often", 10}};

std::vector<std::string> table_lines(std::size_t width) {
  // Notes (empty here) keep the rows together, as the form cues do in a result.
  const std::string out = table(k_plan_columns, k_plan_rows, width, "  ", Style{},
                                std::vector<std::string>(k_plan_rows.size()));
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < out.size()) {
    const std::size_t end = out.find('\n', start);
    lines.push_back(out.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace

TEST_CASE("table widths go by what the columns hold: names whole, the fewest lines") {
  for (const std::size_t width : {60, 80, 90, 100, 120}) {
    CAPTURE(width);
    const std::vector<std::string> lines = table_lines(width);
    REQUIRE(lines.size() >= 2 + k_plan_rows.size());
    for (const auto& row : k_plan_rows) {  // every name on one line, never broken
      CHECK(std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
        return line.starts_with("  " + row[0] + "  ");
      }));
    }
    for (const std::string& line : lines) CHECK(display_width(line) <= width);
  }
  // At 80 columns the two long doses fit whole and only the longest "how often" wraps: one
  // wrapped cell, where sharing the room evenly would wrap three.
  CHECK(table_lines(80).size() == 2 + k_plan_rows.size() + 1);
  // With everything fitting, no cell wraps.
  CHECK(table_lines(100).size() == 2 + k_plan_rows.size());
}

TEST_CASE("table gives way to a list when the names would take over two fifths of the width") {
  CHECK(table(k_plan_columns, k_plan_rows, 50, "  ", Style{}).empty());
  CHECK_FALSE(table(k_plan_columns, k_plan_rows, 60, "  ", Style{}).empty());
}

TEST_CASE("colour is never used when asked not to, even on a terminal") {
  CHECK_FALSE(use_color(ColorMode::never, STDOUT_FILENO));
  CHECK(use_color(ColorMode::always, STDOUT_FILENO));
  CHECK(Style{false}.alarm("x") == "x");
  CHECK(Style{true}.alarm("x") == "\x1b[1;31mx\x1b[0m");
}

TEST_CASE("line reader returns lines, a last line without newline, then end of input") {
  std::array<int, 2> fds{};
  REQUIRE(::pipe(fds.data()) == 0);
  const std::string input = "one\r\ntwo\nlast";
  REQUIRE(::write(fds[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));
  ::close(fds[1]);
  LineReader reader(fds[0]);
  std::string line;
  bool too_long = false;
  REQUIRE(reader.read_line(line, too_long) == LineReader::Status::line);
  CHECK(line == "one\r");  // the prompt trims the CR
  REQUIRE(reader.read_line(line, too_long) == LineReader::Status::line);
  CHECK(line == "two");
  REQUIRE(reader.read_line(line, too_long) == LineReader::Status::line);
  CHECK(line == "last");
  CHECK(reader.read_line(line, too_long) == LineReader::Status::end_of_input);
  ::close(fds[0]);
}

TEST_CASE("line reader cuts an over-long line and says so") {
  std::array<int, 2> fds{};
  REQUIRE(::pipe(fds.data()) == 0);
  const std::string input = std::string(LineReader::k_max_line * 3, 'x') + "\nok\n";
  REQUIRE(::write(fds[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));
  ::close(fds[1]);
  LineReader reader(fds[0]);
  std::string line;
  bool too_long = false;
  REQUIRE(reader.read_line(line, too_long) == LineReader::Status::line);
  CHECK(too_long);
  CHECK(line.size() <= LineReader::k_max_line);
  REQUIRE(reader.read_line(line, too_long) == LineReader::Status::line);
  CHECK_FALSE(too_long);
  CHECK(line == "ok");
  ::close(fds[0]);
}
