// Tenant isolation (issue 4, item 6): every Supplier API endpoint, called with a key of another
// organization for every resource id of the demo data, answers 404 with nothing but a problem
// in the body, and writes nothing. Lists filtered by a foreign id answer an empty page. The ids
// come from the database file, not from the API, so nothing the API hides escapes the test.
#include "core/key_rules.h"
#include "supplier_fixture.h"

namespace keygate::testing {
namespace {

class SupplierIsolationTest : public SupplierServerTest {
 protected:
  // Every call `token` makes against the records of `owner` must find nothing.
  void expectInvisible(const std::string& token, const std::string& owner,
                       const std::string& viewer) {
    const std::string org = std::to_string(orgId(owner));
    const std::string viewer_org = std::to_string(orgId(viewer));
    auto ids = [&](const std::string& table) {
      return idsWhere("SELECT id FROM " + table + " WHERE supplier_org_id = " + org +
                      " ORDER BY id");
    };
    // Forbidden words: names and numbers that only the owner's records carry.
    std::vector<std::string> secrets;
    for (auto& row : idsWhere("SELECT id FROM workers WHERE supplier_org_id = " + org))
      secrets.push_back("\"id\":" + std::to_string(row) + ",");
    const std::string prefix = owner == "Acme Staffing" ? "ACME" : "NW-";

    int calls = 0;
    auto expect404 = [&](const std::string& method, const std::string& path,
                         const std::string& body) {
      SCOPED_TRACE(method + " " + path);
      auto r = call(token, method, path, body);
      ++calls;
      EXPECT_EQ(r.status, 404) << r.body;
      EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
      auto problem = parseObject(r.body);
      EXPECT_EQ(str(problem, "code"), "not_found");
      for (const auto& [key, value] : problem) {
        static const std::set<std::string> kProblemKeys = {
            "type", "title", "status", "detail", "instance", "code", "requestId", "field"};
        EXPECT_TRUE(kProblemKeys.contains(std::string(key))) << key;
      }
      EXPECT_EQ(r.body.find(prefix), std::string::npos) << r.body;
      EXPECT_TRUE(r.header("ETag").empty());
    };
    auto expectEmpty = [&](const std::string& path) {
      SCOPED_TRACE(path);
      auto page = getJson(token, path);
      ++calls;
      EXPECT_EQ(page.at("totalRecords").as_int64(), 0);
      EXPECT_TRUE(page.at("data").as_array().empty());
    };

    const auto week = core::formatDate(core::weekEndingFor(core::startOfDay(app_->clock().now())) -
                                       7 * core::kSecondsPerDay);
    const auto engagements = ids("engagements");
    ASSERT_FALSE(engagements.empty());
    for (auto id : engagements) {
      const auto s = std::to_string(id);
      expect404("GET", "/supplier/v1/engagements/" + s, "");
      expect404("POST", "/supplier/v1/timecards",
                R"({"engagementId":)" + s + R"(,"weekEnding":")" + week + R"("})");
      expectEmpty("/supplier/v1/timecards?engagementid=" + s);
      expectEmpty("/supplier/v1/billingitems?engagementid=" + s);
    }
    for (auto id : ids("billing_items"))
      expect404("GET", "/supplier/v1/billingitems/" + std::to_string(id), "");
    for (auto id : ids("invoices"))
      expect404("GET", "/supplier/v1/invoices/" + std::to_string(id), "");
    for (auto id : ids("workers")) {
      const auto s = std::to_string(id);
      expect404("GET", "/supplier/v1/workers/" + s, "");
      expect404("PATCH", "/supplier/v1/workers/" + s, R"({"jobTitle":"Hijacked"})");
      expectEmpty("/supplier/v1/engagements?workerid=" + s);
    }
    for (auto id : ids("timecards")) {
      const auto s = std::to_string(id);
      expect404("GET", "/supplier/v1/timecards/" + s, "");
      expect404("PATCH", "/supplier/v1/timecards/" + s, R"({"action":"submit"})");
      expect404("PATCH", "/supplier/v1/timecards/" + s, R"({"entries":[]})");
    }
    for (auto id : ids("candidate_insights"))
      expect404("GET", "/supplier/v1/candidateinsights/" + std::to_string(id), "");
    // Staffing requests released to the owner but not to the viewer.
    const auto hidden = idsWhere(
        "SELECT staffing_request_id FROM staffing_request_releases WHERE supplier_org_id = " + org +
        " AND staffing_request_id NOT IN (SELECT staffing_request_id FROM "
        "staffing_request_releases WHERE supplier_org_id = " +
        viewer_org + ")");
    ASSERT_FALSE(hidden.empty());
    for (auto id : hidden) {
      const auto s = std::to_string(id);
      expect404("GET", "/supplier/v1/staffingrequests/" + s, "");
      expect404("POST", "/supplier/v1/candidateinsights",
                R"({"staffingRequestId":)" + s + R"(,"candidate":{"skills":[]}})");
    }
    // The owner's candidates, against a request both can see.
    const auto shared = idsWhere(
        "SELECT a.staffing_request_id FROM staffing_request_releases a JOIN "
        "staffing_request_releases b ON a.staffing_request_id = b.staffing_request_id WHERE "
        "a.supplier_org_id = " +
        org + " AND b.supplier_org_id = " + viewer_org);
    ASSERT_FALSE(shared.empty());
    for (auto id : ids("candidates"))
      expect404("POST", "/supplier/v1/candidateinsights",
                R"({"staffingRequestId":)" + std::to_string(shared[0]) + R"(,"candidateId":)" +
                    std::to_string(id) + "}");
    EXPECT_GT(calls, 100);
  }
};

TEST_F(SupplierIsolationTest, NoEndpointReachesAnotherSuppliersRecords) {
  const auto before = supplierWrites();
  const std::string northwind = keyToken("tara.twofactor", kAllSupplierScopes);
  const std::string acme = keyToken("sam.supplier", kAllSupplierScopes);
  expectInvisible(northwind, "Acme Staffing", "Northwind Talent");
  expectInvisible(acme, "Northwind Talent", "Acme Staffing");
  EXPECT_EQ(supplierWrites(), before);
  // Lists show only the caller's own records.
  const auto acme_org = orgId("Acme Staffing");
  for (auto& e : all(acme, "/supplier/v1/engagements"))
    EXPECT_EQ(idsWhere("SELECT supplier_org_id FROM engagements WHERE id = " + id(e)),
              std::vector<std::int64_t>{acme_org});
  EXPECT_EQ(all(acme, "/supplier/v1/timecards").size(),
            idsWhere("SELECT id FROM timecards WHERE supplier_org_id = " + std::to_string(acme_org))
                .size());
}

}  // namespace
}  // namespace keygate::testing
