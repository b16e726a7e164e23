// Paged retrieval of a completed run (issue 5 item 7): size 1, a size larger than the total,
// the last page, a page past the end, the 20,000 clamp, bad parameters; JSON keys follow the
// display names; CSV quotes commas, quotes and line breaks; filters, sort and prompts.
#include <gmock/gmock.h>

#include "raas_fixture.h"

namespace keygate::testing {
namespace {

class PagingTest : public RaasFixture {
 protected:
  void SetUp() override {
    RaasFixture::SetUp();
    auto d = definition("timecard_lines", {"timecard_id", "line_number", "hours", "work_date"});
    report_ = createReport(kAlice, d);
    run_ = request(kAlice, report_);
    drain();
  }

  raas::PageResult page(std::int64_t number, std::int64_t size,
                        raas::PageFormat format = raas::PageFormat::kJson) {
    auto result = service_->readPage(requester(kAlice), report_, run_, number, size, format);
    EXPECT_TRUE(result) << result.error().message;
    return result ? *result : raas::PageResult{};
  }

  static std::vector<std::string> keys(const raas::PageResult& p) {
    std::vector<std::string> out;
    const auto parsed = boost::json::parse(p.body);
    for (const auto& row : parsed.as_array())
      out.push_back(text(row.as_object(), "Timecard ID") + "/" +
                    text(row.as_object(), "Line Number"));
    return out;
  }

  core::Id report_ = 0;
  core::Id run_ = 0;
};

TEST_F(PagingTest, SizeOneWalksEveryRowInOrder) {
  std::vector<std::string> seen;
  std::int64_t number = 1;
  for (;; ++number) {
    const auto p = page(number, 1);
    EXPECT_EQ(p.total_records, 18);
    EXPECT_EQ(p.total_pages, 18);
    const auto rows = keys(p);
    ASSERT_EQ(rows.size(), 1u);
    seen.push_back(rows[0]);
    if (!p.has_next) break;
  }
  EXPECT_EQ(number, 18);
  // The source's stable order: by timecard, then line.
  EXPECT_EQ(seen.front(), "11/1");
  EXPECT_EQ(seen[1], "11/2");
  EXPECT_EQ(seen.back(), "42/3");
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 18u);
}

TEST_F(PagingTest, EdgesOfThePages) {
  // Larger than the total: one page, no next.
  auto big = page(1, 1000);
  EXPECT_EQ(keys(big).size(), 18u);
  EXPECT_EQ(big.total_pages, 1);
  EXPECT_FALSE(big.has_next);

  // The last page is partial and has no next; the one before has.
  auto before_last = page(2, 7);
  EXPECT_TRUE(before_last.has_next);
  EXPECT_EQ(keys(before_last).size(), 7u);
  auto last = page(3, 7);
  EXPECT_EQ(keys(last).size(), 4u);
  EXPECT_EQ(last.total_pages, 3);
  EXPECT_FALSE(last.has_next);

  // Past the end: empty data, still the totals.
  auto past = page(4, 7);
  EXPECT_EQ(past.body, "[]");
  EXPECT_EQ(past.total_records, 18);
  EXPECT_FALSE(past.has_next);
  EXPECT_EQ(page(1000000000000, 20000).body, "[]");

  // Over the maximum: clamped to 20,000.
  EXPECT_EQ(page(1, 50000).size, 20000);
  EXPECT_EQ(page(1, 20000).size, 20000);

  for (const auto& [number, size, field] :
       {std::tuple{0, 10, "page"}, std::tuple{-1, 10, "page"}, std::tuple{1, 0, "size"}}) {
    auto bad =
        service_->readPage(requester(kAlice), report_, run_, number, size, raas::PageFormat::kJson);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, core::Errc::kInvalidParameter);
    EXPECT_EQ(bad.error().field, field);
  }
}

