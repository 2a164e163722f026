#include <nlohmann/json.hpp>

#include "render.hpp"

namespace kneetriage::cli {

namespace {

// Strings come from validated JSON and answers, so invalid UTF-8 is not expected; should any
// appear, it is replaced rather than aborting the output.
std::string dump(const Assessment& assessment, int indent) {
  return to_json(assessment).dump(indent, ' ', false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

}  // namespace

std::string render_json(const Assessment& assessment) {
  return dump(assessment, 2);
}

std::string render_json_line(const Assessment& assessment) {
  return dump(assessment, -1);
}

}  // namespace kneetriage::cli
