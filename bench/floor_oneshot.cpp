// The floor for one-shot latency: a C++ program that only prints a fixed JSON document with fmt,
// linked like kneetriage, so its time is the cost of starting a C++ process and writing the
// result. The document is padded to BYTES (the size of kneetriage's output in the benchmark).
//   floor_oneshot 9000 > /dev/null
#include <fmt/format.h>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  const std::size_t bytes = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 64;
  constexpr std::size_t k_frame = sizeof(R"({"schema":"floor","pad":""})"
                                         "\n") -
                                  1;
  fmt::print(R"({{"schema":"floor","pad":"{}"}})"
             "\n",
             std::string(bytes > k_frame ? bytes - k_frame : 0, 'x'));
  return 0;
}
