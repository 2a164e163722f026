// Unit tests of batch's pieces, each held to the core function it stands in for: the plain-line
// reader to answers_from_json, the records, and the core's streaming writer to nlohmann/json's
// dump() (the writer defines the layout; these hold its bytes to what dump() gives for it).
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "front_ends/batch.hpp"
#include "interchange/answers_fast_path.hpp"
#include "interchange/assessment_json_cache.hpp"
#include "kneetriage/assessment_writer.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/json_writer.hpp"
#include "kneetriage/questionnaire.hpp"

using namespace kneetriage;
using namespace kneetriage::cli;
using nlohmann::json;
using namespace std::string_literals;

namespace {

const RuleSet& knee_rules() {
  static const RuleSet rules = [] {
    LoadResult loaded = load_rules(builtin_rules_text(), "<built-in>");
    REQUIRE(loaded.rules);
    return std::move(*loaded.rules);
  }();
  return rules;
}

// Rules that exercise what the knee rules do not: numbers (whole and not), lists, negations,
// named conditions, and texts that need escaping in JSON.
[[maybe_unused]] const RuleSet& odd_rules() {
  static const RuleSet rules = [] {
    LoadResult loaded = load_rules(R"JSON({
      "format": "kneetriage-rules/1", "id": "odd", "version": "1 \"quoted\"",
      "title": "Odd rules", "disclaimer": "Back\\slash, tab\t, newline\n, control \u0001, é, ✓, 🏃",
      "sources": [{"id": "s", "title": "Source \"one\""}],
      "citations": [{"id": "C1", "source": "s", "point": "a point\nover two lines", "quote": "«quoted»"},
                    {"id": "C2", "source": "s", "point": "no quote"}],
      "urgencies": [
        {"id": "emergency", "title": "Emergency", "action": "Call \"999\"", "withhold": ["running", "strength"]},
        {"id": "self-care", "title": "Self-care", "action": "Rest\u0007"}],
      "questions": [
        {"id": "pain", "text": "Pain?", "help": "h", "type": "number", "min": 0, "max": 10},
        {"id": "temp", "text": "Temperature?", "help": "h", "type": "number", "min": 35, "max": 42,
         "integer": false},
        {"id": "places", "text": "Where?", "help": "h", "type": "multi",
         "choices": [{"value": "front", "label": "Front"}, {"value": "back", "label": "Back"},
                     {"value": "side", "label": "Side"}]},
        {"id": "hot", "text": "Hot?", "help": "h", "type": "boolean"},
        {"id": "kind", "text": "Kind?", "help": "h", "type": "choice",
         "choices": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
         "ask_if": {"condition": "hurts"}}],
      "conditions": {
        "hurts": {"fact": "pain", "operator": "greaterThanInclusive", "value": 3},
        "fever": {"any": [{"fact": "temp", "operator": "greaterThan", "value": 38.5},
                          {"all": [{"fact": "hot", "operator": "equal", "value": true},
                                   {"not": {"fact": "temp", "operator": "lessThan", "value": 37}}]}]}},
      "causes": [{"id": "c1", "title": "Cause \"1\"", "explanation": "Why\tnot", "source": ["C1", "C2"]},
                 {"id": "c2", "title": "Cause 2", "explanation": "é", "source": ["C2"]}],
      "advice": [{"id": "a1", "text": "Advice </script>", "source": ["C1"]},
                 {"id": "a2", "text": "Stop running", "kind": "running", "source": ["C2"]}],
      "exercises": [{"id": "e1", "name": "Run", "kind": "running", "how": "h", "dose": "1 × 2",
                     "frequency": "daily", "cues": ["one", "two \"2\""], "start": "now", "source": ["C1"]},
                    {"id": "e2", "name": "Rest", "kind": "rest", "how": "h", "dose": "d",
                     "frequency": "f", "cues": [], "start": "s", "source": ["C2"]}],
      "plan": [{"id": "p1", "kind": "strength", "text": "Lift", "source": ["C1"]}],
      "rules": [
        {"id": "r-fever", "title": "Fever", "when": {"condition": "fever"},
         "then": {"urgency": "emergency", "causes": ["c1"], "advice": ["a1", "a2"], "exercises": ["e1", "e2"]},
         "source": ["C1"]},
        {"id": "r-pain", "title": "Pain", "when": {"all": [{"condition": "hurts"},
                                                             {"fact": "kind", "operator": "in", "value": ["a"]}]},
         "then": {"causes": ["c2", "c1"], "plan": ["p1"], "exercises": ["e1"]}, "source": ["C2"]},
        {"id": "r-places", "title": "Places", "when": {"any": [
            {"fact": "places", "operator": "contains", "value": "front"},
            {"fact": "places", "operator": "doesNotContain", "value": "back"},
            {"fact": "pain", "operator": "equal", "value": 0},
            {"fact": "temp", "operator": "notEqual", "value": 36.6},
            {"fact": "kind", "operator": "notIn", "value": ["b"]}]},
         "then": {"causes": ["c2"], "advice": ["a1"]}, "source": ["C1", "C2"]}]
    })JSON",
                                   "odd.json");
    for (const Diagnostic& d : loaded.diagnostics) INFO(to_string(d));
    REQUIRE(loaded.diagnostics.empty());
    return std::move(*loaded.rules);
  }();
  return rules;
}

