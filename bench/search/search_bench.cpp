// bench/search: builds a catalog of N generated Vietnamese pages through Catalog::put_dossier (the
// ingest path) and measures build speed, index size and the latency of 200 fixed mixed queries.
//
//   search_bench [--pages N] [--dir DIR] [--keep] [--reuse] [--repeat R] [--no-warm-up]
//                [--only CATEGORY] [--list]
//
// Design notes
// - Text: ~1,500 characters a page — a form header on a dossier's first page, the applicant's
//   name, ID number, address and dates, then sentences drawn from Vietnamese administrative
//   vocabulary with a Zipf distribution over ~4,000 two-syllable words (a real text's shape:
//   a few very common words, a long tail). Metadata spreads over 3 levels, 1 province centre +
//   9 districts + 60 communes, 15 agencies, 40 procedures and five years (2021-2025).
// - Deterministic: a fixed seed; the same N gives the same archive and the same 200 queries.
// - The build turns off fsync (PRAGMA synchronous = OFF) for speed: the bench measures the
//   index, not the disk; an ingest pays one fsync per dossier on top.
// - Queries: 40 common words, 30 rare words, 30 quoted phrases, 20 prefixes, 30 with filters,
//   25 dossier codes, 25 unquoted multi-word (name + word); each runs as `sohoa search` does
//   (one hit per dossier, first 20). One warm-up pass, then R timed passes. --only runs one
//   category, --list prints every query's time.
// - Register and report: the register of received dossiers holds every archived dossier but
//   1 in 100 (those are "unregistered") and 1.5 received-but-not-scanned dossiers for each
//   archived one, at the same levels, units and dates; it is imported from a CSV through
//   import_register (the `sohoa register import` path). Then `sohoa report`'s build_report is
//   timed for a year by unit, by level and by month, and for the five years by agency.

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <sqlite3.h>

#include "sohoa/storage/catalog.hpp"
#include "sohoa/storage/register.hpp"
#include "sohoa/storage/report.hpp"
#include "sohoa/storage/targets.hpp"

namespace {

namespace fs = std::filesystem;
using sohoa::storage::Catalog;
using Clock = std::chrono::steady_clock;

const std::vector<std::string> k_syllables = {
    "của", "và", "các", "người", "được", "trong", "cho", "theo", "về", "đăng", "ký", "hộ",
    "kinh", "doanh", "giấy", "phép", "xây", "dựng", "đất", "nhà", "ở", "quyền", "sử", "dụng",
    "chứng", "nhận", "ủy", "ban", "nhân", "dân", "tỉnh", "huyện", "xã", "phường", "thị", "trấn",
    "hồ", "sơ", "thủ", "tục", "hành", "chính", "cấp", "đổi", "lại", "bản", "sao", "chính",
    "thức", "công", "dân", "địa", "chỉ", "thường", "trú", "tạm", "khai", "sinh", "tử", "kết",
    "hôn", "ly", "tài", "chính", "kế", "hoạch", "đầu", "tư", "pháp", "nội", "vụ", "giáo", "dục",
    "đào", "tạo", "y", "tế", "lao", "động", "thương", "binh", "xã", "hội", "nông", "nghiệp",
    "phát", "triển", "môi", "trường", "giao", "thông", "vận", "tải", "văn", "hóa", "thể",
    "thao", "du", "lịch", "khoa", "học", "thuế", "phí", "lệ", "nộp", "thời", "hạn", "giải",
    "quyết", "trả", "kết", "quả", "tiếp", "nhận", "bộ", "phận", "một", "cửa", "trung", "tâm",
    "phục", "vụ", "điện", "tử", "trực", "tuyến", "mẫu", "đơn", "tờ", "biên", "quyết", "định",
    "thông", "báo", "xác", "minh", "thẩm", "định", "phê", "duyệt", "diện", "tích", "thửa",
    "số", "hiệu", "bản", "đồ", "mục", "đích", "lâu", "dài", "nguồn", "gốc", "giao", "thuê",
    "chuyển", "nhượng", "thừa", "kế", "tặng", "cho", "thế", "chấp", "bảo", "lãnh", "vay",
    "vốn", "ngân", "hàng", "hợp", "đồng", "công", "chứng", "chứng", "thực", "chữ", "ký",
    "dấu", "đỏ", "ngày", "tháng", "năm", "lần", "đầu", "bổ", "sung", "sửa", "đổi", "hủy",
    "bỏ", "thu", "hồi", "gia", "hạn", "điều", "chỉnh", "cá", "thể", "hợp", "tác", "ngành",
    "nghề", "bán", "lẻ", "tạp", "hóa", "ăn", "uống", "vật", "liệu", "sản", "xuất", "chăn",
    "nuôi", "trồng", "trọt", "thủy", "lợi", "rừng", "khoáng", "sản", "nước", "sạch", "rác",
    "thải", "phòng", "cháy", "chữa", "an", "toàn", "vệ", "sinh", "thực", "phẩm", "bệnh",
    "viện", "trạm", "trường", "mầm", "non", "tiểu", "trung", "học", "cơ", "sở", "phổ",
    "thông", "chính", "sách", "người", "có", "công", "trợ", "cấp", "bảo", "hiểm", "hưu",
    "trí", "thất", "nghiệp", "khuyết", "tật", "nghèo", "cận", "hỗ", "trợ", "thiên", "tai"};

const std::vector<std::string> k_family = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
                                           "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
                                           "Lý"};
