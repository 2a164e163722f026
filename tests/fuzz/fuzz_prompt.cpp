// Fuzz target: the interactive questionnaire driven by what a person types. prompt.hpp exposes no
// function for one typed line, so each input is a whole session: its first byte chooses the
// terminal width and colour, the rest is what is typed (lines, `?`, `b`, `q`, numbers, words,
// control characters, invalid UTF-8), read through the prompt's own LineReader from a memfd.
// Each session runs against the built-in rules and against rules whose every text carries escape
// sequences, carriage returns and bidi overrides. Checked: no crash, no exception but the
// documented Interrupted, a result that is partial only after q, and not one byte written (prompt
// and result) that could drive the terminal: no control character but '\n', no invalid UTF-8, no
// escape sequence other than the program's own SGR colours when colour is on.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "errors.hpp"
#include "front_ends/prompt.hpp"
#include "fuzz_support.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/questionnaire.hpp"
#include "kneetriage/rules.hpp"
#include "terminal/render.hpp"
#include "terminal/terminal.hpp"

namespace {

using fuzz_support::check;

// Every text a rules file can put on the screen, spiked.
constexpr std::string_view k_hostile = R"({
  "format": "kneetriage-rules/1", "id": "hostile", "version": "1\u001b[31m",
  "title": "T\u001b]0;owned\u0007itle\r",
  "disclaimer": "d\u001b[2J\u001b[H\r\u0008\u007f\u009b31m\u202eevil",
  "sources": [{"id": "s", "title": "s\u001b[5m"}],
  "citations": [{"id": "C1", "source": "s", "point": "p\r\n", "quote": "q\u001bc"}],
  "urgencies": [{"id": "urgent", "title": "Urg\u001b[8ment", "action": "a\rb",
                 "withhold": ["running"]},
                {"id": "self-care", "title": "Self\u0000care", "action": "a\u001b[1A"}],
  "questions": [
    {"id": "places", "text": "Where\u001b[2K?", "help": "h\u001b[6n", "type": "multi",
     "choices": [{"value": "front", "label": "Fr\u001b[31mont"},
                 {"value": "outer", "label": "Outer\r\u2066"}]},
    {"id": "pain", "text": "Pain\r?", "help": "h\t\u0007", "type": "number", "min": 0,
     "max": 10, "red_flag": {"fact": "pain", "operator": "greaterThan", "value": 8},
     "red_flag_message": "Stop\u001b[?1049h\u001b]52;c;AAAA\u0007",
     "ask_if": {"fact": "places", "operator": "contains", "value": "front"}},
    {"id": "hot", "text": "\u001bP1$r\u001b\\Hot?", "help": "\u001b[0m", "type": "boolean"},
    {"id": "side", "text": "Side\u0085?", "help": "h", "type": "choice",
     "choices": [{"value": "left", "label": "L\u00e9ft \u001b(0"}, {"value": "right", "label": "\u0008Right"}]}
  ],
  "causes": [{"id": "c", "title": "t\u001b[0m", "explanation": "e\r", "source": ["C1"]}],
  "advice": [{"id": "a", "text": "t\u001b[3J", "source": ["C1"]}],
  "exercises": [{"id": "run", "name": "R\u001b[1mun", "kind": "running", "how": "h\r",
                 "dose": "d\u0007", "frequency": "f\u001b", "cues": ["c\u001b[7m"], "start": "s",
                 "source": ["C1"]},
                {"id": "sq", "name": "Squat", "kind": "strength", "how": "h", "dose": "3\u00d715",
                 "frequency": "daily", "cues": ["\u001b[31m"], "start": "now", "source": ["C1"]}],
  "plan": [{"id": "walk", "kind": "running", "text": "w\u001b[31m", "source": ["C1"]}],
  "rules": [
    {"id": "r1", "title": "R\u001b[1m1", "when": {"fact": "pain", "operator": "greaterThan", "value": 7},
     "then": {"urgency": "urgent", "causes": ["c"], "exercises": ["run", "sq"], "plan": ["walk"]},
     "source": ["C1"]},
    {"id": "r2", "when": {"any": [{"fact": "hot", "operator": "notEqual", "value": true},
                                  {"fact": "side", "operator": "in", "value": ["left"]}]},
     "then": {"advice": ["a"], "exercises": ["sq"], "causes": ["c"]}, "source": ["C1"]}
  ]
})";

