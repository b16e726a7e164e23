// Report definitions: what a user saves (source, columns with their display names, filters,
// sort, prompts), how it is validated against the source catalogue, how prompts are bound
// into filters when a run is requested (the frozen RunSpec), and how a RunSpec becomes a
// storage::RowQuery with typed, bound values. Pure functions over Boost.JSON; no I/O.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "services/raas/catalogue.h"
#include "storage/raas_repositories.h"

namespace keygate::services::raas {

using storage::FilterOp;

struct ReportColumn {
  std::string column;
  std::string display_name;
  bool operator==(const ReportColumn&) const = default;
};

// Values are kept as the user wrote them and converted by the column's type when a run is
// planned: one value for eq/gte/lte, the list for in, (from, to) for between.
struct ReportFilter {
  std::string column;
  FilterOp op = FilterOp::kEq;
  std::vector<std::string> values;
  bool operator==(const ReportFilter&) const = default;
};

struct ReportSort {
  std::string column;
  bool descending = false;
  bool operator==(const ReportSort&) const = default;
};

// A named parameter bound at request time into a filter on `column`. A date range is two
// prompts (gte and lte on the same column).
struct ReportPrompt {
  std::string name;
  std::string label;
  std::string column;
  FilterOp op = FilterOp::kEq;  // eq, in, gte or lte
  bool required = false;
  std::vector<std::string> default_values;  // empty: no default
  bool operator==(const ReportPrompt&) const = default;
};

struct ReportDefinition {
  std::string name;
  std::string description;
  std::string source;
  std::vector<ReportColumn> columns;
  std::vector<ReportFilter> filters;
  std::vector<ReportSort> sort;
  std::vector<ReportPrompt> prompts;
  bool operator==(const ReportDefinition&) const = default;
};

// Limits of one report, so a definition (and the SQL made from it) stays small.
inline constexpr std::size_t kMaxColumns = 100;
inline constexpr std::size_t kMaxFilters = 50;  // filters and prompts together
inline constexpr std::size_t kMaxInValues = 1000;
inline constexpr std::size_t kMaxSortKeys = 10;
inline constexpr std::size_t kMaxPrompts = 20;
inline constexpr std::size_t kMaxNameLength = 200;
inline constexpr std::size_t kMaxDescriptionLength = 2000;
inline constexpr std::size_t kMaxDisplayNameLength = 100;
inline constexpr std::size_t kMaxValueLength = 200;

std::string_view opName(FilterOp op);  // "eq", "in", "gte", "lte", "between"
std::optional<FilterOp> parseOp(std::string_view name);

// Reads the UI's JSON body. Unknown attributes are ignored; a missing display name takes the
// catalogue's default. Filters accept "values", or "value", or "from"/"to" (between).
// kValidationFailed naming the field ("columns[2].displayName") on any problem.
core::Result<ReportDefinition> parseDefinition(const boost::json::object& body);
// The checks parseDefinition applies, for definitions built in code.
core::Status validateDefinition(const ReportDefinition& definition);

// The canonical JSON of each part, as stored and as rendered to the UI.
boost::json::array columnsToJson(const std::vector<ReportColumn>& columns);
boost::json::array filtersToJson(const std::vector<ReportFilter>& filters);
boost::json::array sortToJson(const std::vector<ReportSort>& sort);
boost::json::array promptsToJson(const std::vector<ReportPrompt>& prompts);

// To and from the stored record (the JSON documents of storage::ReportRecord).
void toRecord(const ReportDefinition& definition, storage::ReportRecord& record);
core::Result<ReportDefinition> fromRecord(const storage::ReportRecord& record);

// ---- runs ----

// Prompt values of one request, by name as the caller sent them (matched ignoring case).
using PromptValues = std::vector<std::pair<std::string, std::vector<std::string>>>;

// The definition frozen for one run, prompts bound into filters.
struct RunSpec {
  std::string source;
  std::vector<ReportColumn> columns;
  std::vector<ReportFilter> filters;
  std::vector<ReportSort> sort;
  std::vector<std::pair<std::string, std::vector<std::string>>> prompts;  // as bound
};

// kValidationFailed naming the prompt when a required one has no value or a value does not
// fit its column's type.
core::Result<RunSpec> bindPrompts(const ReportDefinition& definition, const PromptValues& values);
// Canonical (deterministic) JSON: equal specs give equal text, the basis of the dedup hash.
std::string specToJson(const RunSpec& spec);
core::Result<RunSpec> specFromJson(std::string_view json);

// How each stored cell of a run is rendered.
struct OutputColumn {
  const ColumnInfo* info = nullptr;
  std::string display_name;
  int currency_cell = -1;  // for money: the index of the currency cell in the row
};

struct RunPlan {
  storage::RowQuery query;  // may select a hidden currency column after the visible ones
  std::vector<OutputColumn> columns;
};

core::Result<RunPlan> planRun(const RunSpec& spec, const storage::RowScope& scope);

// A user's text for a value of the column's type, as bound into SQL (a date as unix seconds,
// money and decimals in hundredths, a time of day in minutes). `upper_bound` makes a bare
// date on a date-time column mean the end of that day.
core::Result<storage::SqlValue> parseValue(const ColumnInfo& column, std::string_view text,
                                           bool upper_bound = false);

}  // namespace keygate::services::raas
