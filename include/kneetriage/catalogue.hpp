// The catalogues a rules file holds beside its rules (causes, advice, exercises, plan steps):
// their kinds and names, so that every place that names a catalogue or switches over them agrees.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace kneetriage {

// The catalogues a rule concludes items from, and whose items a result shows or withholds.
enum class CatalogueKind { cause, advice, exercise, plan_step };
inline constexpr std::array<CatalogueKind, 4> k_catalogue_kinds{
    CatalogueKind::cause, CatalogueKind::advice, CatalogueKind::exercise, CatalogueKind::plan_step};

// One item, as a message names it: "cause", "advice", "exercise", "plan step".
[[nodiscard]] std::string_view item_label(CatalogueKind kind);
// The catalogue's key in a rules file, a test file and the result: "causes", "advice",
// "exercises", "plan".
[[nodiscard]] std::string_view catalogue_key(CatalogueKind kind);
// A withheld item's `type` in the JSON document: "cause", "advice", "exercise", "plan".
[[nodiscard]] std::string_view withheld_type(CatalogueKind kind);

// One list of numbers per catalogue: items by index (an invariant's), or a count per item (the
// rule analysis's).
struct CatalogueLists {
  std::vector<std::size_t> causes, advice, exercises, plan;

  [[nodiscard]] std::vector<std::size_t>& of(CatalogueKind kind) {
    // The one switch is the const one's; this object is not const, so neither is the list.
    return const_cast<std::vector<std::size_t>&>(std::as_const(*this).of(kind));
  }
  [[nodiscard]] const std::vector<std::size_t>& of(CatalogueKind kind) const {
    switch (kind) {
      case CatalogueKind::cause:
        return causes;
      case CatalogueKind::advice:
        return advice;
      case CatalogueKind::exercise:
        return exercises;
      case CatalogueKind::plan_step:
        break;
    }
    return plan;
  }
  [[nodiscard]] bool empty() const {
    return causes.empty() && advice.empty() && exercises.empty() && plan.empty();
  }
  bool operator==(const CatalogueLists&) const = default;
};

}  // namespace kneetriage
