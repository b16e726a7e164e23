// Rendering of report values (see render.h).
#include "services/raas/render.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/key_rules.h"
#include "core/money.h"

namespace keygate::services::raas {
namespace {

// The length of the valid UTF-8 sequence starting at text[i], or 0 when it is not one
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
std::size_t utf8Sequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  const std::size_t left = text.size() - i;
  const auto continuation = [&](std::size_t k) { return (byte(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return left >= 2 && continuation(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || !continuation(i + 1) || !continuation(i + 2)) return 0;
    if (c == 0xE0 && byte(i + 1) < 0xA0) return 0;   // overlong
    if (c == 0xED && byte(i + 1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || !continuation(i + 1) || !continuation(i + 2) || !continuation(i + 3)) return 0;
    if (c == 0xF0 && byte(i + 1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && byte(i + 1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

void appendNumber(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec == std::errc()) out.append(buffer, end);
}

void appendReal(std::string& out, double value) {
  if (!std::isfinite(value)) return;  // JSON has no NaN or infinity: rendered as null
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec == std::errc()) out.append(buffer, end);
}

bool needsCsvQuotes(std::string_view text) {
  return text.find_first_of(",\"\r\n") != std::string_view::npos;
}

}  // namespace

RowEncoder::RowEncoder(const std::vector<OutputColumn>& columns)
    : columns_(columns), buffers_(columns.size()), fields_(columns.size()) {}

std::span<const Field> RowEncoder::encode(std::span<const storage::Cell> cells) {
  using Kind = storage::Cell::Kind;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const OutputColumn& column = columns_[i];
    const storage::Cell& cell = i < cells.size() ? cells[i] : storage::Cell{};
    std::string& buffer = buffers_[i];
    buffer.clear();
    Field& field = fields_[i];
    field = Field{};
    if (cell.kind == Kind::kNull) continue;

    // Values of an unexpected storage type are rendered as what they are, never dropped.
    if (cell.kind == Kind::kText) {
      field = Field{FieldKind::kText, cell.text};
      continue;
    }
    if (cell.kind == Kind::kReal) {
      appendReal(buffer, cell.real);
      field = buffer.empty() ? Field{} : Field{FieldKind::kRaw, buffer};
      continue;
    }
    const std::int64_t value = cell.integer;
    switch (column.info->type) {
      case ColumnType::kText:
        appendNumber(buffer, value);
        field = Field{FieldKind::kText, buffer};
        break;
      case ColumnType::kInteger:
        appendNumber(buffer, value);
        field = Field{FieldKind::kRaw, buffer};
        break;
      case ColumnType::kDecimal:
        buffer = core::formatFixed(value, core::kQuantityScale);
        field = Field{FieldKind::kRaw, buffer};
        break;
      case ColumnType::kMoney: {
        std::string_view currency;
        if (column.currency_cell >= 0 &&
            static_cast<std::size_t>(column.currency_cell) < cells.size() &&
            cells[static_cast<std::size_t>(column.currency_cell)].kind == Kind::kText)
          currency = cells[static_cast<std::size_t>(column.currency_cell)].text;
        buffer = core::formatMoney(value, currency);
        field = Field{FieldKind::kRaw, buffer};
        break;
      }
      case ColumnType::kDate:
        buffer = core::formatDate(value);
        field = Field{FieldKind::kText, buffer};
        break;
      case ColumnType::kDateTime:
        buffer = core::formatDateTime(value);
        field = Field{FieldKind::kText, buffer};
        break;
      case ColumnType::kTimeOfDay: {
        if (value < 0 || value >= 24 * 60) {
          appendNumber(buffer, value);
        } else {
          char text[8];
          std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(value / 60),
                        static_cast<int>(value % 60));
          buffer = text;
        }
        field = Field{FieldKind::kText, buffer};
        break;
      }
    }
  }
  return fields_;
}

void appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t length = utf8Sequence(text, i);
      if (length == 0) {
        out += "\\ufffd";  // invalid UTF-8 would make the whole response invalid JSON
        ++i;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

void appendJsonValue(std::string& out, const Field& field) {
  switch (field.kind) {
    case FieldKind::kNull:
      out += "null";
      break;
    case FieldKind::kRaw:
      out.append(field.bytes);
      break;
    case FieldKind::kText:
      appendJsonString(out, field.bytes);
      break;
  }
}

void appendCsvText(std::string& out, std::string_view text) {
  if (!needsCsvQuotes(text)) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (const char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void appendCsvField(std::string& out, const Field& field) {
  if (field.kind == FieldKind::kNull) return;
  appendCsvText(out, field.bytes);
}

JsonRowsWriter::JsonRowsWriter(const std::vector<std::string>& display_names) {
  keys_.reserve(display_names.size());
  for (const auto& name : display_names) {
    std::string key;
    appendJsonString(key, name);
    key.push_back(':');
    keys_.push_back(std::move(key));
  }
}

void JsonRowsWriter::row(std::string& out, std::span<const Field> fields) {
  if (!first_) out.push_back(',');
  first_ = false;
  out.push_back('{');
  for (std::size_t i = 0; i < fields.size() && i < keys_.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += keys_[i];
    appendJsonValue(out, fields[i]);
  }
  out.push_back('}');
}

void appendCsvHeader(std::string& out, const std::vector<std::string>& display_names) {
  for (std::size_t i = 0; i < display_names.size(); ++i) {
    if (i > 0) out.push_back(',');
    appendCsvText(out, display_names[i]);
  }
  out += "\r\n";
}

void appendCsvRow(std::string& out, std::span<const Field> fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    appendCsvField(out, fields[i]);
  }
  out += "\r\n";
}

std::string withThousands(std::int64_t value) {
  const std::string digits = std::to_string(value);
  const std::size_t sign = value < 0 ? 1 : 0;
  std::string out = digits.substr(0, sign);
  for (std::size_t i = sign; i < digits.size(); ++i) {
    if (i > sign && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace keygate::services::raas