const std::vector<std::string> k_middle = {"Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc",
                                           "Quốc", "Xuân", "Thu"};
const std::vector<std::string> k_given = {
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương",
    "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Ngân", "Phong", "Phúc", "Quân", "Quang",
    "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Tùng", "Uyên", "Vân", "Việt", "Yến"};
const std::vector<std::string> k_agencies = {
    "Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Xây dựng", "Sở Tài nguyên và Môi trường",
    "Sở Giao thông vận tải", "Sở Lao động - Thương binh và Xã hội", "Sở Y tế",
    "Sở Giáo dục và Đào tạo", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Công Thương",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Nội vụ", "Sở Tài chính", "Công an tỉnh",
    "Sở Thông tin và Truyền thông"};
const std::vector<std::string> k_district_names = {"Phú Lương", "Đại Từ", "Định Hóa", "Võ Nhai",
                                                   "Đồng Hỷ", "Phú Bình", "Phổ Yên", "Sông Công",
                                                   "Thái Nguyên"};
const std::vector<std::string> k_commune_stems = {"An", "Bình", "Hòa", "Tân", "Phú", "Minh",
                                                  "Quang", "Thịnh", "Hợp", "Yên", "Đông", "Tây"};
const std::vector<std::string> k_commune_tails = {"Phú", "Thành", "Lợi", "Khánh", "Tiến"};

struct Procedure {
  std::string code;
  std::string name;
  int agency = 0;
};

struct World {
  std::vector<std::string> words;  // Zipf-ranked vocabulary (rank 0 most common)
  std::vector<double> cumulative;  // Zipf CDF over `words`
  std::vector<Procedure> procedures;
  std::vector<std::pair<std::string, sohoa::core::Level>> units;
  std::vector<std::string> rare_places;  // thôn names: each used by few dossiers
};

