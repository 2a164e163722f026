#include "help/help_formatter.hpp"

#include "help/help_page.hpp"

namespace kneetriage::cli {

std::string HelpFormatter::make_help(const CLI::App* app, std::string /*name*/,
                                     CLI::AppFormatMode /*mode*/) const {
  return help_text(help_page(*app, rules_), width_);
}

}  // namespace kneetriage::cli
