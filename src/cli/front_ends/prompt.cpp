#include "front_ends/prompt.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <optional>

#include "errors.hpp"
#include "kneetriage/answer_space.hpp"
#include "kneetriage/engine.hpp"
#include "kneetriage/questionnaire.hpp"
#include "kneetriage/session.hpp"
#include "terminal/describe.hpp"
#include "terminal/layout.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

namespace {

// The one piece of global state: a signal handler can only talk to the program through it.
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_interrupt(int /*signal*/) {
  g_interrupted = 1;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string_view> split_any(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find_first_of(separators, start);
    const std::string_view part = trim(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (!part.empty()) parts.push_back(part);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

// "2 On the outer side; 3 On the inner side": choices as the person saw them listed (labels may
// hold commas, so semicolons part them).
std::string numbered_labels(const Question& question, const std::vector<std::size_t>& choices) {
  std::vector<std::string> shown;
  for (const std::size_t i : choices) {
    const Choice& choice = question.choices[i];
    shown.push_back(
        fmt::format("{} {}", i + 1, choice.label.empty() ? choice.value : choice.label));
  }
  return sanitize(join(shown, "; "));
}

// Turns "2" into the second choice's value, leaving words alone; nullopt (with `error`) for a
// number that is no choice, or for first letters that fit several choices (named as listed, not
// by the ids behind them, which the person never saw).
std::optional<std::string> choice_number(const Question& question, std::string_view token,
                                         std::string& error) {
  if (!all_digits(token)) {
    if (const auto matches = matching_choices(question, token); matches.size() > 1) {
      error = fmt::format("'{}' could be: {}. Type more letters or the number", sanitize(token),
                          numbered_labels(question, matches));
      return std::nullopt;
    }
    return std::string(token);
  }
  const std::size_t count = question.choices.size();
  std::size_t number = 0;
  if (token.size() <= 4) number = std::stoul(std::string(token));
  if (number >= 1 && number <= count) return question.choices[number - 1].value;
  error = fmt::format(
      "there is no answer {}: type a number from 1 to {}, or the first letters "
      "of an answer",
      sanitize(token), count);
  return std::nullopt;
}

ParsedAnswer interpret(const Question& question, std::string_view text) {
  std::string error;
  switch (question.type) {
    case QuestionType::choice: {
      const auto value = choice_number(question, text, error);
      if (!value) return {std::nullopt, error};
      return parse_answer(question, *value);
    }
    case QuestionType::multi: {
      // "1,3", "1 3", "front, outer", "fr, 2".
      std::vector<std::string> values;
      for (std::string_view part : split_any(text, ",")) {
        const auto numbers = split_any(part, " ");
        const bool only_numbers = std::all_of(numbers.begin(), numbers.end(), all_digits);
        const std::vector<std::string_view> tokens =
            only_numbers ? numbers : std::vector<std::string_view>{part};
        for (std::string_view token : tokens) {
          const auto value = choice_number(question, token, error);
          if (!value) return {std::nullopt, error};
          values.push_back(*value);
        }
      }
      std::string joined;
      for (const std::string& value : values) joined += (joined.empty() ? "" : ",") + value;
      return parse_answer(question, joined);
    }
    case QuestionType::boolean:
      // Numbered as the prompt shows them: 1 yes, 2 no.
      if (text == "1") return parse_answer(question, "yes");
      if (text == "2") return parse_answer(question, "no");
      if (all_digits(text))
        return {std::nullopt,
                fmt::format("there is no answer {}: type 1 for yes or 2 for no", sanitize(text))};
      break;
    case QuestionType::number:
      break;
  }
  return parse_answer(question, text);
}

// "not sure", "maybe", "dunno", "idk", "??": the person cannot tell, and needs to hear how to
// answer rather than that the word is not an answer.
bool is_unsure(std::string_view text) {
  std::string word;
  for (const char c : text) {
    if (c >= 'A' && c <= 'Z')
      word += static_cast<char>(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || c == '?')
      word += c;
  }
  if (!word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return c == '?'; }))
    return true;
  while (!word.empty() && word.back() == '?') word.pop_back();
  static constexpr std::array<std::string_view, 16> k_unsure{
      "notsure",    "unsure",  "maybe",    "dunno",   "idk",     "idontknow", "dontknow", "noidea",
      "notcertain", "perhaps", "possibly", "unclear", "cantsay", "canttell",  "sortof",   "kindof"};
  return std::find(k_unsure.begin(), k_unsure.end(), word) != k_unsure.end();
}

enum class TypedCommand { none, help, back, quit };

// `?`, `b` and `q` are always commands; the words `help`, `back` and `quit` only when they do
// not answer the question (at "Where on the knee?", `back` is an answer).
TypedCommand command_of(const Question& question, std::string_view text) {
  if (text == "?") return TypedCommand::help;
  if (text == "b" || text == "B") return TypedCommand::back;
  if (text == "q" || text == "Q") return TypedCommand::quit;
  if (text.size() != 4) return TypedCommand::none;
  std::string word(text);
  for (char& c : word) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  TypedCommand command = TypedCommand::none;
  if (word == "help") command = TypedCommand::help;
  if (word == "back") command = TypedCommand::back;
  if (word == "quit") command = TypedCommand::quit;
  if (command == TypedCommand::none || interpret(question, text).value) return TypedCommand::none;
  return command;
}

class Questionnaire {
 public:
  Questionnaire(const RuleSet& rules, LineReader& input, std::FILE* out, const TextOptions& options)
      : rules_(rules),
        input_(input),
        out_(out),
        options_(options),
        style_(options.style),
        session_(rules) {}

  Assessment run() {
    intro();
    while (const auto next = session_.next()) {
      if (auto result = ask(*next)) return std::move(*result);
    }
    say("\n");
    return session_.finish();
  }

 private:
  void say(std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), out_);
    std::fflush(out_);
  }