World make_world(std::mt19937_64& rng) {
  World world;
  std::vector<std::string> words;
  for (std::size_t first = 0; first < k_syllables.size(); ++first) {
    for (std::size_t second = 0; second < k_syllables.size(); second += 17) {
      words.push_back(k_syllables[first] + " " +
                      k_syllables[(second + first * 7) % k_syllables.size()]);
    }
  }
  std::shuffle(words.begin(), words.end(), rng);
  for (const auto& syllable : k_syllables) {  // single syllables are the most common "words"
    words.insert(words.begin() + static_cast<std::ptrdiff_t>(rng() % 40), syllable);
  }
  world.words = std::move(words);
  double total = 0.0;
  for (std::size_t rank = 0; rank < world.words.size(); ++rank) {
    total += 1.0 / std::pow(static_cast<double>(rank + 1), 1.05);
    world.cumulative.push_back(total);
  }
  for (auto& value : world.cumulative) {
    value /= total;
  }
  for (int proc_idx = 0; proc_idx < 40; ++proc_idx) {
    Procedure procedure;
    procedure.code = fmt::format("{}.{:06}.000.00.00.H38", 1 + proc_idx % 2, 1000 + proc_idx * 577);
    procedure.name = "Thủ tục " + world.words[20 + proc_idx * 3] + " " + world.words[60 + proc_idx];
    procedure.agency = proc_idx % static_cast<int>(k_agencies.size());
    world.procedures.push_back(procedure);
  }
  world.units.emplace_back("Trung tâm Phục vụ hành chính công tỉnh", sohoa::core::Level::province);
  for (const auto& district : k_district_names) {
    world.units.emplace_back("Bộ phận một cửa huyện " + district, sohoa::core::Level::district);
  }
  for (int commune_idx = 0; commune_idx < 60; ++commune_idx) {
    world.units.emplace_back(
        fmt::format("UBND xã {} {}", k_commune_stems[static_cast<std::size_t>(commune_idx) % 12],
                    k_commune_tails[static_cast<std::size_t>(commune_idx / 12) % 5]),
        sohoa::core::Level::commune);
  }
  for (int place_idx = 0; place_idx < 5000; ++place_idx) {
    world.rare_places.push_back(fmt::format("Khuổi{}", place_idx));
  }
  return world;
}

const std::string& zipf_word(const World& world, std::mt19937_64& rng) {
  const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  const auto found = std::lower_bound(world.cumulative.begin(), world.cumulative.end(), draw);
  return world.words[static_cast<std::size_t>(found - world.cumulative.begin()) %
                     world.words.size()];
}

std::string person(std::mt19937_64& rng) {
  return k_family[rng() % k_family.size()] + " " + k_middle[rng() % k_middle.size()] + " " +
         k_given[rng() % k_given.size()];
}

sohoa::storage::DossierRecord make_dossier(const World& world, std::mt19937_64& rng, int serial,
                                           int pages, std::string& rare_place) {
  using sohoa::core::Level;
  sohoa::storage::DossierRecord dossier;
  auto& meta = dossier.meta;
  const auto& procedure = world.procedures[rng() % world.procedures.size()];
  const std::size_t unit_pick = rng() % 10;  // 20% province, 30% district, 50% commune
  const auto& unit = unit_pick < 2   ? world.units[0]
                     : unit_pick < 5 ? world.units[1 + rng() % 9]
                                     : world.units[10 + rng() % 60];
  const int year = 2021 + static_cast<int>(rng() % 5);
  const int month = 1 + static_cast<int>(rng() % 12);
  const int day = 1 + static_cast<int>(rng() % 28);
  meta.received_date = fmt::format("{}-{:02}-{:02}", year, month, day);
  meta.code = fmt::format("000.00.{:02}.H38-{:02}{:02}{:02}-{:04}", 1 + rng() % 70, year % 100,
                          month, day, serial % 10000);
  meta.code += fmt::format("-{}", serial / 10000);  // unique across the bench
  meta.procedure_code = procedure.code;
  meta.procedure_name = procedure.name;
  meta.agency = k_agencies[static_cast<std::size_t>(procedure.agency)];
  meta.unit = unit.first;
  meta.level = unit.second;
  meta.applicant = person(rng);
  meta.title = procedure.name + " - " + meta.applicant;
  rare_place = world.rare_places[rng() % world.rare_places.size()];
  const std::string id_number = fmt::format("0{:02}{:09}", rng() % 96, rng() % 1000000000);
  dossier.page_count = pages;
  dossier.pdf_path = fmt::format("files/{}/{}/{}.pdf", year, unit.first, meta.code);
  dossier.pdf_sha256 = std::string(64, '0');
  dossier.digitized_at = "2026-01-01T00:00:00Z";
  for (int seq = 1; seq <= pages; ++seq) {
    std::string text;
    if (seq == 1) {
      text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nĐƠN ĐỀ NGHỊ\n" +
             procedure.name + "\nKính gửi: " + meta.agency + "\nTôi là: " + meta.applicant +
             "\nSố CCCD: " + id_number + "\nĐịa chỉ: thôn " + rare_place + ", " + unit.first +
             "\nNgày " + meta.received_date + "\n";
    }
    while (text.size() < 1500) {
      const int words = 6 + static_cast<int>(rng() % 10);
      std::string sentence;
      for (int word_idx = 0; word_idx < words; ++word_idx) {
        sentence += (word_idx == 0 ? "" : " ") + zipf_word(world, rng);
      }
      if (!sentence.empty()) {
        sentence[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(sentence[0])));
      }
      text += sentence + (rng() % 4 == 0 ? ".\n" : ". ");
    }
    sohoa::storage::PageRecord page;
    page.seq = seq;
    page.text = std::move(text);
    page.dpi = 300;
    dossier.pages.push_back(std::move(page));
  }
  return dossier;
}

