// Report definitions: parsing and validation against the catalogue, typed values, prompts
// bound at request time, and the canonical run spec behind the dedup hash.
#include "services/raas/definition.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace keygate::services::raas {
namespace {

namespace json = boost::json;

json::object body(std::string_view text) {
  return json::parse(text).as_object();
}

TEST(DefinitionTest, ParsesColumnsWithDefaultAndCustomDisplayNames) {
  auto d = parseDefinition(body(R"({
    "name": " Hours ", "source": "timecard_lines",
    "columns": ["work_date", {"column": "hours", "displayName": "Hrs"}],
    "filters": [{"column": "rate_type", "op": "in", "values": ["ST", "OT"]},
                {"column": "hours", "op": "gte", "value": 8},
                {"column": "work_date", "op": "between", "from": "2026-01-01", "to": "2026-01-31"}],
    "sort": [{"column": "work_date", "direction": "DESC"}],
    "prompts": [{"name": "fromDate", "column": "work_date", "op": "gte", "default": "2026-01-01"}],
    "unknownAttribute": true})"));
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->name, "Hours");
  ASSERT_EQ(d->columns.size(), 2u);
  EXPECT_EQ(d->columns[0].display_name, "Work Date");
  EXPECT_EQ(d->columns[1].display_name, "Hrs");
  ASSERT_EQ(d->filters.size(), 3u);
  EXPECT_EQ(d->filters[1].values, std::vector<std::string>{"8"});
  EXPECT_EQ(d->filters[2].values, (std::vector<std::string>{"2026-01-01", "2026-01-31"}));
  EXPECT_TRUE(d->sort[0].descending);
  EXPECT_EQ(d->prompts[0].label, "fromDate");
  EXPECT_EQ(d->prompts[0].default_values, std::vector<std::string>{"2026-01-01"});
}

struct Rejected {
  const char* json;
  const char* field;
};

class DefinitionRejects : public ::testing::TestWithParam<Rejected> {};

TEST_P(DefinitionRejects, NamesTheField) {
  auto d = parseDefinition(body(GetParam().json));
  ASSERT_FALSE(d) << GetParam().json;
  EXPECT_EQ(d.error().code, core::Errc::kValidationFailed);
  EXPECT_EQ(d.error().field, GetParam().field) << d.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DefinitionRejects,
    ::testing::Values(
        Rejected{R"({"name":"r","source":"users","columns":["id"]})", "source"},
        Rejected{R"({"name":"","source":"workers","columns":["id"]})", "name"},
        Rejected{R"({"name":"r","source":"workers","columns":[]})", "columns"},
        Rejected{R"({"name":"r","source":"workers","columns":["password_hash"]})",
                 "columns[0].column"},
        Rejected{R"({"name":"r","source":"workers","columns":["id","id"]})", "columns[1].column"},
        // Display names are JSON keys: two equal ones (ignoring case) would collide.
        Rejected{R"({"name":"r","source":"workers","columns":[{"column":"id","displayName":"X"},
                    {"column":"email","displayName":"x"}]})",
                 "columns[1].displayName"},
        Rejected{R"({"name":"r","source":"workers","columns":["id"],
                    "filters":[{"column":"email","op":"gte","value":"a"}]})",
                 "filters[0]"},
        Rejected{R"({"name":"r","source":"workers","columns":["id"],
                    "filters":[{"column":"id","op":"eq","value":"seven"}]})",
                 "filters[0]"},
        Rejected{R"({"name":"r","source":"timecard_lines","columns":["hours"],
                    "filters":[{"column":"work_date","op":"between","from":"2026-02-30","to":"2026-03-01"}]})",
                 "filters[0]"},
        Rejected{R"({"name":"r","source":"timecard_lines","columns":["hours"],
                    "filters":[{"column":"hours","op":"eq","value":"1.255"}]})",
                 "filters[0]"},
        Rejected{R"({"name":"r","source":"workers","columns":["id"],
                    "filters":[{"column":"id","op":"like","value":"1"}]})",
                 "filters[0].op"},
        Rejected{R"({"name":"r","source":"workers","columns":["id"],
                    "sort":[{"column":"id","direction":"up"}]})",
                 "sort[0].direction"},
        Rejected{R"({"name":"r","source":"workers","columns":["id"],
                    "prompts":[{"name":"1bad","column":"id"}]})",
                 "prompts[0].name"},
        Rejected{R"({"name":"r","source":"workers","columns":["id"],
                    "prompts":[{"name":"a","column":"id"},{"name":"A","column":"email"}]})",
                 "prompts[1].name"},
        Rejected{R"({"name":"r","source":"workers","columns":["id"],
                    "prompts":[{"name":"a","column":"id","op":"between"}]})",
                 "prompts[0].op"}));

