#pragma once
// Injectable time and identifiers, so that a job run twice on the same input gives the same output.

#include <chrono>
#include <string>

namespace sohoa::core {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point at) : m_at(at) {}
  std::chrono::system_clock::time_point now() const override { return m_at; }

 private:
  std::chrono::system_clock::time_point m_at;
};

// "2026-11-23T16:12:07Z" (UTC, seconds).
std::string iso_utc(std::chrono::system_clock::time_point at);
// "2026-11-23" (UTC).
std::string iso_date(std::chrono::system_clock::time_point at);

}  // namespace sohoa::core
