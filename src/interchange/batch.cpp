// One batch line in, one record out (kneetriage/batch.hpp): the fast path for plain lines, the
// core's own readers for everything else, and the error records that say what is wrong.
#include "kneetriage/batch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "interchange/answers_fast_path.hpp"
#include "interchange/assessment_json_cache.hpp"
#include "kneetriage/answer_reader.hpp"
#include "kneetriage/assessment_writer.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/evaluation.hpp"
#include "kneetriage/fhir.hpp"
#include "kneetriage/json_writer.hpp"
#include "kneetriage/questionnaire.hpp"

namespace kneetriage {

namespace {

struct Problem {
  std::string pointer;
  std::string what;
  std::string hint;
  std::optional<std::uint64_t> column;  // for JSON syntax errors
};

}  // namespace

std::optional<BatchFormat> batch_format_from_name(std::string_view name) {
  if (name == "json") return BatchFormat::json;
  if (name == "summary") return BatchFormat::summary;
  return std::nullopt;
}

// ---- the answers of a plain line, read without building a document ----

// A strict reader for the JSON most lines are: one object whose keys and string values are
// printable ASCII without escapes, whose values are true, false, null, whole numbers of up to 15
// digits, strings or arrays of strings. Everything it accepts, nlohmann/json parses to the same
// values; anything else (escapes, non-ASCII, fractions, nesting, bad JSON) makes it give up.
class PlainReader {
 public:
  PlainReader(std::string_view text, AnswersFastPath& fast)
      : at_(text.data()), end_(text.data() + text.size()), fast_(fast) {}

  bool read(Answers& answers) {
    space();
    if (!take('{')) return false;
    space();
    if (take('}')) return finish();
    while (true) {
      std::string_view key;
      if (!string(key)) return false;
      space();
      if (!take(':')) return false;
      space();
      if (!key.empty() && key.front() == '$') {  // ignored, as answers_from_json does
        if (!skip_value()) return false;
      } else {
        const std::optional<Index> question = find(key);
        if (!question) return false;                    // unknown: the core says so
        if (fast_.seen_[*question] != 0) return false;  // twice: the core decides which counts
        fast_.seen_[*question] = 1;
        next_ = *question + 1;
        if (!answer(*question, answers)) return false;
      }
      space();
      if (take('}')) return finish();
      if (!take(',')) return false;
      space();
    }
  }

 private:
  // Tools write answers in question order, so the question after the last one is tried first.
  [[nodiscard]] std::optional<Index> find(std::string_view key) const {
    const auto& questions = fast_.rules_.questions;
    if (next_ < questions.size() && questions[next_].id == key) return next_;
    const auto it = std::lower_bound(fast_.index_.begin(), fast_.index_.end(), key,
                                     [](const std::pair<std::string_view, Index>& entry,
                                        std::string_view id) { return entry.first < id; });
    if (it == fast_.index_.end() || it->first != key) return std::nullopt;
    return it->second;
  }

