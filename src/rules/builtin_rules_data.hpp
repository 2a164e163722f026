// The bytes of the built-in rules: rules/knee.json's text and the image of its checked RuleSet
// (rules_image.hpp). The build generates their definitions from the rules file
// (src/tools/compile_rules.cpp) in a source that includes only this header: that source is large
// and is compiled again each time a rule author edits the file, so it holds data and nothing
// that costs the compiler more. builtin_rules_text() and builtin_rules() read them
// (rules_image.cpp).
#pragma once

#include <cstddef>

namespace kneetriage::detail {

// Each as where its bytes start and how many there are.
extern const unsigned char* const builtin_rules_text_bytes;
extern const std::size_t builtin_rules_text_size;
extern const unsigned char* const builtin_rules_image_bytes;
extern const std::size_t builtin_rules_image_size;

}  // namespace kneetriage::detail
