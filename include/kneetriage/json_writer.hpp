// A JsonWriter streams JSON text into a string as it is described, without building a document
// first: the bytes are exactly those nlohmann/json's dump() gives for the same document (compact,
// or indented), so documents written either way compare equal byte for byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kneetriage {

// Appends `text` as a JSON string, quotes included, escaped as nlohmann/json escapes it
// (ensure_ascii off; invalid UTF-8 replaced by U+FFFD, as its error_handler_t::replace does).
void append_json_string(std::string& out, std::string_view text);

// Appends a double as nlohmann/json writes one: 2.5, 1e+20, -0.0; null when not finite.
void append_json_double(std::string& out, double number);

// Writes one JSON document into `out`, which may already hold text (records of a stream):
//   JsonWriter json(out);
//   json.begin_object().key("urgency").string("self-care").key("red_flag").boolean(false);
//   json.end_object();   // {"urgency":"self-care","red_flag":false}
// With an indent, members and elements go one per line and keys are followed by ": ", as
// dump(indent) does; empty containers stay "{}" and "[]". Misuse (a value where a key is
// expected, more than 63 levels) is a bug of the caller and is not diagnosed.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out, int indent = -1) : out_(out), indent_(indent) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  // The name of the next member of the innermost object.
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view text);
  JsonWriter& boolean(bool flag);
  JsonWriter& integer(std::int64_t number);
  JsonWriter& number(double number);  // as a double: see append_json_double
  JsonWriter& null();

  [[nodiscard]] bool indented() const { return indent_ >= 0; }

 private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  void before_value();
  void new_line();

  std::string& out_;
  int indent_;
  int depth_ = 0;
  std::uint64_t has_items_ = 0;  // bit d: the container at depth d+1 has a member already
  bool after_key_ = false;
};

}  // namespace kneetriage
