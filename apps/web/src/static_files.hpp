#pragma once
// The pages under web/, built into the binary (embed_files.cmake writes the table at build time).

#include <string_view>
#include <vector>

namespace sohoa::web {

struct EmbeddedFile {
  std::string_view path;     // "/login.html", "/js/app.js"
  std::string_view content;
};

// The file served at URL path `path`, found by exact match (so "../" can never reach the disk),
// or nullptr.
const EmbeddedFile* find_static_file(std::string_view path);
// The Content-Type for `path` by its extension ("text/html; charset=utf-8", ...);
// "application/octet-stream" for an unknown one.
std::string_view content_type_of(std::string_view path);

namespace detail {
const std::vector<EmbeddedFile>& embedded_files();  // generated, sorted by path
}  // namespace detail

}  // namespace sohoa::web
