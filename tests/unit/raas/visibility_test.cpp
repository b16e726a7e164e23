// Visibility (DESIGN §4.1, issue 5 item 5): a run only ever returns rows of the requesting
// account's organization, whatever the filters, and a client user without report_admin only
// the rows of the cost centers assigned to them. Every row of the data set names its
// organizations, so "another organization's row" is a substring check on every value.
#include <gmock/gmock.h>

#include "raas_fixture.h"

namespace keygate::testing {
namespace {

struct Case {
  core::Id user;
  std::vector<std::string> forbidden;  // organization names that must never appear
};

// All columns of a source.
raas::ReportDefinition everything(const raas::SourceInfo& source) {
  raas::ReportDefinition d;
  d.name = "all of " + std::string(source.name);
  d.source = std::string(source.name);
  for (const auto& column : source.columns)
    d.columns.push_back({std::string(column.name), std::string(column.display_name)});
  return d;
}

// Filters a curious user might try to reach other rows: every id, other organizations' names,
// and SQL in a value.
std::vector<raas::ReportFilter> hostileFilters(const raas::SourceInfo& source) {
  std::vector<raas::ReportFilter> out;
  for (const auto& column : source.columns) {
    if (column.type == raas::ColumnType::kInteger && column.name.ends_with("id")) {
      std::vector<std::string> ids;
      for (int i = 1; i <= 50; ++i) ids.push_back(std::to_string(i));
      out.push_back({std::string(column.name), raas::FilterOp::kIn, ids});
      break;
    }
  }
  return out;
}

class VisibilityTest : public RaasFixture {
 protected:
  std::vector<boost::json::object> all(core::Id user, const raas::SourceInfo& source,
                                       std::vector<raas::ReportFilter> filters = {}) {
    auto d = everything(source);
    d.filters = std::move(filters);
    return runReport(user, d);
  }

  static std::string joined(const boost::json::object& row) {
    std::string out;
    for (const auto& [key, value] : row) out += boost::json::serialize(value) + "|";
    return out;
  }
};

TEST_F(VisibilityTest, NoRowOfAnotherOrganizationEverAppears) {
  const std::vector<Case> cases = {
      {kAlice, {"Bravo Staffing"}}, {kBob, {"Alpha Staffing"}}, {kDave, {"Yankee Corp"}},
      {kCarol, {"Yankee Corp"}},    {kYuri, {"Xray Corp"}},
  };
  for (const auto& source : raas::sources()) {
    for (const auto& c : cases) {
      for (const auto& filters : {std::vector<raas::ReportFilter>{}, hostileFilters(source)}) {
        for (const auto& row : all(c.user, source, filters)) {
          const auto values = joined(row);
          for (const auto& name : c.forbidden)
            EXPECT_THAT(values, ::testing::Not(::testing::HasSubstr(name)))
                << "user " << c.user << " read another organization's row of " << source.name;
        }
      }
    }
  }
}

TEST_F(VisibilityTest, EachOrganizationSeesExactlyItsOwnRows) {
  const auto count = [&](core::Id user, const char* source) {
    return all(user, *raas::findSource(source)).size();
  };
  // Suppliers: their own rows; requests only when released to them; their own insights.
  EXPECT_EQ(count(kAlice, "timecard_lines"), 18u);
  EXPECT_EQ(count(kBob, "timecard_lines"), 6u);
  EXPECT_EQ(count(kAlice, "engagements"), 3u);
  EXPECT_EQ(count(kAlice, "workers"), 2u);
  EXPECT_EQ(count(kAlice, "staffing_requests"), 1u);
  EXPECT_EQ(count(kBob, "staffing_requests"), 1u);
  EXPECT_EQ(count(kAlice, "candidate_insights"), 1u);
  EXPECT_EQ(count(kAlice, "billing_items"), 2u);
  EXPECT_EQ(count(kAlice, "invoice_lines"), 1u);
  // A client with report_admin: every supplier's rows for it, never another client's.
  EXPECT_EQ(count(kDave, "timecard_lines"), 18u);
  EXPECT_EQ(count(kDave, "engagements"), 3u);
  EXPECT_EQ(count(kDave, "workers"), 3u);
  EXPECT_EQ(count(kDave, "staffing_requests"), 2u);
  EXPECT_EQ(count(kDave, "billing_items"), 3u);
  EXPECT_EQ(count(kDave, "invoices"), 2u);
  EXPECT_EQ(count(kDave, "candidate_insights"), 0u);  // a supplier's private analysis
  EXPECT_EQ(count(kYuri, "timecard_lines"), 6u);
  // An MSP owns none of these rows.
  for (const auto& source : raas::sources())
    EXPECT_EQ(count(kMike, std::string(source.name).c_str()), 0u);
}

TEST_F(VisibilityTest, ClientUserWithoutReportAdminSeesOnlyAssignedCostCenters) {
  const auto* lines = raas::findSource("timecard_lines");
  auto d = raas::ReportDefinition{};
  d.name = "cc";
  d.source = "timecard_lines";
  d.columns = {{"cost_center", "CC"}, {"engagement_id", "E"}};
  const auto carol = runReport(kCarol, d);
  ASSERT_EQ(carol.size(), 12u);  // CC-1: engagements 1 (Alpha) and 3 (Bravo)
  for (const auto& row : carol) EXPECT_EQ(text(row, "CC"), "CC-1");
  // A filter cannot widen it.
  d.filters = {{"cost_center", raas::FilterOp::kIn, {"CC-1", "CC-2", "CC-9"}}};
  EXPECT_EQ(runReport(kCarol, d).size(), 12u);
  EXPECT_EQ(runReport(kDave, d).size(), 18u);

  EXPECT_EQ(all(kCarol, *raas::findSource("billing_items")).size(), 2u);
  EXPECT_EQ(all(kCarol, *raas::findSource("invoices")).size(), 2u);
  EXPECT_EQ(all(kCarol, *raas::findSource("workers")).size(), 2u);
  // Without a cost-center dimension a source shows her nothing.
  EXPECT_EQ(all(kCarol, *raas::findSource("staffing_requests")).size(), 0u);

  // Assignments apply when the run executes.
  assign(kCarol, {"CC-2"});
  d.filters.clear();
  const auto moved = runReport(kCarol, d);
  ASSERT_EQ(moved.size(), 6u);
  for (const auto& row : moved) EXPECT_EQ(text(row, "CC"), "CC-2");
  assign(kCarol, {});
  EXPECT_EQ(all(kCarol, *lines).size(), 0u);
}

}  // namespace
}  // namespace keygate::testing
