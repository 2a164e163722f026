// The reader of a rules file's `invariants` section. Every problem is reported (never only the
// first), each at the JSON pointer of the offending value, as the rest of the loader does.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string_view>

#include "analysis/invariants_reader.hpp"
#include "support/text_util.hpp"

namespace kneetriage::detail {
namespace {

using json = nlohmann::json;

// Beyond this an invariants section is not a list someone wrote by hand; each one costs a check
// per answer set.
constexpr std::size_t k_max_invariants = 1000;

bool is_invariant_id(std::string_view text) {
  if (text.empty() || text.size() > 64 || text.front() < 'a' || text.front() > 'z') return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

template <typename Items>
std::vector<std::string> ids_of(const Items& items) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(item.id);
  return out;
}

class InvariantsReader {
 public:
  explicit InvariantsReader(const InvariantReaderContext& context)
      : context_(context), rules_(*context.rules) {}

  std::vector<Invariant> read(const json* section) {
    std::vector<Invariant> out;
    if (section == nullptr) return out;
    if (!section->is_array()) {
      error("/invariants",
            fmt::format("'invariants' must be an array, found {}", kind_of(*section)),
            R"(write "invariants": [{"id": ..., "why": ..., "then": {...}}, ...])");
      return out;
    }
    if (section->size() > k_max_invariants) {
      error("/invariants",
            fmt::format("there are {} invariants; the limit is {}", section->size(),
                        k_max_invariants),
            "each invariant is checked for every answer set; keep to the ones that matter");
      return out;
    }
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < section->size(); ++i) {
      const std::string pointer = pointer_append("/invariants", i);
      const json& entry = (*section)[i];
      if (!entry.is_object()) {
        error(pointer, fmt::format("an invariant must be an object, found {}", kind_of(entry)),
              R"(write {"id": ..., "why": ..., "then": {...}})");
        continue;
      }
      Invariant invariant = one(entry, pointer);
      if (!invariant.id.empty()) {
        if (std::find(seen.begin(), seen.end(), invariant.id) != seen.end()) {
          error(pointer_append(pointer, "id"),
                fmt::format("duplicate invariant id '{}'", invariant.id),
                "ids must be unique among the invariants");
        }
        seen.push_back(invariant.id);
      }
      out.push_back(std::move(invariant));
    }
    return out;
  }

 private:
  void error(std::string pointer, std::string what, std::string hint = {}) const {
    context_.error(std::move(pointer), std::move(what), std::move(hint));
  }

  template <std::size_t N>
  void check_keys(const json& object, const std::string& pointer,
                  const std::array<std::string_view, N>& allowed) const {
    for (auto it = object.begin(); it != object.end(); ++it) {
      const std::string& key = it.key();
      if (!key.empty() && key.front() == '$') continue;
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      error(pointer_append(pointer, key), fmt::format("unknown key '{}'", brief_text(key)),
            suggestion(key, std::vector<std::string>(allowed.begin(), allowed.end()),
                       "allowed keys") +
                "; keys starting with '$' are ignored, for comments");
    }
  }

  // The string at `key`; empty when absent or not a string (reported).
  [[nodiscard]] std::string text(const json& object, std::string_view key,
                                 const std::string& pointer, bool required) const {
    const auto it = object.find(key);
    if (it == object.end()) {
      if (required)
        error(pointer, fmt::format("missing required key '{}'", key),
              fmt::format("add \"{}\"; see docs/rules-format.md", key));
      return {};
    }
    if (!it->is_string()) {
      error(pointer_append(pointer, key),
            fmt::format("'{}' must be a string, found {}", key, kind_of(*it)));
      return {};
    }
    std::string value = it->get<std::string>();
    if (trim(value).empty())
      error(pointer_append(pointer, key), fmt::format("'{}' must not be empty", key));
    return value;
  }

  // The index of an id among `ids`; reports an unknown one.
  [[nodiscard]] std::optional<std::size_t> find(const std::string& id,
                                                const std::vector<std::string>& ids,
                                                const std::string& pointer,
                                                std::string_view label) const {
    const auto it = std::find(ids.begin(), ids.end(), id);
    if (it != ids.end()) return static_cast<std::size_t>(it - ids.begin());
    error(pointer, fmt::format("unknown {} '{}'", label, brief_text(id)),
          suggestion(id, ids, fmt::format("known {} ids", label)));
    return std::nullopt;
  }

  [[nodiscard]] std::optional<std::size_t> urgency(const json& object, std::string_view key,
                                                   const std::string& pointer) const {
    if (!object.contains(key)) return std::nullopt;
    const std::string id = text(object, key, pointer, false);
    if (id.empty()) return std::nullopt;
    return find(id, ids_of(rules_.urgencies), pointer_append(pointer, key), "urgency");
  }

  // A non-empty array of strings at `key`; each is passed to `each` with its pointer.
  template <typename Each>
  void strings(const json& object, std::string_view key, const std::string& pointer,
               Each each) const {
    const auto it = object.find(key);
    if (it == object.end()) return;
    const std::string list = pointer_append(pointer, key);
    if (!it->is_array()) {
      error(list, fmt::format("'{}' must be an array of strings, found {}", key, kind_of(*it)));
      return;
    }
    if (it->empty())
      error(list, fmt::format("'{}' must not be empty", key), "remove it, or name at least one");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& element = (*it)[i];
      if (!element.is_string()) {
        error(pointer_append(list, i),
              fmt::format("expected a string, found {}", kind_of(element)));
        continue;
      }
      each(element.get<std::string>(), pointer_append(list, i));
    }
  }

