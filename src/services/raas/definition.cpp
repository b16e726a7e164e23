// Report definitions (see definition.h).
#include "services/raas/definition.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cstdint>

#include "core/key_rules.h"
#include "core/money.h"

namespace keygate::services::raas {
namespace {

namespace json = boost::json;

core::Error invalid(std::string field, std::string message) {
  return core::fieldError(core::Errc::kValidationFailed, std::move(field), std::move(message));
}

std::string at(std::string_view list, std::size_t index, std::string_view field = {}) {
  std::string path(list);
  path += "[" + std::to_string(index) + "]";
  if (!field.empty()) {
    path += ".";
    path += field;
  }
  return path;
}

char asciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (asciiLower(a[i]) != asciiLower(b[i])) return false;
  return true;
}

std::string lowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = asciiLower(c);
  return out;
}

std::string trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

bool hasControlCharacter(std::string_view text) {
  for (const char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  return false;
}

// A JSON scalar as the text a user would have typed: strings as they are, numbers in their
// shortest decimal form. nullopt for anything else.
std::optional<std::string> scalarText(const json::value& value) {
  if (value.is_string()) return std::string(value.as_string());
  if (value.is_int64()) return std::to_string(value.as_int64());
  if (value.is_uint64()) return std::to_string(value.as_uint64());
  if (value.is_double()) {
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.as_double());
    if (ec != std::errc()) return std::nullopt;
    return std::string(buffer, end);
  }
  return std::nullopt;
}

core::Result<std::optional<std::string>> optionalText(const json::object& object,
                                                      std::string_view key,
                                                      const std::string& field) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<std::string>{};
  if (!value->is_string()) return invalid(field, field + " must be a string.");
  return std::optional<std::string>(std::string(value->as_string()));
}

core::Result<const json::array*> optionalArray(const json::object& object, std::string_view key,
                                               const std::string& field) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return static_cast<const json::array*>(nullptr);
  if (!value->is_array()) return invalid(field, field + " must be an array.");
  return &value->as_array();
}

core::Result<const json::object*> objectAt(const json::array& array, std::size_t index,
                                           std::string_view list) {
  if (!array[index].is_object())
    return invalid(at(list, index), at(list, index) + " must be an object.");
  return &array[index].as_object();
}

// One value or a list of values: a scalar, or an array of scalars.
core::Result<std::vector<std::string>> valueList(const json::value& value,
                                                 const std::string& field) {
  std::vector<std::string> out;
  if (value.is_array()) {
    for (const auto& item : value.as_array()) {
      auto text = scalarText(item);
      if (!text) return invalid(field, field + " must hold strings or numbers.");
      out.push_back(std::move(*text));
    }
    return out;
  }
  auto text = scalarText(value);
  if (!text) return invalid(field, field + " must be a string or a number.");
  out.push_back(std::move(*text));
  return out;
}

const ColumnInfo* columnOf(const SourceInfo& source, std::string_view name) {
  return findColumn(source, name);
}

std::string_view defaultLabelOrName(const ReportPrompt& prompt) {
  return prompt.label.empty() ? std::string_view(prompt.name) : std::string_view(prompt.label);
}

bool validPromptName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(name.front())) return false;
  for (const char c : name)
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '_') return false;
  return true;
}

// Checks the values of a filter (or a prompt's default) against its column's type.
core::Status checkValues(const ColumnInfo& column, FilterOp op,
                         const std::vector<std::string>& values, const std::string& field) {
  if (op != FilterOp::kEq && op != FilterOp::kIn && !supportsRange(column.type))
    return invalid(field, "Ranges apply to numbers, dates and times; '" + std::string(column.name) +
                              "' is text.");
  switch (op) {
    case FilterOp::kIn:
      if (values.empty()) return invalid(field, "An in-list needs at least one value.");
      if (values.size() > kMaxInValues)
        return invalid(field,
                       "An in-list holds at most " + std::to_string(kMaxInValues) + " values.");
      break;
    case FilterOp::kBetween:
      if (values.size() != 2) return invalid(field, "A range needs a from and a to value.");
      break;
    case FilterOp::kEq:
    case FilterOp::kGte:
    case FilterOp::kLte:
      if (values.size() != 1) return invalid(field, "This filter takes exactly one value.");
      break;
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].size() > kMaxValueLength)
      return invalid(
          field, "A filter value is at most " + std::to_string(kMaxValueLength) + " characters.");
    const bool upper = op == FilterOp::kLte || (op == FilterOp::kBetween && i == 1);
    auto parsed = parseValue(column, values[i], upper);
    if (!parsed) return invalid(field, parsed.error().message);
  }
  return core::ok();
}

