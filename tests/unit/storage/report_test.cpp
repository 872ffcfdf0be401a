#include "sohoa/storage/report.hpp"

#include <string>

#include <gtest/gtest.h>

#include "sohoa/core/errors.hpp"
#include "sohoa/storage/register.hpp"
#include "sohoa/storage/targets.hpp"
#include "temp_dir.hpp"

namespace sohoa::storage {
namespace {

constexpr const char* k_province = "TTPVHCC tỉnh";
constexpr const char* k_commune_a = "Một cửa xã A";
constexpr const char* k_commune_b = "Một cửa xã B";

void archive(Catalog& catalog, const std::string& code, const std::string& unit, core::Level level,
             const std::string& received) {
  DossierRecord dossier;
  dossier.meta.code = code;
  dossier.meta.title = "Hồ sơ " + code;
  dossier.meta.unit = unit;
  dossier.meta.level = level;
  dossier.meta.received_date = received;
  dossier.pdf_path = "files/x/" + code + ".pdf";
  catalog.put_dossier(dossier, false);
}

// Register (by hand): province 10 received in 2026-Q3 (P-01..P-10), 3 archived; commune A 4
// received in Q3, 1 archived; commune B 3 received in Q3, 0 archived; P-11 received in Q4.
// Archived but not registered: U-1 (commune B, 2026-08-01) and U-2 (province, 2025-01-01).
class ReportTest : public test::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    m_catalog.emplace(Catalog::open(dir() / "catalog.sqlite", true));
    std::string csv = "dossier_code,unit,level,received_date,due_date,resolved_date,agency\n";
    for (int idx = 1; idx <= 10; ++idx) {
      // P-01..P-04 early, P-05 on time, P-06..P-07 late, P-08..P-10 pending.
      const std::string resolved = idx <= 4 ? "2026-07-09" : idx == 5 ? "2026-07-10"
                                   : idx <= 7 ? "2026-07-11" : "";
      csv += fmt_code("P-", idx) + "," + k_province + ",province,2026-07-0" +
             std::to_string(idx % 9 + 1) + ",2026-07-10," + resolved + ",Sở Tư pháp\n";
    }
    csv += std::string("P-11,") + k_province + ",province,2026-10-01,,,Sở Tư pháp\n";
    for (int idx = 1; idx <= 4; ++idx) {
      csv += fmt_code("A-", idx) + "," + k_commune_a + ",commune,2026-09-30,,,UBND xã A\n";
    }
    for (int idx = 1; idx <= 3; ++idx) {
      csv += fmt_code("B-", idx) + "," + k_commune_b + ",commune,2026-08-15,,,UBND xã B\n";
    }
    test::write_file(dir() / "register.csv", csv);
    import_register(*m_catalog, dir() / "register.csv", "t");
    for (const char* code : {"P-01", "P-02", "P-03", "P-11"}) {
      archive(*m_catalog, code, k_province, core::Level::province, "2026-07-01");
    }
    archive(*m_catalog, "A-01", k_commune_a, core::Level::commune, "2026-09-30");
    archive(*m_catalog, "U-1", k_commune_b, core::Level::commune, "2026-08-01");
    archive(*m_catalog, "U-2", k_province, core::Level::province, "2025-01-01");
    m_targets.by_level = {{core::Level::province, 50.0}, {core::Level::district, 40.0},
                          {core::Level::commune, 30.0}};
  }

  static std::string fmt_code(const std::string& prefix, int idx) {
    return prefix + (idx < 10 ? "0" : "") + std::to_string(idx);
  }

  Report report(const std::string& period, ReportBy by) {
    ReportQuery query;
    query.period = parse_period(period);
    query.by = by;
    return build_report(*m_catalog, query, m_targets);
  }

  std::optional<Catalog> m_catalog;
  Targets m_targets;
};

TEST(ReportPeriod, AcceptsYearsQuartersMonthsDaysAndRanges) {
  EXPECT_EQ(parse_period("2026").from, "2026-01-01");
  EXPECT_EQ(parse_period("2026").to, "2026-12-31");
  EXPECT_EQ(parse_period("2026-Q3").from, "2026-07-01");
  EXPECT_EQ(parse_period("2026-Q3").to, "2026-09-30");
  EXPECT_EQ(parse_period("2024-02").to, "2024-02-29");
  EXPECT_EQ(parse_period("2026-01-15..2026-03").from, "2026-01-15");
  EXPECT_EQ(parse_period("2026-01-15..2026-03").to, "2026-03-31");
  EXPECT_EQ(parse_period("2025..").to, "9999-12-31");
  for (const char* bad : {"26", "2026-Q5", "2026-13", "2026-02-30", "Q3", "2026-03..2026-01", "x..y"}) {
    EXPECT_THROW(parse_period(bad), core::UsageError) << bad;
  }
}

TEST_F(ReportTest, RatesTargetsAndGapsByLevel) {
  const auto result = report("2026-Q3", ReportBy::level);
  ASSERT_EQ(result.rows.size(), 2U);
  const auto& province = result.rows[0];
  EXPECT_EQ(province.key, "province");
  EXPECT_EQ(province.received, 10);  // P-11 is in Q4, U-2 in 2025
  EXPECT_EQ(province.digitized, 3);
  EXPECT_DOUBLE_EQ(province.rate, 30.0);
  ASSERT_TRUE(province.target.has_value());
  EXPECT_DOUBLE_EQ(*province.target, 50.0);
  EXPECT_EQ(province.gap, 2);  // 5 needed
  const auto& commune = result.rows[1];
  EXPECT_EQ(commune.key, "commune");
  EXPECT_EQ(commune.received, 8);  // 4 + 3 + the unregistered U-1
  EXPECT_EQ(commune.digitized, 2);  // A-01 and U-1
  EXPECT_EQ(commune.unregistered, 1);
  EXPECT_EQ(commune.gap, 1);  // ceil(0.3 * 8) = 3 needed
  EXPECT_EQ(result.total.received, 18);
  EXPECT_EQ(result.total.digitized, 5);
  EXPECT_EQ(result.total.gap, 3);  // ceil(5 + 2.4) = 8 needed
  ASSERT_EQ(result.unregistered.size(), 1U);
  EXPECT_EQ(result.unregistered[0].code, "U-1");
}

