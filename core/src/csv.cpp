// Design notes: libcsv is fed one physical line at a time so that the parser's callbacks know
// which line they are on; a record's line is the line its first field started on (quoted fields
// may span lines). Strict mode is off: stray quotes inside unquoted fields are kept as text, as
// spreadsheet exports produce them.

#include "sohoa/core/csv.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <csv.h>

#include "sohoa/core/text.hpp"

namespace sohoa::core {
namespace {

struct ParseState {
  int current_line = 0;
  int record_line = 0;
  CsvRecord record;
  std::vector<CsvRecord> records;
};

void on_field(void* data, std::size_t size, void* user) {
  auto& state = *static_cast<ParseState*>(user);
  if (state.record.fields.empty()) {
    state.record_line = state.current_line;
  }
  state.record.fields.emplace_back(static_cast<const char*>(data), size);
}

void on_record(int /*terminator*/, void* user) {
  auto& state = *static_cast<ParseState*>(user);
  if (state.record.fields.empty()) {
    return;
  }
  const bool blank = state.record.fields.size() == 1 && state.record.fields[0].empty();
  if (!blank) {
    state.record.line = state.record_line;
    for (const auto& field : state.record.fields) {
      state.record.utf8 = state.record.utf8 && is_valid_utf8(field);
    }
    state.records.push_back(std::move(state.record));
  }
  state.record = CsvRecord{};
}

}  // namespace

tl::expected<CsvTable, std::string> read_csv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return tl::unexpected(std::string("cannot open: ") + std::strerror(errno));
  }
  csv_parser parser{};
  if (csv_init(&parser, CSV_APPEND_NULL) != 0) {
    return tl::unexpected(std::string("cannot start the CSV parser"));
  }
  ParseState state;
  std::string line;
  while (std::getline(in, line)) {
    ++state.current_line;
    line += '\n';
    if (csv_parse(&parser, line.data(), line.size(), on_field, on_record, &state) != line.size()) {
      const std::string reason = csv_strerror(csv_error(&parser));
      csv_free(&parser);
      return tl::unexpected("line " + std::to_string(state.current_line) + ": " + reason);
    }
  }
  const int open_line = state.record.fields.empty() ? state.current_line : state.record_line;
  // Every line was fed with its '\n', so a field still open here is a quoted one that never closed
  // (libcsv 3.0.3's CSV_STRICT_FINI only reports that in fully strict mode).
  const bool unterminated = parser.quoted != 0;
  csv_fini(&parser, on_field, on_record, &state);
  csv_free(&parser);
  if (unterminated) {
    return tl::unexpected("line " + std::to_string(open_line) + ": a quoted field never closes");
  }
  CsvTable table;
  if (state.records.empty()) {
    return table;
  }
  table.header = std::move(state.records.front());
  table.records.assign(std::make_move_iterator(state.records.begin() + 1),
                       std::make_move_iterator(state.records.end()));
  if (!table.header.fields.empty() && table.header.fields[0].rfind("\xEF\xBB\xBF", 0) == 0) {
    table.header.fields[0].erase(0, 3);
  }
  return table;
}

}  // namespace sohoa::core
