// Catch2's main and runner, compiled once (kneetriage_catch_main) for every test program: in
// each of them it was the most expensive unit to compile.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
