#include "sohoa/core/types.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace sohoa::core {

std::string_view to_string(Level level) {
  switch (level) {
    case Level::province:
      return "province";
    case Level::district:
      return "district";
    case Level::commune:
      return "commune";
    case Level::unknown:
      break;
  }
  return "";
}

std::optional<Level> parse_level(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (Level level : {Level::province, Level::district, Level::commune}) {
    if (lower == to_string(level)) {
      return level;
    }
  }
  return std::nullopt;
}

std::string_view to_string(PageOutcome outcome) {
  switch (outcome) {
    case PageOutcome::ok:
      return "ok";
    case PageOutcome::blank:
      return "blank";
    case PageOutcome::low_confidence:
      return "low_confidence";
    case PageOutcome::unreadable:
      return "unreadable";
    case PageOutcome::empty_file:
      return "empty_file";
    case PageOutcome::unsupported:
      return "unsupported";
    case PageOutcome::ocr_failed:
      return "ocr_failed";
    case PageOutcome::io_error:
      return "io_error";
  }
  return "unknown";
}

bool is_archived(PageOutcome outcome) { return static_cast<int>(outcome) < 10; }

std::string describe_flags(std::uint32_t flags) {
  static constexpr std::array<std::pair<std::uint32_t, std::string_view>, 10> k_names{{
      {flag_dpi_assumed, "dpi-assumed"},
      {flag_orientation_uncertain, "orientation-uncertain"},
      {flag_blank, "blank"},
      {flag_low_confidence, "low-confidence"},
      {flag_low_resolution, "low-resolution"},
      {flag_too_dark, "too-dark"},
      {flag_too_light, "too-light"},
      {flag_blurred, "blurred"},
      {flag_cut_off, "cut-off"},
      {flag_left_out, "left-out"},
  }};
  std::string out;
  for (const auto& [bit, name] : k_names) {
    if ((flags & bit) != 0) {
      if (!out.empty()) {
        out += ',';
      }
      out += name;
    }
  }
  return out;
}

std::string_view to_string(ColourKind kind) {
  switch (kind) {
    case ColourKind::bilevel:
      return "bilevel";
    case ColourKind::grey:
      return "grey";
    case ColourKind::colour:
      return "colour";
  }
  return "grey";
}

}  // namespace sohoa::core
