// Named conditions (the "conditions" object): valid names, compiled before any rule; no cycles;
// how deep each nests and the latest question each depends on, through references.
// Part of the rules loader: the map of the stages is at the top of src/rules/rules.cpp.
#include <fmt/format.h>

#include <algorithm>

#include "rules/loader/loader.hpp"

namespace kneetriage::detail {

void RulesLoader::load_named_conditions(const json* conditions) {
  if (conditions == nullptr) return;
  if (!conditions->is_object()) {
    error("/conditions",
          fmt::format("'conditions' must be an object of named conditions, found {}",
                      kind_of(*conditions)),
          R"({"name": {"any": [...]}, ...})");
    return;
  }
  for (const auto& [name, body] : conditions->items()) {
    if (!name.empty() && name.front() == '$') continue;
    if (!is_id(name, false)) {
      error(pointer_append("/conditions", name),
            fmt::format("'{}' is not a valid condition name", name),
            "use lower-case letters, digits, '-' and '_', starting with a letter");
    }
    named_.index.emplace(name, named_.ids.size());
    named_.ids.push_back(name);
    named_.pointers.push_back(pointer_append("/conditions", name));
  }
  named_edges_.resize(named_.ids.size());
  rules_.conditions.resize(named_.ids.size());
  std::vector<bool> compiled(named_.ids.size(), false);
  for (Index i = 0; i < named_.ids.size(); ++i) {
    current_named_ = i;
    auto compiled_condition =
        condition(conditions->at(named_.ids[i]), named_.pointers[i], 1, Scope{});
    rules_.conditions[i].name = named_.ids[i];
    if (compiled_condition) rules_.conditions[i].condition = std::move(*compiled_condition);
  }
  current_named_.reset();
  check_named_cycles();
  compute_named_facts();
}

// A named condition that refers to itself, directly or not, would never finish evaluating.
// Depth-first with an explicit stack, not recursion: a file may chain 100,000 references.
void RulesLoader::check_named_cycles() {
  enum class Mark { unvisited, visiting, done };
  struct Frame {
    Index node;
    std::size_t next_edge;
  };
  std::vector<Mark> marks(named_.ids.size(), Mark::unvisited);
  std::vector<Frame> path;
  for (Index root = 0; root < named_.ids.size(); ++root) {
    if (marks[root] != Mark::unvisited) continue;
    marks[root] = Mark::visiting;
    path.push_back({root, 0});
    while (!path.empty()) {
      Frame& frame = path.back();
      const auto& edges = named_edges_[frame.node];
      if (frame.next_edge == edges.size()) {
        marks[frame.node] = Mark::done;
        path.pop_back();
        continue;
      }
      const Index next = edges[frame.next_edge++];
      if (marks[next] == Mark::visiting) {
        std::vector<std::string> names;
        const auto start =
            std::find_if(path.begin(), path.end(), [&](const Frame& f) { return f.node == next; });
        for (auto it = start; it != path.end(); ++it) names.push_back(named_.ids[it->node]);
        names.push_back(named_.ids[next]);
        if (names.size() > 8) {  // a long cycle: its ends say enough
          names.erase(names.begin() + 4, names.end() - 3);
          names.insert(names.begin() + 4, "…");
        }
        error(named_.pointers[next],
              fmt::format("named condition '{}' refers to itself: {}", named_.ids[next],
                          fmt::join(names, " -> ")),
              "break the cycle; a condition cannot depend on itself");
        has_cycle_ = true;
      } else if (marks[next] == Mark::unvisited) {
        marks[next] = Mark::visiting;
        path.push_back({next, 0});  // `frame` is not used past this point
      }
    }
  }
}

RulesLoader::Reach RulesLoader::reach(const Condition& c, int level) const {
  switch (c.kind) {
    case Condition::Kind::leaf:
      return Reach{level, c.fact, false};
    case Condition::Kind::reference:
      // The referenced condition sits one level below the reference, as evaluation sees it.
      return Reach{level + named_depth_[c.reference], named_max_fact_[c.reference],
                   named_too_deep_[c.reference]};
    default: {
      Reach out{level, std::nullopt, false};
      for (const auto& child : c.children) {
        const auto child_reach = reach(child, level + 1);
        out.depth = std::max(out.depth, child_reach.depth);
        if (child_reach.latest && (!out.latest || *child_reach.latest > *out.latest)) {
          out.latest = child_reach.latest;
        }
        out.reported = out.reported || child_reach.reported;
      }
      return out;
    }
  }
}

// For each named condition, the latest question it depends on (through references too), so an
// ask_if that uses it can be checked against the questionnaire order, and how deeply it nests
// through references, so that the depth limit holds however the nesting is written: evaluation
// recurses through references as through inline conditions. Named conditions are visited after
// those they refer to (post-order, with an explicit stack).
void RulesLoader::compute_named_facts() {
  named_max_fact_.assign(named_.ids.size(), std::nullopt);
  named_depth_.assign(named_.ids.size(), 0);
  named_too_deep_.assign(named_.ids.size(), false);
  if (has_cycle_) return;
  std::vector<bool> done(named_.ids.size(), false);
  std::vector<std::pair<Index, std::size_t>> stack;  // node, next reference to visit
  for (Index root = 0; root < named_.ids.size(); ++root) {
    if (done[root]) continue;
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
      auto& [node, next_edge] = stack.back();
      const auto& edges = named_edges_[node];
      if (next_edge < edges.size()) {
        const Index next = edges[next_edge++];
        if (!done[next]) stack.emplace_back(next, 0);  // acyclic: never already on the stack
        continue;
      }
      const Index current = node;
      stack.pop_back();
      if (done[current]) continue;  // reached twice before it was finished
      done[current] = true;
      const auto summary = reach(rules_.conditions[current].condition, 1);
      named_max_fact_[current] = summary.latest;
      named_depth_[current] = summary.depth;
      named_too_deep_[current] = summary.reported || summary.depth > k_max_condition_depth;
      if (summary.depth > k_max_condition_depth && !summary.reported) {
        error(named_.pointers[current],
              fmt::format("named condition '{}' nests conditions {} levels deep, counting the "
                          "named conditions it refers to; the limit is {}",
                          named_.ids[current], summary.depth, k_max_condition_depth),
              "flatten them with all/any, or refer to fewer named conditions inside one another");
      }
    }
  }
}

}  // namespace kneetriage::detail
