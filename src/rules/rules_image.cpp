#include "rules/rules_image.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "rules/builtin_rules_data.hpp"

namespace kneetriage::detail {
namespace {

// Every field of the model is written below. A field added to a struct of rules.hpp must be added
// here too, or the built-in rules would silently lose it: tests/unit/test_rules_image.cpp compares
// the model read back from an image with the loader's, field by field (the model's operator==).

class Writer {
 public:
  std::string out;

  void count(std::uint64_t n) {  // LEB128
    do {
      auto byte = static_cast<unsigned char>(n & 0x7FU);
      n >>= 7U;
      if (n != 0) byte |= 0x80U;
      out += static_cast<char>(byte);
    } while (n != 0);
  }
  void write(bool flag) { count(flag ? 1 : 0); }
  void write(std::size_t n) { count(n); }
  void write(double number) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &number, sizeof bits);
    for (int i = 0; i < 8; ++i)
      out += static_cast<char>((bits >> (8U * static_cast<unsigned>(i))) & 0xFFU);
  }
  void write(const std::string& text) {
    count(text.size());
    out += text;
  }
  template <typename T>
  void write(const std::vector<T>& items) {
    count(items.size());
    for (const T& item : items) write(item);
  }
  template <typename T>
  void write(const std::optional<T>& item) {
    write(item.has_value());
    if (item) write(*item);
  }
  template <typename A, typename B>
  void write(const std::pair<A, B>& pair) {
    write(pair.first);
    write(pair.second);
  }
  template <typename E>
  requires std::is_enum_v<E>
  void write(E value) { count(static_cast<std::uint64_t>(value)); }
  void write(const Value& value) {
    count(value.index());
    std::visit([this](const auto& v) { write(v); }, value);
  }
  void write(const Condition& c) { fields(*this, c); }
  void write(const NamedCondition& n) { fields(*this, n); }
  void write(const Choice& c) { fields(*this, c); }
  void write(const QuestionWording& w) { fields(*this, w); }
  void write(const Question& q) { fields(*this, q); }
  void write(const Source& s) { fields(*this, s); }
  void write(const Citation& c) { fields(*this, c); }
  void write(const Urgency& u) { fields(*this, u); }
  void write(const Cause& c) { fields(*this, c); }
  void write(const AdviceItem& a) { fields(*this, a); }
  void write(const Exercise& e) { fields(*this, e); }
  void write(const PlanStep& p) { fields(*this, p); }
  void write(const Conclusion& c) { fields(*this, c); }
  void write(const Rule& r) { fields(*this, r); }
  void write(const ItemRefs& i) { fields(*this, i); }
  void write(const Invariant& i) { fields(*this, i); }
  void write(const RuleSet& r) { fields(*this, r); }
  void write(const FollowUpRules& f) {
    write(static_cast<bool>(f));
    if (f) write(*f);
  }

  template <typename... T>
  void all(const T&... items) {
    (write(items), ...);
  }

  // One list of fields per type, used for writing and for reading (ImageReader::all takes them by
  // reference), so the two cannot disagree on the order.
  template <typename Self, typename C>
  static void fields(Self& s, C& c);
};

class ImageReader {
 public:
  explicit ImageReader(std::string_view image)
      : at_(image.data()), end_(image.data() + image.size()) {}
  bool ok = true;
  [[nodiscard]] bool done() const { return ok && at_ == end_; }

  std::uint64_t count() {
    std::uint64_t n = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (at_ == end_) return fail();
      const auto byte = static_cast<unsigned char>(*at_++);
      n |= std::uint64_t{byte & 0x7FU} << shift;
      if ((byte & 0x80U) == 0) return n;
    }
    return fail();
  }
  void read(bool& flag) { flag = count() != 0; }
  void read(std::size_t& n) { n = count(); }
  void read(double& number) {
    if (end_ - at_ < 8) {
      fail();
      return;
    }
    std::uint64_t bits = 0;
    for (unsigned i = 0; i < 8; ++i)
      bits |= std::uint64_t{static_cast<unsigned char>(*at_++)} << (8U * i);
    std::memcpy(&number, &bits, sizeof number);
  }
  void read(std::string& text) {
    const std::uint64_t n = count();
    if (static_cast<std::uint64_t>(end_ - at_) < n) {
      fail();
      return;
    }
    text.assign(at_, n);
    at_ += n;
  }
  template <typename T>
  void read(std::vector<T>& items) {
    const std::uint64_t n = count();
    if (static_cast<std::uint64_t>(end_ - at_) < n) {  // every item takes a byte at least
      fail();
      return;
    }
    items.resize(n);
    for (T& item : items) read(item);
  }
  template <typename T>
  void read(std::optional<T>& item) {
    if (count() == 0) {
      item.reset();
      return;
    }
    read(item.emplace());
  }
  template <typename A, typename B>
  void read(std::pair<A, B>& pair) {
    read(pair.first);
    read(pair.second);
  }
  template <typename E>
  requires std::is_enum_v<E>
  void read(E& value) { value = static_cast<E>(count()); }
  void read(Value& value) {
    switch (count()) {
      case 0:
        read(value.emplace<bool>());
        break;
      case 1:
        read(value.emplace<double>());
        break;
      case 2:
        read(value.emplace<std::string>());
        break;
      case 3:
        read(value.emplace<StringList>());
        break;
      default:
        fail();
    }
  }
  void read(FollowUpRules& f) {
    if (count() == 0) {
      f = FollowUpRules();
      return;
    }
    RuleSet rules;
    read(rules);
    f = FollowUpRules(std::move(rules));
  }
  template <typename C>
  requires std::is_class_v<C>
  void read(C& c) {
    if (ok) Writer::fields(*this, c);
  }

  template <typename... T>
  void all(T&... items) {
    (read(items), ...);
  }

 private:
  std::uint64_t fail() {
    ok = false;
    at_ = end_;
    return 0;
  }
  const char* at_;
  const char* end_;
};

