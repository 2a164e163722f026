// CLI11's help replaced by ours (help_page.hpp): short enough to read at a terminal, fitted to
// its width, the question flags in plain words, and each subcommand with only its own options.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <string>

#include "kneetriage/rules.hpp"

namespace kneetriage::cli {

class HelpFormatter : public CLI::Formatter {
 public:
  // `rules` may be null (they could not be loaded): the help then says so.
  HelpFormatter(std::size_t width, const RuleSet* rules) : width_(width), rules_(rules) {}

  std::string make_help(const CLI::App* app, std::string name,
                        CLI::AppFormatMode mode) const override;

 private:
  std::size_t width_;
  const RuleSet* rules_;
};

}  // namespace kneetriage::cli