std::string_view expectedFormat(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger:
      return "a whole number";
    case ColumnType::kDecimal:
    case ColumnType::kMoney:
      return "a number with at most 2 decimals, such as 12.50";
    case ColumnType::kDate:
      return "a date as YYYY-MM-DD";
    case ColumnType::kDateTime:
      return "a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SSZ)";
    case ColumnType::kTimeOfDay:
      return "a time of day as HH:MM";
    case ColumnType::kText:
      break;
  }
  return "text";
}

std::optional<int> twoDigits(std::string_view text) {
  if (text.size() != 2 || text[0] < '0' || text[0] > '9' || text[1] < '0' || text[1] > '9')
    return std::nullopt;
  return (text[0] - '0') * 10 + (text[1] - '0');
}

}  // namespace

std::string_view opName(FilterOp op) {
  switch (op) {
    case FilterOp::kEq:
      return "eq";
    case FilterOp::kIn:
      return "in";
    case FilterOp::kGte:
      return "gte";
    case FilterOp::kLte:
      return "lte";
    case FilterOp::kBetween:
      return "between";
  }
  return "eq";
}

std::optional<FilterOp> parseOp(std::string_view name) {
  for (const auto op :
       {FilterOp::kEq, FilterOp::kIn, FilterOp::kGte, FilterOp::kLte, FilterOp::kBetween})
    if (opName(op) == name) return op;
  return std::nullopt;
}

core::Result<storage::SqlValue> parseValue(const ColumnInfo& column, std::string_view text,
                                           bool upper_bound) {
  const auto bad = [&]() -> core::Error {
    return core::makeError(core::Errc::kValidationFailed,
                           "'" + std::string(column.name) + "' takes " +
                               std::string(expectedFormat(column.type)) + ".");
  };
  switch (column.type) {
    case ColumnType::kText:
      return storage::SqlValue(std::string(text));
    case ColumnType::kInteger: {
      std::int64_t value = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return bad();
      return storage::SqlValue(value);
    }
    case ColumnType::kDecimal:
    case ColumnType::kMoney: {
      const auto value = core::parseFixed(text, core::kQuantityScale);
      if (!value) return bad();
      return storage::SqlValue(*value);
    }
    case ColumnType::kDate: {
      const auto value = core::parseDate(text);
      if (!value) return bad();
      return storage::SqlValue(*value);
    }
    case ColumnType::kDateTime: {
      if (const auto day = core::parseDate(text))
        return storage::SqlValue(upper_bound ? *day + core::kSecondsPerDay - 1 : *day);
      // YYYY-MM-DDTHH:MM:SSZ
      if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
          text[19] != 'Z')
        return bad();
      const auto day = core::parseDate(text.substr(0, 10));
      const auto hh = twoDigits(text.substr(11, 2));
      const auto mm = twoDigits(text.substr(14, 2));
      const auto ss = twoDigits(text.substr(17, 2));
      if (!day || !hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 59) return bad();
      return storage::SqlValue(*day + *hh * 3600 + *mm * 60 + *ss);
    }
    case ColumnType::kTimeOfDay: {
      if (text.size() != 5 || text[2] != ':') return bad();
      const auto hh = twoDigits(text.substr(0, 2));
      const auto mm = twoDigits(text.substr(3, 2));
      if (!hh || !mm || *hh > 23 || *mm > 59) return bad();
      return storage::SqlValue(std::int64_t{*hh * 60 + *mm});
    }
  }
  return bad();
}

