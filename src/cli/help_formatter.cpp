#include "help_formatter.hpp"

#include "layout.hpp"

namespace kneetriage::cli {

std::string HelpFormatter::entry(const std::string& name, const std::string& description) const {
  const std::size_t column = get_column_width();
  std::string out = "  " + name;
  const std::string indent(column, ' ');
  if (description.empty()) return out + "\n";
  if (display_width(out) + 1 > column) {
    out += "\n";
    return out + wrap(description, width_, indent, indent);
  }
  const std::string first = pad(out, column);
  return wrap(description, width_, first, indent);
}

std::string HelpFormatter::make_description(const CLI::App* app) const {
  const std::string description = app->get_description();
  return description.empty() ? std::string() : wrap(description, width_) + "\n";
}

std::string HelpFormatter::make_option(const CLI::Option* option, bool is_positional) const {
  return entry(make_option_name(option, is_positional) + make_option_opts(option),
               make_option_desc(option));
}

std::string HelpFormatter::make_subcommand(const CLI::App* subcommand) const {
  return entry(subcommand->get_display_name(true), subcommand->get_description());
}

}  // namespace kneetriage::cli
