// The questionnaire skips what does not apply, asks in order, and knows what is missing.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "kneetriage/questionnaire.hpp"

using nlohmann::json;

namespace {
std::string id_of(std::optional<kneetriage::Index> index) {
  return index ? fixtures::minimal().questions[*index].id : std::string("<done>");
}
std::vector<std::string> ids(const kneetriage::Indices& indices) {
  std::vector<std::string> out;
  for (const auto i : indices) out.push_back(fixtures::minimal().questions[i].id);
  return out;
}
}  // namespace

TEST_CASE("the first question comes first and side is skipped for both knees") {
  kneetriage::Answers none(fixtures::minimal());
  CHECK(id_of(kneetriage::next_question(fixtures::minimal(), none)) == "knees");
  const auto both = fixtures::answers(fixtures::minimal(), {{"knees", "both"}});
  CHECK(id_of(kneetriage::next_question(fixtures::minimal(), both)) == "hot");
  const auto one = fixtures::answers(fixtures::minimal(), {{"knees", "one"}});
  CHECK(id_of(kneetriage::next_question(fixtures::minimal(), one)) == "side");
}

TEST_CASE("fever is asked only when the knee is hot") {
  const auto cold = fixtures::answers(fixtures::minimal(), {{"knees", "both"}, {"hot", false}});
  CHECK(id_of(kneetriage::next_question(fixtures::minimal(), cold)) == "pain");
  const auto hot = fixtures::answers(fixtures::minimal(), {{"knees", "both"}, {"hot", true}});
  CHECK(id_of(kneetriage::next_question(fixtures::minimal(), hot)) == "fever");
}

TEST_CASE("missing lists every applicable unanswered question in order") {
  const auto some = fixtures::answers(fixtures::minimal(), {{"knees", "one"}, {"pain", 3}});
  CHECK(ids(kneetriage::missing(fixtures::minimal(), some)) ==
        std::vector<std::string>{"side", "hot", "places"});
  CHECK_FALSE(kneetriage::is_complete(fixtures::minimal(), some));
  const auto all = fixtures::answers(
      fixtures::minimal(),
      {{"knees", "both"}, {"hot", false}, {"pain", 2}, {"places", json::array({"front"})}});
  CHECK(kneetriage::is_complete(fixtures::minimal(), all));
  CHECK(kneetriage::missing(fixtures::minimal(), all).empty());
}

TEST_CASE("answers to questions that no longer apply are ignored and dropped") {
  // As after going back and changing "one knee" to "both knees".
  const auto changed =
      fixtures::answers(fixtures::minimal(), {{"knees", "both"}, {"side", "left"}});
  CHECK(ids(kneetriage::ignored(fixtures::minimal(), changed)) == std::vector<std::string>{"side"});
  const auto effective = kneetriage::effective_answers(fixtures::minimal(), changed);
  CHECK_FALSE(effective.values[1].has_value());
  CHECK(effective.values[0].has_value());
}

TEST_CASE("the estimated count grows when an answer opens a follow-up") {
  kneetriage::Answers none(fixtures::minimal());
  const auto base = kneetriage::estimated_question_count(fixtures::minimal(), none);
  const auto one = fixtures::answers(fixtures::minimal(), {{"knees", "one"}});
  CHECK(kneetriage::estimated_question_count(fixtures::minimal(), one) == base + 1);
}

TEST_CASE("a red-flag answer is noticed at once") {
  const auto hot = fixtures::answers(fixtures::minimal(), {{"knees", "both"}, {"hot", true}});
  const auto cold = fixtures::answers(fixtures::minimal(), {{"knees", "both"}, {"hot", false}});
  const auto hot_index = *fixtures::minimal().find_question("hot");
  CHECK(kneetriage::raises_red_flag(fixtures::minimal(), hot, hot_index));
  CHECK_FALSE(kneetriage::raises_red_flag(fixtures::minimal(), cold, hot_index));
  CHECK_FALSE(kneetriage::raises_red_flag(fixtures::minimal(), hot,
                                          *fixtures::minimal().find_question("knees")));
}