struct BenchQuery {
  std::string category;
  std::string text;
};

std::vector<BenchQuery> make_queries(const World& world, std::mt19937_64& rng,
                                     const std::vector<std::string>& codes,
                                     const std::vector<std::string>& applicants,
                                     const std::vector<std::string>& places) {
  std::vector<BenchQuery> queries;
  const auto fold_free = [](std::string text) { return text; };
  for (int idx = 0; idx < 40; ++idx) {  // common: top 60 words, 1 or 2 of them
    std::string text = world.words[rng() % 60];
    if (idx % 2 == 1) {
      text += " " + world.words[rng() % 60];
    }
    queries.push_back({"common", text});
  }
  for (int idx = 0; idx < 30; ++idx) {  // rare: a thôn name used by few dossiers, or a tail word
    queries.push_back({"rare", idx % 2 == 0 ? places[rng() % places.size()]
                                            : world.words[world.words.size() - 1 - rng() % 500]});
  }
  for (int idx = 0; idx < 30; ++idx) {  // phrases: two mid-frequency words together
    queries.push_back({"phrase", "\"" + world.words[50 + rng() % 300] + "\""});
  }
  for (int idx = 0; idx < 20; ++idx) {  // prefixes: 3-4 letters of a mid-frequency syllable
    std::string word = world.words[30 + rng() % 200];
    word = word.substr(0, word.find(' '));
    std::size_t cut = std::min<std::size_t>(word.size(), 3 + rng() % 2);
    while (cut < word.size() && (static_cast<unsigned char>(word[cut]) & 0xC0U) == 0x80U) {
      ++cut;
    }
    queries.push_back({"prefix", word.substr(0, cut) + "*"});
  }
  const std::array<const char*, 3> levels = {"province", "district", "commune"};
  for (int idx = 0; idx < 30; ++idx) {  // filters
    const std::string word = world.words[rng() % 200];
    std::string text;
    switch (idx % 5) {
      case 0:
        text = word + " level:" + levels[rng() % 3];
        break;
      case 1:
        text = fmt::format("{} received:{}-{:02}..{}-{:02}", word, 2021 + rng() % 5, 1 + rng() % 6,
                           2025, 7 + rng() % 6);
        break;
      case 2:
        text = word + " agency:\"" + k_agencies[rng() % k_agencies.size()] + "\"";
        break;
      case 3:
        text = word + " unit:\"" + k_district_names[rng() % k_district_names.size()] + "\"";
        break;
      default:
        text = "applicant:\"" + applicants[rng() % applicants.size()] + "\" " + word;
        break;
    }
    queries.push_back({"filter", text});
  }
  for (int idx = 0; idx < 25; ++idx) {
    queries.push_back({"code", codes[rng() % codes.size()]});
  }
  for (int idx = 0; idx < 25; ++idx) {  // half-remembered: a name and a word, no diacritics
    queries.push_back(
        {"mixed", fold_free(applicants[rng() % applicants.size()] + " " + world.words[rng() % 400])});
  }
  return queries;
}

