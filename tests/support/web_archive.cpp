#include "web_archive.hpp"

#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sohoa/core/hash.hpp"
#include "sohoa/ocr/haru_pdf_writer.hpp"
#include "sohoa/storage/archive.hpp"
#include "sohoa/web/passwords.hpp"

namespace sohoa::test {
namespace {

struct SampleDossier {
  core::DossierMeta meta;
  std::vector<std::vector<SampleWord>> pages;
};

// Lays `texts` out as one line of words from (80, y).
std::vector<SampleWord> line_of(const std::vector<std::string>& texts, int y) {
  std::vector<SampleWord> words;
  int x = 80;
  for (const auto& text : texts) {
    const int width = 12 * static_cast<int>(text.size()) + 16;
    words.push_back({text, {x, y, width, 36}});
    x += width + 16;
  }
  return words;
}

std::vector<SampleDossier> sample_dossiers() {
  std::vector<SampleDossier> dossiers(3);
  auto& first = dossiers[0].meta;
  first.code = "000.00.04.H38-260302-0001";
  first.title = "Đăng ký thành lập doanh nghiệp tư nhân Đức Thịnh";
  first.procedure_code = "1.001612.000.00.00.H38";
  first.procedure_name = "Đăng ký thành lập doanh nghiệp tư nhân";
  first.agency = "Sở Tài chính";
  first.unit = "Trung tâm Phục vụ hành chính công tỉnh";
  first.level = core::Level::province;
  first.received_date = "2026-03-02";
  first.applicant = "Nguyễn Văn An";
  dossiers[0].pages = {line_of({"GIẤY", "ĐỀ", "NGHỊ", "ĐĂNG", "KÝ", "DOANH", "NGHIỆP"}, 120),
                       line_of({"Xây", "dựng", "nhà", "xưởng", "vật", "liệu"}, 300)};
  auto& second = dossiers[1].meta;
  second.code = "000.15.30.H38-250618-0023";
  second.title = "Cấp giấy phép xây dựng nhà ở riêng lẻ";
  second.procedure_code = "1.009994.000.00.00.H38";
  second.procedure_name = "Cấp giấy phép xây dựng";
  second.agency = "Phòng Kinh tế, Hạ tầng và Đô thị";
  second.unit = "Bộ phận một cửa huyện Phú Lương";
  second.level = core::Level::district;
  second.received_date = "2025-06-18";
  second.applicant = "Trần Thị Bích Ngọc";
  dossiers[1].pages = {line_of({"ĐƠN", "ĐỀ", "NGHỊ", "CẤP", "GIẤY", "PHÉP", "XÂY", "DỰNG"}, 150)};
  auto& third = dossiers[2].meta;
  third.code = "000.41.31.H38-260520-0004";
  third.title = "Đăng ký khai sinh";
  third.procedure_code = "1.001193.000.00.00.H38";
  third.procedure_name = "Đăng ký khai sinh";
  third.agency = "UBND xã Hòa Tâm";
  third.unit = "Bộ phận một cửa xã Hòa Tâm";
  third.level = core::Level::commune;
  third.received_date = "2026-05-20";
  third.applicant = "Lê Văn Đức";
  dossiers[2].pages = {line_of({"TỜ", "KHAI", "ĐĂNG", "KÝ", "KHAI", "SINH"}, 200)};
  return dossiers;
}

// A white page with a black bar over each word, packed 1 bit per pixel (1 = black).
core::EncodedImage bilevel_page(const std::vector<SampleWord>& words) {
  core::EncodedImage image;
  image.format = core::EncodedImage::Format::bilevel;
  image.width = SampleArchive::k_page_width;
  image.height = SampleArchive::k_page_height;
  image.channels = 1;
  image.dpi = 100;
  const int row_bytes = (image.width + 7) / 8;
  image.bytes.assign(static_cast<std::size_t>(row_bytes * image.height), 0);
  for (const auto& word : words) {
    for (int row = word.box.y; row < std::min(word.box.y + word.box.height, image.height); ++row) {
      for (int col = word.box.x; col < std::min(word.box.x + word.box.width, image.width); ++col) {
        image.bytes[static_cast<std::size_t>(row * row_bytes + col / 8)] |=
            static_cast<std::uint8_t>(0x80U >> static_cast<unsigned>(col % 8));
      }
    }
  }
  return image;
}

}  // namespace

std::vector<SampleWord> SampleArchive::first_dossier_words(int seq) const {
  return sample_dossiers().at(0).pages.at(static_cast<std::size_t>(seq - 1));
}

std::string SampleArchive::password_of(storage::Role role) {
  return "pw-" + std::string(storage::to_string(role)) + "-2026";
}

SampleArchive make_sample_archive(const std::filesystem::path& root) {
  SampleArchive sample;
  sample.root = root;
  auto archive = storage::Archive::init(root);
  auto& catalog = archive.catalog();
  storage::BatchRecord batch;
  batch.started_at = "2026-06-01T08:00:00Z";
  batch.operator_name = "Nguyễn Văn An";
  batch.station = "BC-01";
  batch.source_dir = "/scans/batch-1";
  batch.id = catalog.begin_batch(batch);

  const ocr::HaruPdfWriter writer;
  for (const auto& sample_dossier : sample_dossiers()) {
    std::vector<core::ProcessedPage> pages;
    storage::DossierRecord record;
    record.meta = sample_dossier.meta;
    for (const auto& words : sample_dossier.pages) {
      core::ProcessedPage page;
      page.seq = static_cast<int>(pages.size()) + 1;
      page.kind = core::ColourKind::bilevel;
      page.width = SampleArchive::k_page_width;
      page.height = SampleArchive::k_page_height;
      page.dpi = 100;
      page.archive_image = bilevel_page(words);
      std::string text;
      for (const auto& word : words) {
        core::OcrWord ocr_word;
        ocr_word.text = word.text;
        ocr_word.box = word.box;
        ocr_word.confidence = 90.0F;
        ocr_word.baseline = word.box.y + word.box.height - 1;
        page.ocr.words.push_back(ocr_word);
        text += (text.empty() ? "" : " ") + word.text;
      }
      page.ocr.text = text;
      page.ocr.mean_confidence = 90.0;
      pages.push_back(page);
      storage::PageRecord row;
      row.seq = page.seq;
      row.source_path = "/scans/batch-1/" + record.meta.code + "/" + std::to_string(page.seq) + ".tif";
      row.width = page.width;
      row.height = page.height;
      row.dpi = 100;  // below 200 dpi: every sample page is flagged for a rescan
      row.ocr_confidence = 90.0;
      row.flags = core::flag_low_resolution;
      row.text = text;
      record.pages.push_back(row);
    }
    record.pdf_path = storage::Archive::dossier_pdf_path("2026", record.meta.unit, record.meta.code);
    const auto pdf = archive.absolute(record.pdf_path);
    std::filesystem::create_directories(pdf.parent_path());
    const core::PdfDossier document{record.meta, &pages, "vie+eng", "sohoa test",
                                    std::chrono::system_clock::time_point{}};
    if (const auto written = writer.write(document, pdf); !written) {
      ADD_FAILURE() << written.error();
      return sample;
    }
    record.page_count = static_cast<int>(pages.size());
    record.pdf_sha256 = core::sha256_file(pdf).value_or("");
    record.pdf_bytes = static_cast<std::int64_t>(std::filesystem::file_size(pdf));
    record.digitized_at = "2026-06-01T08:05:00Z";
    record.batch_id = batch.id;
    catalog.put_dossier(record, false);
    sample.codes.push_back(record.meta.code);
  }
  catalog.add_batch_failures(batch.id, {{"000.00.09.H38-260415-0007", 2, "unreadable",
                                         "2.jpg: not an image"}});
  batch.finished_at = "2026-06-01T08:06:00Z";
  batch.dossiers_archived = 3;
  batch.dossiers_failed = 1;
  batch.pages_archived = 4;
  batch.pages_failed = 1;
  batch.pages_flagged = 4;
  catalog.finish_batch(batch);

  for (const auto role : {storage::Role::admin, storage::Role::archivist, storage::Role::official,
                          storage::Role::operator_}) {
    storage::UserRecord user;
    user.name = "test-" + std::string(storage::to_string(role));
    user.role = role;
    user.password_hash = web::hash_password(SampleArchive::password_of(role));
    user.created_at = "2026-06-01T07:00:00Z";
    storage::add_user(catalog, user);
    sample.user_of[role] = user.name;
  }
  return sample;
}

RunningServer::RunningServer(const std::filesystem::path& archive, const core::Clock& clock,
                             int threads)
    : m_log(std::make_shared<std::vector<std::string>>()),
      m_log_mutex(std::make_shared<std::mutex>()) {
  web::ServerConfig config;
  config.archive = archive;
  config.port = 0;
  config.threads = threads;
  config.log = [log = m_log, mutex = m_log_mutex](const std::string& message) {
    std::lock_guard lock(*mutex);
    log->push_back(message);
  };
  m_server = std::make_unique<web::Server>(config, clock);
  m_port = m_server->bind();
  m_thread = std::thread([server = m_server.get()] { server->run(); });
}

RunningServer::~RunningServer() {
  m_server->stop();
  m_thread.join();
}

std::vector<std::string> RunningServer::log() const {
  std::lock_guard lock(*m_log_mutex);
  return *m_log;
}

WebClient::WebClient(int port) : m_client("127.0.0.1", port) {
  m_client.set_connection_timeout(10);
  m_client.set_read_timeout(60);
  m_client.set_keep_alive(true);
}

WebSession WebClient::login(const std::string& user, const std::string& password, int* status) {
  const nlohmann::json body = {{"user", user}, {"password", password}};
  auto result = m_client.Post("/api/login", body.dump(), "application/json");
  if (status != nullptr) {
    *status = result ? result->status : -1;
  }
  WebSession session;
  if (!result || result->status != 200) {
    return session;
  }
  const std::string cookie = result->get_header_value("Set-Cookie");
  session.cookie = cookie.substr(0, cookie.find(';'));
  session.csrf = nlohmann::json::parse(result->body).value("csrf", "");
  return session;
}

httplib::Result WebClient::get(const std::string& path, const WebSession* session) {
  httplib::Headers headers;
  if (session != nullptr) {
    headers.emplace("Cookie", session->cookie);
  }
  return m_client.Get(path.c_str(), headers);
}

httplib::Result WebClient::post(const std::string& path, const std::string& body,
                                const WebSession* session, const std::string* csrf) {
  httplib::Headers headers;
  if (session != nullptr) {
    headers.emplace("Cookie", session->cookie);
  }
  if (csrf != nullptr) {
    headers.emplace("X-CSRF-Token", *csrf);
  }
  return m_client.Post(path.c_str(), headers, body, "application/json");
}

}  // namespace sohoa::test
