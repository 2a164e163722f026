// The program's entry point, called by main.cpp.
#pragma once

namespace kneetriage::cli {

// The whole program: parses the command line, runs what it asks for, reports any error on stderr
// and returns the exit status (docs/cli.md, "Exit statuses").
[[nodiscard]] int run_program(int argc, char** argv);

}  // namespace kneetriage::cli