  bool finish() {
    space();
    return at_ == end_;
  }
  void space() {
    while (at_ != end_ && (*at_ == ' ' || *at_ == '\t' || *at_ == '\r' || *at_ == '\n')) ++at_;
  }
  bool take(char c) {
    if (at_ == end_ || *at_ != c) return false;
    ++at_;
    return true;
  }
  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - at_) < word.size() ||
        std::string_view(at_, word.size()) != word)
      return false;
    at_ += word.size();
    return at_ == end_ || !is_word_char(*at_);
  }
  static bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '+';
  }
  bool string(std::string_view& out) {
    if (!take('"')) return false;
    const char* start = at_;
    while (at_ != end_) {
      const auto c = static_cast<unsigned char>(*at_);
      if (c == '"') {
        out = std::string_view(start, static_cast<std::size_t>(at_ - start));
        ++at_;
        return true;
      }
      if (c < 0x20 || c > 0x7E || c == '\\') return false;
      ++at_;
    }
    return false;
  }
  bool integer(double& out) {
    const char* start = at_;
    const bool negative = take('-');
    const char* digits = at_;
    while (at_ != end_ && *at_ >= '0' && *at_ <= '9') ++at_;
    const auto count = at_ - digits;
    if (count == 0 || count > 15 || (*digits == '0' && count > 1)) return false;
    if (at_ != end_ && is_word_char(*at_)) return false;  // a fraction, an exponent, or not JSON
    std::int64_t value = 0;
    for (const char* d = digits; d != at_; ++d) value = value * 10 + (*d - '0');
    out = static_cast<double>(negative ? -value : value);  // "-0" is 0, as nlohmann reads it
    return at_ - start > 0;
  }
  bool string_list(StringList* out) {
    if (!take('[')) return false;
    space();
    if (take(']')) return true;
    while (true) {
      std::string_view element;
      if (!string(element)) return false;
      if (out != nullptr) out->emplace_back(element);
      space();
      if (take(']')) return true;
      if (!take(',')) return false;
      space();
    }
  }
  bool skip_value() {
    if (at_ == end_) return false;
    std::string_view text;
    double number = 0;
    switch (*at_) {
      case '"':
        return string(text);
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      case '[':
        return string_list(nullptr);
      default:
        return integer(number);
    }
  }
  bool answer(Index question, Answers& answers) {
    if (at_ == end_) return false;
    Value value;
    switch (*at_) {
      case '"': {
        std::string_view text;
        if (!string(text)) return false;
        value.emplace<std::string>(text);
        break;
      }
      case 't':
        if (!literal("true")) return false;
        value = true;
        break;
      case 'f':
        if (!literal("false")) return false;
        value = false;
        break;
      case 'n':
        return literal("null");  // null means "not answered"
      case '[': {
        StringList list;
        if (!string_list(&list)) return false;
        value = std::move(list);
        break;
      }
      default: {
        double number = 0;
        if (!integer(number)) return false;
        value = number;
      }
    }
    if (!check_answer(fast_.rules_.questions[question], value).empty()) return false;
    answers.values[question] = std::move(value);
    return true;
  }

  const char* at_;
  const char* end_;
  AnswersFastPath& fast_;
  Index next_ = 0;
};

AnswersFastPath::AnswersFastPath(const RuleSet& rules)
    : rules_(rules), seen_(rules.questions.size(), 0) {
  for (Index i = 0; i < rules.questions.size(); ++i) index_.emplace_back(rules.questions[i].id, i);
  std::sort(index_.begin(), index_.end());
}

bool AnswersFastPath::read(std::string_view line, Answers& answers) {
  answers.values.assign(rules_.questions.size(), std::nullopt);
  std::fill(seen_.begin(), seen_.end(), 0);
  return PlainReader(line, *this).read(answers);
}

// ---- BatchProcessor ----

// Kept from line to line so a run does not rebuild them per record.
struct BatchProcessor::Scratch {
  explicit Scratch(const RuleSet& rules) : fast(rules), answers(rules) {}

  AnswersFastPath fast;
  Answers answers;
  // The rules' parts of full records, serialised at the first full record (summary runs and
  // runs of bad lines never need them).
  std::optional<AssessmentJsonCache> json_cache;
};

BatchProcessor::BatchProcessor(const RuleSet& rules, BatchFormat format)
    : rules_(rules), format_(format), scratch_(std::make_unique<Scratch>(rules)) {}

BatchProcessor::~BatchProcessor() = default;

bool BatchProcessor::is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