  // {"causes": [...], "advice": [...], "exercises": [...], "plan": [...]}
  [[nodiscard]] ItemRefs items(const json& object, std::string_view key,
                               const std::string& pointer) const {
    ItemRefs out;
    const auto it = object.find(key);
    if (it == object.end()) return out;
    const std::string p = pointer_append(pointer, key);
    if (!it->is_object()) {
      error(p, fmt::format("'{}' must be an object, found {}", key, kind_of(*it)),
            R"(e.g. {"advice": ["stop-running"], "exercises": ["clams"]})");
      return out;
    }
    static constexpr std::array<std::string_view, 4> k_keys{"causes", "advice", "exercises",
                                                            "plan"};
    check_keys(*it, p, k_keys);
    const auto list = [&](std::string_view catalogue, const std::vector<std::string>& ids,
                          std::string_view label, std::vector<std::size_t>& into) {
      strings(*it, catalogue, p, [&](const std::string& id, const std::string& at) {
        if (const auto index = find(id, ids, at, label)) into.push_back(*index);
      });
    };
    list("causes", ids_of(rules_.causes), "cause", out.causes);
    list("advice", ids_of(rules_.advice), "advice", out.advice);
    list("exercises", ids_of(rules_.exercises), "exercise", out.exercises);
    list("plan", ids_of(rules_.plan), "plan step", out.plan);
    const bool names_a_catalogue = std::any_of(k_keys.begin(), k_keys.end(),
                                               [&](std::string_view k) { return it->contains(k); });
    if (!names_a_catalogue)
      error(p, fmt::format("'{}' names no item", key),
            "name at least one cause, advice item, exercise or plan step");
    return out;
  }

  [[nodiscard]] Invariant one(const json& j, const std::string& p) const {
    static constexpr std::array<std::string_view, 7> k_keys{
        "id", "why", "source", "when", "at_urgency_at_least", "at_urgency_at_most", "then"};
    check_keys(j, p, k_keys);
    Invariant out;
    out.id = text(j, "id", p, true);
    if (!out.id.empty() && !is_invariant_id(out.id))
      error(pointer_append(p, "id"),
            fmt::format("'{}' is not a valid invariant id", brief_text(out.id)),
            "use lower-case letters, digits, '-' and '_', starting with a letter");
    out.why = text(j, "why", p, true);
    const auto citations = ids_of(rules_.citations);
    strings(j, "source", p, [&](const std::string& id, const std::string& at) {
      if (const auto index = find(id, citations, at, "citation")) out.source.push_back(*index);
    });
    if (const auto when = j.find("when"); when != j.end()) {
      out.when = context_.condition(*when, pointer_append(p, "when"));
    }
    out.at_urgency_at_least = urgency(j, "at_urgency_at_least", p);
    out.at_urgency_at_most = urgency(j, "at_urgency_at_most", p);
    if (out.at_urgency_at_least && out.at_urgency_at_most &&
        *out.at_urgency_at_most > *out.at_urgency_at_least)
      error(pointer_append(p, "at_urgency_at_most"),
            "no urgency is both at least 'at_urgency_at_least' and at most this",
            "urgencies are listed highest first; swap the two");

    const auto then = j.find("then");
    if (then == j.end()) {
      error(p, "missing required key 'then'",
            "add \"then\": {\"urgency_at_least\": ...} or another requirement; see "
            "docs/rules-format.md");
      return out;
    }
    const std::string tp = pointer_append(p, "then");
    if (!then->is_object()) {
      error(tp, fmt::format("'then' must be an object, found {}", kind_of(*then)));
      return out;
    }
    static constexpr std::array<std::string_view, 5> k_then{
        "urgency_at_least", "urgency_at_most", "shown", "not_shown", "not_shown_kinds"};
    check_keys(*then, tp, k_then);
    out.urgency_at_least = urgency(*then, "urgency_at_least", tp);
    out.urgency_at_most = urgency(*then, "urgency_at_most", tp);
    out.shown = items(*then, "shown", tp);
    out.not_shown = items(*then, "not_shown", tp);
    const auto& kinds = known_kinds();
    const std::vector<std::string> kind_names(kinds.begin(), kinds.end());
    strings(*then, "not_shown_kinds", tp, [&](const std::string& kind, const std::string& at) {
      if (find(kind, kind_names, at, "kind")) out.not_shown_kinds.push_back(kind);
    });
    const bool requires_something = std::any_of(
        k_then.begin(), k_then.end(), [&](std::string_view key) { return then->contains(key); });
    if (!requires_something)
      error(tp, "'then' requires nothing",
            "give it urgency_at_least, urgency_at_most, shown, not_shown or not_shown_kinds");
    return out;
  }

  const InvariantReaderContext& context_;
  const RuleSet& rules_;
};

}  // namespace

std::vector<Invariant> read_invariants(const json* section, const InvariantReaderContext& context) {
  return InvariantsReader(context).read(section);
}

}  // namespace kneetriage::detail
