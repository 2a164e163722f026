// Answers typed on a command line or at the prompt, and answers documents, are validated with
// messages that name the allowed values.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "kneetriage/answers.hpp"

using kneetriage::Value;
using nlohmann::json;

namespace {
const kneetriage::Question& question(const char* id) {
  return fixtures::minimal().questions[*fixtures::minimal().find_question(id)];
}
}  // namespace

TEST_CASE("yes/no answers accept the usual words in any case") {
  for (const auto* word : {"yes", "Y", "true", "YES"}) {
    CHECK(kneetriage::parse_answer(question("hot"), word).value == Value{true});
  }
  for (const auto* word : {"no", "n", "False", " no "}) {
    CHECK(kneetriage::parse_answer(question("hot"), word).value == Value{false});
  }
  const auto bad = kneetriage::parse_answer(question("hot"), "maybe");
  CHECK_FALSE(bad.value.has_value());
  CHECK_THAT(bad.error, Catch::Contains("'maybe' is not yes or no"));
}

TEST_CASE("choices accept the value, the label, or an unambiguous prefix") {
  CHECK(kneetriage::parse_answer(question("knees"), "both").value == Value{std::string("both")});
  CHECK(kneetriage::parse_answer(question("knees"), "One knee").value == Value{std::string("one")});
  CHECK(kneetriage::parse_answer(question("knees"), "bo").value == Value{std::string("both")});
  const auto bad = kneetriage::parse_answer(question("knees"), "three");
  CHECK_THAT(bad.error, Catch::Contains("both, one"));
  CHECK_FALSE(kneetriage::parse_answer(question("knees"), "").value.has_value());
}

TEST_CASE("an ambiguous prefix names the candidates") {
  auto document = fixtures::minimal_rules();
  document["questions"][0]["choices"].push_back({{"value", "bothish"}, {"label", "Sort of both"}});
  const auto loaded = fixtures::load_ok(document);
  const auto result = kneetriage::parse_answer(loaded.questions[0], "bot");
  CHECK_FALSE(result.value.has_value());
  CHECK_THAT(result.error, Catch::Contains("ambiguous") && Catch::Contains("both or bothish"));
}

TEST_CASE("numbers are checked against the range and wholeness") {
  CHECK(kneetriage::parse_answer(question("pain"), "7").value == Value{7.0});
  CHECK_THAT(kneetriage::parse_answer(question("pain"), "11").error,
             Catch::Contains("from 0 to 10"));
  CHECK_THAT(kneetriage::parse_answer(question("pain"), "2.5").error,
             Catch::Contains("whole number"));
  CHECK_THAT(kneetriage::parse_answer(question("pain"), "lots").error,
             Catch::Contains("not a number"));
}

TEST_CASE("multiple choices are a comma-separated list without repeats") {
  CHECK(kneetriage::parse_answer(question("places"), "front, outer").value ==
        Value{kneetriage::StringList{"front", "outer"}});
  CHECK_THAT(kneetriage::parse_answer(question("places"), "front,front").error,
             Catch::Contains("twice"));
  CHECK_THAT(kneetriage::parse_answer(question("places"), "front,back").error,
             Catch::Contains("'back'"));
}

TEST_CASE("an answers document reports each bad entry with its JSON pointer") {
  const auto result = kneetriage::answers_from_json(
      fixtures::minimal(),
      json{{"knees", "three"}, {"hot", "yes"}, {"kneez", "both"}, {"pain", 4}, {"$note", 1}},
      "answers.json");
  REQUIRE(result.diagnostics.size() == 3);
  std::vector<std::string> pointers;
  for (const auto& d : result.diagnostics) pointers.push_back(d.pointer);
  CHECK(pointers == std::vector<std::string>{"/hot", "/knees", "/kneez"});  // object key order
  for (const auto& d : result.diagnostics) {
    CHECK(d.file == "answers.json");
    if (d.pointer == "/hot") CHECK_THAT(d.hint, Catch::Contains("true or false"));
    if (d.pointer == "/kneez") CHECK_THAT(d.hint, Catch::Contains("knees"));
    if (d.pointer == "/knees") CHECK_THAT(d.what, Catch::Contains("both, one"));
  }
  CHECK(result.answers.values[*fixtures::minimal().find_question("pain")] == Value{4.0});
}

TEST_CASE("an answers document must be an object; null means unanswered") {
  CHECK(kneetriage::answers_from_json(fixtures::minimal(), json::array(), "a").diagnostics.size() ==
        1);
  const auto result =
      kneetriage::answers_from_json(fixtures::minimal(), json{{"hot", nullptr}}, "a");
  CHECK(result.diagnostics.empty());
  CHECK_FALSE(result.answers.values[*fixtures::minimal().find_question("hot")].has_value());
}

TEST_CASE("answers serialise in question order and read back the same") {
  const auto answers = fixtures::answers(
      fixtures::minimal(),
      {{"pain", 3}, {"knees", "one"}, {"side", "left"}, {"places", json::array({"outer"})}});
  const auto out = kneetriage::answers_to_json(fixtures::minimal(), answers);
  CHECK(out.dump() == R"({"knees":"one","side":"left","pain":3,"places":["outer"]})");
  const auto again =
      kneetriage::answers_from_json(fixtures::minimal(), json::parse(out.dump()), "again");
  CHECK(again.diagnostics.empty());
  CHECK(again.answers.values == answers.values);
}

TEST_CASE("answers-file problems get the line and column of their value") {
  const std::string text = "{\n  \"knees\": \"both\",\n  \"hot\": \"yes\"\n}\n";
  auto result =
      kneetriage::answers_from_json(fixtures::minimal(), json::parse(text), "answers.json");
  kneetriage::add_positions(result.diagnostics, text);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].line == 3);
  CHECK(result.diagnostics[0].column == 10);
  CHECK_THAT(kneetriage::to_string(result.diagnostics[0]),
             Catch::StartsWith("answers.json:3:10: /hot:"));
}
