#include "process.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "temp_dir.hpp"

namespace sohoa::test {

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

CommandResult run_command(const std::string& command) {
  const auto dir = make_temp_dir("sohoa-cmd");
  const auto err_file = dir / "stderr";
  CommandResult result;
  const std::string full = command + " 2>" + shell_quote(err_file.string());
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  char buffer[4096];
  std::size_t got = 0;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    result.out.append(buffer, got);
  }
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.err = read_file(err_file);
  std::filesystem::remove_all(dir);
  return result;
}

namespace {

std::u32string to_code_points(const std::string& utf8) {
  std::u32string out;
  for (std::size_t index = 0; index < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[index]);
    int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : 4;
    char32_t cp = length == 1 ? lead : length == 2 ? (lead & 0x1FU) : length == 3 ? (lead & 0x0FU) : (lead & 0x07U);
    for (int more = 1; more < length && index + static_cast<std::size_t>(more) < utf8.size(); ++more) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[index + static_cast<std::size_t>(more)]) & 0x3FU);
    }
    out.push_back(cp);
    index += static_cast<std::size_t>(length);
  }
  return out;
}

std::u32string squeeze_spaces(const std::u32string& text) {
  std::u32string out;
  bool space = true;
  for (char32_t cp : text) {
    const bool is_space = cp == U' ' || cp == U'\n' || cp == U'\t' || cp == U'\r' || cp == U'\f';
    if (is_space) {
      if (!space) {
        out.push_back(U' ');
      }
      space = true;
    } else {
      out.push_back(cp);
      space = false;
    }
  }
  if (!out.empty() && out.back() == U' ') {
    out.pop_back();
  }
  return out;
}

}  // namespace

double character_error_rate(const std::string& truth, const std::string& text) {
  const std::u32string expected = squeeze_spaces(to_code_points(truth));
  const std::u32string actual = squeeze_spaces(to_code_points(text));
  if (expected.empty()) {
    return actual.empty() ? 0.0 : 1.0;
  }
  std::vector<std::size_t> previous(actual.size() + 1);
  std::vector<std::size_t> current(actual.size() + 1);
  for (std::size_t col = 0; col <= actual.size(); ++col) {
    previous[col] = col;
  }
  for (std::size_t row = 1; row <= expected.size(); ++row) {
    current[0] = row;
    for (std::size_t col = 1; col <= actual.size(); ++col) {
      const std::size_t substitution = previous[col - 1] + (expected[row - 1] == actual[col - 1] ? 0 : 1);
      current[col] = std::min({previous[col] + 1, current[col - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return static_cast<double>(previous[actual.size()]) / static_cast<double>(expected.size());
}

}  // namespace sohoa::test
