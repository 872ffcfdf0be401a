#include "sohoa/core/clock.hpp"

#include <ctime>

namespace sohoa::core {
namespace {

std::tm utc(std::chrono::system_clock::time_point at) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  return parts;
}


}  // namespace

std::string iso_utc(std::chrono::system_clock::time_point at) {
  const std::tm parts = utc(at);
  char buffer[32];
  const std::size_t size = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return std::string(buffer, size);
}

std::string iso_date(std::chrono::system_clock::time_point at) {
  return iso_utc(at).substr(0, 10);
}

}  // namespace sohoa::core
