#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"
#include "sohoa/core/errors.hpp"

namespace sohoa::app {
namespace {

class SearchCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand(
        "search",
        "Find dossiers by words in their pages and in their title, code, applicant, procedure "
        "and agency. Case and diacritics do not matter (d finds đ): `dang ky kinh doanh` finds "
        "\"Đăng ký kinh doanh\". One hit per dossier: its best page, a snippet with matches in "
        "«», and its other matching pages.\n\n"
        "Query language:\n"
        "  giay phep        every word must match (in the text or the dossier's fields)\n"
        "  \"xay dung\"       the words together, in this order\n"
        "  chung*           words starting with chung (2 letters at least)\n"
        "  -\"ket hon\"       leave out dossiers with this (after at least one word to find)\n"
        "  sinh OR tu       either word (upper-case OR); `a OR b c` = (a or b) and c\n"
        "  code:000.00.04.H38-220330-0001   that dossier (code:000.00.04.H38* for a prefix)\n"
        "  applicant:\"nguyen van an\"  procedure:1.001612  agency:\"tu phap\"  unit:\"phu luong\"\n"
        "                   the words in that field\n"
        "  level:commune    province, district or commune (tinh, huyen, xa)\n"
        "  received:2026-01..2026-03   also received:2026, received:2026-03-15, received:2025..\n"
        "A dossier code or ID number typed as a word matches whole, and the dossier with that "
        "code comes first. Dossiers where the plain words stand together, in the order typed, "
        "come before the others; then best match first (BM25). Parentheses and other "
        "punctuation are not operators. When more than 2,000 pages match, the newest 2,000 are "
        "ranked and the count is an estimate (\"about N\"; total_is_estimate in --json). "
        "A query that cannot be run gets a message and exit 2.");
    command->add_option("QUERY", m_query.text, "Words, \"phrases\", prefix*, -exclude, OR, field:value")
        ->required();
    command->add_option("--agency", m_query.agency, "Only dossiers of this agency (exact)");
    command->add_option("--unit", m_query.unit, "Only dossiers received by this unit (exact)");
    command->add_option("--level", m_level, "province, district or commune");
    command->add_option("--procedure", m_query.procedure, "Only this procedure code");
    command->add_option("--from", m_query.from, "Received on or after YYYY-MM-DD");
    command->add_option("--to", m_query.to, "Received on or before YYYY-MM-DD");
    command->add_option("--limit", m_query.limit, "How many hits to show")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
    command->add_option("--offset", m_query.offset, "Skip this many hits (the next page)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    command->add_flag("--by-page", m_query.by_page, "One hit per matching page, not per dossier");
    command->add_flag("--exact", m_query.exact,
                      "Diacritics and đ must match as typed: `đà` finds Đà, not da or dân");
    add_json_flag(command, m_json);
    return command;
  }

  int run(const CommandContext& context) override {
    if (!m_level.empty()) {
      m_query.level = core::parse_level(m_level);
      if (!m_query.level) {
        throw core::UsageError("--level must be province, district or commune, not '" + m_level +
                               "'");
      }
    }
    const auto result = run_search(context.archive, m_query);
    if (m_json) {
      print_json(context.out, to_json(result, context.archive));
      return exit_ok;
    }
    auto& out = context.out;
    const auto shown = static_cast<std::int64_t>(result.hits.size());
    fmt::print(out, "{}{} {} match \"{}\"{}\n", result.total_is_estimate ? "about " : "",
               result.total,
               m_query.by_page ? "page(s)" : "dossier(s)", result.query,
               m_query.offset > 0 || result.total > shown
                   ? fmt::format(" (showing {}-{})", m_query.offset + (shown > 0 ? 1 : 0),
                                 m_query.offset + shown)
                   : "");
    int rank = m_query.offset;
    for (const auto& hit : result.hits) {
      std::string pages;
      if (hit.pages.size() > 1) {
        pages = " (matches on pages " + fmt::format("{}", fmt::join(hit.pages, ", ")) + ")";
      }
      fmt::print(out, "\n{:>2}. {}  page {}{}  (score {:.2f})\n    {}\n    {}\n    {}\n", ++rank,
                 hit.dossier, hit.page, pages, hit.score, one_line(hit.title, 100),
                 one_line(hit.snippet, 160),
                 (std::filesystem::absolute(context.archive) / hit.pdf).string());
    }
    return exit_ok;
  }

 private:
  storage::SearchQuery m_query;
  std::string m_level;
  bool m_json = false;
};

}  // namespace

std::unique_ptr<Command> make_search_command() { return std::make_unique<SearchCommand>(); }

}  // namespace sohoa::app
