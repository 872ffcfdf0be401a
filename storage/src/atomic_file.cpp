// Design notes
// - The temporary sits beside the final file (same directory, hence same file system), so the
//   rename is atomic: a reader sees the old file or the new one, never half of one.
// - Durability order: fsync(tmp) before rename, so the name never points at unwritten blocks; then
//   fsync(dir), so the rename itself survives a power cut.
// - The destructor only ever removes the uncommitted temporary; it never publishes (STYLE.md §9).

#include "sohoa/storage/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include "sohoa/core/errors.hpp"

namespace sohoa::storage {

namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error) {
  throw core::Fatal(what + " " + path.string() + ": " + std::strerror(error));
}

void fsync_path(const std::filesystem::path& path, bool directory, const std::string& what) {
  const int flags = O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0);
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) {
    fail(what, path, errno);
  }
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    fail(what, path, error);
  }
  ::close(fd);
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path final_path)
    : m_final(std::move(final_path)), m_tmp(m_final.string() + ".tmp") {
  const auto parent = m_final.parent_path();
  if (!parent.empty()) {
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error) {
      throw core::Fatal("cannot create the folder " + parent.string() + ": " + error.message());
    }
  }
}

AtomicFile::~AtomicFile() {
  if (!m_committed) {
    std::error_code ignored;
    std::filesystem::remove(m_tmp, ignored);
  }
}

void AtomicFile::commit() {
  if (m_committed) {
    return;
  }
  fsync_path(m_tmp, false, "cannot flush");
  if (::rename(m_tmp.c_str(), m_final.c_str()) != 0) {
    fail("cannot rename " + m_tmp.string() + " to", m_final, errno);
  }
  m_committed = true;
  auto parent = m_final.parent_path();
  if (parent.empty()) {
    parent = ".";
  }
  fsync_path(parent, true, "cannot flush the folder");
}

}  // namespace sohoa::storage
