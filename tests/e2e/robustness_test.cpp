// The operator's bad days, end to end through the sohoa executable: broken files, broken
// manifests, a killed run, a missing language. Each must give a clear error naming the file
// (and manifest line), let the rest of the batch go on, and leave nothing half-written.

#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"
#include "temp_dir.hpp"

namespace sohoa::test {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;



// A small readable page: 200 dpi colour JPEG, skewed, from the samples.
const char* k_good_page = "samples/batch/000.15.30.H38-250618-0023/3.jpg";

class BadInput : public TempDirTest {};

TEST_F(BadInput, EachProblemIsNamedAndTheRestOfTheBatchGoesOn) {
  const fs::path batch = dir() / "lô 2026-11";
  const fs::path archive = dir() / "archive";
  const std::string good = read_file(source_path(k_good_page));
  write_file(batch / "Hồ sơ tốt 01" / "trang 1.jpg", good);
  write_file(batch / "BAD-ZERO" / "1.jpg", "");
  write_file(batch / "BAD-TEXT" / "1.jpg", "this is a note, not an image\n");
  write_file(batch / "BAD-TRUNC" / "1.jpg", good.substr(0, good.size() / 2));
  fs::create_directories(batch / "EMPTY");
  write_file(batch / "BAD-LEVEL" / "1.jpg", good);
  write_file(batch / "BAD-DATE" / "1.jpg", good);
  write_file(batch / "BAD-ENC" / "1.jpg", good);
  write_file(batch / "manifest.csv",
             "dossier_code,title,level,received_date\n"
             "Hồ sơ tốt 01,Hồ sơ có dấu cách,commune,2026-11-02\n"  // line 2
             "BAD-LEVEL,Cấp sai,ward,2026-11-02\n"                  // line 3
             "BAD-DATE,Ngày sai,commune,02/11/2026\n"               // line 4
             "BAD-ENC,H\xF4 s\xA1 \xF0,commune,2026-11-02\n");      // line 5: Windows-1258
  ASSERT_EQ(run_command(sohoa(archive, "init")).exit_code, 0);

  const auto run = run_command(sohoa(archive, "ingest " + shell_quote(batch.string()) + " --jobs 2"));
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  const std::string all = run.out + run.err;
  EXPECT_NE(all.find("BAD-ZERO/1.jpg: empty file"), std::string::npos) << all;
  EXPECT_NE(all.find("BAD-TEXT/1.jpg: not an image"), std::string::npos) << all;
  EXPECT_NE(all.find("BAD-TRUNC/1.jpg: corrupt or truncated"), std::string::npos) << all;
  EXPECT_NE(all.find("EMPTY: empty dossier folder"), std::string::npos) << all;
  EXPECT_NE(all.find("manifest.csv line 3: unknown level 'ward'"), std::string::npos) << all;
  EXPECT_NE(all.find("manifest.csv line 4: received_date '02/11/2026'"), std::string::npos) << all;
  EXPECT_NE(all.find("manifest.csv line 5: not UTF-8"), std::string::npos) << all;

  // The good dossier (Vietnamese name with spaces) is archived; none of the others is.
  const auto good_show = run_command(sohoa(archive, "show " + shell_quote("Hồ sơ tốt 01") + " --json"));
  ASSERT_EQ(good_show.exit_code, 0) << good_show.err;
  EXPECT_EQ(json::parse(good_show.out)["level"], "commune");
  for (const char* code : {"BAD-ZERO", "BAD-TEXT", "BAD-TRUNC", "EMPTY", "BAD-LEVEL", "BAD-DATE", "BAD-ENC"}) {
    EXPECT_EQ(run_command(sohoa(archive, std::string("show ") + code)).exit_code, 2) << code;
  }
  EXPECT_EQ(files_under(archive / "files", ".pdf").size(), 1U);
  EXPECT_TRUE(files_under(archive / "files", ".tmp").empty());
  // Unreadable sources are copied to quarantine with the reason beside them.
  EXPECT_GE(files_under(archive / "quarantine", ".txt").size(), 3U);

  // The operator fixes the truncated scan and runs the batch again: that dossier completes, the
  // good one is not redone.
  write_file(batch / "BAD-TRUNC" / "1.jpg", good);
  const auto again = run_command(sohoa(archive, "ingest " + shell_quote(batch.string()) + " --json"));
  EXPECT_EQ(again.exit_code, 3);
  const json summary = json::parse(again.out);
  EXPECT_EQ(summary["dossiers"]["archived"], 1);
  EXPECT_EQ(summary["dossiers"]["already_archived"], 1);
  EXPECT_EQ(run_command(sohoa(archive, "show BAD-TRUNC")).exit_code, 0);
}

TEST_F(BadInput, ADossierArchivedWithOtherPagesIsRefusedUnlessReplace) {
  const fs::path batch = dir() / "batch";
  const fs::path archive = dir() / "archive";
  const std::string page = read_file(source_path(k_good_page));
  write_file(batch / "HS-01" / "1.jpg", page);
  ASSERT_EQ(run_command(sohoa(archive, "init")).exit_code, 0);
  ASSERT_EQ(run_command(sohoa(archive, "ingest " + shell_quote(batch.string()))).exit_code, 0);
  const json before = json::parse(run_command(sohoa(archive, "show HS-01 --json")).out);

  // The operator rescans the dossier with a second page.
  write_file(batch / "HS-01" / "2.jpg", page);
  const auto refused = run_command(sohoa(archive, "ingest " + shell_quote(batch.string())));
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE((refused.out + refused.err).find("already archived with different pages"), std::string::npos)
      << refused.out << refused.err;
  EXPECT_EQ(json::parse(run_command(sohoa(archive, "show HS-01 --json")).out)["sha256"], before["sha256"]);

  const auto replaced = run_command(sohoa(archive, "ingest " + shell_quote(batch.string()) + " --replace --json"));
  ASSERT_EQ(replaced.exit_code, 0) << replaced.err;
  EXPECT_EQ(json::parse(replaced.out)["dossiers"]["replaced"], 1);
  const json after = json::parse(run_command(sohoa(archive, "show HS-01 --json")).out);
  EXPECT_EQ(after["page_count"], 2);
  EXPECT_NE(after["pdf"], before["pdf"]);          // a new file, never the old one rewritten
  EXPECT_FALSE(fs::exists(before["pdf"].get<std::string>()));  // the old one removed after the switch
  EXPECT_EQ(files_under(archive / "files", ".pdf").size(), 1U);
  EXPECT_EQ(run_command(sohoa(archive, "verify")).exit_code, 0);
}

TEST_F(BadInput, MissingLanguageDataIsFatalAndNamesThePackage) {
  write_file(dir() / "batch" / "A" / "1.jpg", read_file(source_path(k_good_page)));
  ASSERT_EQ(run_command(sohoa(dir() / "archive", "init")).exit_code, 0);
  const auto run = run_command(
      sohoa(dir() / "archive", "ingest " + shell_quote((dir() / "batch").string()) + " --lang vie+xyz"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("tesseract-ocr-xyz"), std::string::npos) << run.err;
  EXPECT_TRUE(files_under(dir() / "archive" / "files", ".pdf").empty());
}

TEST_F(BadInput, NoArchiveOrNoBatchIsExitTwoWithTheReason) {
  const auto no_archive = run_command(sohoa(dir() / "nowhere", "ingest " + shell_quote(dir().string())));
  EXPECT_EQ(no_archive.exit_code, 2);
  EXPECT_NE(no_archive.err.find("sohoa init"), std::string::npos) << no_archive.err;
  ASSERT_EQ(run_command(sohoa(dir() / "archive", "init")).exit_code, 0);
  const auto no_batch = run_command(sohoa(dir() / "archive", "ingest " + shell_quote((dir() / "nope").string())));
  EXPECT_EQ(no_batch.exit_code, 2);
  EXPECT_NE(no_batch.err.find("nope"), std::string::npos) << no_batch.err;
  const auto bad_option = run_command(sohoa(dir() / "archive", "ingest --jobs zero x"));
  EXPECT_EQ(bad_option.exit_code, 2);
}

TEST(Help, ListsEveryCommandAndTheExitCodes) {
  const auto help = run_command(std::string(SOHOA_EXE) + " --help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command : {"init", "ingest", "search", "show", "text", "verify", "summary"}) {
    EXPECT_NE(help.out.find(command), std::string::npos) << command;
  }
  EXPECT_NE(help.out.find("Exit status"), std::string::npos);
}

class KilledRun : public TempDirTest {};

TEST_F(KilledRun, KillNineMidBatchThenRerunEndsCompleteWithoutDuplicates) {
  const fs::path batch = dir() / "batch";
  fs::copy(source_path("samples/batch"), batch, fs::copy_options::recursive);
  const fs::path archive = dir() / "archive";
  ASSERT_EQ(run_command(sohoa(archive, "init")).exit_code, 0);

  // Start the run in the background and kill it -9 once its first dossier is on disk.
  const fs::path pid_file = dir() / "pid";
  const std::string start = sohoa(archive, "ingest " + shell_quote(batch.string()) + " --jobs 2 --quiet") +
                            " >/dev/null 2>&1 & echo $! > " + shell_quote(pid_file.string());
  ASSERT_EQ(std::system(start.c_str()), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const pid_t pid = std::stoi(read_file(pid_file));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (files_under(archive / "files", ".pdf").empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Half a second after the first PDF: its catalog commit is done, later dossiers are mid-way.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(kill(pid, SIGKILL), 0) << "the run ended before it could be killed";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  const auto rerun = run_command(sohoa(archive, "ingest " + shell_quote(batch.string()) + " --json"));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  const json summary = json::parse(rerun.out);
  EXPECT_LT(summary["dossiers"]["archived"].get<int>(), 4) << "nothing had been kept from the killed run";

  const json archive_summary = json::parse(run_command(sohoa(archive, "summary --json")).out);
  EXPECT_EQ(archive_summary["dossiers"], 4);
  EXPECT_EQ(archive_summary["pages"], 13);
  EXPECT_EQ(files_under(archive / "files", ".pdf").size(), 4U);
  EXPECT_TRUE(files_under(archive / "files", ".tmp").empty());
  const auto verify = run_command(sohoa(archive, "verify"));
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

}  // namespace
}  // namespace sohoa::test
