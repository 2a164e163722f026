// Conditions mean exactly what they mean in json-rules-engine with allowUndefinedFacts: true.
#include <catch2/catch.hpp>

#include "kneetriage/condition.hpp"

using kneetriage::Condition;
using kneetriage::Operator;
using kneetriage::StringList;
using kneetriage::Value;

namespace {

Condition leaf(Operator op, Value value, std::vector<Value> values = {}) {
  Condition c;
  c.kind = Condition::Kind::leaf;
  c.fact = 0;
  c.op = op;
  c.value = std::move(value);
  c.values = std::move(values);
  return c;
}

bool eval(Operator op, std::optional<Value> fact, Value literal, std::vector<Value> list = {}) {
  return kneetriage::compare(op, fact, leaf(op, std::move(literal), std::move(list)));
}

Condition group(Condition::Kind kind, std::vector<Condition> children) {
  Condition c;
  c.kind = kind;
  c.children = std::move(children);
  return c;
}

const Condition k_true = leaf(Operator::equal, Value{true});    // fact 0 === true
const Condition k_false = leaf(Operator::equal, Value{false});  // fact 0 === false

}  // namespace

TEST_CASE("operator names are json-rules-engine's") {
  CHECK(kneetriage::operator_from_name("notEqual") == Operator::not_equal);
  CHECK(kneetriage::operator_from_name("greaterThanInclusive") == Operator::greater_than_inclusive);
  CHECK(kneetriage::operator_from_name("doesNotContain") == Operator::does_not_contain);
  CHECK_FALSE(kneetriage::operator_from_name("equals").has_value());
  CHECK(kneetriage::operator_names().size() == 10);
  for (const auto name : kneetriage::operator_names()) {
    CHECK(kneetriage::operator_name(*kneetriage::operator_from_name(name)) == name);
  }
}

TEST_CASE("equal and notEqual are strict (===), and an undefined fact is not equal") {
  CHECK(eval(Operator::equal, Value{std::string("both")}, Value{std::string("both")}));
  CHECK_FALSE(eval(Operator::equal, Value{std::string("both")}, Value{std::string("one")}));
  CHECK_FALSE(eval(Operator::equal, Value{true}, Value{std::string("true")}));  // no coercion
  CHECK_FALSE(eval(Operator::equal, Value{1.0}, Value{true}));
  CHECK(eval(Operator::equal, Value{3.0}, Value{3.0}));
  CHECK_FALSE(eval(Operator::equal, std::nullopt, Value{true}));
  CHECK(eval(Operator::not_equal, Value{false}, Value{true}));
  CHECK_FALSE(eval(Operator::not_equal, Value{true}, Value{true}));
  CHECK(eval(Operator::not_equal, std::nullopt, Value{true}));  // undefined !== true
  // Arrays compare by reference in JavaScript: never ===.
  CHECK_FALSE(eval(Operator::equal, Value{StringList{"a"}}, Value{StringList{"a"}}));
}

TEST_CASE("in and notIn look the fact up in the value list; undefined is in nothing") {
  const std::vector<Value> list{Value{std::string("front")}, Value{std::string("outer")}};
  CHECK(eval(Operator::in, Value{std::string("outer")}, Value{}, list));
  CHECK_FALSE(eval(Operator::in, Value{std::string("back")}, Value{}, list));
  CHECK_FALSE(eval(Operator::in, std::nullopt, Value{}, list));
  CHECK(eval(Operator::not_in, Value{std::string("back")}, Value{}, list));
  CHECK_FALSE(eval(Operator::not_in, Value{std::string("front")}, Value{}, list));
  CHECK(eval(Operator::not_in, std::nullopt, Value{}, list));  // [..].indexOf(undefined) === -1
}

TEST_CASE("contains and doesNotContain need an array fact; anything else is false") {
  const Value fact{StringList{"front", "outer"}};
  CHECK(eval(Operator::contains, fact, Value{std::string("outer")}));
  CHECK_FALSE(eval(Operator::contains, fact, Value{std::string("back")}));
  CHECK(eval(Operator::does_not_contain, fact, Value{std::string("back")}));
  CHECK_FALSE(eval(Operator::does_not_contain, fact, Value{std::string("front")}));
  CHECK_FALSE(eval(Operator::contains, std::nullopt, Value{std::string("front")}));
  CHECK_FALSE(eval(Operator::does_not_contain, std::nullopt, Value{std::string("front")}));
  CHECK_FALSE(eval(Operator::does_not_contain, Value{std::string("front")}, Value{std::string("x")}));
}

