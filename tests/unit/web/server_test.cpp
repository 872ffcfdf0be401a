// The web app's API as a browser or a script meets it: a server on a free loopback port over the
// sample archive (web_archive.hpp), real HTTP requests. The security half walks the route table,
// so a new route is refused to anonymous callers and wrong roles without a test of its own.

#include "sohoa/web/server.hpp"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jobs.hpp"
#include "sohoa/storage/archive.hpp"
#include "temp_dir.hpp"
#include "web_archive.hpp"

namespace sohoa::test {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;
using storage::Role;

constexpr Role k_roles[] = {Role::admin, Role::archivist, Role::official, Role::operator_};

// `path` with {code} and {seq} filled in.
std::string concrete(std::string path, const std::string& code) {
  if (const auto at = path.find("{code}"); at != std::string::npos) {
    path.replace(at, 6, code);
  }
  if (const auto at = path.find("{seq}"); at != std::string::npos) {
    path.replace(at, 5, "1");
  }
  return path;
}

json body_of(const httplib::Result& result) {
  return json::parse(result->body, nullptr, false);
}

// One archive and one server for the suite; one session per role.
class WebApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = make_temp_dir("sohoa-web-api");
    s_sample = std::make_unique<SampleArchive>(make_sample_archive(s_dir / "archive"));
    s_clock = std::make_unique<MovableClock>();
    s_server = std::make_unique<RunningServer>(s_sample->root, *s_clock);
    WebClient client(s_server->port());
    for (const auto role : k_roles) {
      s_sessions[role] = client.login(s_sample->user_of.at(role), SampleArchive::password_of(role));
    }
  }
  static void TearDownTestSuite() {
    s_server.reset();
    if (std::getenv("SOHOA_KEEP_TEST_DIRS") == nullptr) {
      fs::remove_all(s_dir);
    }
  }
  void SetUp() override {
    for (const auto role : k_roles) {
      ASSERT_FALSE(s_sessions[role].cookie.empty()) << storage::to_string(role) << " did not log in";
    }
  }
  void TearDown() override { EXPECT_TRUE(s_server->log().empty()) << s_server->log().front(); }

  static WebClient client() { return WebClient(s_server->port()); }
  static const WebSession& as(Role role) { return s_sessions[role]; }
  static const std::string& code() { return s_sample->codes.at(0); }
  static httplib::Result request(WebClient& web, const web::RouteInfo& route,
                                 const WebSession* session) {
    const auto path = concrete(route.path, code());
    if (route.method == "GET") {
      return web.get(path, session);
    }
    return web.post(path, "{}", session, session != nullptr ? &session->csrf : nullptr);
  }

  static inline fs::path s_dir;
  static inline std::unique_ptr<SampleArchive> s_sample;
  static inline std::unique_ptr<MovableClock> s_clock;
  static inline std::unique_ptr<RunningServer> s_server;
  static inline std::map<Role, WebSession> s_sessions;
};

// --- security: the route table -------------------------------------------------------------------

TEST_F(WebApi, OnlyTheLoginRouteIsOpen) {
  for (const auto& route : web::api_routes()) {
    EXPECT_EQ(route.open, route.method == "POST" && route.path == "/api/login") << route.path;
  }
}

TEST_F(WebApi, EveryRouteRefusesAnAnonymousCallerWith401) {
  auto web = client();
  int checked = 0;
  for (const auto& route : web::api_routes()) {
    if (route.open) {
      continue;
    }
    const auto result = request(web, route, nullptr);
    ASSERT_TRUE(result) << route.path;
    EXPECT_EQ(result->status, 401) << route.method << " " << route.path;
    EXPECT_EQ(body_of(result).value("status", 0), 401) << result->body;
    // A forged cookie is no better than none.
    const WebSession forged{"sohoa_session=" + std::string(64, 'a'), std::string(64, 'b')};
    EXPECT_EQ(request(web, route, &forged)->status, 401) << route.path;
    ++checked;
  }
  EXPECT_GE(checked, 12);
}