core::Status validateDefinition(const ReportDefinition& d) {
  if (d.name.empty()) return invalid("name", "Give the report a name.");
  if (d.name.size() > kMaxNameLength || hasControlCharacter(d.name))
    return invalid("name", "The name is at most 200 characters, without control characters.");
  if (d.description.size() > kMaxDescriptionLength)
    return invalid("description", "The description is at most 2000 characters.");
  const SourceInfo* source = findSource(d.source);
  if (source == nullptr) return invalid("source", "Choose one of the data sources.");

  if (d.columns.empty()) return invalid("columns", "Pick at least one column.");
  if (d.columns.size() > kMaxColumns)
    return invalid("columns", "A report has at most " + std::to_string(kMaxColumns) + " columns.");
  std::vector<std::string> seen_columns, seen_names;
  for (std::size_t i = 0; i < d.columns.size(); ++i) {
    const auto& c = d.columns[i];
    if (columnOf(*source, c.column) == nullptr)
      return invalid(at("columns", i, "column"),
                     "'" + c.column + "' is not a column of " + std::string(source->name) + ".");
    for (const auto& s : seen_columns)
      if (s == c.column)
        return invalid(at("columns", i, "column"),
                       "The column '" + c.column + "' is already picked.");
    seen_columns.push_back(c.column);
    if (c.display_name.empty() || c.display_name.size() > kMaxDisplayNameLength ||
        hasControlCharacter(c.display_name))
      return invalid(at("columns", i, "displayName"),
                     "A display name has 1 to 100 characters, without control characters.");
    // Display names are the JSON keys of the result: two equal keys would lose a column.
    const auto lowered = lowerAscii(c.display_name);
    for (const auto& s : seen_names)
      if (s == lowered)
        return invalid(at("columns", i, "displayName"),
                       "The display name '" + c.display_name + "' is used twice.");
    seen_names.push_back(lowered);
  }

  // Prompts become filters when a run is requested: the limit holds for both together.
  if (d.filters.size() + d.prompts.size() > kMaxFilters)
    return invalid("filters", "A report has at most " + std::to_string(kMaxFilters) +
                                  " filters and prompts together.");
  for (std::size_t i = 0; i < d.filters.size(); ++i) {
    const auto& f = d.filters[i];
    const ColumnInfo* column = columnOf(*source, f.column);
    if (column == nullptr)
      return invalid(at("filters", i, "column"),
                     "'" + f.column + "' is not a column of " + std::string(source->name) + ".");
    KG_TRY(checkValues(*column, f.op, f.values, at("filters", i)));
  }

  if (d.sort.size() > kMaxSortKeys)
    return invalid("sort",
                   "A report sorts by at most " + std::to_string(kMaxSortKeys) + " columns.");
  for (std::size_t i = 0; i < d.sort.size(); ++i) {
    if (columnOf(*source, d.sort[i].column) == nullptr)
      return invalid(at("sort", i, "column"), "'" + d.sort[i].column + "' is not a column of " +
                                                  std::string(source->name) + ".");
    for (std::size_t j = 0; j < i; ++j)
      if (d.sort[j].column == d.sort[i].column)
        return invalid(at("sort", i, "column"),
                       "The report already sorts by '" + d.sort[i].column + "'.");
  }

  if (d.prompts.size() > kMaxPrompts)
    return invalid("prompts", "A report has at most " + std::to_string(kMaxPrompts) + " prompts.");
  for (std::size_t i = 0; i < d.prompts.size(); ++i) {
    const auto& p = d.prompts[i];
    if (!validPromptName(p.name))
      return invalid(at("prompts", i, "name"),
                     "A prompt name starts with a letter and has up to 64 letters, digits or _.");
    for (std::size_t j = 0; j < i; ++j)
      if (equalsIgnoreCase(d.prompts[j].name, p.name))
        return invalid(at("prompts", i, "name"), "The prompt name '" + p.name + "' is used twice.");
    if (p.label.size() > kMaxDisplayNameLength || hasControlCharacter(p.label))
      return invalid(at("prompts", i, "label"), "A label has at most 100 characters.");
    const ColumnInfo* column = columnOf(*source, p.column);
    if (column == nullptr)
      return invalid(at("prompts", i, "column"),
                     "'" + p.column + "' is not a column of " + std::string(source->name) + ".");
    if (p.op == FilterOp::kBetween)
      return invalid(at("prompts", i, "op"),
                     "A prompt is eq, in, gte or lte; a range is two prompts (gte and lte).");
    if (!p.default_values.empty())
      KG_TRY(checkValues(*column, p.op, p.default_values, at("prompts", i, "default")));
  }
  return core::ok();
}

