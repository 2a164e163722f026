// CLI11's help, with descriptions wrapped to the terminal (CLI11 2.1 prints them on one line).
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <string>

namespace kneetriage::cli {

class HelpFormatter : public CLI::Formatter {
 public:
  explicit HelpFormatter(std::size_t width) : width_(width) {}

  std::string make_description(const CLI::App* app) const override;
  std::string make_option(const CLI::Option* option, bool is_positional) const override;
  std::string make_subcommand(const CLI::App* subcommand) const override;

 private:
  // "  --name VALUES" padded to the description column, then the description wrapped under it.
  [[nodiscard]] std::string entry(const std::string& name, const std::string& description) const;

  std::size_t width_;
};

}  // namespace kneetriage::cli
