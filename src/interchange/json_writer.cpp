#include "kneetriage/json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

// nlohmann/json's own double formatting (Grisu2), alone: a few hundred lines, not the whole
// library, so the bytes match dump() without paying for json.hpp here.
#include <nlohmann/detail/conversions/to_chars.hpp>
#include <nlohmann/detail/macro_unscope.hpp>

namespace kneetriage {
namespace {

// Björn Höhrmann's UTF-8 decoder, the table nlohmann/json's serializer uses, so that what counts
// as invalid (overlong forms, surrogates, bytes past U+10FFFF) is the same.
constexpr std::uint8_t k_accept = 0;
constexpr std::uint8_t k_reject = 1;
constexpr std::array<std::uint8_t, 400> k_utf8d = {{
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  // 00..1F
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  // 20..3F
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  // 40..5F
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  // 60..7F
    1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,
    9,   9,   9,   9,   9,   9,   9,   9,   9,   9,   9,   9,   9,   9,   9,   9,  // 80..9F
    7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,
    7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,   7,  // A0..BF
    8,   8,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,
    2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,   2,    // C0..DF
    0xA, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x4, 0x3, 0x3,  // E0..EF
    0xB, 0x6, 0x6, 0x6, 0x5, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8,  // F0..FF
    0x0, 0x1, 0x2, 0x3, 0x5, 0x8, 0x7, 0x1, 0x1, 0x1, 0x4, 0x6, 0x1, 0x1, 0x1, 0x1,  // s0..s0
    1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,
    1,   0,   1,   1,   1,   1,   1,   0,   1,   0,   1,   1,   1,   1,   1,   1,  // s1..s2
    1,   2,   1,   1,   1,   1,   1,   2,   1,   2,   1,   1,   1,   1,   1,   1,
    1,   1,   1,   1,   1,   1,   1,   2,   1,   1,   1,   1,   1,   1,   1,   1,  // s3..s4
    1,   2,   1,   1,   1,   1,   1,   1,   1,   2,   1,   1,   1,   1,   1,   1,
    1,   1,   1,   1,   1,   1,   1,   3,   1,   3,   1,   1,   1,   1,   1,   1,  // s5..s6
    1,   3,   1,   1,   1,   1,   1,   3,   1,   3,   1,   1,   1,   1,   1,   1,
    1,   3,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1  // s7..s8
}};

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";

// True for a byte that goes out as it is between code points: printable ASCII but " and \.
constexpr bool is_plain(unsigned char c) {
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

// True when none of 8 bytes needs a look: no control byte, no byte of 0x80 or above, no quote and
// no backslash (the usual bit tricks: some byte of x is zero when (x - ones) & ~x & highs is not).
bool is_plain_word(const unsigned char* at) {
  std::uint64_t x = 0;
  std::memcpy(&x, at, sizeof x);
  constexpr std::uint64_t ones = 0x0101010101010101U;
  constexpr std::uint64_t highs = 0x8080808080808080U;
  const auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
  const std::uint64_t control = (x - ones * 0x20U) & ~x & highs;  // a byte below 0x20
  return ((x & highs) | control | has_zero(x ^ (ones * '"')) | has_zero(x ^ (ones * '\\'))) == 0;
}

void append_escaped_ascii(std::string& out, unsigned char c) {
  switch (c) {
    case '\b':
      out += "\\b";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\r':
      out += "\\r";
      return;
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    default:
      if (c <= 0x1F) {
        constexpr std::string_view hex = "0123456789abcdef";
        out += "\\u00";
        out += hex[c >> 4U];
        out += hex[c & 0xFU];
      } else {
        out += static_cast<char>(c);
      }
  }
}

// k_plain[c]: the byte goes out as it is (is_plain), one load per byte for the short keys and
// ids that make up most strings of a document.
constexpr std::array<bool, 256> k_plain = [] {
  std::array<bool, 256> table{};
  for (unsigned c = 0; c < 256; ++c) table[c] = is_plain(static_cast<unsigned char>(c));
  return table;
}();

// How many bytes at the start of `text` go out as they are.
std::size_t plain_prefix(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());  // NOLINT
  const std::size_t size = text.size();
  std::size_t end = 0;
  while (end + 8 <= size && is_plain_word(bytes + end)) end += 8;
  while (end < size && k_plain[bytes[end]]) ++end;
  return end;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());  // NOLINT
  const std::size_t size = text.size();
  std::uint8_t state = k_accept;
  std::size_t last_accept = out.size();  // out's size after the last whole code point
  std::size_t pending = 0;               // bytes of an incomplete code point written so far
  for (std::size_t i = 0; i < size; ++i) {
    if (state == k_accept) {  // between code points: copy a run of plain bytes at once
      const std::size_t end = i + plain_prefix(text.substr(i));
      if (end != i) {
        out.append(text.data() + i, end - i);
        i = end;
        last_accept = out.size();
        if (i == size) break;
      }
    }
    const unsigned char byte = bytes[i];
    state = k_utf8d[256U + state * 16U + k_utf8d[byte]];
    if (state == k_accept) {
      if (pending == 0) {
        append_escaped_ascii(out, byte);
      } else {
        out += static_cast<char>(byte);
      }
      last_accept = out.size();
      pending = 0;
    } else if (state == k_reject) {
      // As nlohmann/json does: drop the incomplete code point, write U+FFFD, and read the byte
      // again when it ended a sequence (it may be fine on its own).
      if (pending > 0) --i;
      out.resize(last_accept);
      out += k_replacement;
      last_accept = out.size();
      pending = 0;
      state = k_accept;
    } else {
      out += static_cast<char>(byte);
      ++pending;
    }
  }
  if (state != k_accept) {
    out.resize(last_accept);
    out += k_replacement;
  }
  out += '"';
}

void append_json_double(std::string& out, double number) {
  if (!std::isfinite(number)) {
    out += "null";
    return;
  }
  std::array<char, 64> buffer{};
  const char* end =
      nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), number);
  out.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