core::Result<ReportDefinition> parseDefinition(const json::object& body) {
  ReportDefinition d;
  KG_ASSIGN_OR_RETURN(auto report_name, optionalText(body, "name", "name"));
  d.name = trim(report_name.value_or(""));
  KG_ASSIGN_OR_RETURN(auto report_description, optionalText(body, "description", "description"));
  d.description = trim(report_description.value_or(""));
  KG_ASSIGN_OR_RETURN(auto source_name, optionalText(body, "source", "source"));
  d.source = source_name.value_or("");
  const SourceInfo* source = findSource(d.source);
  if (source == nullptr) return invalid("source", "Choose one of the data sources.");

  KG_ASSIGN_OR_RETURN(const auto* columns, optionalArray(body, "columns", "columns"));
  if (columns != nullptr) {
    if (columns->size() > kMaxColumns)
      return invalid("columns",
                     "A report has at most " + std::to_string(kMaxColumns) + " columns.");
    for (std::size_t i = 0; i < columns->size(); ++i) {
      ReportColumn c;
      // A bare string picks a column with its default display name.
      if ((*columns)[i].is_string()) {
        c.column = std::string((*columns)[i].as_string());
      } else {
        KG_ASSIGN_OR_RETURN(const auto* object, objectAt(*columns, i, "columns"));
        KG_ASSIGN_OR_RETURN(auto column,
                            optionalText(*object, "column", at("columns", i, "column")));
        c.column = column.value_or("");
        KG_ASSIGN_OR_RETURN(auto display,
                            optionalText(*object, "displayName", at("columns", i, "displayName")));
        c.display_name = trim(display.value_or(""));
      }
      const ColumnInfo* info = findColumn(*source, c.column);
      if (info == nullptr)
        return invalid(at("columns", i, "column"),
                       "'" + c.column + "' is not a column of " + d.source + ".");
      if (c.display_name.empty()) c.display_name = std::string(info->display_name);
      d.columns.push_back(std::move(c));
    }
  }

  KG_ASSIGN_OR_RETURN(const auto* filters, optionalArray(body, "filters", "filters"));
  if (filters != nullptr) {
    if (filters->size() > kMaxFilters)
      return invalid("filters",
                     "A report has at most " + std::to_string(kMaxFilters) + " filters.");
    for (std::size_t i = 0; i < filters->size(); ++i) {
      KG_ASSIGN_OR_RETURN(const auto* object, objectAt(*filters, i, "filters"));
      ReportFilter f;
      KG_ASSIGN_OR_RETURN(auto column, optionalText(*object, "column", at("filters", i, "column")));
      f.column = column.value_or("");
      KG_ASSIGN_OR_RETURN(auto op, optionalText(*object, "op", at("filters", i, "op")));
      const auto parsed_op = parseOp(op.value_or("eq"));
      if (!parsed_op)
        return invalid(at("filters", i, "op"), "A filter's op is eq, in, gte, lte or between.");
      f.op = *parsed_op;
      if (const auto* values = object->if_contains("values"); values && !values->is_null()) {
        KG_ASSIGN_OR_RETURN(f.values, valueList(*values, at("filters", i, "values")));
      } else if (const auto* value = object->if_contains("value"); value && !value->is_null()) {
        KG_ASSIGN_OR_RETURN(f.values, valueList(*value, at("filters", i, "value")));
      } else {
        const auto* from = object->if_contains("from");
        const auto* to = object->if_contains("to");
        if (from != nullptr && to != nullptr) {
          auto from_text = scalarText(*from);
          auto to_text = scalarText(*to);
          if (!from_text || !to_text)
            return invalid(at("filters", i), "from and to must be strings or numbers.");
          f.values = {std::move(*from_text), std::move(*to_text)};
        }
      }
      d.filters.push_back(std::move(f));
    }
  }

  KG_ASSIGN_OR_RETURN(const auto* sort, optionalArray(body, "sort", "sort"));
  if (sort != nullptr) {
    if (sort->size() > kMaxSortKeys)
      return invalid("sort",
                     "A report sorts by at most " + std::to_string(kMaxSortKeys) + " columns.");
    for (std::size_t i = 0; i < sort->size(); ++i) {
      KG_ASSIGN_OR_RETURN(const auto* object, objectAt(*sort, i, "sort"));
      ReportSort s;
      KG_ASSIGN_OR_RETURN(auto column, optionalText(*object, "column", at("sort", i, "column")));
      s.column = column.value_or("");
      KG_ASSIGN_OR_RETURN(auto direction,
                          optionalText(*object, "direction", at("sort", i, "direction")));
      const auto dir = lowerAscii(direction.value_or("asc"));
      if (dir != "asc" && dir != "desc")
        return invalid(at("sort", i, "direction"), "The direction is asc or desc.");
      s.descending = dir == "desc";
      d.sort.push_back(std::move(s));
    }
  }

  KG_ASSIGN_OR_RETURN(const auto* prompts, optionalArray(body, "prompts", "prompts"));
  if (prompts != nullptr) {
    if (prompts->size() > kMaxPrompts)
      return invalid("prompts",
                     "A report has at most " + std::to_string(kMaxPrompts) + " prompts.");
    for (std::size_t i = 0; i < prompts->size(); ++i) {
      KG_ASSIGN_OR_RETURN(const auto* object, objectAt(*prompts, i, "prompts"));
      ReportPrompt p;
      KG_ASSIGN_OR_RETURN(auto name, optionalText(*object, "name", at("prompts", i, "name")));
      p.name = trim(name.value_or(""));
      KG_ASSIGN_OR_RETURN(auto label, optionalText(*object, "label", at("prompts", i, "label")));
      p.label = trim(label.value_or(""));
      KG_ASSIGN_OR_RETURN(auto column, optionalText(*object, "column", at("prompts", i, "column")));
      p.column = column.value_or("");
      KG_ASSIGN_OR_RETURN(auto op, optionalText(*object, "op", at("prompts", i, "op")));
      const auto parsed_op = parseOp(op.value_or("eq"));
      if (!parsed_op)
        return invalid(at("prompts", i, "op"), "A prompt's op is eq, in, gte or lte.");
      p.op = *parsed_op;
      if (const auto* required = object->if_contains("required");
          required && !required->is_null()) {
        if (!required->is_bool())
          return invalid(at("prompts", i, "required"), "required is true or false.");
        p.required = required->as_bool();
      }
      if (const auto* def = object->if_contains("default"); def && !def->is_null()) {
        KG_ASSIGN_OR_RETURN(p.default_values, valueList(*def, at("prompts", i, "default")));
        // An empty default from a form means "no default".
        if (p.default_values.size() == 1 && p.default_values.front().empty())
          p.default_values.clear();
      }
      if (p.label.empty()) p.label = p.name;
      d.prompts.push_back(std::move(p));
    }
  }
  KG_TRY(validateDefinition(d));
  return d;
}

