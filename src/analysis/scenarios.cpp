#include "kneetriage/scenarios.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <tuple>

#include "kneetriage/answer_space.hpp"
#include "kneetriage/answers.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/follow_up.hpp"
#include "support/json_locate.hpp"
#include "support/text_util.hpp"

namespace kneetriage {

namespace {

using json = nlohmann::json;
using detail::brief_json;
using detail::brief_text;
using detail::pointer_append;

// Past this many problems the rest are only counted, as the rules loader does.
constexpr std::size_t k_max_diagnostics = 500;

const char* type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::null:
      return "null";
    default:
      return "a number";
  }
}

class ScenarioReader {
 public:
  ScenarioReader(std::string_view text, std::string_view file) : text_(text), file_(file) {}

  ScenariosResult read() {
    ScenariosResult result;
    json root;
    if (parse(root)) {
      ScenarioFile out{std::string(file_), {}};
      read_root(root, out);
      if (diagnostics_.empty()) result.scenarios = std::move(out);
    }
    finish();
    result.diagnostics = std::move(diagnostics_);
    return result;
  }

 private:
  void error(std::string pointer, std::string what, std::string hint = {}) {
    if (problems_++ >= k_max_diagnostics) return;
    diagnostics_.push_back(
        Diagnostic{std::string(file_), 0, 0, std::move(pointer), std::move(what), std::move(hint)});
  }

