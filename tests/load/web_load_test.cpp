// Load: 50 clients, each on its own keep-alive connection, log in and search for 30 s against one
// server on loopback (SOHOA_LOAD_SECONDS and SOHOA_LOAD_CLIENTS change the figures). Every answer
// must be a 200, and the server must still answer afterwards. The latency figures are printed,
// not asserted: speed belongs in the closing note, not in a pass/fail.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "temp_dir.hpp"
#include "web_archive.hpp"

namespace sohoa::test {
namespace {
using Clock = std::chrono::steady_clock;

int env_int(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

double percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) {
    return 0.0;
  }
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

class WebLoad : public TempDirTest {};

TEST_F(WebLoad, FiftyClientsSearchForThirtySecondsAndEveryAnswerIsA200) {
  const int clients = env_int("SOHOA_LOAD_CLIENTS", 50);
  const int seconds = env_int("SOHOA_LOAD_SECONDS", 30);
  const auto sample = make_sample_archive(dir() / "archive");
  MovableClock clock;
  RunningServer server(sample.root, clock, clients + 14);
  const auto& user = sample.user_of.at(storage::Role::archivist);
  const auto password = SampleArchive::password_of(storage::Role::archivist);
  const std::vector<std::string> queries = {
      "/api/search?q=dang%20ky",          "/api/search?q=xay%20dung&limit=10",
      "/api/search?q=%22giay%20phep%22",  "/api/search?q=khai*&level=commune",
      "/api/search?q=nguyen%20van%20an",  "/api/search?q=dang%20OR%20xay&by_page=1",
      "/api/search?q=applicant:%22tran%20thi%22", "/api/search?q=&from=2026-01-01",
  };

  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::map<int, int> statuses;  // status (or -1: no answer) -> count
  std::map<std::string, int> errors;  // why there was no answer -> count
  std::atomic<int> logged_in{0};
  const auto started = Clock::now();
  const auto stop_at = started + std::chrono::seconds(seconds) + std::chrono::seconds(30);
  Clock::time_point search_started;
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int client_index = 0; client_index < clients; ++client_index) {
    threads.emplace_back([&, client_index] {
      WebClient web(server.port());
      std::vector<double> mine;
      std::map<int, int> my_statuses;
      std::map<std::string, int> my_errors;
      int status = 0;
      const auto login_started = Clock::now();
      const auto session = web.login(user, password, &status);
      ++my_statuses[status];
      if (status != 200) {
        ++my_errors[fmt::format("login answered {} after {:.1f} s", status,
                                std::chrono::duration<double>(Clock::now() - login_started).count())];
      }
      ++logged_in;
      while (!go.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      const auto end = search_started + std::chrono::seconds(seconds);
      std::size_t next = static_cast<std::size_t>(client_index);
      while (Clock::now() < end && Clock::now() < stop_at) {
        const auto before = Clock::now();
        const auto result = web.get(queries[next++ % queries.size()], &session);
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - before).count());
        ++my_statuses[result ? result->status : -1];
        if (!result) {
          ++my_errors[httplib::to_string(result.error())];
        }
      }
      std::lock_guard lock(mutex);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
      for (const auto& [code, count] : my_statuses) {
        statuses[code] += count;
      }
      for (const auto& [error, count] : my_errors) {
        errors[error] += count;
      }
    });
  }
  while (logged_in.load() < clients) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const double login_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  search_started = Clock::now();
  go = true;
  for (auto& thread : threads) {
    thread.join();
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - search_started).count();

  std::sort(latencies_ms.begin(), latencies_ms.end());
  const auto requests = latencies_ms.size();
  fmt::print("web_load: {} clients logged in in {:.1f} s, then searched for {:.1f} s\n", clients,
             login_seconds, elapsed);
  fmt::print("web_load: {} searches, {:.0f} req/s; latency ms p50 {:.1f}  p95 {:.1f}  p99 {:.1f}  "
             "max {:.1f}\n",
             requests, static_cast<double>(requests) / elapsed, percentile(latencies_ms, 0.50),
             percentile(latencies_ms, 0.95), percentile(latencies_ms, 0.99),
             latencies_ms.empty() ? 0.0 : latencies_ms.back());
  for (const auto& [code, count] : statuses) {
    fmt::print("web_load: status {}: {}\n", code, count);
  }
  for (const auto& [error, count] : errors) {
    fmt::print("web_load: no answer ({}): {}\n", error, count);
  }
  EXPECT_EQ(statuses.size(), 1U) << "some answers were not 200";
  EXPECT_EQ(statuses.begin()->first, 200);
  EXPECT_GT(requests, 0U);

  WebClient after(server.port());
  const auto session = after.login(user, password);
  const auto me = after.get("/api/me", &session);
  ASSERT_TRUE(me) << "the server no longer answers";
  EXPECT_EQ(me->status, 200);
  EXPECT_TRUE(server.log().empty()) << server.log().front();
}

}  // namespace
}  // namespace sohoa::test
