// The command line: parse argv into a config, call the job, print. Nothing important lives here.

#include "cli.hpp"

#include <cstdlib>
#include <iostream>
#include <optional>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "jobs.hpp"
#include "progress.hpp"
#include "sohoa/core/errors.hpp"
#include "sohoa/pipeline/batch.hpp"

namespace sohoa::app {
namespace fs = std::filesystem;
namespace {

constexpr const char* k_footer = R"(
Archive: --archive DIR, else $SOHOA_ARCHIVE, else ./archive.

Examples:
  sohoa init
  sohoa ingest samples/batch --jobs 2 --operator "Nguyễn Văn An" --station BC-01
  sohoa search "dang ky kinh doanh" --level province
  sohoa show 000.00.04.H38-260915-0001
  sohoa text 000.00.04.H38-260915-0001 --page 2
  sohoa verify

Exit status: 0 all good; 2 could not run (bad arguments, no archive, unreadable batch folder,
missing language data); 3 finished with failures (dossiers not archived, fixity mismatches).)";

fs::path archive_root(const std::string& option) {
  if (!option.empty()) {
    return option;
  }
  if (const char* env = std::getenv("SOHOA_ARCHIVE"); env != nullptr && *env != '\0') {
    return env;
  }
  return "archive";
}

void print_json(std::ostream& out, const nlohmann::json& json) { out << json.dump(2) << '\n'; }

std::string one_line(std::string text, std::size_t width) {
  for (auto& c : text) {
    if (c == '\n' || c == '\t') {
      c = ' ';
    }
  }
  if (text.size() > width) {
    // Cut on a UTF-8 boundary.
    std::size_t cut = width;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
      --cut;
    }
    text = text.substr(0, cut) + "…";
  }
  return text;
}

}  // namespace