TEST_F(WebApi, EveryRouteRefusesEachWrongRoleWith403AndLetsTheRightOnesIn) {
  auto web = client();
  for (const auto& route : web::api_routes()) {
    if (route.open) {
      continue;
    }
    for (const auto role : k_roles) {
      const bool allowed = std::find(route.roles.begin(), route.roles.end(), role) != route.roles.end();
      if (!allowed) {
        const auto result = request(web, route, &as(role));
        ASSERT_TRUE(result);
        EXPECT_EQ(result->status, 403) << storage::to_string(role) << " " << route.path;
      } else if (route.method == "GET") {  // POST /api/logout would end the shared session
        const auto result = request(web, route, &as(role));
        ASSERT_TRUE(result);
        EXPECT_EQ(result->status, 200) << storage::to_string(role) << " " << route.path << ": "
                                       << result->body.substr(0, 200);
      }
    }
  }
}

TEST_F(WebApi, OfficialsSeeNoDossierCodeNameOrText) {
  auto web = client();
  std::vector<std::string> secrets = s_sample->codes;
  secrets.insert(secrets.end(), {"Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Văn Đức", "GIẤY"});
  int checked = 0;
  for (const auto& route : web::api_routes()) {
    if (route.open || route.method != "GET" ||
        std::find(route.roles.begin(), route.roles.end(), Role::official) == route.roles.end()) {
      continue;
    }
    for (const auto* query : {"", "?by=unit", "?by=procedure", "?by=month", "?period=2026"}) {
      const auto result = web.get(concrete(route.path, code()) + query, &as(Role::official));
      ASSERT_TRUE(result);
      for (const auto& secret : secrets) {
        EXPECT_EQ(result->body.find(secret), std::string::npos) << route.path << query << ": " << secret;
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 10);
  // The admin's report lists the unregistered dossiers by code; the official's only counts them.
  const auto admin = body_of(web.get("/api/report", &as(Role::admin)));
  EXPECT_EQ(admin["unregistered"].size(), 3U);
  const auto official = body_of(web.get("/api/report", &as(Role::official)));
  EXPECT_EQ(official["unregistered"].size(), 0U);
  EXPECT_EQ(official["total"]["digitized"], admin["total"]["digitized"]);
}

// --- security: CSRF, cookies, headers ------------------------------------------------------------

TEST_F(WebApi, LogoutNeedsItsOwnSessionsCsrfToken) {
  auto web = client();
  const auto session = web.login(s_sample->user_of.at(Role::operator_),
                                 SampleArchive::password_of(Role::operator_));
  ASSERT_FALSE(session.csrf.empty());
  EXPECT_EQ(web.post("/api/logout", "", &session, nullptr)->status, 403);
  const std::string wrong(64, '0');
  EXPECT_EQ(web.post("/api/logout", "", &session, &wrong)->status, 403);
  const std::string empty;
  EXPECT_EQ(web.post("/api/logout", "", &session, &empty)->status, 403);
  EXPECT_EQ(web.post("/api/logout", "", &session, &as(Role::operator_).csrf)->status, 403)
      << "another session's token";
  EXPECT_EQ(web.get("/api/me", &session)->status, 200) << "refused logouts left the session";
  EXPECT_EQ(web.post("/api/logout", "", &session, &session.csrf)->status, 204);
  EXPECT_EQ(web.get("/api/me", &session)->status, 401);
}

TEST_F(WebApi, TheSessionCookieIsHttpOnlyAndSameSiteStrict) {
  auto web = client();
  const json body = {{"user", s_sample->user_of.at(Role::official)},
                     {"password", SampleArchive::password_of(Role::official)}};
  const auto result = web.raw().Post("/api/login", body.dump(), "application/json");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200);
  const std::string cookie = result->get_header_value("Set-Cookie");
  EXPECT_EQ(cookie.rfind("sohoa_session=", 0), 0U) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Max-Age=28800"), std::string::npos) << cookie;
  const auto me = body_of(result);
  EXPECT_EQ(me["role"], "official");
  EXPECT_EQ(me["csrf"].get<std::string>().size(), 64U);
  EXPECT_EQ(body.dump().find(me["csrf"].get<std::string>()), std::string::npos);
}

TEST_F(WebApi, EveryAnswerCarriesTheSecurityHeaders) {
  auto web = client();
  std::vector<httplib::Result> answers;
  answers.push_back(web.get("/"));
  answers.push_back(web.get("/index.html"));
  answers.push_back(web.get("/api/me"));
  answers.push_back(web.get("/api/me", &as(Role::admin)));
  answers.push_back(web.get("/api/nowhere", &as(Role::admin)));
  answers.push_back(web.raw().Post("/api/login", std::string(100 * 1024, 'x'), "application/json"));
  for (const auto& answer : answers) {
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->get_header_value("Content-Security-Policy").find("default-src 'self'"),
              std::string::npos)
        << answer->status;
    EXPECT_EQ(answer->get_header_value("X-Content-Type-Options"), "nosniff") << answer->status;
    EXPECT_EQ(answer->get_header_value("X-Frame-Options"), "DENY") << answer->status;
    EXPECT_EQ(answer->get_header_value("Referrer-Policy"), "no-referrer") << answer->status;
  }
}