std::vector<Value> values_for(const Question& question) {
  std::vector<Value> values;
  switch (question.type) {
    case QuestionType::boolean:
      return {Value{false}, Value{true}};
    case QuestionType::choice:
      for (const Choice& choice : question.choices) values.emplace_back(choice.value);
      return values;
    case QuestionType::multi: {
      const std::size_t n = question.choices.size();
      for (std::size_t mask = 0; mask < (std::size_t{1} << n); ++mask) {
        StringList list;
        for (std::size_t i = 0; i < n; ++i)
          if (((mask >> i) & 1U) != 0) list.push_back(question.choices[i].value);
        values.emplace_back(std::move(list));
      }
      return values;
    }
    case QuestionType::number:
      if (question.integer) {
        for (double x = question.min; x <= question.max; x += 1) values.emplace_back(x);
      } else {
        for (const double x : {35.0, 36.6, 37.0, 38.5, 38.50001, 41.25, 42.0})
          values.emplace_back(x);
      }
      return values;
  }
  return values;
}

// Every complete answer set, as the questionnaire would ask them.
void each_answer_set(const RuleSet& rules, Answers& current,
                     const std::function<void(const Answers&)>& visit) {
  const auto next = next_question(rules, current);
  if (!next) {
    visit(current);
    return;
  }
  for (Value& value : values_for(rules.questions[*next])) {
    current.values[*next] = std::move(value);
    each_answer_set(rules, current, visit);
  }
  current.values[*next].reset();
}

#ifdef NDEBUG
constexpr std::size_t k_every = 1;  // the whole answer space in optimised builds
#else
constexpr std::size_t k_every = 29;  // a spread-out sample in debug and sanitizer builds
#endif

}  // namespace

namespace {

// The property the fast path must keep: when it reads a line, the core reads the same answers
// from it, with no diagnostics.
void check_reader_agrees(AnswersFastPath& reader, const RuleSet& rules, const std::string& line) {
  Answers fast(rules);
  if (!reader.read(line, fast)) return;  // gave up: the core decides, so nothing to compare
  INFO("line: " << line);
  json document;
  REQUIRE_NOTHROW(document = json::parse(line));
  const AnswersResult core = answers_from_json(rules, document, "<test>");
  REQUIRE(core.diagnostics.empty());
  REQUIRE(core.answers.values == fast.values);
}

const std::string k_plain =
    R"({"knees":"one","side":"left","weight_bearing":true,"very_painful":false,"trauma":false,"deformity":false,)"
    R"("locking":false,"swelling":true,"badly_swollen":false,"hot":false,"fever":false,)"
    R"("numbness":false,"circulation":false,"location":"outer",)"
    R"("stops_running":false,"severity":"moderate","strength_training":true,"new_to_running":false})";

}  // namespace

TEST_CASE("the plain-line reader reads what answers_from_json reads") {
  const RuleSet& rules = knee_rules();
  AnswersFastPath reader(rules);
  Answers answers(rules);
  REQUIRE(reader.read(k_plain, answers));
  CHECK(answers.values == answers_from_json(rules, json::parse(k_plain), "").answers.values);
  CHECK(reader.read(" \t{ \"knees\" : \"both\" , \"$id\": [\"x\", \"y\"], \"hot\": null }\r ",
                    answers));
  CHECK(answers.values[0] == std::optional<Value>(Value{std::string("both")}));
  CHECK_FALSE(answers.values[6].has_value());  // null: not answered
  CHECK(reader.read("{}", answers));
}

