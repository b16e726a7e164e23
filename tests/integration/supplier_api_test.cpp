// The Supplier API over HTTP against the demo data: every endpoint, scopes, paging with
// absolute `next` links, filters, ETags, workers with merge patch, timecards through submit
// and recall (with the billing items submitting creates), and candidate insights.
#include "core/key_rules.h"
#include "supplier_fixture.h"

namespace keygate::testing {
namespace {

class SupplierApiTest : public SupplierServerTest {
 protected:
  void SetUp() override {
    SupplierServerTest::SetUp();
    acme_ = keyToken("sam.supplier", kAllSupplierScopes);
  }
  std::string acme_;
};

TEST_F(SupplierApiTest, ListsPageWithAbsoluteNextLinksAndClampTheLimit) {
  const auto expected = idsWhere("SELECT id FROM billing_items WHERE supplier_org_id = " +
                                 std::to_string(orgId("Acme Staffing")) + " ORDER BY id");
  ASSERT_GT(expected.size(), 10u);
  auto first = getJson(acme_, "/supplier/v1/billingitems?limit=4&type=time");
  EXPECT_EQ(first.at("offset").as_int64(), 0);
  EXPECT_EQ(first.at("limit").as_int64(), 4);
  EXPECT_EQ(first.at("data").as_array().size(), 4u);
  const std::string next(first.at("next").as_string());
  EXPECT_EQ(next, base_url_ + "/supplier/v1/billingitems?type=time&offset=4&limit=4");

  std::vector<std::int64_t> seen;
  for (auto& item : all(acme_, "/supplier/v1/billingitems?limit=7"))
    seen.push_back(item.at("id").as_int64());
  EXPECT_EQ(seen, expected);  // every record once, in id order, none of another supplier

  auto clamped = getJson(acme_, "/supplier/v1/billingitems?limit=5000");
  EXPECT_EQ(clamped.at("limit").as_int64(), 1000);
  EXPECT_EQ(clamped.at("totalRecords").as_int64(), static_cast<std::int64_t>(expected.size()));
  EXPECT_TRUE(clamped.at("next").is_null());
  auto defaults = getJson(acme_, "/supplier/v1/engagements");
  EXPECT_EQ(defaults.at("limit").as_int64(), 500);
  auto beyond = getJson(acme_, "/supplier/v1/engagements?offset=100");
  EXPECT_TRUE(beyond.at("data").as_array().empty());
  EXPECT_EQ(beyond.at("totalRecords").as_int64(), 5);
  EXPECT_TRUE(beyond.at("next").is_null());
}

TEST_F(SupplierApiTest, NextLinksUseThePublicUrlWhenConfigured) {
  // Host header decides without public_url; the link echoes the validated filters.
  auto r = call(acme_, "GET", "/supplier/v1/timecards?limit=1&status=invoiced", {},
                {{"Host", "vms.example.test:8443"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(str(parseObject(r.body), "next"),
            "http://vms.example.test:8443/supplier/v1/timecards?status=invoiced&offset=1&limit=1");
}

TEST_F(SupplierApiTest, FiltersNarrowEveryList) {
  const auto engagements = all(acme_, "/supplier/v1/engagements");
  ASSERT_EQ(engagements.size(), 5u);
  const auto& first = engagements.front();
  EXPECT_EQ(str(first, "number"), "ACME-ENG-0001");
  EXPECT_EQ(str(first.at("rates").as_object(), "ST"), "110.00");
  EXPECT_EQ(str(first.at("rates").as_object(), "OT"), "165.00");
  EXPECT_EQ(str(first.at("client").as_object(), "name"), "Globex Corporation");
  const auto worker_id = first.at("worker").as_object().at("id").as_int64();
  auto by_worker = all(acme_, "/supplier/v1/engagements?workerid=" + std::to_string(worker_id));
  ASSERT_EQ(by_worker.size(), 1u);
  EXPECT_EQ(by_worker[0].at("id"), first.at("id"));
  for (auto& e : all(acme_, "/supplier/v1/engagements?status=active"))
    EXPECT_EQ(str(e, "status"), "active");
  const std::string start = str(first, "startDate");
  for (auto& e : all(acme_, "/supplier/v1/engagements?startdatefrom=" + start))
    EXPECT_GE(str(e, "startDate"), start);
  for (auto& e : all(acme_, "/supplier/v1/engagements?startdateto=" + start))
    EXPECT_LE(str(e, "startDate"), start);

  const std::string eid = id(first);
  auto timecards = all(acme_, "/supplier/v1/timecards?engagementid=" + eid);
  ASSERT_FALSE(timecards.empty());
  for (auto& t : timecards) EXPECT_EQ(std::to_string(t.at("engagementId").as_int64()), eid);
  const std::string week = str(timecards.front(), "weekEnding");
  auto one_week = all(acme_, "/supplier/v1/timecards?engagementid=" + eid + "&weekending=" + week);
  ASSERT_EQ(one_week.size(), 1u);

  auto invoiced = all(acme_, "/supplier/v1/billingitems?invoiced=true");
  auto open = all(acme_, "/supplier/v1/billingitems?invoiced=false");
  ASSERT_FALSE(invoiced.empty());
  ASSERT_FALSE(open.empty());
  for (auto& b : invoiced) EXPECT_FALSE(b.at("invoiceId").is_null());
  for (auto& b : open) EXPECT_TRUE(b.at("invoiceId").is_null());
  for (auto& b : all(acme_, "/supplier/v1/billingitems?type=expense"))
    EXPECT_EQ(str(b, "type"), "expense");
  for (auto& b : all(acme_, "/supplier/v1/billingitems?engagementid=" + eid +
                                "&servicedatefrom=" + week + "&servicedateto=" + week))
    EXPECT_EQ(str(b, "serviceDate"), week);

  auto invoices = all(acme_, "/supplier/v1/invoices");
  ASSERT_FALSE(invoices.empty());
  const std::string date = str(invoices.front(), "invoiceDate");
  for (auto& i :
       all(acme_, "/supplier/v1/invoices?invoicedatefrom=" + date + "&invoicedateto=" + date))
    EXPECT_EQ(str(i, "invoiceDate"), date);
  // updatedsince: everything is older than a day in the future; a date in 1990 keeps all.
  EXPECT_EQ(all(acme_, "/supplier/v1/invoices?updatedsince=2099-01-01T00:00:00Z").size(), 0u);
  EXPECT_EQ(all(acme_, "/supplier/v1/invoices?updatedsince=1990-01-01").size(), invoices.size());
  // Unknown parameters are ignored.
  EXPECT_EQ(all(acme_, "/supplier/v1/invoices?colour=blue").size(), invoices.size());
}

TEST_F(SupplierApiTest, SingleResourcesCarryETagsAndAnswer304) {
  const auto invoices = all(acme_, "/supplier/v1/invoices");
  ASSERT_FALSE(invoices.empty());
  const std::string path = "/supplier/v1/invoices/" + id(invoices.front());
  auto r = call(acme_, "GET", path);
  ASSERT_EQ(r.status, 200);
  const std::string etag = r.header("ETag");
  ASSERT_FALSE(etag.empty());
  auto invoice = parseObject(r.body);
  auto lines = invoice.at("lines").as_array();
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(invoice.at("lineCount").as_int64()));
  // The total is exactly the sum of the lines plus tax, in cents.
  std::int64_t cents = 0;
  for (auto& l : lines) cents += *core::parseFixed(str(l.as_object(), "amount"), 2);
  EXPECT_EQ(cents + *core::parseFixed(str(invoice, "tax"), 2),
            *core::parseFixed(str(invoice, "total"), 2));
  auto again = call(acme_, "GET", path, {}, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header("ETag"), etag);
  EXPECT_EQ(call(acme_, "GET", path, {}, {{"If-None-Match", "W/" + etag}}).status, 304);
  EXPECT_EQ(call(acme_, "GET", path, {}, {{"If-None-Match", "\"other\""}}).status, 200);
  for (const char* list :
       {"/supplier/v1/engagements", "/supplier/v1/billingitems", "/supplier/v1/workers",
        "/supplier/v1/timecards", "/supplier/v1/staffingrequests"}) {
    SCOPED_TRACE(list);
    auto items = getJson(acme_, std::string(list) + "?limit=1").at("data").as_array();
    ASSERT_FALSE(items.empty());
    auto one = call(acme_, "GET", std::string(list) + "/" + id(items[0].as_object()));
    EXPECT_EQ(one.status, 200);
    EXPECT_FALSE(one.header("ETag").empty());
    EXPECT_FALSE(one.header("X-Key-Expires-At").empty());
    EXPECT_EQ(parseObject(one.body), items[0].as_object());  // the list shows the same record
  }
}

TEST_F(SupplierApiTest, ScopesAreCheckedAndNamed) {
  const std::string engagements_only = keyToken("sam.supplier", {"engagements:read"});
  EXPECT_EQ(call(engagements_only, "GET", "/supplier/v1/engagements").status, 200);
  struct Case {
    const char* method;
    const char* path;
    const char* scope;
  };
  for (const auto& c :
       std::vector<Case>{{"GET", "/supplier/v1/billingitems", "billing:read"},
                         {"GET", "/supplier/v1/invoices/1", "billing:read"},
                         {"GET", "/supplier/v1/workers", "workers:write"},
                         {"POST", "/supplier/v1/workers", "workers:write"},
                         {"PATCH", "/supplier/v1/workers/1", "workers:write"},
                         {"GET", "/supplier/v1/timecards", "timecards:write"},
                         {"PATCH", "/supplier/v1/timecards/1", "timecards:write"},
                         {"GET", "/supplier/v1/staffingrequests", "candidate-insights:read"},
                         {"POST", "/supplier/v1/candidateinsights", "candidate-insights:read"}}) {
    SCOPED_TRACE(c.path);
    auto r = call(engagements_only, c.method, c.path, "{}");
    EXPECT_EQ(r.status, 403);
    auto problem = parseObject(r.body);
    EXPECT_EQ(str(problem, "code"), "insufficient_scope");
    EXPECT_EQ(str(problem, "field"), c.scope);
    EXPECT_NE(str(problem, "detail").find(c.scope), std::string::npos);
  }
  auto anonymous = client_->get("/supplier/v1/engagements");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(str(parseObject(anonymous.body), "code"), "unauthenticated");
}

TEST_F(SupplierApiTest, WorkersAreCreatedPatchedAndRead) {
  const auto before = countRows("workers");
  auto created = call(acme_, "POST", "/supplier/v1/workers",
                      R"({"externalId":"ACME-W-9001","firstName":"Ada","lastName":"Lovelace",
                          "email":"ada@acme-staffing.example","jobTitle":"Analyst",
                          "favouriteColour":"green"})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto worker = parseObject(created.body);
  EXPECT_EQ(created.header("Location"), base_url_ + "/supplier/v1/workers/" + id(worker));
  EXPECT_FALSE(created.header("ETag").empty());
  EXPECT_EQ(str(worker, "status"), "active");
  EXPECT_TRUE(worker.at("phone").is_null());
  EXPECT_FALSE(worker.contains("favouriteColour"));
  EXPECT_EQ(countRows("workers"), before + 1);

  auto duplicate = call(acme_, "POST", "/supplier/v1/workers",
                        R"({"externalId":"ACME-W-9001","firstName":"B","lastName":"C"})");
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(str(parseObject(duplicate.body), "code"), "conflict");
  EXPECT_EQ(countRows("workers"), before + 1);

  const std::string path = "/supplier/v1/workers/" + id(worker);
  auto patched = call(acme_, "PATCH", path, R"({"jobTitle":"Senior Analyst","email":null})",
                      {{"Content-Type", "application/merge-patch+json"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto after = parseObject(patched.body);
  EXPECT_EQ(str(after, "jobTitle"), "Senior Analyst");
  EXPECT_TRUE(after.at("email").is_null());
  EXPECT_EQ(str(after, "firstName"), "Ada");
  EXPECT_EQ(getJson(acme_, path), after);
  auto clash = call(acme_, "PATCH", path, R"({"externalId":"ACME-W-1001"})");
  EXPECT_EQ(clash.status, 409);
  auto required = call(acme_, "PATCH", path, R"({"lastName":null})");
  EXPECT_EQ(required.status, 422);
  EXPECT_EQ(str(parseObject(required.body), "field"), "lastName");
  EXPECT_EQ(getJson(acme_, path), after);
  auto listed = all(acme_, "/supplier/v1/workers?externalid=ACME-W-9001");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0], after);
  for (auto& w : all(acme_, "/supplier/v1/workers?status=inactive"))
    EXPECT_EQ(str(w, "status"), "inactive");
}

TEST_F(SupplierApiTest, TimecardsAreCreatedSubmittedRecalledButNeverApproved) {
  // ACME-ENG-0001 has no timecards for the last weeks: the demo data stops three weeks back.
  const auto engagement = all(acme_, "/supplier/v1/engagements?status=active").front();
  const std::string eid = id(engagement);
  const auto today = core::startOfDay(app_->clock().now());
  const auto week = core::weekEndingFor(today) - 7 * core::kSecondsPerDay;
  const auto monday = week - 6 * core::kSecondsPerDay;
  auto day = [&](int d) { return core::formatDate(monday + d * core::kSecondsPerDay); };
  const std::string body = R"({"engagementId":)" + eid + R"(,"weekEnding":")" +
                           core::formatDate(week) + R"(","entries":[
      {"workDate":")" + day(0) +
                           R"(","rateType":"ST","hours":8,"timeIn":"09:00","timeOut":"17:30"},
      {"workDate":")" + day(1) +
                           R"(","rateType":"ST","hours":"7.50"},
      {"workDate":")" + day(1) +
                           R"(","rateType":"OT","hours":1.25}]})";
  auto created = call(acme_, "POST", "/supplier/v1/timecards", body);
  ASSERT_EQ(created.status, 201) << created.body;
  auto tc = parseObject(created.body);
  EXPECT_EQ(created.header("Location"), base_url_ + "/supplier/v1/timecards/" + id(tc));
  EXPECT_EQ(str(tc, "status"), "draft");
  EXPECT_EQ(str(tc, "totalHours"), "16.75");
  // 15.5 h × 110.00 + 1.25 h × 165.00 = 1705.00 + 206.25
  EXPECT_EQ(str(tc, "totalAmount"), "1911.25");
  EXPECT_EQ(tc.at("entries").as_array().size(), 3u);
  EXPECT_EQ(str(tc.at("entries").as_array()[0].as_object(), "timeOut"), "17:30");
  EXPECT_EQ(call(acme_, "POST", "/supplier/v1/timecards", body).status, 409);