// --- security: hostile input -----------------------------------------------------------------------

TEST_F(WebApi, PathTraversalNeverServesAFileOutsideTheArchive) {
  // A file just outside the archive, which a traversal from files/ would reach.
  write_file(s_dir / "secret.txt", "root:x:0:0:secret");
  auto web = client();
  const std::vector<std::string> attacks = {
      "../secret.txt", "..%2fsecret.txt", "%2e%2e%2fsecret.txt", "%2e%2e/secret.txt",
      "..%2f..%2f..%2fetc%2fpasswd", "%2Fetc%2Fpasswd", "/etc/passwd", "..%5c..%5csecret.txt",
      code() + "%00", code() + "%00.pdf", "%00", "..", ".", "%2e%2e", code() + "%2f..%2f..",
  };
  const std::vector<std::string> routes = {"/api/dossiers/{}", "/api/dossiers/{}/pdf",
                                           "/api/dossiers/{}/pages/1/image",
                                           "/api/dossiers/{}/pages/1/words",
                                           "/api/dossiers/{}/pages/1/text"};
  for (const auto& route : routes) {
    for (const auto& attack : attacks) {
      std::string path = route;
      path.replace(path.find("{}"), 2, attack);
      const auto result = web.get(path, &as(Role::admin));
      ASSERT_TRUE(result) << path;
      EXPECT_TRUE(result->status == 404 || result->status == 400) << path << " -> " << result->status;
      EXPECT_EQ(result->body.find("root:"), std::string::npos) << path;
      EXPECT_EQ(result->body.find("%PDF-"), std::string::npos) << path;
    }
  }
  for (const auto* path : {"/../secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
                           "/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd", "/index.html%00.png",
                           "//etc/passwd", "/archive/catalog.sqlite", "/catalog.sqlite"}) {
    const auto result = web.get(path, &as(Role::admin));
    ASSERT_TRUE(result) << path;
    EXPECT_TRUE(result->status == 404 || result->status == 400) << path << " -> " << result->status;
    EXPECT_EQ(result->body.find("root:"), std::string::npos) << path;
  }
}

TEST_F(WebApi, HostileSearchInputGetsA200Or400AndLeavesTheCatalogIntact) {
  auto web = client();
  const std::vector<std::string> queries = {
      "\"", "\"\"", "'", "''", "'; DROP TABLE dossiers;--", "\"; DROP TABLE dossiers;--",
      "dang) OR (1=1", "((((", "))))", "NEAR(dang ky)", "dang* OR *", "-", "-dang", "*", "code:*",
      "level:'; DELETE FROM users;--", "received:2026..'", "a\x01\x02\x1f b", "\x7f",
      "\xff\xfe broken utf-8 \xc3", std::string(7 * 1024, 'a'),
      [] {
        std::string many;
        for (int word = 0; word < 700; ++word) {
          many += "tu" + std::to_string(word) + " ";
        }
        return many;
      }(),
      "%00", "dang\\", "{\"q\": 1}", "<script>alert(1)</script>", "đăng ký OR OR OR",
  };
  for (const auto& text : queries) {
    const auto path = "/api/search?q=" + httplib::detail::encode_query_param(text);
    const auto result = web.get(path, &as(Role::archivist));
    ASSERT_TRUE(result) << text.substr(0, 40);
    EXPECT_TRUE(result->status == 200 || result->status == 400)
        << text.substr(0, 40) << " -> " << result->status << " " << result->body.substr(0, 200);
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json; charset=utf-8");
    const auto body = body_of(result);
    EXPECT_FALSE(body.is_discarded()) << text.substr(0, 40);
    if (result->status == 400) {
      EXPECT_TRUE(body.contains("error")) << result->body;
    }
  }
  // 10 KB in the URL is over httplib's 8 KiB limit for a request line: 414, as JSON.
  for (const auto& text : {std::string(10 * 1024, 'a'), std::string(10 * 1024, '\'')}) {
    const auto result = web.get("/api/search?q=" + httplib::detail::encode_query_param(text),
                                &as(Role::archivist));
    ASSERT_TRUE(result);
    EXPECT_TRUE(result->status == 400 || result->status == 414) << result->status;
    EXPECT_TRUE(body_of(result).contains("error")) << result->body;
  }
  for (const auto* filter : {"level=tinh%27%3B--", "limit=-1", "limit=99999", "offset=-5",
                             "limit=abc", "from=%27%3B%20DROP%20TABLE%20pages%3B--", "unit=%00"}) {
    const auto result = web.get(std::string("/api/search?q=dang&") + filter, &as(Role::archivist));
    ASSERT_TRUE(result);
    EXPECT_TRUE(result->status == 200 || result->status == 400) << filter << " -> " << result->status;
  }
  // The catalog is whole: every dossier is still found, and every account still logs in.
  const auto all = body_of(web.get("/api/search?q=dang%20ky", &as(Role::archivist)));
  EXPECT_EQ(all["total"], 2);
  const auto archive = storage::Archive::open(s_sample->root);
  EXPECT_GE(archive.catalog().dossier_codes().size(), 3U);
  EXPECT_EQ(storage::list_users(archive.catalog()).size(), 4U);
}

