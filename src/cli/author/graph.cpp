// `kneetriage graph`: the decision logic as a picture: questions -> named conditions -> rules ->
// urgency and causes, as Graphviz DOT (`| dot -Tsvg`) or a Mermaid flowchart (Markdown).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <array>
#include <map>
#include <memory>
#include <set>

#include "context.hpp"
#include "errors.hpp"
#include "suggest.hpp"
#include "terminal/describe.hpp"
#include "terminal/io.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

namespace {

enum class NodeKind { question, condition, rule, urgency, cause };

struct Node {
  NodeKind kind;
  std::string key;    // unique within the graph: "question:knees"
  std::string label;  // what the picture shows
};

struct Edge {
  std::string from, to;
  std::string label;  // the test a rule makes of a question ("= both"); may be empty
};

struct Graph {
  std::vector<Node> nodes;
  std::vector<Edge> edges;
};

std::string key(NodeKind kind, std::string_view id) {
  static constexpr std::array<const char*, 5> prefixes = {"question", "condition", "rule",
                                                          "urgency", "cause"};
  return fmt::format("{}:{}", prefixes.at(static_cast<std::size_t>(kind)), id);
}

std::string operator_symbol(Operator op) {
  switch (op) {
    case Operator::equal:
      return "=";
    case Operator::not_equal:
      return "≠";
    case Operator::less_than:
      return "<";
    case Operator::less_than_inclusive:
      return "≤";
    case Operator::greater_than:
      return ">";
    case Operator::greater_than_inclusive:
      return "≥";
    case Operator::in:
      return "in";
    case Operator::not_in:
      return "not in";
    case Operator::contains:
      return "has";
    case Operator::does_not_contain:
      return "lacks";
  }
  return "?";
}

std::string leaf_label(const Condition& leaf, bool negated) {
  std::string values;
  if (leaf.op == Operator::in || leaf.op == Operator::not_in) {
    std::vector<std::string> parts;
    for (const Value& value : leaf.values) parts.push_back(flag_value(value));
    values = join(parts, ", ");
  } else {
    values = flag_value(leaf.value);
  }
  return fmt::format("{}{} {}", negated ? "not " : "", operator_symbol(leaf.op), values);
}

// The questions and named conditions a condition reads directly (not through its references'
// own trees, which get nodes of their own), with the tests it makes of each question.
void reads(const Condition& condition, const RuleSet& rules, bool negated,
           std::map<std::string, std::set<std::string>>& out) {
  switch (condition.kind) {
    case Condition::Kind::leaf:
      out[key(NodeKind::question, rules.questions[condition.fact].id)].insert(
          leaf_label(condition, negated));
      break;
    case Condition::Kind::reference:
      out[key(NodeKind::condition, rules.conditions[condition.reference].name)].insert(
          negated ? "not" : "");
      break;
    case Condition::Kind::negation:
      for (const Condition& child : condition.children) reads(child, rules, !negated, out);
      break;
    case Condition::Kind::all:
    case Condition::Kind::any:
      for (const Condition& child : condition.children) reads(child, rules, negated, out);
      break;
  }
}

void add_reads(const Condition& condition, const RuleSet& rules, const std::string& to,
               Graph& graph) {
  std::map<std::string, std::set<std::string>> from;
  reads(condition, rules, false, from);
  for (const auto& [source, labels] : from) {
    std::vector<std::string> shown;
    for (const std::string& label : labels)
      if (!label.empty()) shown.push_back(label);
    graph.edges.push_back({source, to, join(shown, "; ")});
  }
}

Graph build_graph(const RuleSet& rules) {
  Graph graph;
  for (const Question& question : rules.questions)
    graph.nodes.push_back({NodeKind::question, key(NodeKind::question, question.id), question.id});
  for (const NamedCondition& named : rules.conditions) {
    const std::string to = key(NodeKind::condition, named.name);
    graph.nodes.push_back({NodeKind::condition, to, named.name});
    add_reads(named.condition, rules, to, graph);
  }
  for (const Rule& rule : rules.rules) {
    const std::string to = key(NodeKind::rule, rule.id);
    graph.nodes.push_back({NodeKind::rule, to, rule.id});
    add_reads(rule.when, rules, to, graph);
    if (rule.then.urgency)
      graph.edges.push_back(
          {to, key(NodeKind::urgency, rules.urgencies[*rule.then.urgency].id), ""});
    for (const Index cause : rule.then.causes)
      graph.edges.push_back({to, key(NodeKind::cause, rules.causes[cause].id), ""});
  }
  for (const Urgency& urgency : rules.urgencies)
    graph.nodes.push_back({NodeKind::urgency, key(NodeKind::urgency, urgency.id), urgency.id});
  for (const Cause& cause : rules.causes)
    graph.nodes.push_back({NodeKind::cause, key(NodeKind::cause, cause.id), cause.id});
  return graph;
}

// ---- DOT ----

std::string dot_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : sanitize(text)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string to_dot(const RuleSet& rules, const Graph& graph) {
  // Questions in the first column and conclusions in the last; conditions and rules find their
  // own places between (a named condition may read another). Clusters would tangle the edges.
  struct Look {
    NodeKind kind;
    const char* name;
    const char* rank;
    const char* attributes;
  };
  static constexpr std::array<Look, 5> looks = {{
      {NodeKind::question, "questions", "source",
       R"(shape=box, style=filled, fillcolor="#e8f0fe")"},
      {NodeKind::condition, "conditions", "",
       R"(shape=diamond, style=filled, fillcolor="#fff4d6")"},
      {NodeKind::rule, "rules", "", R"(shape=box, style="rounded,filled", fillcolor="#eeeeee")"},
      {NodeKind::urgency, "urgencies", "sink",
       R"(shape=octagon, style=filled, fillcolor="#fbd4d0")"},
      {NodeKind::cause, "causes", "sink", R"(shape=note, style=filled, fillcolor="#dff3e3")"},
  }};
  std::string out = fmt::format(
      "// {} {}: questions -> named conditions -> rules -> urgencies and causes.\n"
      "// Made by `kneetriage graph`; draw it with `dot -Tsvg`.\n",
      sanitize(rules.id), sanitize(rules.version));
  out += "digraph kneetriage {\n";
  out += "  rankdir=LR;\n";
  out += "  node [fontname=\"Helvetica\", fontsize=11];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n";
  for (const Look& look : looks) {
    out += fmt::format("  subgraph {} {{\n", look.name);
    if (*look.rank != '\0') out += fmt::format("    rank={};\n", look.rank);
    out += fmt::format("    node [{}];\n", look.attributes);
    for (const Node& node : graph.nodes) {
      if (node.kind != look.kind) continue;
      out += fmt::format("    {} [label={}];\n", dot_quote(node.key), dot_quote(node.label));
    }
    out += "  }\n";
  }
  for (const Edge& edge : graph.edges) {
    out += fmt::format("  {} -> {}", dot_quote(edge.from), dot_quote(edge.to));
    if (!edge.label.empty()) out += fmt::format(" [label={}]", dot_quote(edge.label));
    out += ";\n";
  }
  return out + "}\n";
}

// ---- Mermaid ----

// Mermaid ids are plain words; labels go in quotes, with '"' written as an entity.
std::string mermaid_text(std::string_view text) {
  std::string out;
  for (const char c : sanitize(text)) {
    if (c == '"') {
      out += "#quot;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string to_mermaid(const RuleSet& rules, const Graph& graph) {
  std::map<std::string, std::string> ids;  // node key -> n0, n1, …
  for (const Node& node : graph.nodes) ids.emplace(node.key, fmt::format("n{}", ids.size()));
  std::string out = fmt::format(
      "%% {} {}: questions -> named conditions -> rules -> urgencies "
      "and causes (kneetriage graph)\n",
      mermaid_text(rules.id), mermaid_text(rules.version));
  out += "flowchart LR\n";
  static constexpr std::array<std::pair<NodeKind, std::pair<const char*, const char*>>, 5> shapes =
      {{
          {NodeKind::question, {"[\"", "\"]"}},
          {NodeKind::condition, {"{\"", "\"}"}},
          {NodeKind::rule, {"([\"", "\"])"}},
          {NodeKind::urgency, {"{{\"", "\"}}"}},
          {NodeKind::cause, {">\"", "\"]"}},
      }};
  for (const Node& node : graph.nodes) {
    const auto& [open, close] = shapes.at(static_cast<std::size_t>(node.kind)).second;
    out += fmt::format("  {}{}{}{}\n", ids[node.key], open, mermaid_text(node.label), close);
  }
  for (const Edge& edge : graph.edges) {
    if (edge.label.empty()) {
      out += fmt::format("  {} --> {}\n", ids[edge.from], ids[edge.to]);
    } else {
      out += fmt::format("  {} -->|\"{}\"| {}\n", ids[edge.from], mermaid_text(edge.label),
                         ids[edge.to]);
    }
  }
  out +=
      "  classDef question fill:#e8f0fe\n  classDef condition fill:#fff4d6\n"
      "  classDef urgency fill:#fbd4d0\n  classDef cause fill:#dff3e3\n";
  static constexpr std::array<const char*, 5> classes = {"question", "condition", "", "urgency",
                                                         "cause"};
  for (const Node& node : graph.nodes) {
    const char* name = classes.at(static_cast<std::size_t>(node.kind));
    if (*name != '\0') out += fmt::format("  class {} {}\n", ids[node.key], name);
  }
  return out;
}

}  // namespace

Command register_graph(CLI::App& app, Context& context) {
  CLI::App* command = app.add_subcommand(
      "graph",
      "Draw the decision logic of the rules in effect: questions -> named conditions -> "
      "rules -> urgencies and causes, as Graphviz DOT (the default; kneetriage graph | dot "
      "-Tsvg > rules.svg) or a Mermaid flowchart (--format mermaid, for Markdown).");
  add_format_option(*command, context, {"dot", "mermaid"}, "dot (the default) or mermaid");
  command->footer(
      "Examples:\n"
      "  kneetriage graph | dot -Tsvg > rules.svg\n"
      "  kneetriage graph --format mermaid > rules.mmd\n"
      "  kneetriage --rules my-rules.json graph | dot -Tpng > my-rules.png");
  return {command, [&context] {
            const RuleSet& rules = context.rules();
            const Graph graph = build_graph(rules);
            write_stdout(context.format_name == "mermaid" ? to_mermaid(rules, graph)
                                                          : to_dot(rules, graph));
            return 0;
          }};
}

}  // namespace kneetriage::cli
