// Invariants: safety properties a rules file declares about its own results ("a knee both swollen
// and hot is urgent or above"), proved by `kneetriage check` over every answer set
// (rule_analysis.hpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "kneetriage/catalogue.hpp"
#include "kneetriage/condition.hpp"

namespace kneetriage {

// Catalogue items by index, one list per catalogue of the RuleSet.
using ItemRefs = CatalogueLists;

// "Whenever the answers match `when` and the result's urgency is within the `at_` bounds, the
// result meets every `then` requirement." Urgencies are indices into RuleSet::urgencies, highest
// first, so "at least see-doctor" is an index <= see-doctor's.
struct Invariant {
  std::string id;
  std::string why;                  // the reason, shown with a violation
  std::vector<std::size_t> source;  // citations; may be empty
  // When it applies; both absent: for every answer set.
  std::optional<Condition> when;
  std::optional<std::size_t> at_urgency_at_least, at_urgency_at_most;
  // What must then hold; at least one is set.
  std::optional<std::size_t> urgency_at_least, urgency_at_most;
  ItemRefs shown;                            // each must be shown
  ItemRefs not_shown;                        // none may be shown
  std::vector<std::string> not_shown_kinds;  // no item shown may be of these kinds
  bool operator==(const Invariant&) const = default;
};

}  // namespace kneetriage
