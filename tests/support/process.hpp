#pragma once
// Test support: run a command line through the shell and capture what it prints.

#include <string>

namespace sohoa::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `command` with /bin/sh. stdout and stderr are captured separately.
CommandResult run_command(const std::string& command);

// `text` quoted for the shell.
std::string shell_quote(const std::string& text);

// Character error rate (edit distance over code points / length of `truth`), after folding runs
// of white space to one space.
double character_error_rate(const std::string& truth, const std::string& text);

}  // namespace sohoa::test
