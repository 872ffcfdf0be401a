// End to end: the web app as an administrator starts it. Accounts made with `sohoa user add
// --password-stdin`, the real `sohoa serve --listen 127.0.0.1:0` started as a process (its first
// line says the port), a browser's requests, and `sohoa audit` showing who opened what. The
// archive is the web tests' sample (real PDFs, no OCR run), so the test takes seconds.

#include <csignal>
#include <cstdio>

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"
#include "temp_dir.hpp"
#include "web_archive.hpp"

namespace sohoa::test {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

// `sohoa --archive ARCHIVE serve --listen 127.0.0.1:0` as a child process; stdout on a pipe.
class ServeProcess {
 public:
  explicit ServeProcess(const fs::path& archive) {
    int out[2];
    if (pipe(out) != 0) {
      return;
    }
    m_pid = fork();
    if (m_pid == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      execl(SOHOA_EXE, SOHOA_EXE, "--archive", archive.c_str(), "serve", "--listen",
            "127.0.0.1:0", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    m_out = fdopen(out[0], "r");
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;
  ~ServeProcess() {
    if (m_pid > 0 && !m_waited) {
      kill(m_pid, SIGKILL);
      waitpid(m_pid, nullptr, 0);
    }
    if (m_out != nullptr) {
      fclose(m_out);
    }
  }
  // The first line the server prints ("listening on http://127.0.0.1:PORT").
  std::string first_line() {
    std::string line;
    int c = 0;
    while (m_out != nullptr && (c = fgetc(m_out)) != EOF && c != '\n') {
      line += static_cast<char>(c);
    }
    return line;
  }
  // Sends SIGTERM and returns the exit status (-1 when it did not exit normally).
  int stop() {
    kill(m_pid, SIGTERM);
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_waited = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t m_pid = -1;
  FILE* m_out = nullptr;
  bool m_waited = false;
};

class WebServe : public TempDirTest {};

TEST_F(WebServe, AnArchivistLogsInSearchesReadsAPageAndDownloadsThePdf) {
  const auto sample = make_sample_archive(dir() / "archive");
  const auto& archive = sample.root;
  const auto added = run_command("printf 'mat-khau-2026\\n' | " +
                                 sohoa(archive, "user add lan --role archivist --password-stdin"));
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(added.out, "User lan added (archivist)\n");
  const auto short_password = run_command(
      "printf 'short\\n' | " + sohoa(archive, "user add minh --role official --password-stdin"));
  EXPECT_EQ(short_password.exit_code, 2);
  EXPECT_NE(short_password.err.find("at least 8"), std::string::npos) << short_password.err;
  const auto bad_role = run_command("printf 'mat-khau-2026\\n' | " +
                                    sohoa(archive, "user add minh --role root --password-stdin"));
  EXPECT_EQ(bad_role.exit_code, 2);

  ServeProcess server(archive);
  const std::string line = server.first_line();
  const std::string prefix = "listening on http://127.0.0.1:";
  ASSERT_EQ(line.rfind(prefix, 0), 0U) << line;
  const int port = std::stoi(line.substr(prefix.size()));
  ASSERT_GT(port, 0);

  WebClient web(port);
  EXPECT_EQ(web.get("/")->status, 302);
  int status = 0;
  const auto session = web.login("lan", "mat-khau-2026", &status);
  ASSERT_EQ(status, 200);
  const auto search = web.get("/api/search?q=giay%20phep%20xay%20dung", &session);
  ASSERT_EQ(search->status, 200);
  const auto hits = json::parse(search->body)["hits"];
  ASSERT_FALSE(hits.empty());
  const std::string code = hits[0]["dossier"];
  EXPECT_EQ(code, sample.codes[1]);

  EXPECT_EQ(web.get("/api/dossiers/" + code, &session)->status, 200);
  const auto image = web.get("/api/dossiers/" + code + "/pages/1/image?width=160", &session);
  ASSERT_EQ(image->status, 200);
  EXPECT_EQ(image->body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  const auto pdf = web.get("/api/dossiers/" + code + "/pdf", &session);
  ASSERT_EQ(pdf->status, 200);
  EXPECT_EQ(pdf->body.substr(0, 5), "%PDF-");

  // The administrator sees who opened and downloaded what.
  const auto audit = run_command(sohoa(archive, "audit --user lan --json"));
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  const auto events = json::parse(audit.out)["events"];
  std::vector<std::string> actions;
  for (const auto& event : events) {
    actions.push_back(event["action"]);
    if (event["action"] != "login") {
      EXPECT_EQ(event["dossier"], code);
    }
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"download", "view", "login"}));
  const auto table = run_command(sohoa(archive, "audit --action download"));
  EXPECT_NE(table.out.find("lan"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find(code), std::string::npos) << table.out;

  // Disabling the account ends its session at once, and it cannot log in again.
  ASSERT_EQ(run_command(sohoa(archive, "user disable lan")).exit_code, 0);
  EXPECT_EQ(web.get("/api/me", &session)->status, 401);
  web.login("lan", "mat-khau-2026", &status);
  EXPECT_EQ(status, 401);
  const auto users = run_command(sohoa(archive, "user list --json"));
  EXPECT_NE(users.out.find("\"disabled\": true"), std::string::npos) << users.out;

  EXPECT_EQ(server.stop(), 0) << "SIGTERM stops the server cleanly";
}

}  // namespace
}  // namespace sohoa::test
