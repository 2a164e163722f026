// kneetriage. The program lives in the kneetriage_cli library (app.cpp), where it is compiled in
// one unit with the other sources that use CLI11, so that CLI11's code is generated once.
#include "app.hpp"

int main(int argc, char** argv) {
  return kneetriage::cli::run_program(argc, argv);
}
