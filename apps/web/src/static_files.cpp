#include "static_files.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace sohoa::web {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 15> k_types = {{
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".ttf", "font/ttf"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
}};

}  // namespace

const EmbeddedFile* find_static_file(std::string_view path) {
  for (const auto& file : detail::embedded_files()) {
    if (file.path == path) {
      return &file;
    }
  }
  return nullptr;
}

std::string_view content_type_of(std::string_view path) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash)) {
    const auto extension = path.substr(dot);
    for (const auto& [known, type] : k_types) {
      if (std::equal(known.begin(), known.end(), extension.begin(), extension.end(),
                     [](char a, char b) { return a == (b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b); })) {
        return type;
      }
    }
  }
  return "application/octet-stream";
}

}  // namespace sohoa::web
