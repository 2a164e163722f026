// A JsonWriter streams JSON text into a string as it is described, without building a document
// first: the bytes are exactly those nlohmann/json's dump() gives for the same document (compact,
// or indented), so documents written either way compare equal byte for byte.
//
// The rule for JSON output, everywhere: a document written once per run (`questions`, `check`,
// `diff`, `test`, `--save`, the FHIR Questionnaire) may be built as a nlohmann/json value and
// dumped, as it is shaped by the data and its cost does not matter. Anything written per record
// or per assessment (the assessment document, every batch record, error records included) goes
// through a JsonWriter, straight into the output. Nothing is written and then parsed back: to
// look inside a document, a test parses the text as any reader of the output would.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace kneetriage {

// Appends `text` as a JSON string, quotes included, escaped as nlohmann/json escapes it
// (ensure_ascii off; invalid UTF-8 replaced by U+FFFD, as its error_handler_t::replace does).
void append_json_string(std::string& out, std::string_view text);

// Appends a double as nlohmann/json writes one: 2.5, 1e+20, -0.0; null when not finite.
void append_json_double(std::string& out, double number);

// A member name spelt in the source, json.key("urgency"): a string literal whose characters need
// no escaping in JSON (no quote, backslash or control character), which the compiler checks.
class JsonKey {
 public:
  // Implicit, and from a char array: what lets json.key("urgency") take a literal as it is.
  template <std::size_t N>
  consteval JsonKey(const char (&name)[N])  // NOLINT(modernize-avoid-c-arrays): a literal's type
      : name_(name, N - 1) {
    for (std::size_t i = 0; i + 1 < N; ++i) {
      const auto c = static_cast<unsigned char>(name[i]);
      if (c < 0x20 || c == '"' || c == '\\') throw "a JSON key literal that needs escaping";
    }
  }
  [[nodiscard]] std::string_view name() const { return name_; }

 private:
  std::string_view name_;
};

// Text for a key that is not a char array (std::string, std::string_view, const char*): a
// string literal takes key(JsonKey) instead.
template <typename Text>
concept KeyText = std::is_convertible_v<const Text&, std::string_view> && !std::is_array_v<Text>;

// Writes one JSON document into `out`, which may already hold text (records of a stream):
//   JsonWriter json(out);
//   json.begin_object().key("urgency").string("self-care").key("red_flag").boolean(false);
//   json.end_object();   // {"urgency":"self-care","red_flag":false}
// With an indent, members and elements go one per line and keys are followed by ": ", as
// dump(indent) does; empty containers stay "{}" and "[]". Misuse (a value where a key is
// expected, more than 63 levels) is a bug of the caller and is not diagnosed.
//
// The text reaches `out` when the document is complete (or at flush(), or when the writer is
// destroyed): until then small pieces gather in the writer, because a document is hundreds of
// short keys and ids and one std::string append per piece cost more than writing them.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out, int indent = -1) : out_(out), indent_(indent) {}
  ~JsonWriter() { flush(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  // The name of the next member of the innermost object. A string literal is checked when
  // compiling to need no escaping (JsonKey), so writing it is a copy; other text is escaped.
  JsonWriter& key(const JsonKey& name);
  template <KeyText Text>
  JsonWriter& key(const Text& name) {
    return text_key(std::string_view(name));
  }

  JsonWriter& string(std::string_view text);
  JsonWriter& boolean(bool flag);
  JsonWriter& integer(std::int64_t number);
  JsonWriter& number(double number);  // as a double: see append_json_double
  JsonWriter& null();

  // Text serialised already, copied as it is; for a compact writer only (an indented one would
  // need it re-indented). raw: one whole value. raw_members: "a":1,"b":2, members of the
  // innermost object (nothing when empty).
  JsonWriter& raw(std::string_view value);
  JsonWriter& raw_members(std::string_view members);

  [[nodiscard]] bool indented() const { return indent_ >= 0; }

  // Moves what is gathered into `out`, to read it before the document is complete.
  void flush();

 private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  JsonWriter& text_key(std::string_view name);
  void separate();    // the ',' before each member or element of a container but its first
  void after_name();  // ':' after a key
  void before_value();
  void value_written();  // after a whole value: flushes when it completed the document
  void new_line();
  // Inline: a document is thousands of these.
  void put(char c) {
    if (pending_size_ == pending_.size()) flush();
    pending_[pending_size_++] = c;
  }
  void put(std::string_view text) {
    if (text.size() > pending_.size() - pending_size_) {
      put_long(text);
    } else {
      std::memcpy(pending_.data() + pending_size_, text.data(), text.size());
      pending_size_ += text.size();
    }
  }
  void put_long(std::string_view text);    // more than there is room for
  void put_string(std::string_view text);  // quoted and escaped

  std::string& out_;
  int indent_;
  int depth_ = 0;
  std::uint64_t has_items_ = 0;  // bit d: the container at depth d+1 has a member already
  bool after_key_ = false;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-member-init): only the first pending_size_ are read
  std::array<char, 1024> pending_;
  std::size_t pending_size_ = 0;
};

}  // namespace kneetriage