TEST_CASE("the plain-line reader gives up on anything unusual, and the core then decides") {
  const RuleSet& rules = knee_rules();
  AnswersFastPath reader(rules);
  Answers answers(rules);
  const std::vector<std::string> unusual{
      R"({"knees":"b\u006fth"})",           // an escape
      R"({"knees":"both","knees":"one"})",  // a key twice: the core keeps the last
      R"({"kness":"both"})",                // an unknown question
      R"({"knees":"three"})",               // not a choice
      R"({"hot":"yes"})",                   // a string for a yes/no question
      R"({"hot":1})",                       // a number for a yes/no question
      R"({"knees":["both"]})",              // a list for a choice
      R"({"knees":{"a":1}})",               // an object
      R"({"$comment":{"nested":true}})",    // a `$` key with a nested object
      R"({"$note":"caf\u00e9"})",           // an escape inside an ignored value
      "{\"$note\":\"caf\xC3\xA9\"}",        // non-ASCII
      R"({"knees":"both"} x)",              // trailing text
      R"({"knees":"both",})",               // a trailing comma
      R"({"knees":"both")",                 // unterminated
      R"(["knees"])",
      R"("knees")",
      "null",
      "",
      "   ",
      R"({"knees":tru})",
      R"({"knees":truex})",
      R"({"$n":01})",
      R"({"$n":1.5})",
      R"({"$n":1e3})",
      R"({"$n":-})",
      R"({"$n":1234567890123456})",
      "\xEF\xBB\xBF{}",          // a byte-order mark
      "{\"knees\":\"both\"}\f",  // form feed is not JSON whitespace
  };
  for (const std::string& line : unusual) {
    INFO("line: " << line);
    CHECK_FALSE(reader.read(line, answers));
    check_reader_agrees(reader, rules, line);
  }
}

TEST_CASE("the plain-line reader agrees with the core on a million mutated lines") {
  const RuleSet& rules = knee_rules();
  AnswersFastPath reader(rules);
  std::mt19937_64 random(20261126);
  const std::string alphabet = "{}[]\",:\\ \t\r-0123456789.eEtruefalsn$abothknees\x01\x7f\xc3\xa9";
#ifdef NDEBUG
  const int rounds = 1'000'000;
#else
  const int rounds = 20'000;
#endif
  int accepted = 0;
  for (int i = 0; i < rounds; ++i) {
    std::string line = k_plain;
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = random() % (line.size() + 1);
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          line.insert(line.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        case 1:
          if (at < line.size()) line.erase(at, 1);
          break;
        default:
          if (at < line.size()) line[at] = c;
          break;
      }
    }
    Answers answers(rules);
    if (reader.read(line, answers)) ++accepted;
    check_reader_agrees(reader, rules, line);
  }
  CHECK(accepted > 0);  // the mutations do not only break lines
}

TEST_CASE("a good line gives the full assessment, or the summary with its file and line") {
  const RuleSet& rules = knee_rules();
  const AnswersResult read = answers_from_json(rules, json::parse(k_plain), "");
  const Assessment assessment = assess(rules, read.answers);

  std::string out;
  CHECK(process_batch_line(rules, BatchFormat::json, k_plain, {"x.jsonl", 7}, out));
  CHECK(out == assessment_json(assessment) + "\n");

  out.clear();
  CHECK(process_batch_line(rules, BatchFormat::summary, k_plain, {"x.jsonl", 7}, out));
  json expected = json::object();
  expected["schema"] = "kneetriage/batch-summary/1";
  expected["file"] = "x.jsonl";
  expected["line"] = 7;
  const json summary = json::parse(summary_json(assessment));
  for (const auto& [key, value] : summary.items()) expected[key] = value;
  CHECK(json::parse(out) == expected);
  CHECK(out.rfind(R"({"schema":"kneetriage/batch-summary/1","file":"x.jsonl","line":7,)", 0) == 0);
  CHECK(out.back() == '\n');
  CHECK(std::count(out.begin(), out.end(), '\n') == 1);
}