  void finish() {
    add_positions(diagnostics_, text_);
    std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                       return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                     });
    if (problems_ > diagnostics_.size()) {
      diagnostics_.push_back(
          Diagnostic{std::string(file_), 0, 0, "",
                     fmt::format("{} more problems not shown", problems_ - diagnostics_.size()),
                     "fix the ones above and try again"});
    }
  }

  bool parse(json& root) {
    const char* hint = "a test file must be valid JSON (no comments, no trailing commas)";
    try {
      root = json::parse(text_.begin(), text_.end());
      return true;
    } catch (const json::parse_error& e) {
      diagnostics_.push_back(detail::parse_error_diagnostic(
          text_, file_, e.byte, e.what(),
          {hint, R"(a test file is a JSON object: {"cases": [...]}; see docs/rules-format.md)",
           "a test file is a UTF-8 JSON text; see docs/rules-format.md"}));
    } catch (const json::exception& e) {
      // A number too large for a double, say.
      diagnostics_.push_back(detail::unrepresentable_json_diagnostic(text_, file_, e.what()));
    }
    return false;
  }

  // Keys other than `allowed` (and "$comment"-like keys) are reported, with the likeliest one.
  void check_keys(const json& object, const std::string& pointer,
                  std::initializer_list<std::string_view> allowed) {
    const std::vector<std::string> allowed_list(allowed.begin(), allowed.end());
    for (auto it = object.begin(); it != object.end(); ++it) {
      const std::string& key = it.key();
      if (!key.empty() && key.front() == '$') continue;
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      error(pointer_append(pointer, key), fmt::format("unknown key '{}'", brief_text(key)),
            detail::suggestion(key, allowed_list, "the keys here are"));
    }
  }

  bool expect_object(const json& j, const std::string& pointer, std::string_view what) {
    if (j.is_object()) return true;
    error(pointer, fmt::format("{} must be an object, found {}", what, type_name(j)));
    return false;
  }

  // A list of non-empty strings.
  bool strings(const json& j, const std::string& pointer, std::string_view what,
               std::vector<std::string>& out) {
    if (!j.is_array()) {
      error(pointer, fmt::format("{} must be an array of strings, found {}", what, type_name(j)),
            R"(e.g. ["one", "two"])");
      return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < j.size(); ++i) {
      const json& item = j[i];
      if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
        error(pointer_append(pointer, i),
              fmt::format("{} must be non-empty strings, found {}", what, brief_json(item)));
        ok = false;
        continue;
      }
      out.push_back(item.get<std::string>());
    }
    return ok;
  }

  // ["id", …] (the same as {"include": [...]}) or {"include", "exclude", "exactly"}.
  std::size_t ids(const json& j, const std::string& pointer, IdExpectation& out) {
    if (j.is_array()) {
      strings(j, pointer, "the ids", out.include);
      return 1;
    }
    if (!j.is_object()) {
      error(pointer, fmt::format("must be an array of ids or an object, found {}", type_name(j)),
            R"(e.g. ["quad-weakness"] or {"include": [...], "exclude": [...]})");
      return 1;
    }
    check_keys(j, pointer, {"include", "exclude", "exactly"});
    std::size_t given = 0;
    if (j.contains("include")) {
      strings(j["include"], pointer_append(pointer, "include"), "the ids", out.include);
      ++given;
    }
    if (j.contains("exclude")) {
      strings(j["exclude"], pointer_append(pointer, "exclude"), "the ids", out.exclude);
      ++given;
    }
    if (j.contains("exactly")) {
      out.exactly.emplace();
      strings(j["exactly"], pointer_append(pointer, "exactly"), "the ids", *out.exactly);
      ++given;
    }
    if (given == 0) error(pointer, "expects nothing", R"(give "include", "exclude" or "exactly")");
    return given;
  }

  void text(const json& j, const std::string& pointer, TextExpectation& out) {
    if (j.is_array()) {
      strings(j, pointer, "the texts", out.include);
      return;
    }
    if (!j.is_object()) {
      error(pointer, fmt::format("must be an array of texts or an object, found {}", type_name(j)),
            R"(e.g. ["see a doctor"] or {"include": [...], "exclude": [...]})");
      return;
    }
    check_keys(j, pointer, {"include", "exclude"});
    if (j.contains("include"))
      strings(j["include"], pointer_append(pointer, "include"), "the texts", out.include);
    if (j.contains("exclude"))
      strings(j["exclude"], pointer_append(pointer, "exclude"), "the texts", out.exclude);
    if (!j.contains("include") && !j.contains("exclude"))
      error(pointer, "expects nothing", R"(give "include" or "exclude")");
  }

  // Copies the answers of `from` over `to`. An answer is a scalar or a flat array (a multi
  // question's choices); anything nested is refused here, before it is copied, because copying
  // a value nested a million deep would exhaust the stack.
  void copy_answers(const json& from, const std::string& pointer, json& to) {
    for (auto it = from.begin(); it != from.end(); ++it) {
      const json& value = it.value();
      const auto flat = [](const json& v) { return !v.is_structured(); };
      if (value.is_object() ||
          (value.is_array() && !std::all_of(value.begin(), value.end(), flat))) {
        error(pointer_append(pointer, it.key()),
              fmt::format("an answer cannot be {}", brief_json(value)),
              "an answer is true or false, a string, a number, or an array of strings");
        continue;
      }
      to[it.key()] = value;
    }
  }

  void expectation(const json& j, const std::string& pointer, Expectation& out) {
    if (!expect_object(j, pointer, "\"expect\"")) return;
    check_keys(j, pointer,
               {"urgency", "action", "causes", "advice", "exercises", "plan", "withheld", "fired",
                "text"});
    bool any = false;
    if (j.contains("urgency")) {
      any = true;
      const json& u = j["urgency"];
      if (u.is_string() && !u.get_ref<const std::string&>().empty()) {
        out.urgency = u.get<std::string>();
      } else {
        error(pointer_append(pointer, "urgency"),
              fmt::format("the urgency must be an urgency id, found {}", brief_json(u)),
              R"(e.g. "urgent")");
      }
    }
    if (j.contains("action")) {
      any = true;
      out.expects_action = true;
      const json& a = j["action"];
      if (a.is_string() && !a.get_ref<const std::string&>().empty()) {
        out.action = a.get<std::string>();
      } else if (!a.is_null()) {
        error(pointer_append(pointer, "action"),
              fmt::format("the action must be an advice id or null, found {}", brief_json(a)),
              "null expects the urgency's own action to lead");
      }
    }
    const std::array<std::pair<const char*, IdExpectation Expectation::*>, 6> lists = {{
        {"causes", &Expectation::causes},
        {"advice", &Expectation::advice},
        {"exercises", &Expectation::exercises},
        {"plan", &Expectation::plan},
        {"withheld", &Expectation::withheld},
        {"fired", &Expectation::fired},
    }};
    for (const auto& [key, member] : lists) {
      if (!j.contains(key)) continue;
      any = true;
      ids(j[key], pointer_append(pointer, key), out.*member);
    }
    if (j.contains("text")) {
      any = true;
      text(j["text"], pointer_append(pointer, "text"), out.text);
    }
    if (!any)
      error(pointer, "the case expects nothing, so it could never fail",
            R"(add e.g. "urgency": "self-care" or "causes": ["quad-weakness"])");
  }

  void read_case(const json& j, const std::string& pointer, const json& defaults,
                 const json& default_facts, std::set<std::string>& names, ScenarioFile& out) {
    if (!expect_object(j, pointer, "a case")) return;
    check_keys(j, pointer, {"name", "defaults", "answers", "facts", "full", "expect"});
    Scenario scenario;
    scenario.pointer = pointer;
    if (!j.contains("name")) {
      error(pointer, "the case has no \"name\"",
            "name it for what it shows, e.g. \"A5: both "
            "knees point to quad weakness\"");
    } else if (const json& name = j["name"];
               !name.is_string() || detail::trim(name.get_ref<const std::string&>()).empty()) {
      error(pointer_append(pointer, "name"),
            fmt::format("the name must be a non-empty string, found {}", brief_json(name)));
    } else {
      scenario.name = name.get<std::string>();
      if (!names.insert(scenario.name).second)
        error(pointer_append(pointer, "name"),
              fmt::format("two cases are named '{}'", brief_text(scenario.name)),
              "give each case its own name, so a failure says which one");
    }
    scenario.answers = defaults;
    if (j.contains("defaults")) {
      if (!j["defaults"].is_boolean()) {
        error(
            pointer_append(pointer, "defaults"),
            fmt::format("\"defaults\" must be true or false, found {}", brief_json(j["defaults"])),
            "false starts the case from no answers instead of the file's defaults");
      } else if (!j["defaults"].get<bool>()) {
        scenario.answers = json::object();
      }
    }
    if (j.contains("facts")) {
      scenario.follow_up = true;
      scenario.facts = default_facts;
      if (j.contains("defaults") && j["defaults"].is_boolean() && !j["defaults"].get<bool>())
        scenario.facts = json::object();
      if (expect_object(j["facts"], pointer_append(pointer, "facts"), "\"facts\""))
        copy_answers(j["facts"], pointer_append(pointer, "facts"), scenario.facts);
      if (j.contains("answers"))
        error(pointer_append(pointer, "answers"), "a case gives answers or facts, not both",
              "\"facts\" makes it a follow-up case, assessed by the rules' follow_up section");
    }
    if (j.contains("answers")) {
      const json& answers = j["answers"];
      if (expect_object(answers, pointer_append(pointer, "answers"), "\"answers\"")) {
        copy_answers(answers, pointer_append(pointer, "answers"), scenario.answers);
      }
    }
    if (j.contains("full")) {
      if (j["full"].is_boolean()) {
        scenario.full = j["full"].get<bool>();
      } else {
        error(pointer_append(pointer, "full"),
              fmt::format("\"full\" must be true or false, found {}", brief_json(j["full"])));
      }
    }
    if (!j.contains("expect")) {
      error(pointer, "the case has no \"expect\"",
            R"(say what the result must show, e.g. "expect": {"urgency": "self-care"})");
    } else {
      expectation(j["expect"], pointer_append(pointer, "expect"), scenario.expect);
    }
    if (const auto where = detail::locate(text_, pointer)) {
      scenario.line = where->line;
      scenario.column = where->column;
    }
    out.cases.push_back(std::move(scenario));
  }

  void read_root(const json& root, ScenarioFile& out) {
    if (!root.is_object()) {
      error("", fmt::format("a test file must be a JSON object, found {}", type_name(root)),
            R"({"cases": [{"name": ..., "answers": {...}, "expect": {...}}]})");
      return;
    }
    check_keys(root, "", {"defaults", "cases"});
    json defaults = json::object();
    json default_facts = json::object();
    if (root.contains("defaults")) {
      const json& d = root["defaults"];
      if (expect_object(d, "/defaults", "\"defaults\"")) {
        check_keys(d, "/defaults", {"answers", "facts"});
        if (d.contains("answers") &&
            expect_object(d["answers"], "/defaults/answers", "\"answers\"")) {
          copy_answers(d["answers"], "/defaults/answers", defaults);
        }
        if (d.contains("facts") && expect_object(d["facts"], "/defaults/facts", "\"facts\"")) {
          copy_answers(d["facts"], "/defaults/facts", default_facts);
        }
      }
    }
    if (!root.contains("cases")) {
      error("", "the file has no \"cases\"",
            R"(add "cases": [{"name": ..., "answers": {...}, "expect": {...}}])");
      return;
    }
    const json& cases = root["cases"];
    if (!cases.is_array() || cases.empty()) {
      error("/cases", fmt::format("\"cases\" must be a non-empty array, found {}",
                                  cases.is_array() ? "an empty array" : type_name(cases)));
      return;
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < cases.size(); ++i)
      read_case(cases[i], pointer_append("/cases", i), defaults, default_facts, names, out);
  }

  std::string_view text_;
  std::string_view file_;
  Diagnostics diagnostics_;
  std::size_t problems_ = 0;
};

