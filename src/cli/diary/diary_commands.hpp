// The pain diary's commands (log, progress, history, export, import), --diary, and keeping an
// assessment in the diary after a result (--log, or yes when the questionnaire offers).
#pragma once

#include <vector>

#include "context.hpp"
#include "kneetriage/assessment.hpp"

namespace kneetriage::cli {

// --diary FILE on the top level: every diary command and --log read it (fallthrough).
void add_diary_option(CLI::App& app, Context& context);

[[nodiscard]] std::vector<Command> register_diary_commands(CLI::App& app, Context& context);

// Keeps `assessment` in the diary as today's and says so on stderr. Throws the program's errors.
void keep_assessment(const Context& context, const Assessment& assessment);

// At a terminal, after a result: asks whether to keep it; keeps it on yes. Nothing on no, at end
// of input or on Ctrl-C.
void offer_to_keep(const Context& context, const Assessment& assessment);

}  // namespace kneetriage::cli