json::array columnsToJson(const std::vector<ReportColumn>& columns) {
  json::array out;
  for (const auto& c : columns)
    out.push_back(json::object{{"column", c.column}, {"displayName", c.display_name}});
  return out;
}

json::array filtersToJson(const std::vector<ReportFilter>& filters) {
  json::array out;
  for (const auto& f : filters) {
    json::array values;
    for (const auto& v : f.values) values.emplace_back(v);
    out.push_back(json::object{{"column", f.column}, {"op", opName(f.op)}, {"values", values}});
  }
  return out;
}

json::array sortToJson(const std::vector<ReportSort>& sort) {
  json::array out;
  for (const auto& s : sort)
    out.push_back(json::object{{"column", s.column}, {"direction", s.descending ? "desc" : "asc"}});
  return out;
}

json::array promptsToJson(const std::vector<ReportPrompt>& prompts) {
  json::array out;
  for (const auto& p : prompts) {
    json::value def = nullptr;
    if (p.op == FilterOp::kIn && !p.default_values.empty()) {
      json::array values;
      for (const auto& v : p.default_values) values.emplace_back(v);
      def = std::move(values);
    } else if (!p.default_values.empty()) {
      def = json::string(p.default_values.front());
    }
    out.push_back(json::object{{"name", p.name},
                               {"label", defaultLabelOrName(p)},
                               {"column", p.column},
                               {"op", opName(p.op)},
                               {"required", p.required},
                               {"default", std::move(def)}});
  }
  return out;
}

