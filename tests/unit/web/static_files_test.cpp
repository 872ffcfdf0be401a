#include "static_files.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace sohoa::web {
namespace {

TEST(StaticFiles, EveryFileUnderWebIsBuiltInByExactPath) {
  const auto& files = detail::embedded_files();
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    EXPECT_EQ(file.path.front(), '/');
    EXPECT_EQ(file.path.find(".."), std::string_view::npos) << file.path;
    EXPECT_EQ(file.content, test::read_file(test::source_path("web" + std::string(file.path))))
        << file.path;
  }
  ASSERT_NE(find_static_file("/index.html"), nullptr);
  for (const auto* path : {"index.html", "/index.html/", "/./index.html", "/../web/index.html",
                           "//index.html", "/INDEX.HTML", "/index.html%00", ""}) {
    EXPECT_EQ(find_static_file(path), nullptr) << path;
  }
}

TEST(StaticFiles, ContentTypeFollowsTheExtension) {
  EXPECT_EQ(content_type_of("/login.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_of("/app.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_of("/js/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_of("/vendor/chart.umd.min.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_of("/logo.SVG"), "image/svg+xml");
  EXPECT_EQ(content_type_of("/img/a.png"), "image/png");
  EXPECT_EQ(content_type_of("/fonts/x.woff2"), "font/woff2");
  EXPECT_EQ(content_type_of("/LICENSE"), "application/octet-stream");
  EXPECT_EQ(content_type_of("/dir.js/README"), "application/octet-stream");
  EXPECT_EQ(content_type_of("/archive.sqlite"), "application/octet-stream");
}

}  // namespace
}  // namespace sohoa::web