kneetriage::RuleSet load(std::string_view text) {
  auto loaded = kneetriage::load_rules(text, "fuzz");
  check(loaded.rules.has_value());
  return std::move(*loaded.rules);
}

bool is_bidi_control(char32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
         c == 0x200F || c == 0x061C;
}

// Aborts unless `text` is safe to send to a terminal. With `sgr`, ESC [ digits/';' m is allowed.
void check_terminal_safe(std::string_view text, bool sgr) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead == 0x1B && sgr) {
      std::size_t end = i + 1;
      check(end < text.size() && text[end] == '[');
      ++end;
      while (end < text.size() && ((text[end] >= '0' && text[end] <= '9') || text[end] == ';'))
        ++end;
      check(end < text.size() && text[end] == 'm');
      i = end + 1;
      continue;
    }
    std::size_t length = 1;
    char32_t c = lead;
    if (lead >= 0x80) {
      length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
      check(lead >= 0xC2 && lead <= 0xF4 && i + length <= text.size());
      c = lead & (0x7FU >> length);
      for (std::size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[i + k]);
        check((next & 0xC0U) == 0x80U);
        c = (c << 6U) | (next & 0x3FU);
      }
      check(!(length == 3 && c < 0x800) && !(length == 4 && (c < 0x10000 || c > 0x10FFFF)));
      check(!(c >= 0xD800 && c <= 0xDFFF));
    }
    check(c == '\n' || (c >= 0x20 && c != 0x7F));
    check(!(c >= 0x80 && c <= 0x9F) && !is_bidi_control(c));
    i += length;
  }
}

void session(const kneetriage::RuleSet& rules, std::string_view typed,
             const kneetriage::cli::TextOptions& options) {
  using namespace kneetriage;
  const int fd = memfd_create("typed", 0);
  check(fd >= 0);
  check(write(fd, typed.data(), typed.size()) == static_cast<ssize_t>(typed.size()));
  check(lseek(fd, 0, SEEK_SET) == 0);
  char* buffer = nullptr;
  std::size_t length = 0;
  std::FILE* out = open_memstream(&buffer, &length);
  check(out != nullptr);
  std::string result;
  try {
    cli::LineReader reader(fd);
    const Assessment assessment = cli::ask_questions(rules, reader, out, options);
    // The session knows which questions were not needed without walking again: a walk agrees.
    Assessment walked = assess(rules, assessment.answers);
    mark_missing(rules, assessment.answers, walked);
    check(walked.unanswered == assessment.unanswered && walked.not_needed == assessment.not_needed);
    // Questions are left unanswered only when q was pressed after a warning sign.
    if (!assessment.unanswered.empty()) {
      bool warned = false;
      for (Index i = 0; i < rules.questions.size(); ++i)
        warned = warned ||
                 (assessment.answers.values[i] && raises_red_flag(rules, assessment.answers, i));
      check(warned);
    }
    result = cli::render_text(assessment, options);
  } catch (const cli::Interrupted&) {
    // End of input or `q`: the documented way out.
  }
  std::fclose(out);
  close(fd);
  check_terminal_safe(std::string_view(buffer, length), options.style.color);
  check_terminal_safe(result, options.style.color);
  std::free(buffer);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto builtin = load(kneetriage::builtin_rules_text());
  static const auto hostile = load(k_hostile);
  if (size == 0 || size > 16384) return 0;
  kneetriage::cli::TextOptions options;
  options.width = 10 + data[0] % 120;
  options.style.color = (data[0] & 0x80U) != 0;
  options.explain = (data[0] & 0x40U) != 0;
  const std::string_view typed(reinterpret_cast<const char*>(data + 1), size - 1);
  check_terminal_safe(kneetriage::cli::sanitize(typed), false);
  check_terminal_safe(kneetriage::cli::sanitize(typed, kneetriage::cli::Newlines::keep), false);
  session(builtin, typed, options);
  session(hostile, typed, options);
  return 0;
}
