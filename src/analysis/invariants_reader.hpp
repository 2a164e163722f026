// Reads the `invariants` section of a rules document (docs/rules-format.md, "Invariants"). The
// rules loader calls it once everything an invariant refers to is known, and lends it its own
// condition compiler and error reporting, so an invariant's `when` reads exactly as a rule's.
// Internal.
#pragma once

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kneetriage/rules.hpp"

namespace kneetriage::detail {

struct InvariantReaderContext {
  // Reports one problem: JSON pointer, what is wrong, how to fix it.
  std::function<void(std::string pointer, std::string what, std::string hint)> error;
  // Compiles a condition (reporting its problems); nullopt when it is not valid.
  std::function<std::optional<Condition>(const nlohmann::json& condition,
                                         const std::string& pointer)>
      condition;
  // The rest of the document, loaded so far (ids of urgencies, catalogues, citations).
  const RuleSet* rules = nullptr;
};

// The invariants of `section` (the value of the top-level "invariants" key, nullptr when absent).
[[nodiscard]] std::vector<Invariant> read_invariants(const nlohmann::json* section,
                                                     const InvariantReaderContext& context);

}  // namespace kneetriage::detail
