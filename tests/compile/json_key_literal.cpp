// Compiled by CTest, not linked (tests/CMakeLists.txt): with KNEETRIAGE_BAD_KEY defined, a key
// literal that would need escaping in JSON must not compile; without it, the same code must.
#include "kneetriage/json_writer.hpp"

void write(std::string& out) {
  kneetriage::JsonWriter json(out);
#ifdef KNEETRIAGE_BAD_KEY
  json.begin_object().key("a \"quoted\" key").null().end_object();
#else
  json.begin_object().key("a plain key").null().end_object();
#endif
}