  // The width is read before each thing printed, so that a resized window is followed.
  [[nodiscard]] std::size_t width() const {
    const int fd = ::fileno(out_);
    return is_terminal(fd) ? text_width(fd) : options_.width;
  }

  void say_wrapped(std::string_view text, std::string_view first = "  ",
                   std::string_view rest = "  ") {
    say(wrap(text, width(), first, rest));
  }

  // Two lines, each under 80 columns: what this is not, and how to answer.
  void intro() {
    say_wrapped("This is not medical advice. In an emergency call 999 (UK) or 112.", "", "");
    say_wrapped("Answer with a number or a word. ? or help: why we ask. b or back. q or quit.", "",
                "");
  }

  [[nodiscard]] std::string hint(const Question& question, Index index) const {
    std::string hint;
    switch (question.type) {
      case QuestionType::choice:
        hint = fmt::format("1-{}", question.choices.size());
        break;
      case QuestionType::multi:
        hint = fmt::format("one or more of 1-{}, separated by commas", question.choices.size());
        break;
      case QuestionType::boolean:
        hint = "1 yes, 2 no";
        break;
      case QuestionType::number:
        hint = sanitize(flag_values(question));
        break;
    }
    if (const auto& earlier = session_.remembered(index))
      hint += ", Enter keeps " + sanitize(answer_label(question, *earlier));
    return hint;
  }

  void show(const Question& question) {
    const std::size_t position = session_.history().size() + 1;
    const std::size_t total = session_.estimated_total();
    say(fmt::format("\n{}\n", style_.dim(fmt::format("Question {} of about {}", position, total))));
    const auto index = static_cast<Index>(&question - rules_.questions.data());
    say(style_.bold(wrap(sanitize(question_text(rules_, session_.answers(), index)), width())));
    if (question.type == QuestionType::choice || question.type == QuestionType::multi) {
      const std::size_t digits = std::to_string(question.choices.size()).size();
      for (std::size_t c = 0; c < question.choices.size(); ++c) {
        const Choice& choice = question.choices[c];
        const std::string number = fmt::format("  {:>{}}  ", c + 1, digits);
        say_wrapped(sanitize(choice.label.empty() ? choice.value : choice.label), number,
                    std::string(number.size(), ' '));
      }
    }
  }