TEST_F(WebApi, OversizedBodiesGet413AndMalformedJson400) {
  auto web = client();
  const auto big = web.raw().Post("/api/login", std::string(64 * 1024 + 1, '{'), "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(body_of(big).value("status", 0), 413) << big->body;
  const std::string csrf = as(Role::admin).csrf;
  const auto big_logout = web.post("/api/logout", std::string(200 * 1024, ' '), &as(Role::admin), &csrf);
  ASSERT_TRUE(big_logout);
  EXPECT_EQ(big_logout->status, 413);
  for (const auto* body : {"{bad", "", "[]", "null", "{\"user\": 1, \"password\": 2}", "{\"user\": \"x\"}",
                           "\"just a string\"", "{\"user\": \"a\", \"password\": \"b\"", "\xff\xfe"}) {
    const auto result = web.raw().Post("/api/login", body, "application/json");
    ASSERT_TRUE(result) << body;
    EXPECT_EQ(result->status, 400) << body << ": " << result->body;
  }
  // A login that is not JSON, as a cross-site form would post it, is refused.
  const json login = {{"user", s_sample->user_of.at(Role::admin)},
                      {"password", SampleArchive::password_of(Role::admin)}};
  for (const auto* type : {"text/plain", "application/x-www-form-urlencoded"}) {
    const auto result = web.raw().Post("/api/login", login.dump(), type);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 415) << type;
    EXPECT_TRUE(result->get_header_value("Set-Cookie").empty()) << type;
  }
  EXPECT_EQ(web.get("/api/me", &as(Role::admin))->status, 200) << "the server still answers";
}

TEST_F(WebApi, UnknownRoutesAre404AndWrongMethods405) {
  auto web = client();
  EXPECT_EQ(web.get("/api/nowhere", &as(Role::admin))->status, 404);
  EXPECT_EQ(web.get("/api/dossiers/" + code() + "/pages/x/image", &as(Role::admin))->status, 404);
  EXPECT_EQ(web.get("/api/login")->status, 405);
  EXPECT_EQ(web.post("/api/search", "{}", &as(Role::admin), &as(Role::admin).csrf)->status, 405);
  EXPECT_EQ(web.get("/api/dossiers/NO-SUCH-CODE", &as(Role::admin))->status, 404);
  EXPECT_EQ(web.get("/api/dossiers/" + std::string(7000, 'a') + "/pdf", &as(Role::admin))->status, 404);
  EXPECT_EQ(web.get("/api/dossiers/" + code() + "/", &as(Role::admin))->status, 404);
  EXPECT_EQ(web.get("/api/dossiers//pdf", &as(Role::admin))->status, 404);
  EXPECT_EQ(web.get("/api/dossiers/" + code() + "/pages/1234567/text", &as(Role::admin))->status, 404);
  EXPECT_EQ(web.get("/api/dossiers/" + code() + "/pages/99/text", &as(Role::admin))->status, 404);
}

