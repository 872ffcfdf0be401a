#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "command.hpp"
#include "jobs.hpp"
#include "sohoa/core/errors.hpp"
#include "sohoa/storage/archive.hpp"
#include "sohoa/storage/targets.hpp"

namespace sohoa::app {
namespace {

class TargetsCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* command = app.add_subcommand(
        "targets", "Digitization targets: percent of received dossiers, per level and per unit");
    command->require_subcommand(1);
    m_set = command->add_subcommand(
        "set",
        "Set targets: --file FILE.json replaces them all ({\"levels\": {\"province\": 50, ...}, "
        "\"units\": {\"<unit>\": 45}}); --level L PERCENT or --unit U PERCENT sets one; "
        "--unit U --remove drops a unit's override");
    m_set->add_option("--file", m_file, "A targets JSON file (replaces every target)");
    m_set->add_option("--level", m_level, "province, district or commune");
    m_set->add_option("--unit", m_unit, "A unit, named as in the register (an override)");
    m_set->add_flag("--remove", m_remove, "With --unit: remove the unit's override");
    m_set->add_option("PERCENT", m_percent, "The target, 0 to 100");
    m_show = command->add_subcommand("show", "Print the targets");
    add_json_flag(m_show, m_json);
    return command;
  }

  int run(const CommandContext& context) override {
    auto archive = storage::Archive::open(context.archive);
    auto& catalog = archive.catalog();
    if (m_set->parsed()) {
      set(catalog, context);
      return exit_ok;
    }
    const auto targets = storage::load_targets(catalog);
    if (m_json) {
      nlohmann::json levels = nlohmann::json::object();
      for (const auto& [level, percent] : targets.by_level) {
        levels[std::string(core::to_string(level))] = percent;
      }
      nlohmann::json units = nlohmann::json::object();
      for (const auto& [unit, percent] : targets.by_unit) {
        units[unit] = percent;
      }
      print_json(context.out, {{"levels", levels}, {"units", units}});
      return exit_ok;
    }
    if (targets.by_level.empty() && targets.by_unit.empty()) {
      fmt::print(context.out, "No targets set (sohoa targets set --file samples/targets.json)\n");
      return exit_ok;
    }
    fmt::print(context.out, "Targets (percent of received dossiers digitized)\n");
    for (const auto& [level, percent] : targets.by_level) {
      fmt::print(context.out, "  {:<10} {:g}%\n", core::to_string(level), percent);
    }
    for (const auto& [unit, percent] : targets.by_unit) {
      fmt::print(context.out, "  unit {}: {:g}%\n", unit, percent);
    }
    return exit_ok;
  }

 private:
  void set(storage::Catalog& catalog, const CommandContext& context) {
    const int chosen = (m_file.empty() ? 0 : 1) + (m_level.empty() ? 0 : 1) + (m_unit.empty() ? 0 : 1);
    if (chosen != 1) {
      throw core::UsageError("targets set: give exactly one of --file, --level or --unit");
    }
    if (!m_file.empty()) {
      std::ifstream in(m_file, std::ios::binary);
      if (!in) {
        throw core::UsageError("cannot read the targets file " + m_file);
      }
      std::ostringstream text;
      text << in.rdbuf();
      const auto targets = storage::parse_targets_json(text.str(), m_file);
      storage::replace_targets(catalog, targets);
      fmt::print(context.out, "Targets set from {}: {} level(s), {} unit override(s)\n", m_file,
                 targets.by_level.size(), targets.by_unit.size());
      return;
    }
    if (!m_unit.empty() && m_remove) {
      if (!storage::remove_unit_target(catalog, m_unit)) {
        throw core::UsageError("unit '" + m_unit + "' has no target of its own");
      }
      fmt::print(context.out, "Removed the target of {}: its level's target applies\n", m_unit);
      return;
    }
    if (!m_percent) {
      throw core::UsageError("targets set: give the target PERCENT (0 to 100)");
    }
    if (!m_level.empty()) {
      const auto level = core::parse_level(m_level);
      if (!level) {
        throw core::UsageError("--level must be province, district or commune, not '" + m_level + "'");
      }
      storage::set_level_target(catalog, *level, *m_percent);
      fmt::print(context.out, "Target of {} level: {:g}%\n", core::to_string(*level), *m_percent);
    } else {
      storage::set_unit_target(catalog, m_unit, *m_percent);
      fmt::print(context.out, "Target of {}: {:g}%\n", m_unit, *m_percent);
    }
  }

  CLI::App* m_set = nullptr;
  CLI::App* m_show = nullptr;
  std::string m_file;
  std::string m_level;
  std::string m_unit;
  bool m_remove = false;
  std::optional<double> m_percent;
  bool m_json = false;
};

}  // namespace

std::unique_ptr<Command> make_targets_command() { return std::make_unique<TargetsCommand>(); }

}  // namespace sohoa::app
