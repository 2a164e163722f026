#include "kneetriage/assessment_writer.hpp"
#include "terminal/render.hpp"

namespace kneetriage::cli {

namespace {

std::string dump(const Assessment& assessment, int indent) {
  std::string out;
  append_assessment_json(out, assessment, indent);
  out += '\n';
  return out;
}

}  // namespace

std::string render_json(const Assessment& assessment) {
  return dump(assessment, 2);
}

}  // namespace kneetriage::cli