// --- what the routes answer -------------------------------------------------------------------------

TEST_F(WebApi, SearchAnswersTheJsonOfSohoaSearch) {
  auto web = client();
  const auto result = web.get("/api/search?q=xay%20dung&limit=5", &as(Role::archivist));
  ASSERT_EQ(result->status, 200);
  storage::SearchQuery query;
  query.text = "xay dung";
  query.limit = 5;
  const auto archive = storage::Archive::open(s_sample->root);
  const auto expected = app::to_json(archive.catalog().search(query), s_sample->root);
  EXPECT_EQ(body_of(result), expected);
  EXPECT_EQ(expected["total"], 2);  // "Xây dựng" on page 2 of the first, "XÂY DỰNG" in the second
  const auto filtered =
      body_of(web.get("/api/search?q=xay%20dung&level=district", &as(Role::archivist)));
  ASSERT_EQ(filtered["hits"].size(), 1U);
  EXPECT_EQ(filtered["hits"][0]["dossier"], s_sample->codes[1]);
  EXPECT_EQ(web.get("/api/search?q=dang&level=galaxy", &as(Role::archivist))->status, 400);
}

TEST_F(WebApi, DossierAnswersSohoaShowWithFixityAndIsRecordedAsAView) {
  auto web = client();
  const auto result = web.get("/api/dossiers/" + code(), &as(Role::archivist));
  ASSERT_EQ(result->status, 200);
  auto body = body_of(result);
  EXPECT_EQ(body["fixity"]["status"], "ok");
  body.erase("fixity");
  const auto archive = storage::Archive::open(s_sample->root);
  EXPECT_EQ(body, app::to_json(*archive.catalog().find_dossier(code()), s_sample->root));
  storage::EventFilter filter;
  filter.action = "view";
  filter.actor = s_sample->user_of.at(Role::archivist);
  const auto events = archive.catalog().events(filter);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().dossier, code());
}

TEST_F(WebApi, PageImageIsAPngOfTheAskedWidth) {
  auto web = client();
  const auto result = web.get("/api/dossiers/" + code() + "/pages/2/image?width=320", &as(Role::admin));
  ASSERT_EQ(result->status, 200) << result->body;
  EXPECT_EQ(result->get_header_value("Content-Type"), "image/png");
  ASSERT_GT(result->body.size(), 24U);
  EXPECT_EQ(result->body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  auto big_endian = [&](std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t index = 0; index < 4; ++index) {
      value = (value << 8U) | static_cast<unsigned char>(result->body[at + index]);
    }
    return value;
  };
  EXPECT_EQ(big_endian(16), 320U);
  EXPECT_NEAR(big_endian(20), 320.0 * SampleArchive::k_page_height / SampleArchive::k_page_width, 1.0);
  EXPECT_EQ(web.get("/api/dossiers/" + code() + "/pages/2/image?width=5000", &as(Role::admin))->status,
            400);
  EXPECT_EQ(web.get("/api/dossiers/" + code() + "/pages/3/image", &as(Role::admin))->status, 404);
}

TEST_F(WebApi, WordsLieWhereThePageShowsThem) {
  auto web = client();
  const auto result = web.get("/api/dossiers/" + code() + "/pages/1/words", &as(Role::archivist));
  ASSERT_EQ(result->status, 200);
  const auto body = body_of(result);
  EXPECT_EQ(body["page"], 1);
  const auto expected = s_sample->first_dossier_words(1);
  ASSERT_EQ(body["words"].size(), expected.size()) << result->body;
  for (std::size_t index = 0; index < expected.size(); ++index) {
    const auto& word = body["words"][index];
    const auto& box = expected[index].box;
    EXPECT_EQ(word["text"], expected[index].text);
    const double width = SampleArchive::k_page_width;
    const double height = SampleArchive::k_page_height;
    // Within 1 % of the page: the text layer's font metrics, not the OCR box, set the edges.
    EXPECT_NEAR(word["box"][0].get<double>(), box.x / width, 0.01) << word;
    EXPECT_NEAR(word["box"][2].get<double>(), (box.x + box.width) / width, 0.01) << word;
    const double middle = (word["box"][1].get<double>() + word["box"][3].get<double>()) / 2;
    EXPECT_NEAR(middle, (box.y + box.height / 2.0) / height, 0.01) << word;
  }
}

