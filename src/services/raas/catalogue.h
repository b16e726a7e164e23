// The RaaS source catalogue (DESIGN §4.1): every data source a report can read, and for each
// of its columns the catalogue name, the value type and the default display name. Reports
// name sources and columns by these names only; the storage layer maps each name to its own
// whitelisted SQL. Pure data, no I/O.
#pragma once

#include <span>
#include <string_view>

namespace keygate::services::raas {

enum class ColumnType {
  kText,
  kInteger,
  kDecimal,    // quantities stored in hundredths (7.25 hours), rendered as 7.25
  kMoney,      // minor units, rendered in the row's currency (the source's "currency" column)
  kDate,       // unix seconds of 00:00 UTC, rendered "YYYY-MM-DD"
  kDateTime,   // unix seconds, rendered "YYYY-MM-DDTHH:MM:SSZ"
  kTimeOfDay,  // minutes after midnight, rendered "HH:MM"
};

struct ColumnInfo {
  std::string_view name;
  ColumnType type;
  std::string_view display_name;  // the default; a report may rename it
};

struct SourceInfo {
  std::string_view name;
  std::string_view display_name;
  std::string_view description;
  std::span<const ColumnInfo> columns;
};

// Every source, in the order the UI lists them.
std::span<const SourceInfo> sources();
const SourceInfo* findSource(std::string_view name);
const ColumnInfo* findColumn(const SourceInfo& source, std::string_view name);

// "text", "integer", "decimal", "money", "date", "datetime", "time".
std::string_view typeName(ColumnType type);
// Ranges (>=, <=, between) make sense for numbers, dates and times, not for text.
bool supportsRange(ColumnType type);

// Money columns are rendered in the currency of this column of the same source.
inline constexpr std::string_view kCurrencyColumn = "currency";

}  // namespace keygate::services::raas
