#pragma once
// Test support for the web app: a small archive with real PDFs (text layer included, no OCR run)
// and one account per role, and a sohoa::web::Server run on a free loopback port with a clock the
// test can move forward.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "sohoa/core/clock.hpp"
#include "sohoa/core/types.hpp"
#include "sohoa/storage/accounts.hpp"
#include "sohoa/web/server.hpp"

namespace sohoa::test {

// A word of a sample page: its text and its box in image pixels.
struct SampleWord {
  std::string text;
  core::Box box;
};

struct SampleArchive {
  std::filesystem::path root;
  std::vector<std::string> codes;  // the dossiers, in the order created
  // Page size of every sample page, pixels (at 100 dpi).
  static constexpr int k_page_width = 1100;
  static constexpr int k_page_height = 1400;
  // The words of page `seq` of dossier codes[0] ("000.00.04.H38-260302-0001").
  std::vector<SampleWord> first_dossier_words(int seq) const;
  std::map<storage::Role, std::string> user_of;  // the account of each role
  static std::string password_of(storage::Role role);  // each account's password
};

// Creates the archive at `root` with three dossiers (two pages, one page, one page; one of them a
// district dossier, each with an applicant's name), one batch with a failure and a page to
// rescan, and the four accounts. Takes about a second (the argon2id hashes). Fails the current
// test (gtest ADD_FAILURE) when something cannot be written.
SampleArchive make_sample_archive(const std::filesystem::path& root);

// A clock `offset` ahead of the system clock; tests move it to expire sessions and throttles.
class MovableClock final : public core::Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now() + std::chrono::seconds(m_offset.load());
  }
  void advance(std::chrono::seconds by) { m_offset += by.count(); }

 private:
  std::atomic<std::int64_t> m_offset{0};
};

// A sohoa::web::Server on a free loopback port, serving in a thread of its own until destroyed.
class RunningServer {
 public:
  RunningServer(const std::filesystem::path& archive, const core::Clock& clock, int threads = 16);
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;
  ~RunningServer();
  int port() const { return m_port; }
  std::vector<std::string> log() const;  // what the server reported (500s)

 private:
  std::shared_ptr<std::vector<std::string>> m_log;
  std::shared_ptr<std::mutex> m_log_mutex;
  std::unique_ptr<web::Server> m_server;
  std::thread m_thread;
  int m_port = 0;
};

// A logged-in browser: its cookie and CSRF token.
struct WebSession {
  std::string cookie;  // "sohoa_session=..."
  std::string csrf;
};

// An HTTP client of a server on 127.0.0.1:`port`, one connection (kept alive).
class WebClient {
 public:
  explicit WebClient(int port);
  // POST /api/login; the session when the answer is 200, else an empty one (`status` says why).
  WebSession login(const std::string& user, const std::string& password, int* status = nullptr);
  httplib::Result get(const std::string& path, const WebSession* session = nullptr);
  // POST with `body` (JSON) and, when `csrf` is non-null, that X-CSRF-Token header.
  httplib::Result post(const std::string& path, const std::string& body,
                       const WebSession* session = nullptr, const std::string* csrf = nullptr);
  httplib::Client& raw() { return m_client; }

 private:
  httplib::Client m_client;
};

}  // namespace sohoa::test
