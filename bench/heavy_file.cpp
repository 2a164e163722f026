// The yardstick of the build-cost target: one file that uses nlohmann/json, CLI11 and
// fmt a little, as a typical source of the program does. bench/build_cost.sh compiles it with the
// project's flags (-O2 -g) and compares the README's first command with it, in the same run.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

int main(int argc, char** argv) {
  CLI::App app("heavy");
  std::string name = "x";
  app.add_option("--name", name, "a name");
  CLI11_PARSE(app, argc, argv);
  nlohmann::ordered_json document = nlohmann::ordered_json::parse(R"({"a": [1, 2.5, "three"]})");
  document["name"] = name;
  fmt::print("{}\n", document.dump(2));
  return 0;
}
