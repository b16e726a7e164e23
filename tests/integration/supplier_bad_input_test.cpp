// Hostile and malformed Supplier API input: every case is answered with a precise
// problem+json (status, stable code, the field or parameter at fault) and writes nothing.
#include "core/key_rules.h"
#include "supplier_fixture.h"

namespace keygate::testing {
namespace {

struct BadCase {
  std::string what;
  std::string method;
  std::string path;
  std::string body;
  long status;
  std::string code;
  std::string field;  // empty: no field expected
  std::vector<std::pair<std::string, std::string>> headers = {};
};

TEST_F(SupplierServerTest, BadInputGetsAPreciseProblemAndWritesNothing) {
  const std::string token = keyToken("sam.supplier", kAllSupplierScopes);
  const auto acme = std::to_string(orgId("Acme Staffing"));
  const auto engagement = idsWhere("SELECT id FROM engagements WHERE supplier_org_id = " + acme +
                                   " AND status = 'active' ORDER BY id LIMIT 1");
  const auto worker =
      idsWhere("SELECT id FROM workers WHERE supplier_org_id = " + acme + " ORDER BY id LIMIT 1");
  const auto draft = idsWhere("SELECT id FROM timecards WHERE supplier_org_id = " + acme +
                              " AND status = 'draft' ORDER BY id LIMIT 1");
  const auto request = idsWhere("SELECT id FROM staffing_requests WHERE number = 'SR-1001'");
  ASSERT_FALSE(engagement.empty() || worker.empty() || draft.empty() || request.empty());
  const std::string eid = std::to_string(engagement[0]);
  const std::string wpath = "/supplier/v1/workers/" + std::to_string(worker[0]);
  const std::string tpath = "/supplier/v1/timecards/" + std::to_string(draft[0]);
  const std::string sr = std::to_string(request[0]);
  const auto week = core::weekEndingFor(core::startOfDay(app_->clock().now())) - 7 * 86400;
  const std::string we = core::formatDate(week);
  const std::string monday = core::formatDate(week - 6 * 86400);
  auto timecard = [&](const std::string& entries) {
    return R"({"engagementId":)" + eid + R"(,"weekEnding":")" + we + R"(","entries":[)" + entries +
           "]}";
  };
  auto entry = [&](const std::string& fields) {
    return R"({"workDate":")" + monday + R"(",)" + fields + "}";
  };

  const std::vector<BadCase> cases = {
      // Query parameters.
      {"non-integer offset", "GET", "/supplier/v1/engagements?offset=abc", "", 400,
       "invalid_parameter", "offset"},
      {"negative offset", "GET", "/supplier/v1/engagements?offset=-1", "", 400, "invalid_parameter",
       "offset"},
      {"fractional limit", "GET", "/supplier/v1/engagements?limit=1.5", "", 400,
       "invalid_parameter", "limit"},
      {"zero limit", "GET", "/supplier/v1/engagements?limit=0", "", 400, "invalid_parameter",
       "limit"},
      {"unknown status", "GET", "/supplier/v1/timecards?status=done", "", 400, "invalid_parameter",
       "status"},
      {"SQL in a status filter", "GET", "/supplier/v1/billingitems?status=pending'%20OR%20'1'%3D'1",
       "", 400, "invalid_parameter", "status"},
      {"SQL in an id filter", "GET", "/supplier/v1/timecards?engagementid=1%3BDROP%20TABLE%20x", "",
       400, "invalid_parameter", "engagementid"},
      {"bad date", "GET", "/supplier/v1/invoices?invoicedatefrom=2025-02-30", "", 400,
       "invalid_parameter", "invoicedatefrom"},
      {"bad updatedsince", "GET", "/supplier/v1/workers?updatedsince=yesterday", "", 400,
       "invalid_parameter", "updatedsince"},
      {"bad boolean", "GET", "/supplier/v1/billingitems?invoiced=yes", "", 400, "invalid_parameter",
       "invoiced"},
      {"camelCase parameter", "GET", "/supplier/v1/timecards?engagementId=1", "", 400,
       "invalid_parameter", "engagementId"},
      {"repeated parameter", "GET", "/supplier/v1/timecards?status=draft&status=submitted", "", 400,
       "invalid_parameter", "status"},
      {"bad percent-encoding", "GET", "/supplier/v1/workers?externalid=%zz", "", 400,
       "invalid_parameter", "externalid"},
      // Paths.
      {"non-numeric id", "GET", "/supplier/v1/engagements/abc", "", 404, "not_found", ""},
      {"SQL in an id", "GET", "/supplier/v1/invoices/1%20OR%201=1", "", 404, "not_found", ""},
      {"unknown id", "GET", "/supplier/v1/billingitems/99999999", "", 404, "not_found", ""},
      {"no such route", "DELETE", "/supplier/v1/workers/1", "", 405, "method_not_allowed", ""},
      // Bodies: workers.
      {"malformed JSON", "POST", "/supplier/v1/workers", R"({"externalId": )", 400,
       "malformed_json", ""},
      {"not an object", "POST", "/supplier/v1/workers", "[1,2]", 400, "malformed_json", ""},
      {"wrong media type",
       "POST",
       "/supplier/v1/workers",
       R"({"externalId":"x"})",
       415,
       "unsupported_media_type",
       "",
       {{"Content-Type", "text/plain"}}},
      {"missing externalId", "POST", "/supplier/v1/workers", R"({"firstName":"A","lastName":"B"})",
       422, "validation_failed", "externalId"},
      {"externalId of wrong type", "POST", "/supplier/v1/workers",
       R"({"externalId":42,"firstName":"A","lastName":"B"})", 422, "validation_failed",
       "externalId"},
      {"bad email", "POST", "/supplier/v1/workers",
       R"({"externalId":"X-1","firstName":"A","lastName":"B","email":"nope"})", 422,
       "validation_failed", "email"},
      {"bad worker status", "POST", "/supplier/v1/workers",
       R"({"externalId":"X-1","firstName":"A","lastName":"B","status":"retired"})", 422,
       "validation_failed", "status"},
      {"control characters", "POST", "/supplier/v1/workers",
       "{\"externalId\":\"X\\u0000\",\"firstName\":\"A\",\"lastName\":\"B\"}", 422,
       "validation_failed", "externalId"},
      {"SQL in a body", "POST", "/supplier/v1/workers",
       R"({"externalId":"ACME-W-1001'); DELETE FROM workers; --","firstName":"A","lastName":)"
       R"("B","email":"a@b"})",
       422, "validation_failed", "email"},
      {"patch: wrong type", "PATCH", wpath, R"({"phone":12})", 422, "validation_failed", "phone"},
      {"patch: null name", "PATCH", wpath, R"({"firstName":null})", 422, "validation_failed",
       "firstName"},
      {"oversize body", "POST", "/supplier/v1/workers",
       R"({"externalId":"X","firstName":")" + std::string(100000, 'a') + R"(","lastName":"B"})",
       413, "payload_too_large", ""},
      // Bodies: timecards.
      {"timecard: unknown engagement", "POST", "/supplier/v1/timecards",
       R"({"engagementId":987654,"weekEnding":")" + we + R"("})", 404, "not_found", "engagementId"},
      {"timecard: engagement of wrong type", "POST", "/supplier/v1/timecards",
       R"({"engagementId":{"id":1},"weekEnding":")" + we + R"("})", 422, "validation_failed",
       "engagementId"},
      {"timecard: not a Sunday", "POST", "/supplier/v1/timecards",
       R"({"engagementId":)" + eid + R"(,"weekEnding":")" + monday + R"("})", 422,
       "validation_failed", "weekEnding"},
      {"timecard: bad date", "POST", "/supplier/v1/timecards",
       R"({"engagementId":)" + eid + R"(,"weekEnding":"last sunday"})", 422, "validation_failed",
       "weekEnding"},
      {"timecard: negative hours", "POST", "/supplier/v1/timecards",
       timecard(entry(R"("hours":-1)")), 422, "validation_failed", "entries[0].hours"},
      {"timecard: over 24 hours", "POST", "/supplier/v1/timecards",
       timecard(entry(R"("hours":24.5)")), 422, "validation_failed", "entries[0].hours"},
      {"timecard: over 24 hours in a day", "POST", "/supplier/v1/timecards",
       timecard(entry(R"("hours":16)") + "," + entry(R"("rateType":"OT","hours":9)")), 422,
       "validation_failed", "entries[1].hours"},
      {"timecard: hours as text", "POST", "/supplier/v1/timecards",
       timecard(entry(R"("hours":"eight")")), 422, "validation_failed", "entries[0].hours"},
      {"timecard: too precise hours", "POST", "/supplier/v1/timecards",
       timecard(entry(R"("hours":7.125)")), 422, "validation_failed", "entries[0].hours"},
      {"timecard: unknown rate type", "POST", "/supplier/v1/timecards",
       timecard(entry(R"("rateType":"XT","hours":1)")), 422, "validation_failed",
       "entries[0].rateType"},
      {"timecard: entries not an array", "POST", "/supplier/v1/timecards",
       R"({"engagementId":)" + eid + R"(,"weekEnding":")" + we + R"(","entries":{}})", 422,
       "validation_failed", "entries"},
      {"timecard: bad time", "POST", "/supplier/v1/timecards",
       timecard(entry(R"("hours":8,"timeIn":"25:00","timeOut":"17:00")")), 422, "validation_failed",
       "entries[0].timeIn"},
      {"timecard: unknown action", "PATCH", tpath, R"({"action":"publish"})", 422,
       "validation_failed", "action"},
      {"timecard: nothing to do", "PATCH", tpath, R"({"colour":"red"})", 422, "validation_failed",
       ""},
      {"timecard: approve", "PATCH", tpath, R"({"action":"approve"})", 409, "conflict", ""},
      {"timecard: recall a draft", "PATCH", tpath, R"({"action":"recall"})", 409, "conflict", ""},
      // Bodies: candidate insights.
      {"insight: missing request", "POST", "/supplier/v1/candidateinsights", R"({"candidateId":1})",
       422, "validation_failed", "staffingRequestId"},
      {"insight: no candidate", "POST", "/supplier/v1/candidateinsights",
       R"({"staffingRequestId":)" + sr + "}", 422, "validation_failed", "candidateId"},
      {"insight: unknown request", "POST", "/supplier/v1/candidateinsights",
       R"({"staffingRequestId":987654,"candidate":{}})", 404, "not_found", "staffingRequestId"},
      {"insight: unknown candidate", "POST", "/supplier/v1/candidateinsights",
       R"({"staffingRequestId":)" + sr + R"(,"candidateId":987654})", 404, "not_found",
       "candidateId"},
      {"insight: float rate", "POST", "/supplier/v1/candidateinsights",
       R"({"staffingRequestId":)" + sr + R"(,"candidate":{"desiredRate":85.5}})", 422,
       "validation_failed", "candidate.desiredRate"},
      {"insight: bad skill", "POST", "/supplier/v1/candidateinsights",
       R"({"staffingRequestId":)" + sr + R"(,"candidate":{"skills":[{"years":3}]}})", 422,
       "validation_failed", "candidate.skills[0].name"},
  };
  const auto before = supplierWrites();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto r = call(token, c.method, c.path, c.body, c.headers);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
    auto problem = parseObject(r.body);
    EXPECT_EQ(str(problem, "code"), c.code);
    EXPECT_EQ(problem.at("status").as_int64(), c.status);
    EXPECT_FALSE(str(problem, "detail").empty());
    EXPECT_EQ(str(problem, "requestId"), r.header("X-Request-Id"));
    EXPECT_EQ(str(problem, "field"), c.field);
    EXPECT_FALSE(problem.contains("data"));
    if (c.status == 413) client_ = std::make_unique<HttpClient>(base_url_);  // it closed
  }
  EXPECT_EQ(supplierWrites(), before);
  EXPECT_EQ(client_->get("/healthz").status, 200);
}

}  // namespace
}  // namespace keygate::testing