TEST(DefinitionTest, ParsesValuesByColumnType) {
  const auto* lines = findSource("timecard_lines");
  ASSERT_NE(lines, nullptr);
  const auto value = [&](const char* column, const char* text, bool upper = false) {
    auto parsed = parseValue(*findColumn(*lines, column), text, upper);
    EXPECT_TRUE(parsed) << column << " " << text;
    return parsed ? *parsed : storage::SqlValue{};
  };
  EXPECT_EQ(std::get<std::int64_t>(value("hours", "7.25")), 725);
  EXPECT_EQ(std::get<std::int64_t>(value("rate", "110")), 11000);
  EXPECT_EQ(std::get<std::int64_t>(value("work_date", "2026-01-05")), 1767571200);
  EXPECT_EQ(std::get<std::int64_t>(value("time_in", "09:30")), 570);
  EXPECT_EQ(std::get<std::string>(value("rate_type", "OT")), "OT");
  const auto* workers = findSource("workers");
  const auto* created = findColumn(*workers, "created_at");
  // A bare date as an upper bound of a date-time means the end of that day.
  EXPECT_EQ(std::get<std::int64_t>(*parseValue(*created, "2026-01-05", true)), 1767571200 + 86399);
  EXPECT_EQ(std::get<std::int64_t>(*parseValue(*created, "2026-01-05T01:02:03Z")),
            1767571200 + 3723);
  EXPECT_FALSE(parseValue(*created, "2026-01-05 01:02:03"));
  EXPECT_FALSE(parseValue(*findColumn(*lines, "time_in"), "24:00"));
}

ReportDefinition promptReport() {
  auto d = parseDefinition(body(R"({
    "name": "r", "source": "timecard_lines", "columns": ["work_date", "rate_type"],
    "prompts": [
      {"name": "fromDate", "column": "work_date", "op": "gte", "required": true},
      {"name": "toDate", "column": "work_date", "op": "lte", "default": "2026-12-31"},
      {"name": "types", "column": "rate_type", "op": "in"}]})"));
  EXPECT_TRUE(d) << d.error().message;
  return *d;
}

TEST(DefinitionTest, BindsPromptsIntoFilters) {
  const auto d = promptReport();
  auto spec =
      bindPrompts(d, {{"FROMDATE", {"2026-01-01"}}, {"types", {"ST, OT"}}, {"other", {"x"}}});
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(spec->filters.size(), 3u);
  EXPECT_EQ(spec->filters[0].values, std::vector<std::string>{"2026-01-01"});
  EXPECT_EQ(spec->filters[1].values, std::vector<std::string>{"2026-12-31"});  // the default
  EXPECT_EQ(spec->filters[2].values, (std::vector<std::string>{"ST", "OT"}));  // split

  auto missing = bindPrompts(d, {{"types", {"ST"}}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "fromDate");
  auto wrong_type = bindPrompts(d, {{"fromDate", {"yesterday"}}});
  ASSERT_FALSE(wrong_type);
  EXPECT_EQ(wrong_type.error().code, core::Errc::kValidationFailed);
  // An optional prompt left empty filters nothing.
  auto optional = bindPrompts(d, {{"fromDate", {"2026-01-01"}}, {"types", {""}}});
  ASSERT_TRUE(optional);
  EXPECT_EQ(optional->filters.size(), 2u);
}

TEST(DefinitionTest, SpecJsonIsCanonicalAndRoundTrips) {
  const auto d = promptReport();
  auto a = bindPrompts(d, {{"fromDate", {"2026-01-01"}}, {"types", {"ST"}}});
  auto b = bindPrompts(d, {{"types", {"ST"}}, {"fromdate", {"2026-01-01"}}});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(specToJson(*a), specToJson(*b));
  auto c = bindPrompts(d, {{"fromDate", {"2026-01-02"}}, {"types", {"ST"}}});
  EXPECT_NE(specToJson(*a), specToJson(*c));

  auto back = specFromJson(specToJson(*a));
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(back->columns, a->columns);
  EXPECT_EQ(back->filters, a->filters);
  EXPECT_EQ(specToJson(*back), specToJson(*a));
}

TEST(DefinitionTest, PlanAddsAHiddenCurrencyForMoney) {
  RunSpec spec;
  spec.source = "engagements";
  spec.columns = {{"st_rate", "ST"}, {"number", "No"}};
  auto plan = planRun(spec, {1, core::OrgType::kSupplier, std::nullopt});
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->query.columns, (std::vector<std::string>{"st_rate", "number", "currency"}));
  ASSERT_EQ(plan->columns.size(), 2u);
  EXPECT_EQ(plan->columns[0].currency_cell, 2);

  spec.columns = {{"currency", "Cur"}, {"st_rate", "ST"}};
  plan = planRun(spec, {1, core::OrgType::kSupplier, std::nullopt});
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->query.columns.size(), 2u);
  EXPECT_EQ(plan->columns[1].currency_cell, 0);
}

TEST(DefinitionTest, StoredRecordRoundTrips) {
  const auto d = promptReport();
  storage::ReportRecord record;
  toRecord(d, record);
  auto back = fromRecord(record);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, d);
}

}  // namespace
}  // namespace keygate::services::raas