  const std::string path = "/supplier/v1/timecards/" + id(tc);
  const std::string items_path = "/supplier/v1/billingitems?engagementid=" + eid +
                                 "&servicedatefrom=" + core::formatDate(week);
  EXPECT_TRUE(all(acme_, items_path).empty());
  auto submitted = call(acme_, "PATCH", path, R"({"action":"submit"})");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(str(parseObject(submitted.body), "status"), "submitted");
  auto items = all(acme_, items_path);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(str(items[0], "status"), "pending");
  EXPECT_EQ(str(items[0], "amount"), "1705.00");
  EXPECT_EQ(str(items[1], "rateType"), "OT");
  EXPECT_EQ(str(items[1], "amount"), "206.25");

  for (const char* approve : {R"({"action":"approve"})", R"({"status":"approved"})"}) {
    auto r = call(acme_, "PATCH", path, approve);
    EXPECT_EQ(r.status, 409) << approve;
    EXPECT_EQ(str(parseObject(r.body), "code"), "conflict");
  }
  auto frozen = call(acme_, "PATCH", path, R"({"entries":[]})");
  EXPECT_EQ(frozen.status, 409);
  auto recalled = call(acme_, "PATCH", path, R"({"status":"draft"})");
  ASSERT_EQ(recalled.status, 200);
  EXPECT_EQ(str(parseObject(recalled.body), "status"), "draft");
  for (auto& b : all(acme_, items_path)) EXPECT_EQ(str(b, "status"), "void");
  auto edited =
      call(acme_, "PATCH", path, R"({"entries":[{"workDate":")" + day(2) + R"(","hours":4}]})");
  ASSERT_EQ(edited.status, 200);
  EXPECT_EQ(str(parseObject(edited.body), "totalAmount"), "440.00");