  // Reads until the question is answered (returns nullopt) or the questionnaire ends.
  std::optional<Assessment> ask(Index index) {
    const Question& question = rules_.questions[index];
    show(question);
    while (true) {
      say(fmt::format("[{}] > ", hint(question, index)));
      std::string line;
      bool too_long = false;
      switch (input_.read_line(line, too_long)) {
        case LineReader::Status::interrupted:
          say("\n");
          throw Interrupted("interrupted; nothing was saved");
        case LineReader::Status::end_of_input:
          say("\n");
          throw Interrupted("end of input; nothing was saved");
        case LineReader::Status::line:
          break;
      }
      if (too_long) {
        say("  That is too long to be an answer.\n");
        continue;
      }
      const std::string_view text = trim(line);
      const TypedCommand command = command_of(question, text);
      if (command == TypedCommand::help) {
        say_wrapped(question.help.empty() ? std::string("There is nothing more to say about this "
                                                        "question.")
                                          : sanitize(question.help),
                    "  Why we ask: ", "  ");
        if (const std::string safe = when_unsure(index); !safe.empty()) say_wrapped(safe);
        continue;
      }
      if (command == TypedCommand::quit) return quit();
      if (command == TypedCommand::back) {
        if (session_.back()) return std::nullopt;
        say("  This is the first question: there is nothing to go back to.\n");
        continue;
      }
      if (text.empty()) {
        if (const auto& earlier = session_.remembered(index)) {
          accept(index, *earlier);
          return std::nullopt;
        }
        say("  Please type an answer (or ? to see why we ask).\n");
        continue;
      }
      ParsedAnswer parsed = interpret(question, text);
      if (!parsed.value && is_unsure(text)) {
        unsure(question, index);
        continue;
      }
      if (!parsed.value) {
        say_wrapped(capitalize(sanitize(parsed.error)) + ".");
        continue;
      }
      accept(index, *parsed.value);
      return std::nullopt;
    }
  }

  // How to answer when unsure, and at a warning sign which answer is the safe one.
  void unsure(const Question& question, Index index) {
    const std::string how = question.type == QuestionType::boolean
                                ? std::string("type 1 for yes or 2 for no")
                            : question.type == QuestionType::number
                                ? "type " + sanitize(allowed_values(question))
                                : std::string("type the number of the answer closest to yours");
    say_wrapped("Not sure? Answer as well as you can: " + how + ". ? shows why we ask.");
    if (const std::string safe = when_unsure(index); !safe.empty()) say_wrapped(safe);
  }

  // At a question whose answer can be a warning sign: "If you cannot tell, answer no to be safe"
  // (for "Can you put weight on it?" the warning sign is no, not yes). Empty elsewhere.
  [[nodiscard]] std::string when_unsure(Index index) const {
    const Question& question = rules_.questions[index];
    if (!question.red_flag) return {};
    std::vector<std::string> flagged;
    const auto raises = [&](const Value& value) {
      Answers trial = session_.answers();
      trial.values[index] = value;
      return raises_red_flag(rules_, trial, index);
    };
    if (question.type == QuestionType::boolean) {
      for (const bool value : {true, false})
        if (raises(Value{value})) flagged.emplace_back(value ? "yes" : "no");
    } else if (question.type == QuestionType::choice) {
      for (std::size_t c = 0; c < question.choices.size(); ++c)
        if (raises(Value{question.choices[c].value}))
          flagged.push_back(numbered_labels(question, {c}));
    }
    const std::string tail = " to be safe: a warning sign is better checked than missed.";
    if (flagged.size() == 1) return "If you cannot tell, answer " + sanitize(flagged[0]) + tail;
    return "If you cannot tell, choose the answer that is a warning sign" + tail;
  }

  static std::string capitalize(std::string text) {
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
      text[0] = static_cast<char>(text[0] - 32);
    return text;
  }

  void accept(Index index, const Value& value) {
    // An early end is not announced here: the result says it once, with how many were left.
    if (const auto warning = session_.answer(index, value)) warn(*warning);
  }

