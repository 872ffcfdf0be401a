// Design notes
// - Paths in the catalog are relative to the root and '/'-separated, so an archive folder can be
//   moved, copied to a USB disk or mounted elsewhere and still resolve its files.
// - A path component built from user data (unit, dossier code, year) is made safe for every file
//   system an archive is likely to be copied to (ext4, NTFS, exFAT): '/', '\\', control characters
//   and the characters Windows refuses (: * ? " < > |) become '_', leading dots become '_' (no
//   hidden files, no "." or ".."), trailing dots and spaces are dropped, the text is NFC and at most
//   150 bytes (cut on a character boundary). Vietnamese letters are kept as they are.
// - The write lock is flock(LOCK_EX | LOCK_NB) on <root>/.lock: the kernel drops it when the
//   process dies, so a crash never leaves a stale lock behind. flock locks belong to the open file
//   description, so a second lock_for_writing() in the same process is refused too.
// - recover() only deletes under files/, and only "*.tmp" files and "*.pdf" files the catalog does
//   not reference: those are left by a crash between "PDF committed" and "catalog committed".

#include "sohoa/storage/archive.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include "sohoa/core/errors.hpp"
#include "sohoa/core/text.hpp"

namespace sohoa::storage {

namespace {

constexpr const char* k_catalog_name = "catalog.sqlite";
constexpr std::size_t k_max_component_bytes = 150;

void create_folder(const std::filesystem::path& folder) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) {
    throw core::Fatal(
        fmt::format("cannot create the folder {}: {}", folder.string(), error.message()));
  }
}

std::string safe_component(const std::string& raw) {
  std::string text = core::to_nfc(raw);
  std::string safe;
  safe.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool bad = byte < 0x20 || byte == 0x7F || c == '/' || c == '\\' || c == ':' ||
                     c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|';
    safe.push_back(bad ? '_' : c);
  }
  // Trim surrounding spaces, then drop trailing dots/spaces (Windows drops them silently).
  const auto first = safe.find_first_not_of(' ');
  safe = first == std::string::npos ? std::string() : safe.substr(first);
  while (!safe.empty() && (safe.back() == '.' || safe.back() == ' ')) {
    safe.pop_back();
  }
  for (char& c : safe) {
    if (c != '.') {
      break;
    }
    c = '_';
  }
  if (safe.size() > k_max_component_bytes) {
    std::size_t cut = k_max_component_bytes;
    while (cut > 0 && (static_cast<unsigned char>(safe[cut]) & 0xC0U) == 0x80U) {
      --cut;
    }
    safe.resize(cut);
  }
  return safe.empty() ? "unknown" : safe;
}

std::string relative_string(const std::filesystem::path& path, const std::filesystem::path& root) {
  return path.lexically_relative(root).generic_string();
}

}  // namespace

Archive::Archive(std::filesystem::path root, Catalog catalog)
    : m_root(std::move(root)), m_catalog(std::move(catalog)) {}

Archive Archive::init(const std::filesystem::path& root) {
  for (const char* sub : {"", "files", "quarantine", "exports"}) {
    create_folder(root / sub);
  }
  if (::access(root.c_str(), W_OK) != 0) {
    throw core::Fatal(fmt::format("cannot write to the archive folder {}: {}", root.string(),
                                  std::strerror(errno)));
  }
  return Archive(root, Catalog::open(root / k_catalog_name, true));
}

Archive Archive::open(const std::filesystem::path& root) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(root / k_catalog_name, error)) {
    throw core::Fatal(
        fmt::format("no sohoa archive at {}: run `sohoa init` first", root.string()));
  }
  return Archive(root, Catalog::open(root / k_catalog_name, false));
}

std::string Archive::dossier_pdf_path(const std::string& year, const std::string& unit,
                                      const std::string& code, int revision) {
  std::string name = safe_component(code);
  if (revision > 1) {
    name += fmt::format(".r{}", revision);
  }
  return fmt::format("files/{}/{}/{}.pdf", safe_component(year), safe_component(unit), name);
}

Archive::WriteLock::~WriteLock() {
  if (m_fd >= 0) {
    ::flock(m_fd, LOCK_UN);
    ::close(m_fd);
  }
}

Archive::WriteLock Archive::lock_for_writing() const {
  const auto path = m_root / ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw core::Fatal(
        fmt::format("cannot open the archive lock {}: {}", path.string(), std::strerror(errno)));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      throw core::Fatal(
          fmt::format("another sohoa process is writing to this archive ({})", path.string()));
    }
    throw core::Fatal(
        fmt::format("cannot lock the archive {}: {}", path.string(), std::strerror(error)));
  }
  return WriteLock(fd);
}

std::vector<std::string> Archive::recover() {
  std::set<std::string> referenced;
  for (const auto& file : m_catalog.stored_files()) {
    referenced.insert(file.pdf_path);
  }
  std::vector<std::string> removed;
  const auto files = m_root / "files";
  std::error_code error;
  if (!std::filesystem::is_directory(files, error)) {
    return removed;
  }
  std::vector<std::filesystem::path> doomed;
  for (auto it = std::filesystem::recursive_directory_iterator(files, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file(error)) {
      continue;
    }
    const auto& path = it->path();
    const auto extension = path.extension().string();
    const auto relative = relative_string(path, m_root);
    if (extension == ".tmp" || (extension == ".pdf" && referenced.count(relative) == 0)) {
      doomed.push_back(path);
    }
  }
  if (error) {
    throw core::Fatal(
        fmt::format("cannot list the archive folder {}: {}", files.string(), error.message()));
  }
  for (const auto& path : doomed) {
    if (!std::filesystem::remove(path, error) && error) {
      throw core::Fatal(fmt::format("cannot remove {}: {}", path.string(), error.message()));
    }
    removed.push_back(relative_string(path, m_root));
  }
  std::sort(removed.begin(), removed.end());
  return removed;
}

void Archive::quarantine(std::int64_t batch_id, const std::filesystem::path& source,
                         const std::string& reason) const {
  const auto folder = m_root / "quarantine" / std::to_string(batch_id);
  create_folder(folder);
  // Sources of different dossiers often share a name (page1.jpg): never overwrite one.
  const std::string stem = safe_component(source.stem().string());
  const std::string extension = source.extension().string();
  auto target = folder / (stem + extension);
  for (int copy = 2; std::filesystem::exists(target) ||
                     std::filesystem::exists(target.string() + ".reason.txt");
       ++copy) {
    target = folder / fmt::format("{}~{}{}", stem, copy, extension);
  }
  std::error_code error;
  std::filesystem::copy_file(source, target, error);
  const std::string copied = error ? fmt::format("(could not be copied: {})\n", error.message())
                                   : std::string();
  std::ofstream out(target.string() + ".reason.txt", std::ios::binary);
  out << "source: " << source.string() << "\n" << copied << "reason: " << reason << "\n";
  out.close();
  if (!out) {
    throw core::Fatal(fmt::format("cannot write {}.reason.txt", target.string()));
  }
}

}  // namespace sohoa::storage
