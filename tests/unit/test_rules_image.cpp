// The built-in rules are loaded and checked at build time and read back at start-up from a compact
// image: that image must give exactly the RuleSet the loader gives for the same text.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "kneetriage/rules.hpp"
#include "rules/rules_image.hpp"

using namespace kneetriage;

TEST_CASE("the built-in rules image is the RuleSet the loader makes of the built-in text") {
  const LoadResult loaded = load_rules(builtin_rules_text(), "<built-in>");
  REQUIRE(loaded.rules);
  const RuleSet image = builtin_rules();
  // Field by field: a field the image never writes comes back empty and differs here.
  CHECK(image == *loaded.rules);
  CHECK(detail::encode_rules(image) == detail::encode_rules(*loaded.rules));
  CHECK(image.questions.size() == loaded.rules->questions.size());
  CHECK(image.rules.size() == loaded.rules->rules.size());
  CHECK(image.disclaimer == loaded.rules->disclaimer);
}

TEST_CASE("a rules image reads back whole, and a cut or damaged one is refused") {
  const LoadResult loaded = load_rules(fixtures::minimal_rules().dump(), "minimal.json");
  REQUIRE(loaded.rules);
  const std::string image = detail::encode_rules(*loaded.rules);
  const auto back = detail::decode_rules(image);
  REQUIRE(back);
  CHECK(*back == *loaded.rules);
  CHECK(detail::encode_rules(*back) == image);
  for (std::size_t size = 0; size < image.size(); size += 7)
    CHECK_FALSE(detail::decode_rules(std::string_view(image).substr(0, size)));
  CHECK_FALSE(detail::decode_rules(image + "x"));
}