void JsonWriter::flush() {
  out_.append(pending_.data(), pending_size_);
  pending_size_ = 0;
}

void JsonWriter::put_long(std::string_view text) {
  flush();
  if (text.size() > pending_.size()) {
    out_.append(text);
  } else {
    std::memcpy(pending_.data(), text.data(), text.size());
    pending_size_ = text.size();
  }
}

void JsonWriter::put_string(std::string_view text) {
  if (plain_prefix(text) == text.size()) {
    put('"');
    put(text);
    put('"');
  } else {  // escaping, rare in keys and ids: straight into out_, after what is pending
    flush();
    append_json_string(out_, text);
  }
}

void JsonWriter::value_written() {
  if (depth_ == 0) flush();  // the document is complete: its text is in out_
}

void JsonWriter::separate() {
  const std::uint64_t bit = std::uint64_t{1} << static_cast<unsigned>(depth_ - 1);
  if ((has_items_ & bit) != 0) put(',');
  has_items_ |= bit;
}

void JsonWriter::after_name() {
  if (indented()) {
    put(": ");
  } else {
    put(':');
  }
  after_key_ = true;
}

JsonWriter& JsonWriter::key(const JsonKey& name) {
  separate();
  new_line();
  put('"');
  put(name.name());
  put('"');
  after_name();
  return *this;
}

JsonWriter& JsonWriter::text_key(std::string_view name) {
  separate();
  new_line();
  put_string(name);
  after_name();
  return *this;
}

void JsonWriter::new_line() {
  if (!indented()) return;
  put('\n');
  for (std::size_t n = static_cast<std::size_t>(depth_) * static_cast<std::size_t>(indent_); n > 0;
       --n)
    put(' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ == 0) return;  // the document itself
  separate();
  new_line();
}

JsonWriter& JsonWriter::open(char bracket) {
  before_value();
  put(bracket);
  ++depth_;
  has_items_ &= ~(std::uint64_t{1} << static_cast<unsigned>(depth_ - 1));
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  const std::uint64_t bit = std::uint64_t{1} << static_cast<unsigned>(depth_ - 1);
  --depth_;
  if ((has_items_ & bit) != 0) new_line();
  put(bracket);
  value_written();
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
  before_value();
  put_string(text);
  value_written();
  return *this;
}

JsonWriter& JsonWriter::boolean(bool flag) {
  before_value();
  put(flag ? std::string_view("true") : std::string_view("false"));
  value_written();
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t number) {
  before_value();
  std::array<char, 24> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number);
  put(std::string_view(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data())));
  value_written();
  return *this;
}

JsonWriter& JsonWriter::number(double number) {
  before_value();
  flush();
  append_json_double(out_, number);
  value_written();
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  put("null");
  value_written();
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view value) {
  before_value();
  put(value);
  value_written();
  return *this;
}

JsonWriter& JsonWriter::raw_members(std::string_view members) {
  if (members.empty()) return *this;
  separate();
  put(members);
  return *this;
}

}  // namespace kneetriage
