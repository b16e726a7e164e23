// RaaS over HTTP (issue 5): reports built through the UI's JSON endpoints, then run and read
// with a key's token through /raas/v1 exactly as a Magnit RaaS client script would; the
// ground truth is the database file itself. Also: who may reach a report, cost-center
// visibility, expiry on the test clock, a restart with runs in the queue, and the pages.
#include <chrono>
#include <thread>

#include "supplier_fixture.h"

namespace keygate::testing {
namespace {

class RaasApiTest : public SupplierServerTest {
 protected:
  // Creates a report as the signed-in user of `client`; returns its JSON.
  boost::json::object createReport(HttpClient& client, const std::string& json) {
    auto r = client.postJson("/api/v1/reports", json);
    EXPECT_EQ(r.status, 201) << r.body;
    return parseObject(r.body);
  }

  static std::string requestsPath(std::int64_t report) {
    return "/raas/v1/reports/" + std::to_string(report) + "/requests";
  }

  std::int64_t requestRun(const std::string& token, std::int64_t report,
                          const std::string& body = {}) {
    auto r = call(token, "POST", requestsPath(report), body);
    EXPECT_EQ(r.status, 202) << r.body;
    auto json = parseObject(r.body);
    EXPECT_TRUE(json.contains("message"));
    return json.contains("runid") ? json.at("runid").as_int64() : 0;
  }