TEST_F(PagingTest, RenamingAColumnChangesTheJsonKey) {
  const auto before = boost::json::parse(page(1, 1).body).as_array()[0].as_object();
  EXPECT_TRUE(before.contains("Hours"));

  auto d = definition("timecard_lines", {"timecard_id", "line_number", "hours", "work_date"});
  d.columns[2].display_name = "Hours Worked";
  ASSERT_TRUE(service_->updateReport(requester(kAlice), report_, d));
  const auto run = request(kAlice, report_);
  EXPECT_NE(run, run_);
  drain();
  auto p = service_->readPage(requester(kAlice), report_, run, 1, 1, raas::PageFormat::kJson);
  ASSERT_TRUE(p);
  const auto after = boost::json::parse(p->body).as_array()[0].as_object();
  EXPECT_FALSE(after.contains("Hours"));
  ASSERT_TRUE(after.contains("Hours Worked"));
  EXPECT_EQ(text(after, "Hours Worked"), "8.00");
  // Column order is the report's order.
  std::vector<std::string> order;
  for (const auto& [key, value] : after) order.emplace_back(key);
  EXPECT_EQ(order,
            (std::vector<std::string>{"Timecard ID", "Line Number", "Hours Worked", "Work Date"}));
}

TEST_F(PagingTest, CsvHasAHeaderAndQuotesCommasQuotesAndLineBreaks) {
  auto d = definition("workers", {"external_id", "last_name", "location"});
  d.columns[1].display_name = "Last, \"family\" name";
  d.sort = {{"external_id", false}};
  const auto report = createReport(kAlice, d);
  const auto run = request(kAlice, report);
  drain();
  auto csv = service_->readPage(requester(kAlice), report, run, 1, 10, raas::PageFormat::kCsv);
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->body,
            "External ID,\"Last, \"\"family\"\" name\",Location\r\n"
            "A-1,\"O\"\"Neil, Jr\",\"Line one\nLine two\"\r\n"
            "A-2,Pha,Austin\r\n");
  // The same rows as JSON keep the characters as they are.
  auto json = service_->readPage(requester(kAlice), report, run, 1, 10, raas::PageFormat::kJson);
  ASSERT_TRUE(json);
  const auto first = boost::json::parse(json->body).as_array()[0].as_object();
  EXPECT_EQ(text(first, "Last, \"family\" name"), "O\"Neil, Jr");
  EXPECT_EQ(text(first, "Location"), "Line one\nLine two");
}

TEST_F(PagingTest, FiltersSortAndPromptsShapeTheRows) {
  auto d =
      definition("timecard_lines", {"engagement_id", "work_date", "rate_type", "hours", "rate"});
  d.filters = {{"rate_type", raas::FilterOp::kIn, {"ST"}},
               {"hours", raas::FilterOp::kBetween, {"7.25", "8"}}};
  d.sort = {{"hours", false}, {"engagement_id", true}};
  d.prompts = {{"fromDate", "From", "work_date", raas::FilterOp::kGte, true, {}},
               {"toDate", "To", "work_date", raas::FilterOp::kLte, false, {"2026-01-31"}}};
  const auto report = createReport(kAlice, d);
  auto missing = service_->requestRun(requester(kAlice), report, {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::Errc::kValidationFailed);

  const auto run = request(kAlice, report, {{"fromDate", {"2026-01-12"}}});
  drain();
  const auto got = rows(kAlice, report, run);
  // Second week only, ST only: 2 entries for each of Alpha's 3 engagements.
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(text(got[0], "Hours"), "7.25");
  EXPECT_EQ(text(got[0], "Engagement ID"), "4");  // descending within equal hours
  EXPECT_EQ(text(got[0], "Rate"), "8000");        // JPY engagement: no minor unit
  EXPECT_EQ(text(got[1], "Engagement ID"), "2");
  EXPECT_EQ(text(got[1], "Rate"), "60.00");
  EXPECT_EQ(text(got[5], "Hours"), "8.00");
  for (const auto& row : got) {
    EXPECT_EQ(text(row, "Rate Type"), "ST");
    EXPECT_GE(text(row, "Work Date"), "2026-01-12");
  }
}

TEST_F(PagingTest, OtherUsersCannotReadTheRun) {
  for (const auto user : {kErin, kBob}) {
    auto denied =
        service_->readPage(requester(user), report_, run_, 1, 10, raas::PageFormat::kJson);
    ASSERT_FALSE(denied);
    EXPECT_EQ(denied.error().code, core::Errc::kNotFound);
  }
  // Nor can the owner reach it under another report's id.
  const auto other = createReport(kAlice, definition("workers", {"id"}));
  EXPECT_FALSE(service_->runStatus(requester(kAlice), other, run_));
}

}  // namespace
}  // namespace keygate::testing