void toRecord(const ReportDefinition& d, storage::ReportRecord& record) {
  record.name = d.name;
  record.description = d.description;
  record.source = d.source;
  record.columns_json = json::serialize(columnsToJson(d.columns));
  record.filters_json = json::serialize(filtersToJson(d.filters));
  record.sort_json = json::serialize(sortToJson(d.sort));
  record.prompts_json = json::serialize(promptsToJson(d.prompts));
}

core::Result<ReportDefinition> fromRecord(const storage::ReportRecord& record) {
  // The stored documents are read with the same parser as a request body, so a stored
  // report is always one a user could have sent.
  const auto parse = [](const std::string& text) -> core::Result<json::value> {
    boost::system::error_code ec;
    auto value = json::parse(text, ec);
    if (ec)
      return core::makeError(core::Errc::kInternal, "A stored report is damaged.",
                             "raas report JSON: " + ec.message());
    return value;
  };
  json::object body;
  body["name"] = record.name;
  body["description"] = record.description;
  body["source"] = record.source;
  KG_ASSIGN_OR_RETURN(body["columns"], parse(record.columns_json));
  KG_ASSIGN_OR_RETURN(body["filters"], parse(record.filters_json));
  KG_ASSIGN_OR_RETURN(body["sort"], parse(record.sort_json));
  KG_ASSIGN_OR_RETURN(body["prompts"], parse(record.prompts_json));
  auto definition = parseDefinition(body);
  if (!definition) {
    // A catalogue change can invalidate a saved report; say which part, and let the owner fix
    // it in the builder.
    auto error = definition.error();
    error.code = core::Errc::kConflict;
    error.message = "The saved report no longer matches its data source: " + error.message;
    return error;
  }
  return definition;
}

core::Result<RunSpec> bindPrompts(const ReportDefinition& d, const PromptValues& values) {
  const SourceInfo* source = findSource(d.source);
  if (source == nullptr) return invalid("source", "Unknown data source.");
  RunSpec spec;
  spec.source = d.source;
  spec.columns = d.columns;
  spec.filters = d.filters;
  spec.sort = d.sort;
  for (const auto& prompt : d.prompts) {
    const std::vector<std::string>* given = nullptr;
    for (const auto& [name, list] : values) {
      if (!equalsIgnoreCase(name, prompt.name)) continue;
      // An empty value (an untouched form field, "?from=") means "not given".
      if (list.empty() || (list.size() == 1 && list.front().empty())) break;
      given = &list;
      break;
    }
    std::vector<std::string> bound;
    if (given != nullptr) {
      bound = *given;
      // A query string carries an in-list as one comma-separated value.
      if (prompt.op == FilterOp::kIn && bound.size() == 1 &&
          bound.front().find(',') != std::string::npos) {
        std::vector<std::string> split;
        std::string_view rest = bound.front();
        for (;;) {
          const auto comma = rest.find(',');
          auto item = trim(rest.substr(0, comma));
          if (!item.empty()) split.push_back(std::move(item));
          if (comma == std::string_view::npos) break;
          rest.remove_prefix(comma + 1);
        }
        bound = std::move(split);
      }
    } else if (!prompt.default_values.empty()) {
      bound = prompt.default_values;
    } else if (prompt.required) {
      return invalid(prompt.name,
                     "The prompt '" + prompt.name + "' (" + prompt.label + ") needs a value.");
    } else {
      continue;  // an optional prompt left out filters nothing
    }
    const ColumnInfo* column = findColumn(*source, prompt.column);
    if (column == nullptr) return invalid(prompt.name, "The prompt's column no longer exists.");
    if (prompt.op != FilterOp::kIn && bound.size() != 1)
      return invalid(prompt.name, "The prompt '" + prompt.name + "' takes one value.");
    auto checked = checkValues(*column, prompt.op, bound, prompt.name);
    if (!checked) {
      auto error = checked.error();
      error.message = "The prompt '" + prompt.name + "': " + error.message;
      return error;
    }
    spec.filters.push_back(ReportFilter{prompt.column, prompt.op, bound});
    spec.prompts.emplace_back(prompt.name, std::move(bound));
  }
  return spec;
}

