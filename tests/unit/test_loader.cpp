// The loader reports every mistake a rule author can make, each with file, line, column, JSON
// pointer, what is wrong and what would be right.
#include <catch2/catch.hpp>

#include <functional>

#include "fixtures.hpp"
#include "kneetriage/rules.hpp"

using nlohmann::json;

namespace {

kneetriage::Diagnostics diagnostics_after(const std::function<void(json&)>& mutate) {
  auto document = fixtures::minimal_rules();
  mutate(document);
  auto result = fixtures::load(document);
  REQUIRE_FALSE(result.rules.has_value());
  return result.diagnostics;
}

// The one diagnostic at `pointer`; fails when there is none.
kneetriage::Diagnostic at(const kneetriage::Diagnostics& diagnostics, const std::string& pointer) {
  for (const auto& d : diagnostics) {
    if (d.pointer == pointer) return d;
  }
  std::string all;
  for (const auto& d : diagnostics) all += kneetriage::to_string(d) + "\n";
  FAIL("no diagnostic at " << pointer << "; got:\n" << all);
  return {};
}

}  // namespace

TEST_CASE("the minimal fixture and the built-in rules load cleanly") {
  CHECK(fixtures::load(fixtures::minimal_rules()).diagnostics.empty());
  auto builtin = kneetriage::load_rules(kneetriage::builtin_rules_text(), "<built-in>");
  for (const auto& d : builtin.diagnostics) UNSCOPED_INFO(kneetriage::to_string(d));
  CHECK(builtin.diagnostics.empty());
  REQUIRE(builtin.rules.has_value());
  CHECK(builtin.rules->id == "knee-pain-runners");
}

TEST_CASE("malformed JSON is reported with line and column") {
  const auto result = kneetriage::load_rules("{\n  \"id\": \"x\",\n  \"rules\": [1, 2,]\n}", "bad.json");
  REQUIRE(result.diagnostics.size() == 1);
  const auto& d = result.diagnostics[0];
  CHECK(d.file == "bad.json");
  CHECK(d.line == 3);
  CHECK(d.column > 10);
  CHECK_THAT(kneetriage::to_string(d), Catch::Contains("bad.json:3:") && Catch::Contains("invalid JSON"));
}

TEST_CASE("an empty file says it is empty") {
  const auto result = kneetriage::load_rules("", "empty.json");
  REQUIRE(result.diagnostics.size() == 1);
  CHECK_THAT(result.diagnostics[0].what, Catch::Contains("empty"));
}

TEST_CASE("a document that is not an object is rejected") {
  const auto result = kneetriage::load_rules("[1, 2]", "array.json");
  REQUIRE(result.diagnostics.size() == 1);
  CHECK_THAT(result.diagnostics[0].what, Catch::Contains("must be an object"));
}

TEST_CASE("a missing required field names the object and the key") {
  const auto diagnostics = diagnostics_after([](json& d) { d["causes"][0].erase("title"); });
  const auto d = at(diagnostics, "/causes/0");
  CHECK_THAT(d.what, Catch::Contains("missing required key 'title'"));
  CHECK(d.line > 0);
}

TEST_CASE("a mistyped field names its pointer and the type found") {
  const auto diagnostics = diagnostics_after([](json& d) { d["questions"][0]["text"] = 42; });
  const auto d = at(diagnostics, "/questions/0/text");
  CHECK_THAT(d.what, Catch::Contains("must be a string") && Catch::Contains("a number"));
}

TEST_CASE("an unknown key is a typo with a suggestion") {
  const auto diagnostics = diagnostics_after([](json& d) { d["rules"][0]["then"]["exercices"] = json::array(); });
  const auto d = at(diagnostics, "/rules/0/then/exercices");
  CHECK_THAT(d.what, Catch::Contains("unknown key 'exercices'"));
  CHECK_THAT(d.hint, Catch::Contains("did you mean 'exercises'"));
}

TEST_CASE("keys starting with $ are comments and ignored") {
  auto document = fixtures::minimal_rules();
  document["$comment"] = "top";
  document["rules"][0]["$comment"] = "inner";
  CHECK(fixtures::load(document).diagnostics.empty());
}

TEST_CASE("duplicate ids point at the second definition and name the first") {
  const auto diagnostics = diagnostics_after([](json& d) { d["causes"].push_back(d["causes"][0]); });
  const auto d = at(diagnostics, "/causes/2/id");
  CHECK_THAT(d.what, Catch::Contains("duplicate cause id 'quads'"));
  CHECK_THAT(d.hint, Catch::Contains("/causes/0"));
}

TEST_CASE("a condition naming an unknown question suggests the nearest") {
  const auto diagnostics = diagnostics_after(
      [](json& d) { d["rules"][0]["when"]["all"][0]["fact"] = "kness"; });
  const auto d = at(diagnostics, "/rules/0/when/all/0/fact");
  CHECK_THAT(d.what, Catch::Contains("unknown question 'kness'"));
  CHECK_THAT(d.hint, Catch::Contains("knees"));
}

