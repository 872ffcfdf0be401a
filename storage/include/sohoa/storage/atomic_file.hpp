#pragma once
// Publish a file with an explicit commit (STYLE.md §9): write `tmp_path()`, then `commit()` fsyncs
// it, renames it onto the final path and fsyncs the directory. A destructor never publishes: an
// uncommitted temporary is removed.

#include <filesystem>

namespace sohoa::storage {

class AtomicFile {
 public:
  // `final_path`'s directory is created if missing. The temporary is `final_path` + ".tmp".
  explicit AtomicFile(std::filesystem::path final_path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::filesystem::path& tmp_path() const { return m_tmp; }
  const std::filesystem::path& final_path() const { return m_final; }
  // fsync(tmp), rename(tmp, final), fsync(dir). Throws core::Fatal on any failure (naming the file).
  void commit();

 private:
  std::filesystem::path m_final;
  std::filesystem::path m_tmp;
  bool m_committed = false;
};

}  // namespace sohoa::storage
