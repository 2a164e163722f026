// The questionnaire skips what does not apply, asks in order, and knows what is missing.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "kneetriage/questionnaire.hpp"

using nlohmann::json;

namespace {
const kneetriage::RuleSet& rules() {
  static const auto loaded = fixtures::load_ok(fixtures::minimal_rules());
  return loaded;
}
std::string id_of(std::optional<kneetriage::Index> index) {
  return index ? rules().questions[*index].id : std::string("<done>");
}
std::vector<std::string> ids(const kneetriage::Indices& indices) {
  std::vector<std::string> out;
  for (const auto i : indices) out.push_back(rules().questions[i].id);
  return out;
}
}  // namespace

TEST_CASE("the first question comes first and side is skipped for both knees") {
  kneetriage::Answers none(rules());
  CHECK(id_of(kneetriage::next_question(rules(), none)) == "knees");
  const auto both = fixtures::answers(rules(), {{"knees", "both"}});
  CHECK(id_of(kneetriage::next_question(rules(), both)) == "hot");
  const auto one = fixtures::answers(rules(), {{"knees", "one"}});
  CHECK(id_of(kneetriage::next_question(rules(), one)) == "side");
}

TEST_CASE("fever is asked only when the knee is hot") {
  const auto cold = fixtures::answers(rules(), {{"knees", "both"}, {"hot", false}});
  CHECK(id_of(kneetriage::next_question(rules(), cold)) == "pain");
  const auto hot = fixtures::answers(rules(), {{"knees", "both"}, {"hot", true}});
  CHECK(id_of(kneetriage::next_question(rules(), hot)) == "fever");
}

TEST_CASE("missing lists every applicable unanswered question in order") {
  const auto some = fixtures::answers(rules(), {{"knees", "one"}, {"pain", 3}});
  CHECK(ids(kneetriage::missing(rules(), some)) == std::vector<std::string>{"side", "hot", "places"});
  CHECK_FALSE(kneetriage::is_complete(rules(), some));
  const auto all = fixtures::answers(
      rules(), {{"knees", "both"}, {"hot", false}, {"pain", 2}, {"places", json::array({"front"})}});
  CHECK(kneetriage::is_complete(rules(), all));
  CHECK(kneetriage::missing(rules(), all).empty());
}

TEST_CASE("answers to questions that no longer apply are ignored and dropped") {
  // As after going back and changing "one knee" to "both knees".
  const auto changed = fixtures::answers(rules(), {{"knees", "both"}, {"side", "left"}});
  CHECK(ids(kneetriage::ignored(rules(), changed)) == std::vector<std::string>{"side"});
  const auto effective = kneetriage::effective_answers(rules(), changed);
  CHECK_FALSE(effective.values[1].has_value());
  CHECK(effective.values[0].has_value());
}

TEST_CASE("the estimated count grows when an answer opens a follow-up") {
  kneetriage::Answers none(rules());
  const auto base = kneetriage::estimated_question_count(rules(), none);
  const auto one = fixtures::answers(rules(), {{"knees", "one"}});
  CHECK(kneetriage::estimated_question_count(rules(), one) == base + 1);
}

TEST_CASE("a red-flag answer is noticed at once") {
  const auto hot = fixtures::answers(rules(), {{"knees", "both"}, {"hot", true}});
  const auto cold = fixtures::answers(rules(), {{"knees", "both"}, {"hot", false}});
  const auto hot_index = *rules().find_question("hot");
  CHECK(kneetriage::raises_red_flag(rules(), hot, hot_index));
  CHECK_FALSE(kneetriage::raises_red_flag(rules(), cold, hot_index));
  CHECK_FALSE(kneetriage::raises_red_flag(rules(), hot, *rules().find_question("knees")));
}