TEST_CASE("a bad line gives an error record naming its file, line and every problem") {
  const RuleSet& rules = knee_rules();
  BatchProcessor batch(rules, BatchFormat::summary);
  const auto record = [&](std::string_view line) {
    std::string out;
    CHECK_FALSE(batch.process(line, {"answers.jsonl", 12}, out));
    REQUIRE(std::count(out.begin(), out.end(), '\n') == 1);
    json parsed = json::parse(out);
    CHECK(parsed["schema"] == "kneetriage/batch-error/1");
    CHECK(parsed["file"] == "answers.jsonl");
    CHECK(parsed["line"] == 12);
    CHECK(out.rfind(R"({"schema":"kneetriage/batch-error/1","file":)", 0) == 0);
    return parsed;
  };

  json bad = record(R"({"knees": "both",)");
  CHECK(bad["error"] == "not valid JSON");
  CHECK(bad["problems"][0]["column"].is_number());

  bad = record(R"({"knees": "three", "kness": 1})");
  CHECK(bad["error"] == "invalid answers");
  CHECK(bad["problems"][0]["pointer"] == "/knees");
  CHECK(bad["problems"][1]["pointer"] == "/kness");
  CHECK(bad["problems"][1]["hint"] == "did you mean 'knees'?");
  // The invalid answer is not reported missing as well.
  for (std::size_t i = 2; i < bad["problems"].size(); ++i)
    CHECK(bad["problems"][i]["pointer"] != "/knees");

  bad = record(R"({"knees": "one"})");
  CHECK(bad["error"] == "missing answers");
  CHECK(bad["problems"][0]["pointer"] == "/side");  // asked because knees is one
  CHECK(bad["problems"].size() == 15);              // every other question that applies

  bad = record(R"([1, 2])");
  CHECK(bad["error"] == "invalid answers");
  CHECK(bad["problems"].size() == 1);  // not an object: no list of missing answers

  std::string out;
  batch.too_long(10'000'000, {"answers.jsonl", 3}, out);
  bad = json::parse(out);
  CHECK(bad["error"] == "line too long");
  CHECK(bad["line"] == 3);
}

