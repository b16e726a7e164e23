// The Supplier API's query-string rules, paging links and ETags (api/supplier_internal.h),
// without a socket.
#include <gtest/gtest.h>

#include "api/supplier_internal.h"
#include "core/key_rules.h"

namespace keygate::api::supplier {
namespace {

http::Request get(std::string query, std::string host = "vms.example:8080") {
  http::Request r;
  r.method = "GET";
  r.path = "/supplier/v1/timecards";
  r.query = std::move(query);
  r.headers = {{"Host", std::move(host)}};
  return r;
}

TEST(SupplierQuery, ReadsTypedValuesAndNamesTheBadParameter) {
  auto q = QueryParams::parse(
      get("status=submitted&engagementid=42&weekending=2025-06-15&invoiced=true&x=1"),
      {"status", "engagementid", "weekending", "invoiced", "offset", "limit"});
  ASSERT_TRUE(q);
  EXPECT_EQ(*q->enumValue<core::TimecardStatus>("status"), core::TimecardStatus::kSubmitted);
  EXPECT_EQ(*q->id("engagementid"), 42);
  EXPECT_EQ(*q->date("weekending"), core::parseDate("2025-06-15"));
  EXPECT_EQ(*q->boolean("invoiced"), true);
  EXPECT_FALSE(*q->id("missing"));
  auto page = q->page();
  ASSERT_TRUE(page);
  EXPECT_EQ(page->offset, 0);
  EXPECT_EQ(page->limit, 500);

  auto bad = QueryParams::parse(get("engagementid=1x&offset=-2"), {"engagementid", "offset"});
  ASSERT_TRUE(bad);
  auto id = bad->id("engagementid");
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, core::Errc::kInvalidParameter);
  EXPECT_EQ(id.error().field, "engagementid");
  EXPECT_EQ(bad->page().error().field, "offset");

  auto camel = QueryParams::parse(get("engagementId=1"), {"engagementid"});
  ASSERT_FALSE(camel);
  EXPECT_EQ(camel.error().field, "engagementId");
  EXPECT_NE(camel.error().message.find("'engagementid'"), std::string::npos);
  EXPECT_FALSE(QueryParams::parse(get("status=a&status=b"), {"status"}));
  EXPECT_FALSE(QueryParams::parse(get("status=%zz"), {"status"}));
  EXPECT_TRUE(QueryParams::parse(get("other=%zz&Unknown=1"), {"status"}));  // ignored
}

TEST(SupplierQuery, ClampsTheLimitAndLinksTheNextPage) {
  auto q =
      QueryParams::parse(get("limit=5000&offset=10&status=draft"), {"limit", "offset", "status"});
  ASSERT_TRUE(q);
  ASSERT_TRUE(q->enumValue<core::TimecardStatus>("status"));
  auto page = q->page();
  ASSERT_TRUE(page);
  EXPECT_EQ(page->limit, 1000);
  ApiOptions options;
  const auto request = get("");
  EXPECT_EQ(nextLink(request, options, *q, *page, 5000).as_string(),
            "http://vms.example:8080/supplier/v1/timecards?status=draft&offset=1010&limit=1000");
  EXPECT_TRUE(nextLink(request, options, *q, *page, 1010).is_null());
  options.public_url = "https://keygate.example.com/";
  EXPECT_EQ(baseUrl(request, options), "https://keygate.example.com");
  options.public_url.clear();
  EXPECT_EQ(baseUrl(get("", "evil.example/<script>"), options), "http://localhost");
}

TEST(SupplierQuery, ParsesRfc3339InstantsInUtc) {
  const auto day = *core::parseDate("2025-06-15");
  EXPECT_EQ(parseDateTime("2025-06-15T12:30:05Z"), day + 12 * 3600 + 30 * 60 + 5);
  EXPECT_EQ(parseDateTime("2025-06-15T12:00:00+02:00"), day + 10 * 3600);
  EXPECT_EQ(parseDateTime("2025-06-15T12:00:00-01:30"), day + 13 * 3600 + 30 * 60);
  for (const char* bad : {"2025-06-15", "2025-06-15T24:00:00Z", "2025-06-15T12:00:00",
                          "2025-06-15 12:00:00Z", "2025-06-15T12:00:00+2:00"})
    EXPECT_FALSE(parseDateTime(bad)) << bad;
}

TEST(SupplierQuery, ETagsMatchStrongWeakListsAndStar) {
  const std::string tag = etagOf("{\"id\":1}");
  EXPECT_EQ(tag.size(), 18u);
  EXPECT_NE(tag, etagOf("{\"id\":2}"));
  EXPECT_TRUE(ifNoneMatchHits(tag, tag));
  EXPECT_TRUE(ifNoneMatchHits("W/" + tag, tag));
  EXPECT_TRUE(ifNoneMatchHits("\"a\", " + tag, tag));
  EXPECT_TRUE(ifNoneMatchHits("*", tag));
  EXPECT_FALSE(ifNoneMatchHits("\"a\"", tag));
  EXPECT_FALSE(ifNoneMatchHits("", tag));
}

}  // namespace
}  // namespace keygate::api::supplier
