// Checks the built-in rules at build time and compiles them into the program: loads the rules file
// with the real loader (every problem fails the build, reported as `kneetriage check` would), then
// writes a C++ source holding the file's text and the checked RuleSet as a compact image, which
// builtin_rules() reads at start-up instead of parsing and validating the JSON again.
//   compile_rules rules/knee.json build/builtin_rules.cpp
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>

#include "kneetriage/rules.hpp"
#include "rules/builtin_rules_data.hpp"
#include "rules/rules_image.hpp"

// This program makes the built-in rules, so it is built without them: the core it links reads
// these only in builtin_rules(), which it never calls.
namespace kneetriage::detail {
const unsigned char* const builtin_rules_text_bytes = nullptr;
const std::size_t builtin_rules_text_size = 0;
const unsigned char* const builtin_rules_image_bytes = nullptr;
const std::size_t builtin_rules_image_size = 0;
}  // namespace kneetriage::detail

namespace {

// Bytes as numbers, so that no content can break the generated code; NAME_bytes and NAME_size.
void write_bytes(std::ostream& out, std::string_view name, std::string_view bytes) {
  out << "namespace {\nconst unsigned char " << name << "_array[] = {";
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i % 24 == 0) out << "\n";
    out << static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << ',';
  }
  out << "0};\n}  // namespace\n"
      << "const unsigned char* const " << name << "_bytes = " << name << "_array;\n"
      << "const std::size_t " << name << "_size = " << bytes.size() << ";\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: compile_rules RULES.json OUTPUT.cpp\n";
    return 64;
  }
  const std::string input = argv[1];
  const std::string output = argv[2];
  std::ifstream file(input, std::ios::binary);
  if (!file) {
    std::cerr << "compile_rules: cannot read " << input << "\n";
    return 66;
  }
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const kneetriage::LoadResult loaded = kneetriage::load_rules(text, input);
  if (!loaded.rules || !loaded.diagnostics.empty()) {
    for (const kneetriage::Diagnostic& diagnostic : loaded.diagnostics)
      std::cerr << to_string(diagnostic) << "\n";
    std::cerr << "compile_rules: the built-in rules " << input << " have "
              << loaded.diagnostics.size() << " problem(s); fix them to build kneetriage\n";
    return 65;
  }
  const std::string image = kneetriage::detail::encode_rules(*loaded.rules);
  const auto decoded = kneetriage::detail::decode_rules(image);
  if (!decoded || kneetriage::detail::encode_rules(*decoded) != image) {
    std::cerr << "compile_rules: internal: the rules image does not read back\n";
    return 70;
  }

  const std::string temporary = output + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    // Data only (rules/builtin_rules_data.hpp says why); rules_image.cpp reads it.
    out << "// Generated from " << input << " by src/tools/compile_rules.cpp. Do not edit.\n"
        << "#include \"rules/builtin_rules_data.hpp\"\n"
        << "namespace kneetriage::detail {\n";
    write_bytes(out, "builtin_rules_text", text);
    write_bytes(out, "builtin_rules_image", image);
    out << "}  // namespace kneetriage::detail\n";
    if (!out.flush()) {
      std::cerr << "compile_rules: cannot write " << temporary << "\n";
      return 74;
    }
  }
  if (std::rename(temporary.c_str(), output.c_str()) != 0) {
    std::cerr << "compile_rules: cannot write " << output << "\n";
    return 74;
  }
  return 0;
}
