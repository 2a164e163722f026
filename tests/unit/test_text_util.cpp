// The one "did you mean" and the one number formatter, which every message and document shares.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "kneetriage/value.hpp"
#include "support/text_util.hpp"

using kneetriage::detail::closest;

TEST_CASE("did you mean: one typo, a swap of two letters, or the only word it begins") {
  const std::vector<std::string> commands{"questions", "check", "diff", "test"};
  CHECK(closest("questoins", commands) == "questions");
  CHECK(closest("chek", commands) == "check");
  CHECK(closest("CHECK", commands) == "check");
  const std::vector<std::string> flags{"--knees", "--side", "--severity"};
  CHECK(closest("--kness", flags) == "--knees");
  CHECK(closest("--kn", flags) == "--knees");
  CHECK(closest("--s", flags).empty());  // begins two of them, and one letter is no typo
  CHECK(closest("--banana", flags).empty());
  CHECK(closest("", flags).empty());
}

TEST_CASE("whole numbers print as a person typed them") {
  CHECK(kneetriage::number_text(3.0) == "3");
  CHECK(kneetriage::number_text(-12.0) == "-12");
  CHECK(kneetriage::number_text(2.5) == "2.5");
  CHECK(kneetriage::number_text(-0.25) == "-0.25");
  CHECK(kneetriage::number_text(1e20) == "1e+20");
  CHECK(kneetriage::whole_number(7.0) == 7);
  CHECK_FALSE(kneetriage::whole_number(7.5).has_value());
  CHECK_FALSE(kneetriage::whole_number(1e300).has_value());
}