  // A warning reflects every answer so far: the reason, and the level of the result as it stands
  // (a second warning sign can raise it). A level already shown is not repeated.
  void warn(const RedFlagWarning& warning) {
    const Question& question = rules_.questions[warning.question];
    const std::string reason = question.red_flag_message.empty()
                                   ? std::string("This answer is a warning sign.")
                                   : sanitize(question.red_flag_message);
    say("\n");
    say(style_.alarm(wrap(reason, width(), "! ", "  ")));
    if (!warning.level) {
      if (warning.warned_before) say_wrapped("What to do stays as above.");
      return;
    }
    const Urgency& level = warning.level->urgency_level();
    say(style_.alarm(wrap(fmt::format("With your answers so far: {}. {}", sanitize(level.title),
                                      sanitize(level.action)),
                          width(), "! ", "  ")));
    // How to act on it is the program's to say: the keys are ours, not the rules file's.
    if (warning.questions_left)
      say_wrapped(
          "We'll finish the questions so you get the whole picture, or press q to see the "
          "result now.");
  }

  std::optional<Assessment> quit() {
    std::optional<EarlyStop> stop = session_.stop_early();
    say("\n");
    if (!stop) throw Interrupted("stopped; nothing was saved");
    say_wrapped(fmt::format("Stopped early: the result below uses only the {} answers you gave.",
                            session_.history().size()),
                "", "");
    // A warning sign left unasked could make the result more urgent: name each one. The count
    // is the result's own ("N questions that could change it were not answered"), so that the
    // two never disagree; the warning signs are some of those.
    const std::size_t left = stop->assessment.unanswered.size();
    std::vector<std::string> unasked;
    for (const Index index : stop->unasked_red_flags)
      unasked.push_back(sanitize(question_text(rules_, session_.answers(), index)));
    if (!unasked.empty()) {
      say_wrapped(fmt::format("Of the {} question{} not answered, these warning signs could make "
                              "it more urgent: {} If any applies to you, act on the more urgent "
                              "advice.",
                              left, left == 1 ? "" : "s", join(unasked, " ")),
                  "", "");
    }
    say("\n");
    return std::move(stop->assessment);
  }

  const RuleSet& rules_;
  LineReader& input_;
  std::FILE* out_;
  const TextOptions& options_;
  const Style& style_;
  Session session_;  // the answers so far, going back, warnings, the early end
};

}  // namespace

LineReader::Status LineReader::read_line(std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  while (true) {
    if (const std::size_t newline = buffer_.find('\n'); newline != std::string::npos) {
      line = buffer_.substr(0, std::min(newline, k_max_line));
      too_long = too_long || newline > k_max_line;
      buffer_.erase(0, newline + 1);
      return Status::line;
    }
    if (buffer_.size() > k_max_line) {
      // Keep the start, drop the middle of an over-long line until its end arrives.
      too_long = true;
      buffer_.resize(k_max_line);
    }
    if (end_) {
      if (buffer_.empty() && !too_long) return Status::end_of_input;
      line = buffer_;  // a last line without a newline
      buffer_.clear();
      return Status::line;
    }
    if (InterruptGuard::interrupted()) return Status::interrupted;
    std::array<char, 1024> chunk{};
    const ssize_t n = ::read(fd_, chunk.data(), chunk.size());
    if (n < 0) {
      if (errno == EINTR) continue;  // the loop checks for SIGINT
      end_ = true;                   // an unreadable input ends like a closed one
      continue;
    }
    if (n == 0) {
      end_ = true;
      continue;
    }
    buffer_.append(chunk.data(), static_cast<std::size_t>(n));
  }
}

InterruptGuard::InterruptGuard() {
  g_interrupted = 0;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking read returns EINTR
  ::sigaction(SIGINT, &action, &previous_);
}

InterruptGuard::~InterruptGuard() {
  ::sigaction(SIGINT, &previous_, nullptr);
}

bool InterruptGuard::interrupted() {
  return g_interrupted != 0;
}

Assessment ask_questions(const RuleSet& rules, LineReader& input, std::FILE* out,
                         const TextOptions& options) {
  return Questionnaire(rules, input, out, options).run();
}

}  // namespace kneetriage::cli