  // Polls the status as a client script would, until the run has ended.
  boost::json::object waitForEnd(const std::string& token, std::int64_t report, std::int64_t run) {
    const auto path = requestsPath(report) + "/" + std::to_string(run);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    for (;;) {
      auto status = getJson(token, path);
      const auto state = str(status, "status");
      EXPECT_TRUE(state == "Queued" || state == "Running" || state == "Completed" ||
                  state == "Failed")
          << state;
      if (state == "Completed" || state == "Failed") return status;
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "run " << run << " did not end: " << boost::json::serialize(status);
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  std::int64_t scalar(const std::string& sql) {
    auto values = idsWhere(sql);
    return values.empty() ? -1 : values.front();
  }

  std::string textWhere(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2((dir_ / "keygate.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    std::string value;
    if (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
      value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
  }

  std::string userToken(const std::string& username) { return keyToken(username, {}); }
};

TEST_F(RaasApiTest, ReportRunsAndPagesLikeMagnitRaas) {
  HttpClient ui(base_url_);
  login(ui, "sam.supplier");
  auto sources = ui.get("/api/v1/raas/sources");
  ASSERT_EQ(sources.status, 200);
  EXPECT_EQ(parseObject(sources.body).at("sources").as_array().size(), 9u);

  auto report = createReport(ui, R"({"name": "Hours", "source": "timecard_lines",
      "columns": ["timecard_id", "line_number", {"column": "hours", "displayName": "Hours Worked"},
                  "work_date", "worker_name"],
      "prompts": [{"name": "fromDate", "column": "work_date", "op": "gte"}]})");
  const auto id = report.at("id").as_int64();
  const auto& raas = report.at("raas").as_object();
  EXPECT_EQ(str(raas, "tokenEndpoint"), base_url_ + "/api/v1/get-api-token");
  EXPECT_EQ(str(raas, "requestEndpoint"), base_url_ + requestsPath(id));

  const auto token = userToken("sam.supplier");
  auto requested = call(token, "POST", requestsPath(id));
  ASSERT_EQ(requested.status, 202) << requested.body;
  const auto run = parseObject(requested.body).at("runid").as_int64();
  EXPECT_EQ(requested.header("Location"), base_url_ + requestsPath(id) + "/" + std::to_string(run));
  EXPECT_EQ(requestRun(token, id), run);  // identical within 15 minutes

  auto status = waitForEnd(token, id, run);
  ASSERT_EQ(str(status, "status"), "Completed") << str(status, "message");
  EXPECT_EQ(status.at("runid").as_int64(), run);
  EXPECT_EQ(status.at("reportid").as_int64(), id);
  const auto acme = orgId("Acme Staffing");
  const auto expected = scalar(
      "SELECT COUNT(*) FROM timecard_entries te JOIN timecards t ON t.id = te.timecard_id "
      "WHERE t.supplier_org_id = " +
      std::to_string(acme));
  ASSERT_GT(expected, 3);
  EXPECT_EQ(status.at("totalrecords").as_int64(), expected);

  // Follow nextpage to the end with size 2; keys are the display names.
  std::string path =
      requestsPath(id) + "/" + std::to_string(run) + "/retrievePagedData?page=1&size=2";
  std::int64_t rows = 0, pages = 0;
  double hours = 0;
  while (!path.empty()) {
    auto page = getJson(token, path);
    ++pages;
    EXPECT_EQ(page.at("totalrecords").as_int64(), expected);
    EXPECT_EQ(page.at("totalpages").as_int64(), (expected + 1) / 2);
    for (const auto& row : page.at("data").as_array()) {
      const auto& o = row.as_object();
      EXPECT_TRUE(o.contains("Hours Worked") && o.contains("Work Date") && !o.contains("Hours"));
      hours += o.at("Hours Worked").to_number<double>();
      ++rows;
    }
    const auto& next = page.at("nextpage");
    if (next.is_null()) break;
    const std::string url(next.as_string());
    ASSERT_EQ(url.rfind(base_url_, 0), 0u) << url;
    path = url.substr(base_url_.size());
  }
  EXPECT_EQ(rows, expected);
  EXPECT_EQ(pages, (expected + 1) / 2);
  const auto hundredths = scalar(
      "SELECT SUM(te.hours) FROM timecard_entries te JOIN timecards t ON t.id = te.timecard_id "
      "WHERE t.supplier_org_id = " +
      std::to_string(acme));
  EXPECT_NEAR(hours * 100, static_cast<double>(hundredths), 0.5);

  const auto data = requestsPath(id) + "/" + std::to_string(run) + "/retrievePagedData";
  auto past = getJson(token, data + "?page=" + std::to_string(expected + 1) + "&size=1");
  EXPECT_TRUE(past.at("data").as_array().empty());
  EXPECT_TRUE(past.at("nextpage").is_null());
  EXPECT_EQ(getJson(token, data + "?size=50000").at("size").as_int64(), 20000);
  EXPECT_EQ(getJson(token, data + "?size=abc", 400).at("code").as_string(), "invalid_parameter");

  auto csv = call(token, "GET", data + "?page=1&size=3&format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.substr(0, csv.body.find("\r\n")),
            "Timecard ID,Line Number,Hours Worked,Work Date,Worker Name");
  EXPECT_EQ(csv.header("X-Total-Records"), std::to_string(expected));
  EXPECT_NE(csv.header("Link").find("format=csv"), std::string::npos);

  // Prompt values make a different request, whether sent as JSON or in the query string.
  const auto filtered = requestRun(token, id, R"({"fromDate": "2099-01-01"})");
  EXPECT_NE(filtered, run);
  auto in_query = call(token, "POST", requestsPath(id) + "?fromDate=2099-01-01");
  ASSERT_EQ(in_query.status, 202);
  EXPECT_EQ(parseObject(in_query.body).at("runid").as_int64(), filtered);
  EXPECT_EQ(waitForEnd(token, id, filtered).at("totalrecords").as_int64(), 0);
}

TEST_F(RaasApiTest, OnlyTokensOfTheOwnerOrSharedUsersReachTheReport) {
  HttpClient ui(base_url_);
  login(ui, "sam.supplier");
  const auto id = createReport(ui, R"({"name": "W", "source": "workers", "columns": ["id"]})")
                      .at("id")
                      .as_int64();
  EXPECT_EQ(client_->request("POST", requestsPath(id)).status, 401);
  EXPECT_EQ(call("kgat_not-a-token", "POST", requestsPath(id)).status, 401);

  // Same organization, not shared: it does not exist for them. Another organization: same.
  const auto colleague = userToken("alex.admin");
  EXPECT_EQ(call(colleague, "POST", requestsPath(id)).status, 404);
  EXPECT_EQ(call(userToken("bench.unlimited"), "POST", requestsPath(id)).status, 404);

  auto shared =
      ui.request("PUT", "/api/v1/reports/" + std::to_string(id) + "/shares",
                 R"({"sharedWith": ["alex.admin"]})", {{"Content-Type", "application/json"}});
  ASSERT_EQ(shared.status, 200) << shared.body;
  const auto run = requestRun(colleague, id);
  EXPECT_EQ(str(waitForEnd(colleague, id, run), "status"), "Completed");
  // The run is the colleague's: the owner's token does not read it.
  EXPECT_EQ(
      call(userToken("sam.supplier"), "GET", requestsPath(id) + "/" + std::to_string(run)).status,
      404);
  // Sharing outside the organization is refused.
  auto foreign =
      ui.request("PUT", "/api/v1/reports/" + std::to_string(id) + "/shares",
                 R"({"sharedWith": ["carla.client"]})", {{"Content-Type", "application/json"}});
  EXPECT_EQ(foreign.status, 422);
  // Changing a report needs the CSRF token of the session.
  HttpClient no_csrf(base_url_);
  login(no_csrf, "sam.supplier");
  no_csrf.setCsrfToken("");
  EXPECT_EQ(no_csrf.request("DELETE", "/api/v1/reports/" + std::to_string(id)).status, 403);
}

TEST_F(RaasApiTest, ClientUserSeesOnlyAssignedCostCenters) {
  HttpClient ui(base_url_);
  login(ui, "carla.client");
  const auto id = createReport(ui, R"({"name": "CC", "source": "timecard_lines",
                                       "columns": ["cost_center", "hours"]})")
                      .at("id")
                      .as_int64();
  const auto token = userToken("carla.client");
  auto nothing = waitForEnd(token, id, requestRun(token, id));
  EXPECT_EQ(nothing.at("totalrecords").as_int64(), 0);

  auto carla = app_->accounts().findUser("carla.client");
  ASSERT_TRUE(carla && *carla);
  const auto globex = orgId("Globex Corporation");
  const std::string center = textWhere(
      "SELECT cost_center FROM engagements WHERE client_org_id = " + std::to_string(globex) +
      " ORDER BY id LIMIT 1");
  ASSERT_FALSE(center.empty());
  ASSERT_TRUE(app_->raas().setCostCenters((*carla)->id, {center}));
  const auto expected = scalar(
      "SELECT COUNT(*) FROM timecard_entries te JOIN timecards t ON t.id = te.timecard_id "
      "JOIN engagements e ON e.id = t.engagement_id WHERE t.client_org_id = " +
      std::to_string(globex) + " AND e.cost_center = '" + center + "'");
  ASSERT_GT(expected, 0);
  const auto all_globex = scalar(
      "SELECT COUNT(*) FROM timecards t JOIN timecard_entries te ON "
      "te.timecard_id = t.id WHERE t.client_org_id = " +
      std::to_string(globex));
  ASSERT_GT(all_globex, expected);  // the data set has other cost centers too

  app_->testClock()->advance(16 * 60);  // past the dedup window
  const auto run = requestRun(token, id);
  EXPECT_EQ(waitForEnd(token, id, run).at("totalrecords").as_int64(), expected);
  auto page = getJson(
      token, requestsPath(id) + "/" + std::to_string(run) + "/retrievePagedData?size=20000");
  for (const auto& row : page.at("data").as_array())
    EXPECT_EQ(row.as_object().at("Cost Center").as_string(), center);
}

TEST_F(RaasApiTest, ResultsExpireAfterTwentyFourHours) {
  HttpClient ui(base_url_);
  login(ui, "sam.supplier");
  const auto id = createReport(ui, R"({"name": "W", "source": "workers", "columns": ["id"]})")
                      .at("id")
                      .as_int64();
  const auto token = userToken("sam.supplier");
  const auto run = requestRun(token, id);
  ASSERT_EQ(str(waitForEnd(token, id, run), "status"), "Completed");
  const auto status = requestsPath(id) + "/" + std::to_string(run);
  auto r = client_->postJson("/api/v1/test/clock", R"({"advanceSeconds": 86400})");
  ASSERT_EQ(r.status, 200);
  const auto fresh = userToken("sam.supplier");  // the first token expired an hour in
  EXPECT_EQ(str(getJson(fresh, status, 404), "code"), "not_found");
  EXPECT_EQ(getJson(fresh, status + "/retrievePagedData", 404).at("status").as_int64(), 404);
}

TEST_F(RaasApiTest, RunsQueuedAtARestartComplete) {
  HttpClient ui(base_url_);
  login(ui, "sam.supplier");
  const auto id = createReport(ui, R"({"name": "Hours", "source": "timecard_lines",
      "columns": ["hours"], "prompts": [{"name": "week", "column": "week_ending", "op": "gte"}]})")
                      .at("id")
                      .as_int64();
  const auto token = userToken("sam.supplier");
  std::vector<std::int64_t> runs;
  for (const char* from : {"2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04"})
    runs.push_back(requestRun(token, id, std::string(R"({"week": ")") + from + "\"}"));
  // Stop at once: some runs are still queued (one user runs one report at a time).
  restartApp();
  for (const auto run : runs) EXPECT_EQ(str(waitForEnd(token, id, run), "status"), "Completed");
}

TEST_F(RaasApiTest, ReportPagesNeedASession) {
  HttpClient anonymous(base_url_);
  for (const char* page : {"/reports", "/reports/edit"}) {
    auto redirect = anonymous.get(page);
    EXPECT_EQ(redirect.status, 303);
    EXPECT_EQ(redirect.header("Location"), std::string("/login?next=") + page);
  }
  HttpClient ui(base_url_);
  login(ui, "sam.supplier");
  for (const char* page : {"/reports", "/reports/edit?id=1"}) {
    auto r = ui.get(page);
    EXPECT_EQ(r.status, 200) << page;
    EXPECT_NE(r.header("Content-Type").find("text/html"), std::string::npos);
    EXPECT_FALSE(r.header("Content-Security-Policy").empty());
  }
}

}  // namespace
}  // namespace keygate::testing
