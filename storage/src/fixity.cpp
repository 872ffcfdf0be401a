// Design notes
// - A file that does not exist is "missing"; one that exists but cannot be hashed (permissions, a
//   folder in its place, an I/O error) is "unreadable"; a hash that differs is "changed". Only the
//   first two are about the storage; "changed" is the one fixity exists for.
// - Files are hashed one at a time, streamed by core::sha256_file: memory stays flat however large
//   the archive.

#include "sohoa/storage/fixity.hpp"

#include <system_error>

#include "sohoa/core/hash.hpp"

namespace sohoa::storage {

std::string_view to_string(FixityProblem::Kind kind) {
  switch (kind) {
    case FixityProblem::Kind::missing:
      return "missing";
    case FixityProblem::Kind::changed:
      return "changed";
    case FixityProblem::Kind::unreadable:
      return "unreadable";
  }
  return "unknown";
}

FixityReport verify_archive(const Archive& archive, const std::function<void(int, int)>& progress) {
  FixityReport report;
  const auto files = archive.catalog().stored_files();
  const int total = static_cast<int>(files.size());
  int done = 0;
  for (const auto& file : files) {
    const auto path = archive.absolute(file.pdf_path);
    ++report.files_checked;
    FixityProblem problem;
    problem.dossier = file.dossier;
    problem.path = file.pdf_path;
    problem.expected = file.pdf_sha256;
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (status.type() == std::filesystem::file_type::not_found) {
      problem.kind = FixityProblem::Kind::missing;
      report.problems.push_back(std::move(problem));
    } else if (auto hash = core::sha256_file(path); !hash) {
      problem.kind = FixityProblem::Kind::unreadable;
      report.problems.push_back(std::move(problem));
    } else {
      const auto size = std::filesystem::file_size(path, error);
      report.bytes_checked += error ? 0 : static_cast<std::int64_t>(size);
      if (*hash != file.pdf_sha256) {
        problem.kind = FixityProblem::Kind::changed;
        problem.actual = *hash;
        report.problems.push_back(std::move(problem));
      }
    }
    ++done;
    if (progress) {
      progress(done, total);
    }
  }
  return report;
}

}  // namespace sohoa::storage