double percentile(std::vector<double> values, double fraction) {
  if (values.empty()) {
    return 0.0;
  }
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

std::int64_t scalar(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  std::int64_t value = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    value = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t target_pages = 100000;
  fs::path dir = fs::temp_directory_path() / "sohoa-search-bench";
  bool keep = false;
  bool reuse = false;
  int repeat = 1;
  bool warm_up = true;
  std::string only;
  bool list = false;
  for (int arg_idx = 1; arg_idx < argc; ++arg_idx) {
    const std::string arg = argv[arg_idx];
    if (arg == "--pages" && arg_idx + 1 < argc) {
      target_pages = std::stoll(argv[++arg_idx]);
    } else if (arg == "--dir" && arg_idx + 1 < argc) {
      dir = argv[++arg_idx];
    } else if (arg == "--keep") {
      keep = true;
    } else if (arg == "--reuse") {
      reuse = keep = true;
    } else if (arg == "--no-warm-up") {
      warm_up = false;
    } else if (arg == "--repeat" && arg_idx + 1 < argc) {
      repeat = std::max(1, std::stoi(argv[++arg_idx]));
    } else if (arg == "--only" && arg_idx + 1 < argc) {
      only = argv[++arg_idx];
    } else if (arg == "--list") {
      list = true;
    } else {
      std::cerr << "usage: search_bench [--pages N] [--dir DIR] [--keep] [--reuse] [--repeat R] "
                   "[--no-warm-up] [--only CATEGORY] [--list]\n";
      return 2;
    }
  }
  const fs::path file = dir / "catalog.sqlite";
  std::mt19937_64 rng(20260101);
  const World world = make_world(rng);
  std::vector<std::string> codes;
  std::vector<std::string> applicants;
  std::vector<std::string> places;
  std::int64_t pages_done = 0;
  int dossiers = 0;
  double build_seconds = 0.0;
  const bool build = !(reuse && fs::exists(file));
  if (build) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  // The register: written while the archive is built, from its own generator so the archive
  // and the queries do not depend on it.
  std::mt19937_64 register_rng(20260704);
  const fs::path register_csv = dir / "register.csv";
  std::ofstream register_out;
  if (build) {
    register_out.open(register_csv);
    register_out << "dossier_code,procedure_code,procedure_name,agency,unit,level,received_date,"
                    "due_date,resolved_date,status\n";
  }
  std::int64_t register_rows = 0;
  const auto register_row = [&](const sohoa::core::DossierMeta& meta, const std::string& code) {
    const auto csv = [](const std::string& value) {
      std::string out = "\"";
      for (char c : value) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
      }
      return out + "\"";
    };
    register_out << csv(code) << ',' << csv(meta.procedure_code) << ',' << csv(meta.procedure_name)
                 << ',' << csv(meta.agency) << ',' << csv(meta.unit) << ','
                 << sohoa::core::to_string(meta.level) << ',' << meta.received_date << ",,,\n";
    ++register_rows;
  };
  auto catalog = Catalog::open(file, true);
  sqlite3* db = catalog.connection();
  sqlite3_exec(db, "PRAGMA synchronous = OFF", nullptr, nullptr, nullptr);
  const auto started = Clock::now();
  auto last_report = started;
  while (pages_done < target_pages) {
    const int pages = static_cast<int>(std::min<std::int64_t>(1 + static_cast<std::int64_t>(rng() % 7),
                                                              target_pages - pages_done));
    std::string place;
    auto dossier = make_dossier(world, rng, dossiers, pages, place);
    if (dossiers % 97 == 0) {
      codes.push_back(dossier.meta.code);
      applicants.push_back(dossier.meta.applicant);
      places.push_back(place);
    }
    if (build) {
      catalog.put_dossier(dossier, false);
      if (register_rng() % 100 != 0) {
        register_row(dossier.meta, dossier.meta.code);
      }
      const int unscanned = register_rng() % 2 == 0 ? 1 : 2;  // 1.5 on average
      for (int extra = 0; extra < unscanned; ++extra) {
        register_row(dossier.meta, fmt::format("{}-R{}", dossier.meta.code, extra));
      }
    }
    pages_done += pages;
    ++dossiers;
    const auto now = Clock::now();
    if (build && std::chrono::duration<double>(now - last_report).count() > 30.0) {
      const double seconds = std::chrono::duration<double>(now - started).count();
      std::cerr << fmt::format("  {} pages, {:.0f} s, {:.0f} pages/s\n", pages_done, seconds,
                               static_cast<double>(pages_done) / seconds);
      last_report = now;
    }
  }
  build_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  double register_seconds = 0.0;
  if (build) {
    register_out.close();
    const auto register_started = Clock::now();
    const auto imported =
        sohoa::storage::import_register(catalog, register_csv, "2026-01-01T00:00:00Z");
    register_seconds = std::chrono::duration<double>(Clock::now() - register_started).count();
    if (!imported.skipped.empty()) {
      std::cerr << "register: " << imported.skipped.front().message << "\n";
      return 1;
    }
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  }
  register_rows = scalar(db, "SELECT count(*) FROM register");
  const auto file_bytes = static_cast<std::int64_t>(fs::file_size(file));
  const auto table_bytes = [&](const std::string& glob) {
    return scalar(db, "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name GLOB '" + glob + "'");
  };
  const std::int64_t folded = table_bytes("page_text_*") - table_bytes("page_text_exact_*");
  const std::int64_t exact = table_bytes("page_text_exact_*");
  const std::int64_t text_bytes = scalar(db, "SELECT sum(length(CAST(text AS BLOB))) FROM page_text");
  const std::int64_t content = table_bytes("page_text_content");

  fmt::print("search bench: {} pages in {} dossiers (sqlite {})\n", pages_done, dossiers,
             sqlite3_libversion());
  if (build) {
    fmt::print("build: {:.1f} s, {:.0f} pages/s (put_dossier, synchronous=OFF)\n", build_seconds,
               static_cast<double>(pages_done) / build_seconds);
  } else {
    fmt::print("build: reused {}\n", file.string());
  }
  const auto per_page = [&](std::int64_t bytes) {
    return static_cast<double>(bytes) / static_cast<double>(pages_done);
  };
  fmt::print("size: catalog {:.1f} MB = {:.0f} bytes/page (page text itself {:.0f} bytes/page)\n",
             static_cast<double>(file_bytes) / 1e6, per_page(file_bytes), per_page(text_bytes));
  fmt::print("      stored text+metadata {:.0f} B/page, folded index {:.0f} B/page, exact index "
             "{:.0f} B/page (+{:.0f}% for --exact)\n",
             per_page(content), per_page(folded - content), per_page(exact),
             100.0 * static_cast<double>(exact) / static_cast<double>(file_bytes - exact));

  if (build) {
    fmt::print("register: {} received dossiers imported in {:.1f} s (import_register)\n",
               register_rows, register_seconds);
  } else {
    fmt::print("register: {} received dossiers\n", register_rows);
  }
  {
    sohoa::storage::replace_targets(
        catalog, sohoa::storage::parse_targets_json(
                     R"({"levels":{"province":50,"district":40,"commune":30}})", "bench"));
    const auto targets = sohoa::storage::load_targets(catalog);
    fmt::print("report (build_report, best of 3):\n");
    const std::vector<std::pair<std::string, std::string>> reports = {
        {"2025", "unit"}, {"2025", "level"}, {"2025", "month"}, {"2021..2025", "agency"}};
    for (const auto& [period, by] : reports) {
      sohoa::storage::ReportQuery report_query;
      report_query.period = sohoa::storage::parse_period(period);
      report_query.by = sohoa::storage::parse_report_by(by);
      double best = 1e9;
      sohoa::storage::Report report;
      for (int pass = 0; pass < 3; ++pass) {
        const auto begin = Clock::now();
        report = sohoa::storage::build_report(catalog, report_query, targets);
        best = std::min(best, std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
      }
      fmt::print("  --period {:<11} --by {:<7} {:8.1f} ms  ({} rows, {} received, {} digitized)\n",
                 period, by, best, report.rows.size(), report.total.received,
                 report.total.digitized);
    }
  }

  auto queries = make_queries(world, rng, codes, applicants, places);
  if (!only.empty()) {
    std::erase_if(queries, [&](const BenchQuery& query) { return query.category != only; });
  }
  struct Timing {
    double ms = 0.0;
    std::int64_t total = 0;
    bool estimate = false;
    std::string error;
  };
  std::vector<Timing> timings(queries.size());
  const auto run_all = [&](bool record) {
    for (std::size_t query_idx = 0; query_idx < queries.size(); ++query_idx) {
      sohoa::storage::SearchQuery query;
      query.text = queries[query_idx].text;
      const auto begin = Clock::now();
      Timing timing;
      try {
        const auto found = catalog.search(query);
        timing.total = found.total;
        timing.estimate = found.total_is_estimate;
      } catch (const std::exception& error) {
        timing.error = error.what();
      }
      timing.ms = std::chrono::duration<double, std::milli>(Clock::now() - begin).count();
      if (record) {
        timings[query_idx].ms = std::max(timings[query_idx].ms, 0.0) + timing.ms / repeat;
        timings[query_idx].total = timing.total;
        timings[query_idx].estimate = timing.estimate;
        timings[query_idx].error = timing.error;
      }
    }
  };
  if (warm_up) {
    run_all(false);  // warm-up: page cache
  }
  for (int pass = 0; pass < repeat; ++pass) {
    run_all(true);
  }
  std::vector<double> all;
  std::map<std::string, std::vector<double>> by_category;
  for (std::size_t query_idx = 0; query_idx < queries.size(); ++query_idx) {
    all.push_back(timings[query_idx].ms);
    by_category[queries[query_idx].category].push_back(timings[query_idx].ms);
  }
  fmt::print("queries: {} (first 20 dossier hits each, {}, mean of {} run(s))\n", queries.size(),
             warm_up ? "after a warm-up pass" : "no warm-up pass", repeat);
  fmt::print("latency ms: p50 {:.1f}  p95 {:.1f}  p99 {:.1f}  max {:.1f}\n", percentile(all, 0.50),
             percentile(all, 0.95), percentile(all, 0.99), percentile(all, 1.0));
  for (const auto& [category, values] : by_category) {
    fmt::print("  {:<7} n={:<3} p50 {:7.1f}  p95 {:7.1f}  max {:7.1f}\n", category, values.size(),
               percentile(values, 0.5), percentile(values, 0.95), percentile(values, 1.0));
  }
  std::vector<std::size_t> order(queries.size());
  for (std::size_t idx = 0; idx < order.size(); ++idx) {
    order[idx] = idx;
  }
  std::sort(order.begin(), order.end(),
            [&](std::size_t left, std::size_t right) { return timings[left].ms > timings[right].ms; });
  const auto estimated = std::count_if(timings.begin(), timings.end(),
                                       [](const Timing& timing) { return timing.estimate; });
  fmt::print("ranked in the newest-pages window (total estimated): {} of {} queries\n", estimated,
             queries.size());
  fmt::print("{}\n", list ? "every query, slowest first:" : "slowest:");
  for (std::size_t rank = 0; rank < (list ? order.size() : 8) && rank < order.size(); ++rank) {
    const auto idx = order[rank];
    fmt::print("  {:8.1f} ms  {:<7} {}{:>8} dossiers  {}{}\n", timings[idx].ms,
               queries[idx].category, timings[idx].estimate ? "~" : " ", timings[idx].total,
               queries[idx].text,
               timings[idx].error.empty() ? "" : "  ERROR " + timings[idx].error);
  }
  int errors = 0;
  for (const auto& timing : timings) {
    errors += timing.error.empty() ? 0 : 1;
  }
  fmt::print("errors: {}\n", errors);
  if (!keep) {
    fs::remove_all(dir);
  }
  return errors == 0 ? 0 : 1;
}