namespace {

// An error record is written per record, so through the writer as every record is (the rule is
// in json_writer.hpp). A file name need not be UTF-8: it is replaced, not refused.
void append_error(std::string& out, std::string_view file, std::uint64_t line,
                  std::string_view error, const std::vector<Problem>& problems) {
  JsonWriter json(out);
  json.begin_object();
  json.key("schema").string("kneetriage/batch-error/1");
  json.key("file").string(file);
  json.key("line").integer(static_cast<std::int64_t>(line));
  json.key("error").string(error);
  json.key("problems").begin_array();
  for (const Problem& problem : problems) {
    json.begin_object();
    json.key("pointer").string(problem.pointer);
    if (problem.column) json.key("column").integer(static_cast<std::int64_t>(*problem.column));
    json.key("what").string(problem.what);
    if (!problem.hint.empty()) json.key("hint").string(problem.hint);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  out += '\n';
}

constexpr const char* k_line_hint =
    R"(each line must be one JSON object of answers, e.g. {"knees": "both", ...})";

}  // namespace

bool BatchProcessor::process(std::string_view line, const LinePlace& place, std::string& out) {
  Scratch& scratch = *scratch_;
  // The fast path takes the lines that are plain, valid and complete: nearly all of a real run.
  // Everything else goes through the core's own reading, which says what is wrong.
  std::optional<Assessment> evaluated;  // the slow path's result, partial or with not_needed
  if (!scratch.fast.read(line, scratch.answers) || !is_exactly_answered(rules_, scratch.answers)) {
    AnswerDocument read = read_answer_document(rules_, line, place.file);
    if (read.parse != AnswerDocument::Parse::ok) {
      const Diagnostic& error = read.diagnostics.front();
      std::optional<std::uint64_t> column;
      if (read.parse == AnswerDocument::Parse::syntax_error)
        column = static_cast<std::uint64_t>(error.column);
      append_error(out, place.file, place.line, "not valid JSON",
                   {{"", error.what, k_line_hint, column}});
      return false;
    }
    // A QuestionnaireResponse's answers go in its items.
    const bool fhir = read.fhir;
    if (read.diagnostics.empty()) {
      // An answer to a question that does not apply is never dropped quietly.
      std::vector<Problem> problems;
      for (Diagnostic& problem : inapplicable_diagnostics(rules_, read, line, place.file))
        problems.push_back(
            {std::move(problem.pointer), std::move(problem.what), std::move(problem.hint), {}});
      if (!problems.empty()) {
        append_error(out, place.file, place.line, "answers to questions that do not apply",
                     problems);
        return false;
      }
    }
    Indices unanswered;
    if (read.diagnostics.empty()) {
      Evaluation evaluation = evaluate(rules_, read.answers);
      if (evaluation.assessment) {
        evaluated = std::move(evaluation.assessment);
      } else {
        unanswered = std::move(evaluation.missing);
      }
    } else {
      unanswered = missing(rules_, read.answers);  // reported beside the invalid answers
    }
    if (!evaluated) {
      std::vector<Problem> problems;
      for (const Diagnostic& diagnostic : read.diagnostics)
        problems.push_back({diagnostic.pointer, diagnostic.what, diagnostic.hint, std::nullopt});
      // Answers missing from something that is not an answers object at all are no news.
      const bool whole_document_wrong =
          std::any_of(read.diagnostics.begin(), read.diagnostics.end(),
                      [](const Diagnostic& diagnostic) { return diagnostic.pointer.empty(); });
      const bool list_missing = !whole_document_wrong && !(fhir && !read.diagnostics.empty());
      for (const Index index : list_missing ? unanswered : Indices{}) {
        const Question& question = rules_.questions[index];
        std::string pointer = fhir ? "/item" : "/" + question.id;  // ids never need ~ escapes
        // A question whose given answer was not valid is already reported as such.
        bool reported = false;
        for (const Problem& problem : problems) reported = reported || problem.pointer == pointer;
        if (reported) continue;
        problems.push_back({std::move(pointer), fmt::format("'{}' is not answered", question.id),
                            "expected " + allowed_values(question), std::nullopt});
      }
      append_error(out, place.file, place.line,
                   read.diagnostics.empty() ? "missing answers" : "invalid answers", problems);
      return false;
    }
  }

  const Assessment assessment = evaluated ? std::move(*evaluated) : assess(rules_, scratch.answers);
  if (format_ == BatchFormat::json) {
    if (!scratch_->json_cache) scratch_->json_cache.emplace(rules_);
    append_assessment_json(out, assessment, *scratch_->json_cache);
  } else {
    JsonWriter json(out);
    json.begin_object();
    json.key("schema").string("kneetriage/batch-summary/1");
    json.key("file").string(place.file);
    json.key("line").integer(static_cast<std::int64_t>(place.line));
    write_summary_members(json, assessment);
    json.end_object();
  }
  out += '\n';
  return true;
}

void BatchProcessor::too_long(std::uint64_t bytes, const LinePlace& place, std::string& out) {
  append_error(
      out, place.file, place.line, "line too long",
      {{"",
        fmt::format("the line is {} bytes; the limit is {} bytes (1 MiB)", bytes, k_max_batch_line),
        "each line holds one answers object, normally well under 1 KiB", std::nullopt}});
}

bool process_batch_line(const RuleSet& rules, BatchFormat format, std::string_view line,
                        const LinePlace& place, std::string& out) {
  BatchProcessor processor(rules, format);
  return processor.process(line, place, out);
}

}  // namespace kneetriage