TEST_CASE("no input makes processing throw") {
  const RuleSet& rules = knee_rules();
  std::string deep(100'000, '[');
  const std::vector<std::string> nasty{
      deep,
      std::string(1000, '{'),
      "{\"knees\":\"both\"\0}"s,
      "\xff\xfe\xfd",
      "{\"a\":1e999999}",
      "{\"pain\":-0}",
      std::string("{\"knees\":\"") + std::string(500'000, 'x') + "\"}",
  };
  for (const std::string& line : nasty) {
    std::string out;
    CHECK_NOTHROW(process_batch_line(rules, BatchFormat::json, line, {"-", 1}, out));
    CHECK_NOTHROW(json::parse(out));
    CHECK(out.size() < 8192);  // what is wrong, not the whole line again
  }
}

TEST_CASE("blank lines are empty or JSON whitespace only") {
  CHECK(BatchProcessor::is_blank(""));
  CHECK(BatchProcessor::is_blank(" \t\r"));
  CHECK_FALSE(BatchProcessor::is_blank(" x "));
  CHECK_FALSE(BatchProcessor::is_blank("\f"));
}

namespace {

// The writer's document, and what nlohmann/json writes for the same document, in both forms;
// and the document batch writes from the rules' pieces serialised once (`cache`), byte for byte.
void check_writer_matches_dump(const Assessment& assessment, const AssessmentJsonCache& cache) {
  std::string line;
  append_assessment_json(line, assessment);
  const nlohmann::ordered_json document = nlohmann::ordered_json::parse(line);
  REQUIRE(line == document.dump(-1, ' ', false, json::error_handler_t::replace));
  std::string indented;
  append_assessment_json(indented, assessment, 2);
  REQUIRE(indented == document.dump(2, ' ', false, json::error_handler_t::replace));
  std::string from_cache = "previous record\n";
  append_assessment_json(from_cache, assessment, cache);
  REQUIRE(from_cache == "previous record\n" + line);
  // An indented writer cannot use compact pieces: it writes them afresh.
  std::string indented_with_cache;
  JsonWriter writer(indented_with_cache, 2);
  write_json(writer, assessment, &cache);
  REQUIRE(indented_with_cache == indented);
}

}  // namespace

TEST_CASE("the writer gives dump()'s bytes for every odd answer set: numbers, lists, escapes") {
  const RuleSet& rules = odd_rules();
  const AssessmentJsonCache cache(rules);
  Answers answers(rules);
  std::size_t count = 0;
  bool some_fraction = false;
  each_answer_set(rules, answers, [&](const Answers& given) {
    const Assessment assessment = assess(rules, given);
    check_writer_matches_dump(assessment, cache);
    std::string line;
    append_assessment_json(line, assessment);
    some_fraction = some_fraction || line.find("38.50001") != std::string::npos;
    ++count;
  });
  CHECK(count > 100);
  CHECK(some_fraction);
}

TEST_CASE("the writer gives dump()'s bytes for random knee answers") {
  const RuleSet& rules = knee_rules();
  const AssessmentJsonCache cache(rules);
  std::mt19937_64 random(7);
  for (int i = 0; i < 500; ++i) {
    Answers answers(rules);
    for (Index q = 0; q < rules.questions.size(); ++q) {
      std::vector<Value> values = values_for(rules.questions[q]);
      if (random() % 5 != 0) answers.values[q] = values[random() % values.size()];
    }
    check_writer_matches_dump(assess(rules, answers), cache);
  }
}

TEST_CASE("a cache built for other rules is not used: the document is still this one's") {
  const Assessment odd = assess(odd_rules(), Answers(odd_rules()));
  const AssessmentJsonCache knee_cache(knee_rules());
  std::string expected, written;
  append_assessment_json(expected, odd);
  append_assessment_json(written, odd, knee_cache);
  CHECK(written == expected);
}

TEST_CASE("strings are escaped as dump() escapes them, invalid UTF-8 replaced alike") {
  std::vector<std::string> texts{"",
                                 "plain",
                                 "quote \" backslash \\ slash /",
                                 "\b\f\n\r\t\x01\x1f\x7f",
                                 "é ✓ 🏃",
                                 std::string("nul \0 inside", 12),
                                 "\xC3",
                                 "\xC3(",
                                 "\xE2\x82",
                                 "\xE2\x82(x",
                                 "\x80",
                                 "\xFF\xFE",
                                 "a\xF0\x9F\x8F",
                                 "\xED\xA0\x80",
                                 "\xC0\xAF",
                                 "\xF4\x90\x80\x80",
                                 "ok\xC3\xA9\xC3"};
  std::mt19937_64 random(9);
  const std::string alphabet = "a\"\\\n\x01\x7f\xc3\xa9\xe2\x82\xac\xf0\x9f\x8f\x83\x80\xbf\xff";
  for (int i = 0; i < 20'000; ++i) {
    std::string text;
    for (std::size_t n = random() % 12; n > 0; --n) text += alphabet[random() % alphabet.size()];
    texts.push_back(std::move(text));
  }
  for (const std::string& text : texts) {
    std::string hex;
    for (const char c : text) hex += fmt::format("{:02x} ", static_cast<unsigned char>(c));
    INFO("bytes: " << hex);
    std::string out;
    append_json_string(out, text);
    REQUIRE(out == json(text).dump(-1, ' ', false, json::error_handler_t::replace));
    // Through the writer too, as a key and as a value: plain texts take a shorter path there.
    const json object{{text, json::array({text, text})}};
    for (const int indent : {-1, 2}) {
      std::string written;
      JsonWriter writer(written, indent);
      writer.begin_object().key(text).begin_array().string(text).string(text).end_array();
      writer.end_object();
      REQUIRE(written == object.dump(indent, ' ', false, json::error_handler_t::replace));
    }
  }
}

TEST_CASE("numbers are written as dump() writes them") {
  std::mt19937_64 random(11);
  std::vector<double> numbers{0.0,
                              -0.0,
                              1.0,
                              0.1,
                              2.5,
                              1e15,
                              1e16,
                              1e21,
                              1e-5,
                              123456.789,
                              -38.50001,
                              5e-324,
                              1.7976931348623157e308};
  for (int i = 0; i < 20'000; ++i) {
    std::uint64_t bits = random();
    double x = 0;
    std::memcpy(&x, &bits, sizeof x);
    numbers.push_back(x);
    numbers.push_back(
        static_cast<double>(static_cast<std::int64_t>(random() % 2'000'000) - 1'000'000) / 64.0);
  }
  for (const double x : numbers) {
    std::string out;
    append_json_double(out, x);
    REQUIRE(out == json(x).dump());
  }
  std::string out;
  JsonWriter writer(out, 2);
  writer.begin_object().key("a").begin_array().end_array().key("b").begin_object().end_object();
  writer.key("c").begin_array().integer(-3).null().boolean(true).end_array().end_object();
  CHECK(out == "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    -3,\n    null,\n    true\n  ]\n}");
}
