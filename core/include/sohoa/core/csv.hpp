#pragma once
// CSV files (RFC 4180, as the one-stop systems export them) read with Debian's libcsv, keeping the
// line number where each record starts so that errors can name it.

#include <filesystem>
#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace sohoa::core {

struct CsvRecord {
  int line = 0;                     // 1-based line of the file where the record starts
  std::vector<std::string> fields;  // raw bytes; a UTF-8 BOM on the first field is removed
  bool utf8 = true;                 // every field is well-formed UTF-8
};

struct CsvTable {
  CsvRecord header;                 // the first record
  std::vector<CsvRecord> records;   // the rest; blank lines are skipped
};

// Reads the CSV file at `path`. Fails with a message naming the line when the file cannot be read
// or a quoted field never closes. An empty file gives an empty header and no records.
tl::expected<CsvTable, std::string> read_csv(const std::filesystem::path& path);

}  // namespace sohoa::core
