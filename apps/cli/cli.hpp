#pragma once
#include <ostream>

namespace sohoa::app {

// Parses `argv`, runs the command, prints to `out` (results) and `err` (progress, errors).
// Returns the exit code (see jobs.hpp). Never throws.
int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace sohoa::app