TEST_CASE("an unknown operator lists or suggests the real ones") {
  const auto diagnostics = diagnostics_after(
      [](json& d) { d["rules"][0]["when"]["all"][0]["operator"] = "equals"; });
  const auto d = at(diagnostics, "/rules/0/when/all/0/operator");
  CHECK_THAT(d.what, Catch::Contains("unknown operator 'equals'"));
  CHECK_THAT(d.hint, Catch::Contains("equal"));
}

TEST_CASE("a value the question can never take is rejected with the allowed values") {
  SECTION("a choice that does not exist") {
    const auto diagnostics = diagnostics_after(
        [](json& d) { d["rules"][0]["when"]["all"][0]["value"] = "three"; });
    const auto d = at(diagnostics, "/rules/0/when/all/0/value");
    CHECK_THAT(d.what, Catch::Contains("can never be \"three\""));
    CHECK_THAT(d.hint, Catch::Contains("both, one"));
  }
  SECTION("a string for a yes/no question") {
    const auto diagnostics = diagnostics_after(
        [](json& d) { d["conditions"]["is-hot"]["all"][0]["value"] = "yes"; });
    CHECK_THAT(at(diagnostics, "/conditions/is-hot/all/0/value").what,
               Catch::Contains("question 'hot' can never be \"yes\""));
  }
  SECTION("a number outside the question's range") {
    const auto diagnostics = diagnostics_after([](json& d) {
      d["rules"][0]["when"]["all"].push_back({{"fact", "pain"}, {"operator", "equal"}, {"value", 11}});
    });
    CHECK_THAT(at(diagnostics, "/rules/0/when/all/1/value").hint, Catch::Contains("0 to 10"));
  }
  SECTION("in without an array") {
    const auto diagnostics = diagnostics_after([](json& d) {
      d["rules"][0]["when"]["all"][0] = {{"fact", "knees"}, {"operator", "in"}, {"value", "both"}};
    });
    CHECK_THAT(at(diagnostics, "/rules/0/when/all/0/value").what, Catch::Contains("non-empty array"));
  }
  SECTION("contains on a single-answer question") {
    const auto diagnostics = diagnostics_after([](json& d) {
      d["rules"][0]["when"]["all"][0]["operator"] = "contains";
    });
    CHECK_THAT(at(diagnostics, "/rules/0/when/all/0/value").what, Catch::Contains("never matches"));
  }
  SECTION("a numeric comparison on a yes/no question") {
    const auto diagnostics = diagnostics_after([](json& d) {
      d["rules"][0]["when"]["all"][0] = {{"fact", "hot"}, {"operator", "lessThan"}, {"value", 3}};
    });
    CHECK_THAT(at(diagnostics, "/rules/0/when/all/0/value").what, Catch::Contains("compares numbers"));
  }
}

TEST_CASE("a rule referring to unknown catalogue entries is reported for each") {
  const auto diagnostics = diagnostics_after([](json& d) {
    d["rules"][0]["then"]["causes"][0] = "quadz";
    d["rules"][0]["then"]["advice"][0] = "nope";
    d["rules"][0]["then"]["exercises"][0] = "box-jmp";
    d["rules"][0]["then"]["plan"][0] = "c25";
    d["rules"][0]["then"]["urgency"] = "whenever";
    d["rules"][0]["source"][0] = "A99";
  });
  CHECK_THAT(at(diagnostics, "/rules/0/then/causes/0").what, Catch::Contains("unknown cause 'quadz'"));
  CHECK_THAT(at(diagnostics, "/rules/0/then/advice/0").what, Catch::Contains("unknown advice 'nope'"));
  CHECK_THAT(at(diagnostics, "/rules/0/then/exercises/0").hint, Catch::Contains("box-jump"));
  CHECK_THAT(at(diagnostics, "/rules/0/then/plan/0").what, Catch::Contains("unknown plan step"));
  CHECK_THAT(at(diagnostics, "/rules/0/then/urgency").what, Catch::Contains("unknown urgency 'whenever'"));
  CHECK_THAT(at(diagnostics, "/rules/0/source/0").what, Catch::Contains("unknown citation 'A99'"));
  CHECK(diagnostics.size() == 6);  // every problem, not only the first
}

TEST_CASE("every problem is reported, in document order, each with a line") {
  const auto diagnostics = diagnostics_after([](json& d) {
    d["questions"][0]["type"] = "choise";
    d["rules"][2]["when"]["all"][1]["fact"] = "feverr";
  });
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics[0].pointer == "/questions/0/type");
  CHECK(diagnostics[1].pointer == "/rules/2/when/all/1/fact");
  CHECK(diagnostics[0].line < diagnostics[1].line);
  CHECK(diagnostics[0].line > 0);
}