TEST_F(ReportTest, OnTimeStatusFromDueAndResolvedDates) {
  const auto result = report("2026-07", ReportBy::level);
  ASSERT_EQ(result.rows.size(), 1U);
  EXPECT_EQ(result.rows[0].early, 4);
  EXPECT_EQ(result.rows[0].on_time, 1);
  EXPECT_EQ(result.rows[0].late, 2);
  EXPECT_EQ(result.rows[0].pending, 3);
}

TEST_F(ReportTest, AUnitOverrideWinsAndMixedRowsWeighTheirTargets) {
  m_targets.by_unit[k_commune_a] = 50.0;
  const auto by_unit = report("2026-Q3", ReportBy::unit);
  ASSERT_EQ(by_unit.rows.size(), 3U);
  EXPECT_EQ(by_unit.rows[0].key, k_province);
  EXPECT_EQ(by_unit.rows[1].key, k_commune_a);
  EXPECT_DOUBLE_EQ(*by_unit.rows[1].target, 50.0);
  EXPECT_EQ(by_unit.rows[1].gap, 1);  // 2 of 4 needed, 1 digitized
  EXPECT_EQ(by_unit.rows[2].key, k_commune_b);
  EXPECT_DOUBLE_EQ(*by_unit.rows[2].target, 30.0);
  EXPECT_EQ(by_unit.rows[2].gap, 1);  // ceil(0.3 * 4) = 2, 1 digitized (U-1)
  const auto by_level = report("2026-Q3", ReportBy::level);
  // commune: 0.5 * 4 + 0.3 * 4 = 3.2 required of 8 -> 40 %, 4 needed, 2 digitized.
  EXPECT_DOUBLE_EQ(*by_level.rows[1].target, 40.0);
  EXPECT_EQ(by_level.rows[1].gap, 2);
}

TEST_F(ReportTest, NoTargetMeansNoGap) {
  m_targets.by_level.erase(core::Level::commune);
  const auto result = report("2026-Q3", ReportBy::level);
  EXPECT_FALSE(result.rows[1].target.has_value());
  EXPECT_EQ(result.rows[1].gap, 0);
  EXPECT_FALSE(result.total.target.has_value());
}

TEST_F(ReportTest, ByMonthAndAgencyCoverTheSameDossiers) {
  const auto by_month = report("2026", ReportBy::month);
  ASSERT_EQ(by_month.rows.size(), 4U);
  EXPECT_EQ(by_month.rows[0].key, "2026-07");
  EXPECT_EQ(by_month.rows[0].received, 10);
  EXPECT_EQ(by_month.rows[1].key, "2026-08");
  EXPECT_EQ(by_month.rows[1].received, 4);
  EXPECT_EQ(by_month.rows[3].key, "2026-10");
  EXPECT_EQ(by_month.rows[3].digitized, 1);  // P-11
  const auto by_agency = report("2026", ReportBy::agency);
  EXPECT_EQ(by_agency.total.received, by_month.total.received);
  EXPECT_EQ(by_agency.total.digitized, by_month.total.digitized);
  EXPECT_EQ(by_agency.total.received, 19);
}

TEST(Targets, ParseTheTargetsFile) {
  const auto targets = parse_targets_json(
      R"({"levels": {"province": 50, "district": 40, "commune": 30}, "units": {"Xã A": 35.5}})",
      "t.json");
  EXPECT_DOUBLE_EQ(targets.by_level.at(core::Level::district), 40.0);
  EXPECT_DOUBLE_EQ(*targets.for_unit("Xã A", core::Level::commune), 35.5);
  EXPECT_DOUBLE_EQ(*targets.for_unit("Xã B", core::Level::commune), 30.0);
  EXPECT_FALSE(targets.for_unit("?", core::Level::unknown).has_value());
  EXPECT_THROW(parse_targets_json(R"({"levels": {"ward": 30}})", "t"), core::UsageError);
  EXPECT_THROW(parse_targets_json(R"({"levels": {"province": 150}})", "t"), core::UsageError);
  EXPECT_THROW(parse_targets_json("not json", "t"), core::UsageError);
}

TEST_F(ReportTest, TargetsAreStoredInTheCatalog) {
  set_level_target(*m_catalog, core::Level::province, 55);
  set_unit_target(*m_catalog, k_commune_a, 45);
  auto stored = load_targets(*m_catalog);
  EXPECT_DOUBLE_EQ(stored.by_level.at(core::Level::province), 55.0);
  EXPECT_DOUBLE_EQ(stored.by_unit.at(k_commune_a), 45.0);
  EXPECT_TRUE(remove_unit_target(*m_catalog, k_commune_a));
  EXPECT_FALSE(remove_unit_target(*m_catalog, k_commune_a));
  replace_targets(*m_catalog, m_targets);
  stored = load_targets(*m_catalog);
  EXPECT_EQ(stored.by_level.size(), 3U);
  EXPECT_TRUE(stored.by_unit.empty());
  EXPECT_THROW(set_level_target(*m_catalog, core::Level::commune, -1), core::UsageError);
}

}  // namespace
}  // namespace sohoa::storage
