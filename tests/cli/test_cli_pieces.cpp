// Unit tests of the program's own pieces: sanitising, wrapping, tables, line reading.
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <string>

#include "layout.hpp"
#include "prompt.hpp"
#include "terminal.hpp"

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
      table({{"Exercise", 20}, {"Dose", 20}}, {{long_word, long_word}}, 50, "  ", Style{}).empty());
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