TEST_CASE("an ask_if depending on a later question or on itself is rejected") {
  SECTION("later") {
    const auto diagnostics = diagnostics_after([](json& d) {
      d["questions"][1]["ask_if"]["all"][0] = {{"fact", "hot"}, {"operator", "equal"}, {"value", true}};
    });
    CHECK_THAT(at(diagnostics, "/questions/1/ask_if/all/0/fact").what,
               Catch::Contains("depends on question 'hot', which is asked later"));
  }
  SECTION("itself") {
    const auto diagnostics = diagnostics_after([](json& d) {
      d["questions"][1]["ask_if"]["all"][0] = {{"fact", "side"}, {"operator", "equal"}, {"value", "left"}};
    });
    CHECK_THAT(at(diagnostics, "/questions/1/ask_if/all/0/fact").what, Catch::Contains("'side' itself"));
  }
  SECTION("through a named condition") {
    const auto diagnostics = diagnostics_after([](json& d) {
      d["questions"][1]["ask_if"] = {{"condition", "is-hot"}};
    });
    CHECK_THAT(at(diagnostics, "/questions/1/ask_if/condition").what,
               Catch::Contains("through named condition 'is-hot'"));
  }
}

TEST_CASE("named conditions that refer to themselves are a cycle") {
  const auto diagnostics = diagnostics_after([](json& d) {
    d["conditions"]["a"] = {{"any", {{{"condition", "b"}}}}};
    d["conditions"]["b"] = {{"not", {{"condition", "a"}}}};
  });
  bool found = false;
  for (const auto& d : diagnostics) {
    if (d.what.find("refers to itself") != std::string::npos) {
      found = true;
      CHECK_THAT(d.what, Catch::Contains("a -> b -> a"));
    }
  }
  CHECK(found);
}

TEST_CASE("an unknown named condition suggests the known ones") {
  const auto diagnostics = diagnostics_after([](json& d) { d["rules"][1]["when"]["condition"] = "is-hott"; });
  CHECK_THAT(at(diagnostics, "/rules/1/when/condition").hint, Catch::Contains("is-hot"));
}

TEST_CASE("empty all/any are rejected because json-rules-engine treats them as true") {
  const auto diagnostics = diagnostics_after([](json& d) { d["rules"][0]["when"]["all"] = json::array(); });
  CHECK_THAT(at(diagnostics, "/rules/0/when/all").what, Catch::Contains("empty"));
}

TEST_CASE("a condition with two heads is ambiguous") {
  const auto diagnostics = diagnostics_after([](json& d) {
    d["rules"][0]["when"]["any"] = d["rules"][0]["when"]["all"];
  });
  CHECK_THAT(at(diagnostics, "/rules/0/when").what, Catch::Contains("exactly one of"));
}

TEST_CASE("conditions nested too deep are an error, not a stack overflow") {
  // Built as text: the document is deeper than any recursive serialiser could handle.
  auto document = fixtures::minimal_rules();
  document["rules"][0]["when"] = "@DEEP@";
  std::string deep;
  constexpr int k_depth = 100000;
  for (int i = 0; i < k_depth; ++i) deep += R"({"not":)";
  deep += R"({"fact":"knees","operator":"equal","value":"both"})";
  deep.append(k_depth, '}');
  auto text = document.dump();
  text.replace(text.find("\"@DEEP@\""), 8, deep);
  const auto result = kneetriage::load_rules(text, "deep.json");
  REQUIRE_FALSE(result.rules.has_value());
  REQUIRE(result.diagnostics.size() == 1);
  CHECK_THAT(result.diagnostics[0].what, Catch::Contains("nested deeper than 64"));
  CHECK(result.diagnostics[0].line == 1);
}

TEST_CASE("an unknown exercise kind, a wrong format and a rule concluding nothing") {
  const auto diagnostics = diagnostics_after([](json& d) {
    d["format"] = "kneetriage-rules/9";
    d["exercises"][0]["kind"] = "strenght";
    d["rules"][0]["then"] = json::object();
  });
  CHECK_THAT(at(diagnostics, "/format").what, Catch::Contains("unsupported format"));
  CHECK_THAT(at(diagnostics, "/exercises/0/kind").hint, Catch::Contains("strength"));
  CHECK_THAT(at(diagnostics, "/rules/0/then").what, Catch::Contains("concludes nothing"));
}

TEST_CASE("a choice question without choices and a number question without bounds") {
  const auto diagnostics = diagnostics_after([](json& d) {
    d["questions"][0].erase("choices");
    d["questions"][4].erase("max");
  });
  CHECK_THAT(at(diagnostics, "/questions/0").what, Catch::Contains("'choices'"));
  CHECK_THAT(at(diagnostics, "/questions/4").what, Catch::Contains("'max'"));
}

TEST_CASE("a diagnostic prints as file:line:col: pointer: what (hint)") {
  kneetriage::Diagnostic d{"r.json", 3, 7, "/rules/0", "bad", "fix it"};
  CHECK(kneetriage::to_string(d) == "r.json:3:7: /rules/0: bad (fix it)");
}
