// Rendering of report values: storage cells to stored fields by column type (dates as
// YYYY-MM-DD, money in its currency's decimals, …), and stored fields to the two output
// formats: JSON (strings escaped, invalid UTF-8 replaced) and CSV (RFC 4180: fields with a
// comma, quote, CR or LF quoted, quotes doubled, lines ending in CRLF). Pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "services/raas/definition.h"
#include "services/raas/result_file.h"
#include "storage/raas_repositories.h"

namespace keygate::services::raas {

// Turns one streamed row into the fields of the visible columns. The fields point into the
// encoder's buffers: valid until the next call.
class RowEncoder {
 public:
  explicit RowEncoder(const std::vector<OutputColumn>& columns);
  std::span<const Field> encode(std::span<const storage::Cell> cells);

 private:
  const std::vector<OutputColumn>& columns_;
  std::vector<std::string> buffers_;
  std::vector<Field> fields_;
};

// Appends `text` as a JSON string literal (with the quotes).
void appendJsonString(std::string& out, std::string_view text);
// Appends one field as a JSON value: a string, a raw number, or null.
void appendJsonValue(std::string& out, const Field& field);
// Appends one field as a CSV field (null is an empty field).
void appendCsvField(std::string& out, const Field& field);
void appendCsvText(std::string& out, std::string_view text);

// Renders a page's rows as a JSON array of objects keyed by the display names.
class JsonRowsWriter {
 public:
  explicit JsonRowsWriter(const std::vector<std::string>& display_names);
  void row(std::string& out, std::span<const Field> fields);

 private:
  std::vector<std::string> keys_;  // pre-escaped "name":
  bool first_ = true;
};

// The CSV header line of the display names.
void appendCsvHeader(std::string& out, const std::vector<std::string>& display_names);
void appendCsvRow(std::string& out, std::span<const Field> fields);

// 1234567 → "1,234,567", for messages.
std::string withThousands(std::int64_t value);

}  // namespace keygate::services::raas