std::string specToJson(const RunSpec& spec) {
  json::object prompts;
  for (const auto& [name, list] : spec.prompts) {
    json::array values;
    for (const auto& v : list) values.emplace_back(v);
    prompts[name] = std::move(values);
  }
  // Insertion order is serialization order, so equal specs serialize to equal text.
  json::object out;
  out["source"] = spec.source;
  out["columns"] = columnsToJson(spec.columns);
  out["filters"] = filtersToJson(spec.filters);
  out["sort"] = sortToJson(spec.sort);
  out["prompts"] = std::move(prompts);
  return json::serialize(out);
}

core::Result<RunSpec> specFromJson(std::string_view text) {
  const auto damaged = [](std::string detail) {
    return core::makeError(core::Errc::kInternal, "The run's stored definition is damaged.",
                           "raas run spec: " + std::move(detail));
  };
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) return damaged(ec ? ec.message() : "not an object");
  const auto& object = value.as_object();
  json::object body;
  // Reuse the definition parser for columns, filters and sort (it validates them too).
  body["name"] = "run";
  if (const auto* source = object.if_contains("source")) body["source"] = *source;
  for (const auto* key : {"columns", "filters", "sort"})
    if (const auto* part = object.if_contains(key)) body[key] = *part;
  auto definition = parseDefinition(body);
  if (!definition) return damaged(definition.error().message);
  RunSpec spec;
  spec.source = definition->source;
  spec.columns = std::move(definition->columns);
  spec.filters = std::move(definition->filters);
  spec.sort = std::move(definition->sort);
  if (const auto* prompts = object.if_contains("prompts"); prompts && prompts->is_object()) {
    for (const auto& [name, list] : prompts->as_object()) {
      auto values = valueList(list, "prompts");
      if (!values) return damaged("prompt values");
      spec.prompts.emplace_back(std::string(name), std::move(*values));
    }
  }
  return spec;
}

core::Result<RunPlan> planRun(const RunSpec& spec, const storage::RowScope& scope) {
  const SourceInfo* source = findSource(spec.source);
  if (source == nullptr) return invalid("source", "Unknown data source.");
  RunPlan plan;
  plan.query.source = spec.source;
  plan.query.scope = scope;
  int currency_cell = -1;
  bool needs_currency = false;
  for (const auto& c : spec.columns) {
    const ColumnInfo* info = findColumn(*source, c.column);
    if (info == nullptr) return invalid("columns", "Unknown column '" + c.column + "'.");
    if (info->type == ColumnType::kMoney) needs_currency = true;
    if (info->name == kCurrencyColumn) currency_cell = static_cast<int>(plan.query.columns.size());
    plan.query.columns.push_back(c.column);
    plan.columns.push_back(OutputColumn{info, c.display_name, -1});
  }
  if (needs_currency && currency_cell < 0 && findColumn(*source, kCurrencyColumn) != nullptr) {
    // Not selected but needed to render money: read it as a hidden trailing cell.
    currency_cell = static_cast<int>(plan.query.columns.size());
    plan.query.columns.emplace_back(kCurrencyColumn);
  }
  for (auto& column : plan.columns)
    if (column.info->type == ColumnType::kMoney) column.currency_cell = currency_cell;

  for (const auto& f : spec.filters) {
    const ColumnInfo* info = findColumn(*source, f.column);
    if (info == nullptr) return invalid("filters", "Unknown column '" + f.column + "'.");
    storage::RowFilter filter{f.column, f.op, {}};
    for (std::size_t i = 0; i < f.values.size(); ++i) {
      const bool upper = f.op == FilterOp::kLte || (f.op == FilterOp::kBetween && i == 1);
      KG_ASSIGN_OR_RETURN(auto value, parseValue(*info, f.values[i], upper));
      filter.values.push_back(std::move(value));
    }
    plan.query.filters.push_back(std::move(filter));
  }
  for (const auto& s : spec.sort)
    plan.query.sort.push_back(storage::RowSort{s.column, s.descending});
  return plan;
}

}  // namespace keygate::services::raas