int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"sohoa " + version() +
               " — turns scanned dossiers into an archive of searchable PDF/A files with a "
               "full-text catalog"};
  app.footer(k_footer);
  app.require_subcommand(0, 1);
  std::string archive_option;
  app.add_option("--archive", archive_option, "Archive folder (default $SOHOA_ARCHIVE or ./archive)");
  app.set_version_flag("--version", "sohoa " + version());
  app.fallthrough();

  bool json = false;
  auto add_json = [&json](CLI::App* command) {
    command->add_flag("--json", json, "Print the result as JSON (for scripts)");
  };

  auto* init = app.add_subcommand("init", "Create an archive: catalog.sqlite (WAL) and folders");

  IngestConfig ingest_config;
  auto* ingest = app.add_subcommand(
      "ingest",
      "Turn a batch folder into archived, searchable PDFs.\nBATCH_DIR holds one folder per dossier "
      "(named by its dossier code) with page images (TIFF, JPEG, PNG) in natural order, and "
      "optionally manifest.csv with the columns\n  dossier_code,title,procedure_code,procedure_name,"
      "agency,unit,level,received_date,applicant\n(level: province|district|commune; dates "
      "YYYY-MM-DD; other columns kept as extra metadata). Re-running a batch archives only what is "
      "missing.");
  std::string batch_dir;
  ingest->add_option("BATCH_DIR", batch_dir, "Batch folder")->required();
  ingest->add_option("--jobs,-j", ingest_config.jobs, "Pages processed at once (one OCR engine each)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  ingest->add_option("--lang", ingest_config.languages, "OCR languages (Tesseract names)")
      ->capture_default_str();
  ingest->add_option("--operator", ingest_config.operator_name, "Who scanned the batch (recorded)");
  ingest->add_option("--station", ingest_config.station, "Scanning station (recorded)");
  ingest->add_flag("--replace", ingest_config.replace,
                   "Replace dossiers already archived with different pages (the old PDF is kept "
                   "until the new one is committed)");
  bool quiet = false;
  ingest->add_flag("--quiet,-q", quiet, "No progress lines; errors and the summary only");
  add_json(ingest);

  storage::SearchQuery query;
  auto* search = app.add_subcommand(
      "search",
      "Find pages by words. Case and diacritics do not matter (d finds đ): `dang ky kinh doanh` "
      "finds \"Đăng ký kinh doanh\". \"Quoted words\" must appear together as a phrase. Every word "
      "must match.");
  search->add_option("QUERY", query.text, "Words and \"quoted phrases\"")->required();
  search->add_option("--agency", query.agency, "Only dossiers of this agency (exact)");
  search->add_option("--unit", query.unit, "Only dossiers received by this unit (exact)");
  std::string level;
  search->add_option("--level", level, "province, district or commune");
  search->add_option("--procedure", query.procedure, "Only this procedure code");
  search->add_option("--from", query.from, "Received on or after YYYY-MM-DD");
  search->add_option("--to", query.to, "Received on or before YYYY-MM-DD");
  search->add_option("--limit", query.limit, "How many hits to show")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  add_json(search);

  std::string code;
  auto* show = app.add_subcommand("show", "A dossier's metadata, pages and PDF");
  show->add_option("CODE", code, "Dossier code")->required();
  add_json(show);

  int page = 0;
  auto* text = app.add_subcommand("text", "The OCR text of a dossier");
  text->add_option("CODE", code, "Dossier code")->required();
  text->add_option("--page", page, "Only this page (1-based)")->check(CLI::PositiveNumber);
  add_json(text);

  auto* verify = app.add_subcommand("verify", "Re-hash every stored PDF against the catalog");
  add_json(verify);

  auto* summary = app.add_subcommand("summary", "What the archive holds");
  add_json(summary);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    out << app.help();
    return exit_ok;
  } catch (const CLI::CallForVersion&) {
    out << "sohoa " << version() << '\n';
    return exit_ok;
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {
      out << app.help();
      return exit_ok;
    }
    fmt::print(err, "sohoa: {}\nRun 'sohoa --help' for the commands and their options.\n",
               error.what());
    return exit_error;
  }
  if (app.get_subcommands().empty()) {
    out << app.help();
    return exit_ok;
  }

  const fs::path archive = archive_root(archive_option);
  try {
    if (init->parsed()) {
      const fs::path root = run_init(archive);
      if (json) {
        print_json(out, {{"archive", root.string()}});
      } else {
        fmt::print(out, "Archive ready at {}\n", root.string());
      }
      return exit_ok;
    }
    if (ingest->parsed()) {
      ingest_config.archive = archive;
      ingest_config.batch = batch_dir;
      const bool live = !json && !quiet && isatty(STDERR_FILENO) != 0;
      ConsoleObserver observer(err, live, quiet || json);
      core::SystemClock clock;
      const IngestSummary result = run_ingest(ingest_config, clock, &observer);
      observer.finish();
      if (json) {
        print_json(out, to_json(result));
      } else {
        print_summary(out, result);
      }
      return exit_code(result);
    }
    if (search->parsed()) {
      if (!level.empty()) {
        query.level = core::parse_level(level);
        if (!query.level) {
          throw core::UsageError("--level must be province, district or commune, not '" + level + "'");
        }
      }
      const auto result = run_search(archive, query);
      if (json) {
        print_json(out, to_json(result, archive));
        return exit_ok;
      }
      fmt::print(out, "{} page(s) match \"{}\"{}\n", result.total, result.query,
                 result.total > static_cast<std::int64_t>(result.hits.size())
                     ? fmt::format(" (showing {})", result.hits.size())
                     : "");
      int rank = 0;
      for (const auto& hit : result.hits) {
        fmt::print(out, "\n{:>2}. {}  page {}  (score {:.2f})\n    {}\n    {}\n    {}\n", ++rank,
                   hit.dossier, hit.page, hit.score, one_line(hit.title, 100),
                   one_line(hit.snippet, 160), (fs::absolute(archive) / hit.pdf).string());
      }
      return exit_ok;
    }
    if (show->parsed()) {
      const auto dossier = run_show(archive, code);
      if (json) {
        print_json(out, to_json(dossier, archive));
        return exit_ok;
      }
      const auto& meta = dossier.meta;
      auto field = [&out](const char* name, const std::string& value) {
        fmt::print(out, "{:<15} {}\n", name, value.empty() ? "-" : value);
      };
      field("Dossier", meta.code);
      field("Title", meta.title);
      field("Procedure", meta.procedure_code.empty() ? meta.procedure_name
                                                     : meta.procedure_code + "  " + meta.procedure_name);
      field("Agency", meta.agency);
      field("Unit", meta.unit);
      field("Level", std::string(core::to_string(meta.level)));
      field("Received", meta.received_date);
      field("Applicant", meta.applicant);
      for (const auto& [key, value] : meta.extra) {
        field(key.c_str(), value);
      }
      field("Digitized", dossier.digitized_at + "  (batch " + std::to_string(dossier.batch_id) + ")");
      field("PDF", (fs::absolute(archive) / dossier.pdf_path).string());
      field("SHA-256", dossier.pdf_sha256);
      field("Size", fmt::format("{} bytes, {} pages", dossier.pdf_bytes, dossier.page_count));
      fmt::print(out, "\n{:>4}  {:>8}  {:>7}  {:>10}  {:<15} {}\n", "page", "rotation", "skew",
                 "confidence", "outcome", "flags / source");
      for (const auto& row : dossier.pages) {
        std::string source = fs::path(row.source_path).filename().string();
        if (row.source_index > 0) {
          source += fmt::format(" [page {}]", row.source_index + 1);
        }
        const std::string flags = core::describe_flags(row.flags);
        fmt::print(out, "{:>4}  {:>7}°  {:>6.2f}°  {:>9.0f}%  {:<15} {}{}\n", row.seq,
                   row.rotation_deg, row.skew_deg, row.ocr_confidence, core::to_string(row.outcome),
                   flags.empty() ? "" : flags + "  ", source);
      }
      return exit_ok;
    }
    if (text->parsed()) {
      const auto texts = run_text(archive, code, page);
      if (json) {
        nlohmann::json pages = nlohmann::json::array();
        for (const auto& [seq, body] : texts) {
          pages.push_back({{"page", seq}, {"text", body}});
        }
        print_json(out, {{"dossier", code}, {"pages", pages}});
        return exit_ok;
      }
      for (const auto& [seq, body] : texts) {
        if (texts.size() > 1) {
          fmt::print(out, "--- page {} ---\n", seq);
        }
        out << body << (body.empty() || body.back() == '\n' ? "" : "\n");
      }
      return exit_ok;
    }
    if (verify->parsed()) {
      const bool live = !json && isatty(STDERR_FILENO) != 0;
      const auto report = run_verify(archive, [&](int done, int total) {
        if (live) {
          err << fmt::format("\r\033[Kverifying {}/{}", done, total) << std::flush;
        }
      });
      if (live) {
        err << "\r\033[K" << std::flush;
      }
      if (json) {
        print_json(out, to_json(report));
      } else {
        for (const auto& problem : report.problems) {
          fmt::print(out, "{}: {} ({}){}\n", storage::to_string(problem.kind), problem.path,
                     problem.dossier,
                     problem.actual.empty() ? ""
                                            : fmt::format(": sha256 {} expected {}", problem.actual,
                                                          problem.expected));
        }
        fmt::print(out, "{} file(s) checked, {} bytes: {}\n", report.files_checked,
                   report.bytes_checked,
                   report.problems.empty() ? "all intact"
                                           : fmt::format("{} problem(s)", report.problems.size()));
      }
      return report.problems.empty() ? exit_ok : exit_failures;
    }
    if (summary->parsed()) {
      const auto result = run_summary(archive);
      if (json) {
        print_json(out, to_json(result));
        return exit_ok;
      }
      fmt::print(out, "Archive {}\n", fs::absolute(archive).string());
      fmt::print(out, "  dossiers: {}   pages: {}   PDF bytes: {}   batches: {}\n", result.dossiers,
                 result.pages, result.pdf_bytes, result.batches);
      std::string levels;
      for (const auto& [name, count] : result.dossiers_by_level) {
        levels += fmt::format("{}{} {}", levels.empty() ? "" : ", ", count,
                              name.empty() ? "unknown" : name);
      }
      fmt::print(out, "  by level: {}\n  pages flagged for rescan: {}\n  last ingest: {}\n",
                 levels.empty() ? "-" : levels, result.flagged_pages,
                 result.last_ingest.empty() ? "-" : result.last_ingest);
      return exit_ok;
    }
  } catch (const storage::QueryError& error) {
    fmt::print(err, "sohoa: {}\n", error.what());
    return exit_error;
  } catch (const core::UsageError& error) {
    fmt::print(err, "sohoa: {}\n", error.what());
    return exit_error;
  } catch (const core::Fatal& error) {
    fmt::print(err, "sohoa: {}\n", error.what());
    return exit_error;
  } catch (const std::exception& error) {
    fmt::print(err, "sohoa: internal error: {}\n", error.what());
    return exit_error;
  }
  return exit_ok;
}

}  // namespace sohoa::app