  // Approved and invoiced timecards of the demo data cannot be touched.
  for (const char* status : {"approved", "invoiced"}) {
    auto locked = all(acme_, std::string("/supplier/v1/timecards?limit=1&status=") + status);
    ASSERT_FALSE(locked.empty()) << status;
    const std::string locked_path = "/supplier/v1/timecards/" + id(locked[0]);
    EXPECT_EQ(call(acme_, "PATCH", locked_path, R"({"entries":[]})").status, 409);
    EXPECT_EQ(call(acme_, "PATCH", locked_path, R"({"action":"recall"})").status, 409);
    EXPECT_EQ(getJson(acme_, locked_path), locked[0]);
  }
}

TEST_F(SupplierApiTest, CandidateInsightsScoreStoredAndInlineCandidates) {
  auto requests = all(acme_, "/supplier/v1/staffingrequests");
  ASSERT_EQ(requests.size(), 4u);  // released to Acme; SR-1003 and SR-2002 are not
  std::string sr;
  for (auto& r : requests)
    if (str(r, "number") == "SR-1001") sr = id(r);
  ASSERT_FALSE(sr.empty());
  auto request = getJson(acme_, "/supplier/v1/staffingrequests/" + sr);
  EXPECT_EQ(str(request.at("billRate").as_object(), "min"), "95.00");
  EXPECT_EQ(request.at("requiredSkills").as_array().size(), 3u);
  EXPECT_EQ(all(acme_, "/supplier/v1/staffingrequests?status=on_hold").size(), 0u);

  const auto candidates = idsWhere("SELECT id FROM candidates WHERE supplier_org_id = " +
                                   std::to_string(orgId("Acme Staffing")) + " ORDER BY id");
  ASSERT_FALSE(candidates.empty());
  const std::string by_id = R"({"staffingRequestId":)" + sr + R"(,"candidateId":)" +
                            std::to_string(candidates.front()) + "}";
  auto first = call(acme_, "POST", "/supplier/v1/candidateinsights", by_id);
  ASSERT_EQ(first.status, 201) << first.body;
  auto insight = parseObject(first.body);
  EXPECT_EQ(first.header("Location"), base_url_ + "/supplier/v1/candidateinsights/" + id(insight));
  EXPECT_GE(insight.at("overall").as_int64(), 0);
  EXPECT_LE(insight.at("overall").as_int64(), 100);
  EXPECT_EQ(insight.at("criteria").as_array().size(), 5u);
  EXPECT_FALSE(str(insight, "modelVersion").empty());
  EXPECT_FALSE(str(insight, "summary").empty());
  auto second = parseObject(call(acme_, "POST", "/supplier/v1/candidateinsights", by_id).body);
  EXPECT_EQ(second.at("overall"), insight.at("overall"));  // deterministic
  EXPECT_EQ(second.at("criteria"), insight.at("criteria"));
  EXPECT_EQ(getJson(acme_, "/supplier/v1/candidateinsights/" + id(insight)), insight);

  auto strong = call(acme_, "POST", "/supplier/v1/candidateinsights",
                     R"({"staffingRequestId":)" + sr + R"(,"candidate":{
                         "skills":[{"name":"golang","years":7},{"name":"Postgres","years":5},
                                   {"name":"k8s","years":4},{"name":"AWS","years":3}],
                         "location":"Austin, TX, US","desiredRate":"110.00",
                         "resumeText":"Go microservices on PostgreSQL and Kubernetes"}})");
  ASSERT_EQ(strong.status, 201) << strong.body;
  auto weak = call(acme_, "POST", "/supplier/v1/candidateinsights",
                   R"({"staffingRequestId":)" + sr + R"(,"candidate":{
                       "skills":[{"name":"Cobol","years":2}],"location":"Lisbon, PT",
                       "openToRemote":false,"desiredRate":"400.00"}})");
  ASSERT_EQ(weak.status, 201) << weak.body;
  auto s = parseObject(strong.body), w = parseObject(weak.body);
  EXPECT_TRUE(s.at("candidateId").is_null());
  EXPECT_GT(s.at("overall").as_int64(), w.at("overall").as_int64());
  EXPECT_EQ(str(w, "recommendation"), "do_not_submit");
}

