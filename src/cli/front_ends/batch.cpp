#include "front_ends/batch.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <utility>

#include "errors.hpp"
#include "front_ends/one_shot.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/assessment_writer.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/evaluation.hpp"
#include "kneetriage/fhir.hpp"
#include "kneetriage/json_writer.hpp"
#include "kneetriage/questionnaire.hpp"
#include "suggest.hpp"
#include "terminal/io.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

namespace {

using ordered = nlohmann::ordered_json;

// Reads this much at a time, and writes stdout in blocks of about this size.
constexpr std::size_t k_read_chunk = std::size_t{256} << 10U;
constexpr std::size_t k_write_block = std::size_t{256} << 10U;
// Room for a block and the record that fills it (a full record is about 16 KiB).
constexpr std::size_t k_write_reserve = k_write_block + (std::size_t{64} << 10U);

std::string dump(const ordered& document) {
  // Strings in records come from parsed JSON or the rules, so they are valid UTF-8; a file name
  // need not be, and is replaced rather than aborting the run.
  return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

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

namespace detail {

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

}  // namespace detail

// ---- BatchProcessor ----

// Kept from line to line so a run does not rebuild them per record.
struct BatchProcessor::Scratch {
  explicit Scratch(const RuleSet& rules) : fast(rules), answers(rules) {}

  detail::AnswersFastPath fast;
  Answers answers;
  std::string file;       // the file the prefix was made for
  std::string file_json;  // "file":"<name>", as JSON text
  bool has_file = false;
  // The rules' parts of full records, serialised at the first full record (summary runs and
  // runs of bad lines never need them).
  std::optional<AssessmentJsonCache> json_cache;

  // `"file":…,` for records of `place`, made once per file.
  const std::string& file_member(std::string_view name) {
    if (!has_file || name != file) {
      file.assign(name);
      file_json = "\"file\":";
      append_json_string(file_json, file);  // a name need not be UTF-8: replaced, not refused
      file_json += ',';
      has_file = true;
    }
    return file_json;
  }
};

BatchProcessor::BatchProcessor(const RuleSet& rules, BatchFormat format)
    : rules_(rules), format_(format), scratch_(std::make_unique<Scratch>(rules)) {}

BatchProcessor::~BatchProcessor() = default;

bool BatchProcessor::is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

namespace {

void append_error(std::string& out, const std::string& file_member, std::uint64_t line,
                  std::string_view error, const std::vector<Problem>& problems) {
  ordered record;
  record["line"] = line;
  record["error"] = error;
  ordered list = ordered::array();
  for (const Problem& problem : problems) {
    ordered entry;
    entry["pointer"] = problem.pointer;
    if (problem.column) entry["column"] = *problem.column;
    entry["what"] = problem.what;
    if (!problem.hint.empty()) entry["hint"] = problem.hint;
    list.push_back(std::move(entry));
  }
  record["problems"] = std::move(list);
  out += R"({"schema":"kneetriage/batch-error/1",)";
  out += file_member;
  out.append(dump(record), 1);  // without its '{'
  out += '\n';
}

constexpr const char* k_line_hint =
    R"(each line must be one JSON object of answers, e.g. {"knees": "both", ...})";

// nlohmann's message repeats where the error is ("[json.exception.parse_error.101] parse error at
// line 1, column 5: "); the record has its own fields for that, so keep only the reason.
std::string parse_error_reason(std::string_view message) {
  if (const auto colon = message.find(": "); colon != std::string_view::npos)
    return std::string(message.substr(colon + 2));
  if (const auto bracket = message.find("] "); bracket != std::string_view::npos)
    return std::string(message.substr(bracket + 2));  // "[json.exception.out_of_range.406] …"
  return std::string(message);
}

}  // namespace

bool BatchProcessor::process(std::string_view line, const LinePlace& place, std::string& out) {
  Scratch& scratch = *scratch_;
  // The fast path takes the lines that are plain, valid and complete: nearly all of a real run.
  // Everything else goes through the core's own reading, which says what is wrong.
  AnswersResult read;
  std::optional<Assessment> evaluated;  // the slow path's result, partial or with not_needed
  if (!scratch.fast.read(line, scratch.answers) || !is_exactly_answered(rules_, scratch.answers)) {
    const std::string& file_member = scratch.file_member(place.file);
    nlohmann::json document;
    try {
      document = nlohmann::json::parse(line.begin(), line.end());
    } catch (const nlohmann::json::parse_error& error) {
      append_error(out, file_member, place.line, "not valid JSON",
                   {{"", parse_error_reason(error.what()), k_line_hint, error.byte}});
      return false;
    } catch (const nlohmann::json::exception& error) {  // e.g. a number too large for a double
      append_error(out, file_member, place.line, "not valid JSON",
                   {{"", parse_error_reason(error.what()), k_line_hint, std::nullopt}});
      return false;
    }
    read = answers_from_document(rules_, document, place.file);  // or a FHIR response
    // A QuestionnaireResponse's answers go in its items.
    const bool fhir = is_fhir_resource(document);
    if (read.diagnostics.empty()) {
      // An answer to a question that does not apply is never dropped quietly.
      std::vector<Problem> problems;
      for (const InapplicableAnswer& problem :
           inapplicable_answers(rules_, read.answers, AnswerSpelling::json)) {
        problems.push_back({fhir ? "/item" : "/" + rules_.questions[problem.question].id,
                            problem.what, problem.hint, std::nullopt});
      }
      if (!problems.empty()) {
        append_error(out, file_member, place.line, "answers to questions that do not apply",
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
      append_error(out, file_member, place.line,
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
      out, scratch_->file_member(place.file), place.line, "line too long",
      {{"",
        fmt::format("the line is {} bytes; the limit is {} bytes (1 MiB)", bytes, k_max_batch_line),
        "each line holds one answers object, normally well under 1 KiB", std::nullopt}});
}

bool process_batch_line(const RuleSet& rules, BatchFormat format, std::string_view line,
                        const LinePlace& place, std::string& out) {
  BatchProcessor processor(rules, format);
  return processor.process(line, place, out);
}

namespace {

// Splits what a file descriptor delivers into lines, reading in large chunks into one buffer
// allocated once. A line longer than the limit is counted and dropped as it streams past.
class LineStream {
 public:
  enum class Status { line, too_long, need_input, end };
  struct Line {
    Status status = Status::end;
    std::string_view text;     // Status::line
    std::uint64_t number = 0;  // Status::line and too_long
    std::uint64_t bytes = 0;   // Status::too_long: the line's length
  };

  LineStream(int fd, std::size_t max_line)
      : fd_(fd),
        max_line_(max_line),
        capacity_(max_line + 1 + k_read_chunk),
        // NOLINTNEXTLINE(modernize-avoid-c-arrays): uninitialised, so untouched pages cost nothing
        buffer_(std::make_unique_for_overwrite<char[]>(capacity_)) {}

  // The next line from what has been read, or need_input: call fill(), then next() again.
  Line next() {
    if (discarding_) {
      const char* newline = find_newline(begin_);
      if (newline == nullptr) {
        discarded_ += end_ - begin_;
        begin_ = end_ = 0;
        if (!eof_) return {Status::need_input, {}, 0, 0};
        discarding_ = false;
        return {Status::too_long, {}, number_, discarded_};
      }
      const auto length = static_cast<std::size_t>(newline - (data() + begin_));
      begin_ = scan_ = begin_ + length + 1;
      discarding_ = false;
      return {Status::too_long, {}, number_, discarded_ + length};
    }
    const char* newline = find_newline(scan_);
    if (newline != nullptr) {
      const std::string_view text(data() + begin_,
                                  static_cast<std::size_t>(newline - (data() + begin_)));
      begin_ = scan_ = static_cast<std::size_t>(newline - data()) + 1;
      ++number_;
      if (text.size() > max_line_) return {Status::too_long, {}, number_, text.size()};
      return {Status::line, text, number_, 0};
    }
    const std::size_t pending = end_ - begin_;
    if (pending > max_line_) {  // over the limit before its end: drop it as it streams past
      ++number_;
      discarding_ = true;
      discarded_ = pending;
      begin_ = end_ = scan_ = 0;
      return next();
    }
    scan_ = end_;
    if (!eof_) return {Status::need_input, {}, 0, 0};
    if (pending == 0) return {Status::end, {}, 0, 0};
    // The last line has no newline: it is a line all the same.
    const std::string_view text(data() + begin_, pending);
    begin_ = scan_ = end_;
    ++number_;
    return {Status::line, text, number_, 0};
  }

  // Reads once. Returns 0, or errno when the read failed.
  int fill() {
    if (begin_ > 0 && capacity_ - end_ < k_read_chunk) {
      std::memmove(data(), data() + begin_, end_ - begin_);
      end_ -= begin_;
      scan_ -= begin_;
      begin_ = 0;
    }
    while (true) {
      const ssize_t n = ::read(fd_, data() + end_, std::min(k_read_chunk, capacity_ - end_));
      if (n > 0) {
        end_ += static_cast<std::size_t>(n);
        return 0;
      }
      if (n == 0) {
        eof_ = true;
        return 0;
      }
      if (errno != EINTR) return errno;
    }
  }

 private:
  [[nodiscard]] char* data() const { return buffer_.get(); }
  [[nodiscard]] const char* find_newline(std::size_t from) const {
    return static_cast<const char*>(std::memchr(data() + from, '\n', end_ - from));
  }

  int fd_;
  std::size_t max_line_;
  std::size_t capacity_;
  std::unique_ptr<char[]> buffer_;  // NOLINT(modernize-avoid-c-arrays): see the constructor
  std::size_t begin_ = 0;           // start of the first unreturned byte
  std::size_t scan_ = 0;            // where to resume looking for a newline
  std::size_t end_ = 0;             // end of the bytes read
  bool eof_ = false;
  bool discarding_ = false;
  std::uint64_t discarded_ = 0;
  std::uint64_t number_ = 0;
};

// "12,345 lines, 98,765 lines/s", redrawn in place on a terminal at most five times a second.
class Progress {
 public:
  explicit Progress(bool enabled) : line_(enabled, std::chrono::milliseconds(200)) {}

  void update(const BatchTotals& totals) {
    if ((totals.records & 1023U) != 0 || !line_.due()) return;
    line_.draw(text(totals));
  }

  void finish(const BatchTotals& totals) { line_.draw(text(totals), "\n"); }

 private:
  [[nodiscard]] std::string text(const BatchTotals& totals) const {
    const double seconds = line_.seconds();
    const auto rate =
        seconds > 0 ? static_cast<std::uint64_t>(static_cast<double>(totals.records) / seconds) : 0;
    std::string text = fmt::format("{} lines, {} lines/s", totals.records, rate);
    if (totals.bad > 0) text += fmt::format(", {} bad", totals.bad);
    return text;
  }

  StatusLine line_;
};

// Standard output in large blocks.
class Output {
 public:
  Output() { buffer_.reserve(k_write_reserve); }
  std::string& buffer() { return buffer_; }
  void flush_if_full() {
    if (buffer_.size() >= k_write_block) flush();
  }
  void flush() {
    if (buffer_.empty()) return;
    write_stdout(buffer_);
    buffer_.clear();
    // One huge error record must not keep its memory for the rest of the run.
    if (buffer_.capacity() > 4 * k_write_block) {
      buffer_.shrink_to_fit();
      buffer_.reserve(k_write_reserve);
    }
  }

 private:
  std::string buffer_;
};

struct Input {
  int fd = -1;
  bool owned = false;
  std::string name;  // as reported in records and messages
};

std::optional<Input> open_input(const std::string& path) {
  if (path == "-") return Input{STDIN_FILENO, false, display_name(path)};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const auto fail = [&](int error) {
    report(fmt::format("cannot read {}: {}", sanitize(path), std::strerror(error)));
    return std::nullopt;
  };
  if (fd < 0) return fail(errno);
  struct stat status {};
  if (::fstat(fd, &status) == 0 && S_ISDIR(status.st_mode)) {
    ::close(fd);
    return fail(EISDIR);
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return Input{fd, true, path};
}

}  // namespace

BatchTotals run_batch(const RuleSet& rules, const BatchOptions& options) {
  BatchProcessor processor(rules, options.format);
  BatchTotals totals;
  Progress progress(options.progress);
  Output output;
  std::string first_bad;  // "file:line" of the first bad record, for the closing message
  const auto count_bad = [&](const std::string& file, std::uint64_t line) {
    if (totals.bad++ == 0) first_bad = fmt::format("{}:{}", sanitize(file), line);
  };

  const std::vector<std::string> stdin_only{"-"};
  for (const std::string& path : options.files.empty() ? stdin_only : options.files) {
    std::optional<Input> input = open_input(path);
    if (!input) {
      ++totals.unreadable_files;
      continue;
    }
    LineStream lines(input->fd, k_max_batch_line);
    bool reading = true;
    while (reading) {
      const LineStream::Line line = lines.next();
      switch (line.status) {
        case LineStream::Status::line:
          if (BatchProcessor::is_blank(line.text)) break;
          ++totals.records;
          if (!processor.process(line.text, {input->name, line.number}, output.buffer()))
            count_bad(input->name, line.number);
          output.flush_if_full();
          progress.update(totals);
          break;
        case LineStream::Status::too_long:
          ++totals.records;
          count_bad(input->name, line.number);
          processor.too_long(line.bytes, {input->name, line.number}, output.buffer());
          break;
        case LineStream::Status::need_input:
          // Whatever is done goes out before a read that may wait, so a slow or interactive
          // producer sees each result as soon as it is ready.
          output.flush();
          if (const int error = lines.fill(); error != 0) {
            report(fmt::format("cannot read {}: {}", sanitize(input->name), std::strerror(error)));
            ++totals.unreadable_files;
            reading = false;
          }
          break;
        case LineStream::Status::end:
          reading = false;
          break;
      }
    }
    if (input->owned) ::close(input->fd);
  }
  output.flush();
  progress.finish(totals);
  if (totals.bad > 0) {
    report(
        fmt::format("{} of {} records {} bad (the first at {}); their error records are in "
                    "the output",
                    totals.bad, totals.records, totals.bad == 1 ? "was" : "were", first_bad));
  }
  return totals;
}

int batch_exit_status(const BatchTotals& totals) {
  if (totals.unreadable_files > 0) return to_int(ExitStatus::no_input);
  if (totals.bad > 0) return to_int(ExitStatus::data);
  return to_int(ExitStatus::ok);
}

Command register_batch(CLI::App& app, Context& context) {
  struct Settings {
    std::vector<std::string> files;
  };
  auto settings = std::make_shared<Settings>();
  CLI::App* command = app.add_subcommand(
      "batch",
      "Assess many answer sets: read JSON Lines (one answers object per line) from each FILE or "
      "standard input, write one JSON line per non-blank input line, in order. A bad line gets "
      "an error record in its place; exit status 65 if any line was bad, 66 if a file could not "
      "be read. Lines over 1 MiB are bad; blank lines are skipped.");
  command
      ->add_option("FILE", settings->files, "Files of JSON Lines; - or none reads standard input")
      ->type_name("FILE");
  add_format_option(*command, context, {"json", "summary"},
                    "json: the full assessment per line (the default); summary: urgency, cause "
                    "ids and fired rule ids, with the file and line");
  command->footer(
      "Examples:\n"
      "  kneetriage batch survey.jsonl > results.jsonl\n"
      "  kneetriage batch --format summary survey.jsonl | jq -r .urgency | sort | uniq -c\n"
      "  jq -c . responses/*.json | kneetriage batch\n"
      "  kneetriage batch survey.jsonl | jq -c 'select(has(\"error\"))'");
  return {command, [settings, &context] {
            BatchOptions options;
            options.files = settings->files;
            options.format =
                batch_format_from_name(context.format_name).value_or(BatchFormat::json);
            // On a terminal the records show progress themselves, and the two would interleave.
            options.progress = is_terminal(STDERR_FILENO) && !is_terminal(STDOUT_FILENO);
            return batch_exit_status(run_batch(context.rules(), options));
          }};
}

}  // namespace kneetriage::cli
