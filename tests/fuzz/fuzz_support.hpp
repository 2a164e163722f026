// What every fuzz target shares: a check that aborts (libFuzzer reports an abort as a finding,
// with the input that caused it) and the built-in rules, loaded once per process.
#pragma once

#include <cstdlib>
#include <utility>

#include "kneetriage/rules.hpp"

namespace fuzz_support {

inline void check(bool condition) {
  if (!condition) std::abort();
}

inline const kneetriage::RuleSet& builtin_rules() {
  static const kneetriage::RuleSet rules = [] {
    auto loaded = kneetriage::load_rules(kneetriage::builtin_rules_text(), "<built-in>");
    check(loaded.rules.has_value());
    return std::move(*loaded.rules);
  }();
  return rules;
}

}  // namespace fuzz_support
