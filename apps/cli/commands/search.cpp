#include <fmt/format.h>
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
        "Find pages by words. Case and diacritics do not matter (d finds đ): `dang ky kinh doanh` "
        "finds \"Đăng ký kinh doanh\". \"Quoted words\" must appear together as a phrase. Every "
        "word must match.");
    command->add_option("QUERY", m_query.text, "Words and \"quoted phrases\"")->required();
    command->add_option("--agency", m_query.agency, "Only dossiers of this agency (exact)");
    command->add_option("--unit", m_query.unit, "Only dossiers received by this unit (exact)");
    command->add_option("--level", m_level, "province, district or commune");
    command->add_option("--procedure", m_query.procedure, "Only this procedure code");
    command->add_option("--from", m_query.from, "Received on or after YYYY-MM-DD");
    command->add_option("--to", m_query.to, "Received on or before YYYY-MM-DD");
    command->add_option("--limit", m_query.limit, "How many hits to show")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
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
    fmt::print(out, "{} page(s) match \"{}\"{}\n", result.total, result.query,
               result.total > static_cast<std::int64_t>(result.hits.size())
                   ? fmt::format(" (showing {})", result.hits.size())
                   : "");
    int rank = 0;
    for (const auto& hit : result.hits) {
      fmt::print(out, "\n{:>2}. {}  page {}  (score {:.2f})\n    {}\n    {}\n    {}\n", ++rank,
                 hit.dossier, hit.page, hit.score, one_line(hit.title, 100),
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
