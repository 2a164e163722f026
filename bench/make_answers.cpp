// Writes benchmark input: JSON Lines of complete answer sets covering a rules file's whole answer
// space (bench/support.hpp), shuffled, repeated until there are --lines of them.
//   make_answers --lines 1000000 > answers.jsonl
//   make_answers --heaviest            the one-shot flags of the set with the largest assessment
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <string_view>

#include "kneetriage/engine.hpp"
#include "support.hpp"
#include "terminal/describe.hpp"

namespace {

std::string read_text(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "make_answers: cannot read %s\n", path);
    std::exit(2);
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kneetriage;
  std::uint64_t lines = 1000000;
  std::uint64_t seed = 42;
  bool heaviest = false;
  std::string rules_text(builtin_rules_text());
  std::string rules_name = "<built-in>";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--lines" && i + 1 < argc)
      lines = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--seed" && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--rules" && i + 1 < argc)
      rules_name = argv[i + 1], rules_text = read_text(argv[++i]);
    else if (arg == "--heaviest")
      heaviest = true;
    else {
      std::fprintf(stderr,
                   "usage: make_answers [--rules FILE] [--lines N] [--seed S] [--heaviest]\n");
      return 2;
    }
  }
  const RuleSet rules = bench::load_or_exit(rules_text, rules_name);
  std::vector<Answers> space = bench::answer_space(rules, 10'000'000);
  std::fprintf(stderr, "make_answers: the answer space has %zu complete answer sets\n",
               space.size());

  if (heaviest) {
    std::size_t best = 0, best_size = 0;
    for (std::size_t i = 0; i < space.size(); ++i) {
      const std::size_t size = to_json(assess(rules, space[i])).dump().size();
      if (size > best_size) best = i, best_size = size;
    }
    // The flags alone, without the program name.
    const std::string command = command_line(rules, space[best]);
    std::fputs(command.substr(command.find(' ') + 1).c_str(), stdout);
    std::fputc('\n', stdout);
    return 0;
  }

  std::vector<std::string> text;
  text.reserve(space.size());
  for (const Answers& answers : space) text.push_back(answers_to_json(rules, answers).dump());
  std::vector<std::size_t> order(space.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 random(seed);
  std::string out;
  for (std::uint64_t written = 0; written < lines;) {
    std::shuffle(order.begin(), order.end(), random);  // every set once per round
    for (std::size_t i = 0; i < order.size() && written < lines; ++i, ++written) {
      out += text[order[i]];
      out += '\n';
      if (out.size() > (1U << 20U)) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        out.clear();
      }
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
