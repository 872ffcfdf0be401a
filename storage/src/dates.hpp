#pragma once
// Private to storage/: calendar dates as ISO "YYYY-MM-DD" text, without locale or regex.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace sohoa::storage::dates {

// The date in `text` when it is exactly "YYYY-MM-DD" and a real calendar day; nullopt otherwise.
inline std::optional<std::chrono::year_month_day> parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  int values[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t sizes[3] = {4, 2, 2};
  for (int part = 0; part < 3; ++part) {
    for (std::size_t pos = starts[part]; pos < starts[part] + sizes[part]; ++pos) {
      if (text[pos] < '0' || text[pos] > '9') {
        return std::nullopt;
      }
      values[part] = values[part] * 10 + (text[pos] - '0');
    }
  }
  const std::chrono::year_month_day date{std::chrono::year{values[0]},
                                         std::chrono::month{static_cast<unsigned>(values[1])},
                                         std::chrono::day{static_cast<unsigned>(values[2])}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return date;
}

inline std::string format(std::chrono::year_month_day date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

}  // namespace sohoa::storage::dates
