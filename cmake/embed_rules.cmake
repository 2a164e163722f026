# Turns the default rules file into a C++ source defining kneetriage::builtin_rules_text().
# Bytes are written as numbers so that no content of the file can break the generated code.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUTPUT}.tmp
"// Generated from ${INPUT} by cmake/embed_rules.cmake. Do not edit.\n"
"#include \"kneetriage/rules.hpp\"\n"
"namespace kneetriage {\n"
"namespace {\n"
"constexpr unsigned char k_builtin_rules[] = {\n${bytes}0};\n"
"}  // namespace\n"
"std::string_view builtin_rules_text() {\n"
"  return {reinterpret_cast<const char*>(k_builtin_rules), ${size}};\n"
"}\n\n"
"}  // namespace kneetriage\n")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
