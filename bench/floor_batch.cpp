// The floor for batch throughput: reads JSON Lines from standard input in large blocks, parses
// each line with nlohmann/json and writes a fixed document of BYTES bytes (the mean size of a
// real record, newline included) per line, in large blocks: the cost of the I/O and the parsing
// alone, with no rules, no validation and no serialisation.
//   floor_batch 5000 < answers.jsonl > /dev/null
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace {

constexpr std::size_t k_chunk = std::size_t{256} << 10U;

bool write_all(const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, text.data() + done, text.size() - done);
    if (n < 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t bytes = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 5000;
  constexpr std::size_t k_frame = sizeof(R"({"pad":""})"
                                         "\n") -
                                  1;
  const std::string document =
      R"({"pad":")" + std::string(bytes > k_frame ? bytes - k_frame : 0, 'x') + "\"}\n";

  const std::size_t capacity = (std::size_t{1} << 20U) + k_chunk + 1;
  const auto buffer = std::make_unique_for_overwrite<char[]>(capacity);
  std::size_t begin = 0, end = 0;
  std::string out;
  out.reserve(k_chunk + document.size());
  std::size_t objects = 0;
  bool eof = false;
  while (!eof || begin < end) {
    if (!eof) {
      if (begin > 0) {
        std::memmove(buffer.get(), buffer.get() + begin, end - begin);
        end -= begin;
        begin = 0;
      }
      const ssize_t n = ::read(STDIN_FILENO, buffer.get() + end, capacity - end);
      if (n < 0) return 1;
      if (n == 0) eof = true;
      end += static_cast<std::size_t>(n > 0 ? n : 0);
    }
    while (begin < end) {
      const auto* newline =
          static_cast<const char*>(std::memchr(buffer.get() + begin, '\n', end - begin));
      if (newline == nullptr && !eof) break;
      const char* stop = newline != nullptr ? newline : buffer.get() + end;
      const auto parsed = nlohmann::json::parse(static_cast<const char*>(buffer.get() + begin),
                                                stop, nullptr, false);
      objects += parsed.is_object() ? 1 : 0;
      out += document;
      if (out.size() >= k_chunk) {
        if (!write_all(out)) return 1;
        out.clear();
      }
      begin = static_cast<std::size_t>(stop - buffer.get()) + (newline != nullptr ? 1 : 0);
    }
  }
  if (!write_all(out)) return 1;
  std::fprintf(stderr, "floor_batch: %zu objects\n", objects);
  return 0;
}