// ---- running a case ----

std::string collapse_space(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

template <typename Catalogue>
std::vector<std::string> ids_of(const Catalogue& catalogue, const Indices& indices) {
  std::vector<std::string> out;
  for (const Index i : indices) out.push_back(catalogue[i].id);
  return out;
}

template <typename Catalogue>
std::vector<std::string> all_ids(const Catalogue& catalogue) {
  std::vector<std::string> out;
  out.reserve(catalogue.size());
  for (const auto& item : catalogue) out.push_back(item.id);
  return out;
}

bool has(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string list_text(const std::vector<std::string>& ids) {
  if (ids.empty()) return "none";
  return fmt::format("[{}]", fmt::join(ids, ", "));
}

// " (did you mean 'x'?)" for a likely typo, else nothing: the whole list would be noise.
std::string did_you_mean(std::string_view id, const std::vector<std::string>& known) {
  const std::string close = detail::closest(id, known);
  return close.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", close);
}

// How one list of ids is described in a difference.
struct ListWords {
  const char* label;    // "cause"
  const char* plural;   // "causes"
  const char* present;  // "shown"
  const char* absent;   // "not shown"
};

void compare_ids(const IdExpectation& expected, const std::vector<std::string>& actual,
                 const std::vector<std::string>& known, const ListWords& words,
                 std::vector<std::string>& out) {
  const auto known_or_say = [&](const std::string& id) {
    if (has(known, id)) return true;
    out.push_back(fmt::format("no {} '{}' in the rules{}", words.label, brief_text(id),
                              did_you_mean(id, known)));
    return false;
  };
  for (const std::string& id : expected.include) {
    if (known_or_say(id) && !has(actual, id))
      out.push_back(fmt::format("{} '{}' {}", words.label, id, words.absent));
  }
  for (const std::string& id : expected.exclude) {
    if (known_or_say(id) && has(actual, id))
      out.push_back(fmt::format("{} '{}' {}", words.label, id, words.present));
  }
  if (expected.exactly) {
    bool all_known = true;
    for (const std::string& id : *expected.exactly) all_known = known_or_say(id) && all_known;
    std::vector<std::string> want = *expected.exactly;
    std::vector<std::string> got = actual;
    std::sort(want.begin(), want.end());
    want.erase(std::unique(want.begin(), want.end()), want.end());
    std::sort(got.begin(), got.end());
    got.erase(std::unique(got.begin(), got.end()), got.end());
    if (all_known && want != got)
      out.push_back(fmt::format("{} are {}, expected {}", words.plural, list_text(got),
                                want.empty() ? "none" : "exactly " + list_text(want)));
  }
}

// The diary's facts from a follow-up case; false, with a line for each problem, when they
// cannot be read.
bool follow_up_facts_from_json(const json& document, FollowUpFacts& facts,
                               std::vector<std::string>& out) {
  const auto& known = follow_up_fact_ids();
  const std::vector<std::string> known_ids(known.begin(), known.end());
  const std::size_t before = out.size();
  for (auto it = document.begin(); it != document.end(); ++it) {
    const std::string& id = it.key();
    const json& value = it.value();
    if ((!id.empty() && id.front() == '$') || value.is_null()) continue;  // null: the default
    const auto number = [&](int& to) {
      if (value.is_number_integer()) {
        to = static_cast<int>(std::clamp<std::int64_t>(value.get<std::int64_t>(), -100000, 100000));
        return;
      }
      out.push_back(
          fmt::format("facts /{}: must be a whole number, found {}", id, brief_json(value)));
    };
    const auto text = [&](std::string& to) {
      if (value.is_string()) {
        to = value.get<std::string>();
        return;
      }
      out.push_back(fmt::format("facts /{}: must be a string, found {}", id, brief_json(value)));
    };
    if (id == "days_since_assessment") {
      number(facts.days_since_assessment);
    } else if (id == "days_on_plan") {
      number(facts.days_on_plan);
    } else if (id == "pain_trend") {
      text(facts.pain_trend);
    } else if (id == "pain_change") {
      number(facts.pain_change);
    } else if (id == "pain_free_days") {
      number(facts.pain_free_days);
    } else if (id == "adherence_7d") {
      number(facts.adherence_7d);
    } else if (id == "last_urgency") {
      text(facts.last_urgency);
    } else if (id == "has_run") {
      if (value.is_boolean()) {
        facts.has_run = value.get<bool>();
      } else {
        out.push_back(
            fmt::format("facts /has_run: must be true or false, found {}", brief_json(value)));
      }
    } else {
      out.push_back(fmt::format("facts /{}: no diary fact '{}'{}", brief_text(id), brief_text(id),
                                did_you_mean(id, known_ids)));
    }
  }
  return out.size() == before;
}

bool expects_text(const TextExpectation& text) {
  return !text.include.empty() || !text.exclude.empty();
}

}  // namespace

ScenariosResult read_scenarios(std::string_view text, std::string_view file_name) {
  return ScenarioReader(text, file_name).read();
}

std::vector<std::string> run_scenario(const RuleSet& all_rules, const Scenario& scenario,
                                      const TextRenderer& render) {
  std::vector<std::string> out;
  if (scenario.follow_up && !all_rules.follow_up) {
    out.emplace_back("the rules have no follow_up section to assess facts with");
    return out;
  }
  const RuleSet& rules = scenario.follow_up ? *all_rules.follow_up : all_rules;
  AnswersResult given{Answers(rules), {}};
  Assessment assessment;
  if (scenario.follow_up) {
    FollowUpFacts facts;
    if (!follow_up_facts_from_json(scenario.facts, facts, out)) return out;
    assessment = assess_follow_up(all_rules, facts);
  } else {
    given = answers_from_json(rules, scenario.answers, "answers");
    if (!given.diagnostics.empty()) {
      for (const Diagnostic& d : given.diagnostics)
        out.push_back(fmt::format("answers {}: {}{}", d.pointer, d.what,
                                  d.hint.empty() ? std::string() : " (" + d.hint + ")"));
      return out;  // the case cannot be run as written
    }
    assessment = assess(rules, given.answers);
  }
  const Expectation& expect = scenario.expect;

  if (expect.urgency) {
    const std::vector<std::string> levels = all_ids(rules.urgencies);
    if (!has(levels, *expect.urgency)) {
      out.push_back(fmt::format("no urgency '{}' in the rules (the levels are {})",
                                brief_text(*expect.urgency), fmt::join(levels, ", ")));
    } else if (assessment.urgency_level().id != *expect.urgency) {
      out.push_back(fmt::format("urgency is {}, expected {}", assessment.urgency_level().id,
                                *expect.urgency));
    }
  }
  if (expect.expects_action) {
    const auto actual = assessment.action
                            ? std::optional<std::string>(rules.advice[*assessment.action].id)
                            : std::nullopt;
    const auto say = [](const std::optional<std::string>& id) {
      return id ? "'" + *id + "'" : std::string("the urgency's own action");
    };
    if (expect.action && !has(all_ids(rules.advice), *expect.action)) {
      out.push_back(fmt::format("no advice '{}' in the rules{}", brief_text(*expect.action),
                                did_you_mean(*expect.action, all_ids(rules.advice))));
    } else if (actual != expect.action) {
      out.push_back(fmt::format("leads with {}, expected {}", say(actual), say(expect.action)));
    }
  }

  std::vector<std::string> fired;
  for (const FiredRule& f : assessment.fired) fired.push_back(rules.rules[f.rule].id);
  std::vector<std::string> withheld;
  std::vector<std::string> withholdable;
  for (const Withheld& w : assessment.withheld) withheld.push_back(item_id(rules, w.what, w.index));
  for (auto ids : {all_ids(rules.exercises), all_ids(rules.plan), all_ids(rules.advice),
                   all_ids(rules.causes)})
    withholdable.insert(withholdable.end(), ids.begin(), ids.end());

  compare_ids(expect.causes, ids_of(rules.causes, assessment.causes), all_ids(rules.causes),
              {"cause", "causes", "shown", "not shown"}, out);
  compare_ids(expect.advice, ids_of(rules.advice, assessment.advice), all_ids(rules.advice),
              {"advice", "advice", "shown", "not shown"}, out);
  compare_ids(expect.exercises, ids_of(rules.exercises, assessment.exercises),
              all_ids(rules.exercises), {"exercise", "exercises", "shown", "not shown"}, out);
  compare_ids(expect.plan, ids_of(rules.plan, assessment.plan), all_ids(rules.plan),
              {"plan step", "plan steps", "shown", "not shown"}, out);
  compare_ids(expect.withheld, withheld, withholdable,
              {"item", "withheld items", "withheld", "not withheld"}, out);
  compare_ids(expect.fired, fired, all_ids(rules.rules),
              {"rule", "fired rules", "fired", "did not fire"}, out);

  if (expects_text(expect.text) && render) {
    if (!scenario.follow_up) mark_missing(rules, given.answers, assessment);
    const std::string shown = collapse_space(render(assessment, scenario.full));
    for (const std::string& needle : expect.text.include) {
      if (shown.find(collapse_space(needle)) == std::string::npos)
        out.push_back(fmt::format("text lacks \"{}\"", brief_text(needle)));
    }
    for (const std::string& needle : expect.text.exclude) {
      if (shown.find(collapse_space(needle)) != std::string::npos)
        out.push_back(fmt::format("text shows \"{}\"", brief_text(needle)));
    }
  }
  return out;
}

}  // namespace kneetriage
