#pragma once
// The archive on disk: catalog.sqlite, files/<yyyy>/<unit>/<code>.pdf, quarantine/, exports/.
// Every stored path is relative to the root, so an archive can be moved or copied.

#include <filesystem>
#include <string>
#include <vector>

#include "sohoa/storage/catalog.hpp"

namespace sohoa::storage {

class Archive {
 public:
  // Creates the folder layout and the catalog (WAL). On an existing archive, changes nothing and
  // returns it. Throws core::Fatal when `root` cannot be created or written.
  static Archive init(const std::filesystem::path& root);
  // Opens an existing archive. Throws core::Fatal when `root` holds no catalog (the message says
  // to run `sohoa init`).
  static Archive open(const std::filesystem::path& root);

  const std::filesystem::path& root() const { return m_root; }
  Catalog& catalog() { return m_catalog; }
  const Catalog& catalog() const { return m_catalog; }

  // "files/2026/<unit>/<code>.pdf" (relative; unit and code made safe as one path component:
  // '/' '\\' and control characters replaced, "" -> "unknown"). `revision` > 1 gives
  // "<code>.r<revision>.pdf" for a replacement, which never overwrites the file it replaces.
  static std::string dossier_pdf_path(const std::string& year, const std::string& unit,
                                      const std::string& code, int revision = 1);
  std::filesystem::path absolute(const std::string& relative) const { return m_root / relative; }

  // Takes the archive's write lock (flock on <root>/.lock) for this process' lifetime of the
  // returned object. Throws core::Fatal when another process holds it.
  class WriteLock {
   public:
    explicit WriteLock(int fd) : m_fd(fd) {}
    WriteLock(WriteLock&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;
    WriteLock& operator=(WriteLock&&) = delete;
    ~WriteLock();

   private:
    int m_fd;
  };
  WriteLock lock_for_writing() const;

  // After a crash: removes "*.tmp" files and PDFs the catalog does not reference under files/.
  // Call with the write lock held. Returns the relative paths removed.
  std::vector<std::string> recover();

  // Copies an unreadable source into quarantine/<batch id>/ with "<name>.reason.txt" beside it.
  void quarantine(std::int64_t batch_id, const std::filesystem::path& source,
                  const std::string& reason) const;

 private:
  Archive(std::filesystem::path root, Catalog catalog);
  std::filesystem::path m_root;
  Catalog m_catalog;
};

}  // namespace sohoa::storage
