// Runs a fuzz target's function over files, once each, without libFuzzer: this is how the seed
// corpora and every input a fuzzer ever found run as ordinary tests in the g++ builds (plain and
// ASan + UBSan), so that a fixed crash stays fixed.
//   replay_load_rules tests/fuzz/seeds/load_rules tests/fuzz/regressions/load_rules
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void replay(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::fprintf(stderr, "replaying %s (%zu bytes)\n", path.c_str(), bytes.size());
  (void)LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path argument(argv[i]);
    if (!std::filesystem::exists(argument)) continue;  // e.g. a target with no finding kept yet
    if (std::filesystem::is_directory(argument)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::directory_iterator(argument)) {
        if (entry.is_regular_file() && entry.path().filename().string().front() != '.') {
          files.push_back(entry.path());
        }
      }
      std::sort(files.begin(), files.end());
      for (const auto& file : files) replay(file);
      count += files.size();
    } else {
      replay(argument);
      ++count;
    }
  }
  std::fprintf(stderr, "%zu inputs replayed, no finding\n", count);
  return 0;
}