TEST_CASE("numeric comparisons hold only for number facts") {
  CHECK(eval(Operator::less_than, Value{3.0}, Value{5.0}));
  CHECK_FALSE(eval(Operator::less_than, Value{5.0}, Value{5.0}));
  CHECK(eval(Operator::less_than_inclusive, Value{5.0}, Value{5.0}));
  CHECK(eval(Operator::greater_than, Value{7.0}, Value{5.0}));
  CHECK_FALSE(eval(Operator::greater_than, Value{5.0}, Value{5.0}));
  CHECK(eval(Operator::greater_than_inclusive, Value{5.0}, Value{5.0}));
  CHECK_FALSE(eval(Operator::greater_than_inclusive, std::nullopt, Value{0.0}));
  CHECK_FALSE(eval(Operator::less_than, std::nullopt, Value{100.0}));
  CHECK_FALSE(eval(Operator::less_than, Value{true}, Value{5.0}));
}

TEST_CASE("all, any and not combine as in json-rules-engine") {
  const std::vector<std::optional<Value>> yes{Value{true}};
  const std::vector<std::optional<Value>> no{Value{false}};
  const std::vector<std::optional<Value>> unknown{std::nullopt};
  using K = Condition::Kind;
  const auto all = group(K::all, {k_true, leaf(Operator::not_equal, Value{false})});
  const auto any = group(K::any, {k_true, k_false});
  const auto negation = group(K::negation, {k_true});
  CHECK(kneetriage::holds(all, {}, yes));
  CHECK_FALSE(kneetriage::holds(all, {}, no));
  CHECK_FALSE(kneetriage::holds(all, {}, unknown));  // equal fails on undefined
  CHECK(kneetriage::holds(any, {}, yes));
  CHECK(kneetriage::holds(any, {}, no));
  CHECK_FALSE(kneetriage::holds(any, {}, unknown));
  CHECK_FALSE(kneetriage::holds(negation, {}, yes));
  CHECK(kneetriage::holds(negation, {}, no));
  CHECK(kneetriage::holds(negation, {}, unknown));  // not(undefined === true)
}

TEST_CASE("named condition references evaluate the named condition") {
  const std::vector<kneetriage::NamedCondition> named{{"is-yes", k_true}};
  Condition reference;
  reference.kind = Condition::Kind::reference;
  reference.reference = 0;
  const std::vector<std::optional<Value>> yes{Value{true}};
  const std::vector<std::optional<Value>> no{Value{false}};
  CHECK(kneetriage::holds(reference, named, yes));
  CHECK_FALSE(kneetriage::holds(reference, named, no));
  std::vector<kneetriage::Match> matched;
  kneetriage::explain(reference, named, yes, true, matched);
  REQUIRE(matched.size() == 1);
  CHECK(matched[0].via == "is-yes");
}

TEST_CASE("the trace names the leaves that decided the outcome") {
  using K = Condition::Kind;
  // any(fact === true, fact === false) on `true`: only the first leaf explains it.
  const auto any = group(K::any, {k_true, k_false});
  const std::vector<std::optional<Value>> yes{Value{true}};
  std::vector<kneetriage::Match> matched;
  kneetriage::explain(any, {}, yes, true, matched);
  REQUIRE(matched.size() == 1);
  CHECK(matched[0].leaf->value == Value{true});
  CHECK_FALSE(matched[0].negated);
  // not(fact === true) on `false`: the inner leaf explains it by failing.
  matched.clear();
  const std::vector<std::optional<Value>> no{Value{false}};
  kneetriage::explain(group(K::negation, {k_true}), {}, no, true, matched);
  REQUIRE(matched.size() == 1);
  CHECK(matched[0].negated);
  CHECK(matched[0].answer == Value{false});
}
