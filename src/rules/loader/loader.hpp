// The rules loader, in stages (issue 9 §4). One class, RulesLoader, holds what the stages share
// (the document's catalogues of ids, the diagnostics, the RuleSet being built); each stage is
// defined in a file of its own under src/rules/loader/. src/rules/rules.cpp runs the stages in
// order and has the map of which check lives where. Internal: the public entry point is
// load_rules().
#pragma once

#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kneetriage/diagnostic.hpp"
#include "kneetriage/rules.hpp"
#include "support/text_util.hpp"

namespace kneetriage::detail {

class RulesLoader {
 public:
  RulesLoader(std::string_view text, std::string_view file) : text_(text), file_(file) {}

  // Reads, checks and builds the whole document (src/rules/rules.cpp).
  LoadResult run();

  // A valid id: a letter, then letters, digits, '-' and '_'; at most 64 bytes (references.cpp).
  [[nodiscard]] static bool is_id(std::string_view text, bool allow_upper);

 private:
  using json = nlohmann::json;

  static constexpr std::string_view k_format = "kneetriage-rules/1";
  static constexpr int k_max_condition_depth = 64;
  static constexpr std::size_t k_max_rules_bytes = std::size_t{64} << 20U;
  // Past this many problems the file is clearly not a rules file; locating each costs a scan.
  static constexpr std::size_t k_max_diagnostics = 500;

  // An id -> index map for one catalogue, remembering where each id was first defined.
  struct Catalogue {
    std::string label;  // "question", "cause", ...
    std::unordered_map<std::string, Index> index;
    std::vector<std::string> ids;
    std::vector<std::string> pointers;

    [[nodiscard]] std::optional<Index> find(const std::string& id) const {
      const auto it = index.find(id);
      if (it == index.end()) return std::nullopt;
      return it->second;
    }
  };

  // Which questions a condition may refer to: ask_if only to earlier questions, red_flag also to
  // its own question.
  struct Scope {
    std::optional<Index> question;  // the question whose ask_if / red_flag this is
    bool may_use_itself = false;
    std::string_view role;  // "ask_if" or "red_flag"
  };

  // What a compiled condition amounts to once its references are followed: how deeply it nests
  // (its root at `level`, a referenced condition one level below the reference) and the latest
  // question it depends on. Recursion here only follows the
  // inline nesting, which condition() has already bounded; references use the named results.
  struct Reach {
    int depth = 0;
    std::optional<Index> latest;
    bool reported = false;  // a named condition it refers to is already reported as too deep
  };

  struct PendingScopeCheck {
    Index named;
    std::string pointer;
    Scope scope;
  };

  // ---- the document: the order of the stages (src/rules/rules.cpp)
  void load_document(const json& root);

  // ---- reading the JSON text, reporting with positions (src/rules/loader/read.cpp)
  [[nodiscard]] std::string suggest(std::string_view word,
                                    const std::vector<std::string>& candidates,
                                    std::string_view known_label) const;
  void error(std::string pointer, std::string what, std::string hint = {});
  void finish_positions();
  bool parse(json& root);

  // ---- typed access to members: types, required and unknown keys, kinds
  // (src/rules/loader/fields.cpp)
  bool expect_object(const json& j, const std::string& pointer, std::string_view what);
  void check_keys(const json& object, const std::string& pointer,
                  std::initializer_list<std::string_view> allowed);
  const json* member(const json& object, std::string_view key, const std::string& pointer,
                     bool required);
  std::string string_member(const json& object, std::string_view key, const std::string& pointer,
                            bool required);
  std::vector<std::string> string_list_member(const json& object, std::string_view key,
                                              const std::string& pointer, bool required);
  const json* array_member(const json& object, std::string_view key, const std::string& pointer,
                           bool required);
  std::vector<std::string> kinds(const json& j, std::string_view key, const std::string& pointer,
                                 bool required);
  void check_kind(const std::string& kind, const std::string& pointer);
  // An optional "frequency" object of j: kind -> how often (an urgency's or a rule's).
  FrequencyByKind frequency_by_kind(const json& j, const std::string& pointer);
  template <typename Each>
  void for_each_entry(const json* array, std::string_view array_pointer, std::string_view what,
                      Each each) {
    if (array == nullptr) return;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const auto pointer = pointer_append(array_pointer, i);
      if (!expect_object((*array)[i], pointer, what)) continue;
      each((*array)[i], pointer);
    }
  }