template <typename Self, typename C>
void Writer::fields(Self& s, C& c) {
  using T = std::remove_const_t<C>;
  if constexpr (std::is_same_v<T, Condition>) {
    s.all(c.kind, c.children, c.reference, c.fact, c.op, c.value, c.values);
  } else if constexpr (std::is_same_v<T, NamedCondition>) {
    s.all(c.name, c.condition);
  } else if constexpr (std::is_same_v<T, Choice>) {
    s.all(c.value, c.label);
  } else if constexpr (std::is_same_v<T, Question>) {
    s.all(c.id, c.text, c.help, c.type, c.choices, c.min, c.max, c.integer, c.ask_if, c.red_flag,
          c.red_flag_message, c.short_text, c.text_if);
  } else if constexpr (std::is_same_v<T, QuestionWording>) {
    s.all(c.when, c.text);
  } else if constexpr (std::is_same_v<T, Source>) {
    s.all(c.id, c.title, c.author, c.publisher, c.url);
  } else if constexpr (std::is_same_v<T, Citation>) {
    s.all(c.id, c.source, c.point, c.quote);
  } else if constexpr (std::is_same_v<T, Urgency>) {
    s.all(c.id, c.title, c.action, c.withhold, c.frequency, c.on_hold, c.safety_net,
          c.partial_result);
  } else if constexpr (std::is_same_v<T, Cause>) {
    s.all(c.id, c.title, c.explanation, c.kind, c.source);
  } else if constexpr (std::is_same_v<T, AdviceItem>) {
    s.all(c.id, c.text, c.kind, c.detail, c.source);
  } else if constexpr (std::is_same_v<T, Exercise>) {
    s.all(c.id, c.name, c.kind, c.how, c.dose, c.frequency, c.cues, c.start, c.source);
  } else if constexpr (std::is_same_v<T, PlanStep>) {
    s.all(c.id, c.kind, c.text, c.source);
  } else if constexpr (std::is_same_v<T, Conclusion>) {
    s.all(c.urgency, c.action, c.causes, c.advice, c.exercises, c.plan, c.frequency);
  } else if constexpr (std::is_same_v<T, Rule>) {
    s.all(c.id, c.title, c.when, c.then, c.source);
  } else if constexpr (std::is_same_v<T, ItemRefs>) {
    s.all(c.causes, c.advice, c.exercises, c.plan);
  } else if constexpr (std::is_same_v<T, Invariant>) {
    s.all(c.id, c.why, c.source, c.when, c.at_urgency_at_least, c.at_urgency_at_most,
          c.urgency_at_least, c.urgency_at_most, c.shown, c.not_shown, c.not_shown_kinds);
  } else if constexpr (std::is_same_v<T, RuleSet>) {
    s.all(c.id, c.version, c.title, c.disclaimer, c.sources, c.citations, c.urgencies, c.questions,
          c.conditions, c.causes, c.advice, c.exercises, c.plan, c.rules, c.invariants, c.follow_up);
  } else {
    static_assert(!sizeof(T), "no fields listed for this type");
  }
}

}  // namespace

std::string encode_rules(const RuleSet& rules) {
  Writer writer;
  writer.write(rules);
  return std::move(writer.out);
}

std::optional<RuleSet> decode_rules(std::string_view image) {
  ImageReader reader(image);
  RuleSet rules;
  reader.read(rules);
  if (!reader.done()) return std::nullopt;
  return rules;
}

}  // namespace kneetriage::detail

namespace kneetriage {

std::string_view builtin_rules_text() {
  return {reinterpret_cast<const char*>(detail::builtin_rules_text_bytes),
          detail::builtin_rules_text_size};
}

RuleSet builtin_rules() {
  std::optional<RuleSet> rules = detail::decode_rules(
      {reinterpret_cast<const char*>(detail::builtin_rules_image_bytes),
       detail::builtin_rules_image_size});
  if (!rules) throw std::logic_error("the built-in rules image does not read back");
  return std::move(*rules);
}

}  // namespace kneetriage