TEST_F(WebApi, TextAndPdfAnswerThePageTextAndTheFileAsADownload) {
  auto web = client();
  const auto text = body_of(web.get("/api/dossiers/" + code() + "/pages/2/text", &as(Role::admin)));
  EXPECT_EQ(text["text"], "Xây dựng nhà xưởng vật liệu");
  const auto pdf = web.get("/api/dossiers/" + code() + "/pdf", &as(Role::admin));
  ASSERT_EQ(pdf->status, 200);
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf->get_header_value("Content-Disposition"),
            "attachment; filename=\"" + code() + ".pdf\"");
  EXPECT_EQ(pdf->body.substr(0, 5), "%PDF-");
  const auto archive = storage::Archive::open(s_sample->root);
  const auto dossier = archive.catalog().find_dossier(code());
  EXPECT_EQ(read_file(archive.absolute(dossier->pdf_path)), pdf->body);
  storage::EventFilter filter;
  filter.action = "download";
  const auto events = archive.catalog().events(filter);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().actor, s_sample->user_of.at(Role::admin));
  EXPECT_EQ(events.front().dossier, code());
  // A HEAD request downloads nothing and is not recorded as a download.
  const auto head = web.raw().Head(("/api/dossiers/" + code() + "/pdf").c_str(),
                                   {{"Cookie", as(Role::admin).cookie}});
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(archive.catalog().events(filter).size(), events.size());
}

TEST_F(WebApi, FacetsBatchesAndAuditAnswerWhatTheArchiveHolds) {
  auto web = client();
  const auto facets = body_of(web.get("/api/facets", &as(Role::official)));
  EXPECT_EQ(facets["levels"], json({"province", "district", "commune"}));
  EXPECT_EQ(facets["units"].size(), 3U);
  EXPECT_EQ(facets["periods"]["first"], "2025-06-18");
  EXPECT_EQ(facets["periods"]["last"], "2026-05-20");
  const auto batches = body_of(web.get("/api/batches", &as(Role::operator_)));
  ASSERT_EQ(batches["batches"].size(), 1U);
  const auto& batch = batches["batches"][0];
  EXPECT_EQ(batch["failures_by_reason"], json({{"unreadable", 1}}));
  EXPECT_EQ(batch["rescan"].size(), 4U);
  EXPECT_NE(batch["rescan"][0]["reason"].get<std::string>().find("200 dpi"), std::string::npos);
  const auto audit = body_of(web.get("/api/audit?action=login&limit=2", &as(Role::admin)));
  ASSERT_EQ(audit["events"].size(), 2U);
  EXPECT_EQ(audit["events"][0]["action"], "login");
}

TEST_F(WebApi, TheRootSendsAnonymousBrowsersToTheLoginPage) {
  auto web = client();
  const auto anonymous = web.get("/");
  EXPECT_EQ(anonymous->status, 302);
  EXPECT_EQ(anonymous->get_header_value("Location"), "/login.html");
  const auto logged_in = web.get("/", &as(Role::official));
  EXPECT_EQ(logged_in->status, 200);
  EXPECT_EQ(logged_in->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(web.get("/index.html")->body, logged_in->body);
}

// --- sessions over time, throttling, disabled accounts (a server each: they move the clock) ----------

class WebSessions : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    m_sample = make_sample_archive(dir() / "archive");
    m_server = std::make_unique<RunningServer>(m_sample.root, m_clock);
  }
  void TearDown() override {
    m_server.reset();
    TempDirTest::TearDown();
  }
  WebClient client() { return WebClient(m_server->port()); }
  WebSession login(Role role, int* status = nullptr) {
    return client().login(m_sample.user_of.at(role), SampleArchive::password_of(role), status);
  }

  SampleArchive m_sample;
  MovableClock m_clock;
  std::unique_ptr<RunningServer> m_server;
};