TEST_F(SupplierApiTest, ScaleSeedingAddsAYearOfDataPerEngagement) {
  const auto bench = std::to_string(orgId("Benchmark Unlimited"));
  const auto before = idsWhere("SELECT id FROM engagements WHERE supplier_org_id = " + bench);
  std::vector<std::int64_t> progress;
  auto first = app::seedScale(app_->store(), app_->clock(), 3,
                              [&](std::int64_t done) { progress.push_back(done); });
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->engagements, 3);
  EXPECT_EQ(first->timecards, 3 * 52);
  EXPECT_EQ(first->invoices, 3 * 12);  // 48 invoiced weeks, billed four-weekly
  EXPECT_EQ(progress, std::vector<std::int64_t>{3});
  auto second = app::seedScale(app_->store(), app_->clock(), 2);  // additive
  ASSERT_TRUE(second) << second.error().message << " " << second.error().detail;
  const auto after =
      idsWhere("SELECT id FROM engagements WHERE supplier_org_id = " + bench + " ORDER BY id");
  ASSERT_EQ(after.size(), before.size() + 5);

  const std::string token = keyToken("bench.unlimited", kAllSupplierScopes);
  const std::string eid = std::to_string(after.back());
  auto timecards = getJson(token, "/supplier/v1/timecards?limit=1&engagementid=" + eid);
  EXPECT_EQ(timecards.at("totalRecords").as_int64(), 52);
  EXPECT_EQ(getJson(token, "/supplier/v1/timecards?limit=1&status=invoiced&engagementid=" + eid)
                .at("totalRecords")
                .as_int64(),
            48);
  // Every invoiced billing item of the engagement is on exactly one invoice line, and each
  // invoice's total is the sum of its lines.
  const auto invoiced =
      all(token, "/supplier/v1/billingitems?invoiced=true&limit=1000&engagementid=" + eid);
  std::set<std::int64_t> invoice_ids;
  for (auto& b : invoiced) invoice_ids.insert(b.at("invoiceId").as_int64());
  EXPECT_EQ(invoice_ids.size(), 12u);
  std::size_t lines = 0;
  for (auto invoice_id : invoice_ids) {
    auto invoice = getJson(token, "/supplier/v1/invoices/" + std::to_string(invoice_id));
    std::int64_t cents = 0;
    for (auto& l : invoice.at("lines").as_array()) {
      cents += *core::parseFixed(str(l.as_object(), "amount"), 2);
      ++lines;
    }
    EXPECT_EQ(cents, *core::parseFixed(str(invoice, "total"), 2));
  }
  EXPECT_EQ(lines, invoiced.size());
}

TEST_F(SupplierApiTest, TheOpenApiDescriptionIsServed) {
  auto r = client_->get("/openapi.yaml");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type").rfind("application/yaml", 0), 0u);
  EXPECT_EQ(r.body.rfind("openapi: 3.1", 0), 0u);
  for (const char* path :
       {"/supplier/v1/engagements/{id}:", "/supplier/v1/timecards:",
        "/supplier/v1/candidateinsights:", "/api/v1/get-api-token:", "/oauth/token:"})
    EXPECT_NE(r.body.find(path), std::string::npos) << path;
  EXPECT_EQ(client_->get("/openapi.yaml", {{"If-None-Match", r.header("ETag")}}).status, 304);
}

}  // namespace
}  // namespace keygate::testing