  // ---- ids: registering, validity, duplicates, resolving references
  // (src/rules/loader/references.cpp)
  void register_ids(const json* array, const std::string& array_pointer, Catalogue& catalogue,
                    bool allow_upper = false);
  Indices references(const json& object, std::string_view key, const std::string& pointer,
                     const Catalogue& catalogue, bool required);
  Indices sources_of(const json& object, const std::string& pointer);

  // ---- conditions: all/any/not, references to named ones, leaves and literals
  //      (src/rules/loader/conditions.cpp)
  std::optional<Condition> condition(const json& j, const std::string& pointer, int depth,
                                     const Scope& scope);
  std::optional<Condition> reference(const json& name_json, const std::string& pointer, int depth,
                                     const Scope& scope);
  std::string scope_violation(Index fact, const Scope& scope) const;
  std::optional<Condition> leaf(const json& j, const std::string& pointer, const Scope& scope);
  bool literal(const Question& question, Operator op, const json& value,
               const std::string& leaf_pointer, Condition& out);

  // ---- named conditions: cycles, depth and facts through references
  //      (src/rules/loader/named_conditions.cpp)
  void load_named_conditions(const json* conditions);
  void check_named_cycles();
  Reach reach(const Condition& c, int level) const;
  void compute_named_facts();

  // ---- questions, choices, number bounds, ask_if / red_flag (src/rules/loader/questions.cpp)
  void load_questions(const json* array);
  void load_choices(const json& j, const std::string& p, Question& question);
  void load_number_bounds(const json& j, const std::string& p, Question& question);
  void load_question_conditions(const json* array);
  void load_text_if(const json& list, const std::string& pointer, Index question_index);

  // ---- sources, citations, urgencies, causes, advice, exercises, plan
  //      (src/rules/loader/catalogues.cpp)
  void load_sources(const json* array);
  void load_citations(const json* array);
  void load_urgencies(const json* array);
  void load_causes(const json* array);
  void load_advice(const json* array);
  void load_exercises(const json* array);
  void load_plan(const json* array);

  // ---- rules: when / then (src/rules/loader/rules_array.cpp)
  void load_rules_array(const json* array);
  void load_conclusion(const json& j, const std::string& p, Conclusion& then);

  // ---- what the stages share
  std::string_view text_;
  std::string_view file_;
  Diagnostics diagnostics_;
  std::size_t problem_count_ = 0;
  RuleSet rules_;
  Catalogue sources_{"source", {}, {}, {}};
  Catalogue citations_{"citation", {}, {}, {}};
  Catalogue urgencies_{"urgency", {}, {}, {}};
  Catalogue questions_{"question", {}, {}, {}};
  Catalogue causes_{"cause", {}, {}, {}};
  Catalogue advice_{"advice", {}, {}, {}};
  Catalogue exercises_{"exercise", {}, {}, {}};
  Catalogue plan_{"plan step", {}, {}, {}};
  Catalogue rules_ids_{"rule", {}, {}, {}};
  Catalogue named_{"named condition", {}, {}, {}};
  // Named conditions: the one being compiled, the references of each, and what each amounts to
  // once its references are followed (named_conditions.cpp).
  std::optional<Index> current_named_;
  std::vector<Indices> named_edges_;
  std::vector<std::optional<Index>> named_max_fact_;
  std::vector<int> named_depth_;
  std::vector<bool> named_too_deep_;
  std::vector<PendingScopeCheck> pending_scope_checks_;  // ask_if / red_flag through a named one
  bool has_cycle_ = false;
  std::vector<std::string> untyped_questions_;  // reported; their conditions are not checked
};

}  // namespace kneetriage::detail