TEST_F(WebSessions, FiveFailedLoginsBlockTheUserWith429UntilTheWindowPasses) {
  auto web = client();
  const auto& name = m_sample.user_of.at(Role::archivist);
  int status = 0;
  for (int attempt = 0; attempt < web::k_login_failures_allowed; ++attempt) {
    web.login(name, "wrong password " + std::to_string(attempt), &status);
    EXPECT_EQ(status, 401) << attempt;
  }
  web.login(name, SampleArchive::password_of(Role::archivist), &status);
  EXPECT_EQ(status, 429) << "the right password after 5 failures";
  web.login("nobody-" + name, "anything", &status);
  EXPECT_EQ(status, 429) << "the same address under another name";
  m_clock.advance(std::chrono::minutes(16));
  const auto session = web.login(name, SampleArchive::password_of(Role::archivist), &status);
  EXPECT_EQ(status, 200);
  EXPECT_FALSE(session.cookie.empty());
}

TEST_F(WebSessions, AnIdleSessionExpiresAfterAnHourAndAnyAfterEightHours) {
  auto web = client();
  const auto idle = login(Role::archivist);
  ASSERT_EQ(web.get("/api/me", &idle)->status, 200);
  m_clock.advance(std::chrono::minutes(59));
  EXPECT_EQ(web.get("/api/me", &idle)->status, 200);
  m_clock.advance(std::chrono::minutes(61));
  EXPECT_EQ(web.get("/api/me", &idle)->status, 401);
  EXPECT_EQ(web.get("/api/search?q=dang", &idle)->status, 401);

  const auto busy = login(Role::archivist);
  for (int hour = 0; hour < 8; ++hour) {
    EXPECT_EQ(web.get("/api/me", &busy)->status, 200) << hour;
    m_clock.advance(std::chrono::minutes(55));
  }
  m_clock.advance(std::chrono::minutes(45));  // 8 h 05 after login, last request 45 min ago
  EXPECT_EQ(web.get("/api/me", &busy)->status, 401);
}

TEST_F(WebSessions, ADisabledUserIsLoggedOutAndCannotLogIn) {
  auto web = client();
  const auto session = login(Role::archivist);
  ASSERT_EQ(web.get("/api/me", &session)->status, 200);
  {
    auto archive = storage::Archive::open(m_sample.root);
    storage::set_disabled(archive.catalog(), m_sample.user_of.at(Role::archivist), true);
  }
  EXPECT_EQ(web.get("/api/me", &session)->status, 401);
  int status = 0;
  login(Role::archivist, &status);
  EXPECT_EQ(status, 401);
  {
    auto archive = storage::Archive::open(m_sample.root);
    storage::set_disabled(archive.catalog(), m_sample.user_of.at(Role::archivist), false);
  }
  login(Role::archivist, &status);
  EXPECT_EQ(status, 200);
}

TEST_F(WebSessions, LoginAndLogoutAreInTheEventsLog) {
  auto web = client();
  auto session = login(Role::official);
  ASSERT_EQ(web.post("/api/logout", "", &session, &session.csrf)->status, 204);
  int status = 0;
  web.login(m_sample.user_of.at(Role::official), "not the password", &status);
  EXPECT_EQ(status, 401);
  const auto archive = storage::Archive::open(m_sample.root);
  storage::EventFilter filter;
  filter.actor = m_sample.user_of.at(Role::official);
  std::vector<std::string> actions;
  for (const auto& event : archive.catalog().events(filter)) {
    actions.push_back(event.action);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"login-failed", "logout", "login"}));
}

TEST_F(WebSessions, ACatalogPathThatLeavesTheArchiveIsNotFollowed) {
  write_file(dir() / "outside.pdf", "%PDF-1.4 not in the archive");
  {
    auto archive = storage::Archive::open(m_sample.root);
    storage::DossierRecord tampered;
    tampered.meta.code = "TAMPERED-1";
    tampered.pdf_path = "../outside.pdf";
    tampered.page_count = 1;
    tampered.pages.push_back({});
    tampered.pages.back().seq = 1;
    archive.catalog().put_dossier(tampered, false);
  }
  auto web = client();
  const auto admin = login(Role::admin);
  const auto pdf = web.get("/api/dossiers/TAMPERED-1/pdf", &admin);
  EXPECT_EQ(pdf->status, 404);
  EXPECT_EQ(pdf->body.find("%PDF-"), std::string::npos);
  EXPECT_EQ(web.get("/api/dossiers/TAMPERED-1/pages/1/image", &admin)->status, 404);
  const auto shown = body_of(web.get("/api/dossiers/TAMPERED-1", &admin));
  EXPECT_EQ(shown["fixity"]["status"], "missing");
}

}  // namespace
}  // namespace sohoa::test
