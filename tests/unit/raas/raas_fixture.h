// Shared set-up of the RaaS unit tests: a migrated SQLite database in a temporary directory
// (a file, so reads run on their own connections as in production), a FakeClock, the run
// engine without worker threads (tests drive claimNext/execute themselves), the service, and
// a small data set of two suppliers, two clients and an MSP whose every row carries its
// organizations' names, so a test can see at a glance whose row it is.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "services/raas/raas_service.h"
#include "services/raas/run_engine.h"
#include "storage/sqlite/sqlite_store.h"

namespace keygate::testing {

namespace raas = services::raas;

// 2026-01-05 00:00:00 UTC, a Monday.
inline constexpr core::Seconds kStart = 1767571200;
inline constexpr core::Seconds kDay = 86400;

// Organization and user ids of the data set.
inline constexpr core::Id kAlpha = 1, kBravo = 2, kXray = 3, kYankee = 4, kZulu = 5;
inline constexpr core::Id kAlice = 1, kBob = 2, kCarol = 3, kDave = 4, kErin = 5, kMike = 6,
                          kYuri = 7;

inline const char* kSeedSql = R"sql(
INSERT INTO organizations (id, name, type, login_method, key_lifetime_days, api_tier, created_at) VALUES
  (1, 'Alpha Staffing', 'supplier', 'basic', 180, 'core', 0),
  (2, 'Bravo Staffing', 'supplier', 'basic', 180, 'core', 0),
  (3, 'Xray Corp', 'client', 'basic', 90, 'core', 0),
  (4, 'Yankee Corp', 'client', 'basic', 90, 'core', 0),
  (5, 'Zulu MSP', 'msp', 'basic', 90, 'core', 0);
INSERT INTO users (id, org_id, username, email, display_name, role, permissions, password_hash, created_at) VALUES
  (1, 1, 'alice', 'alice@alpha.example', 'Alice', 'supplier_user', 1, 'x', 0),
  (2, 2, 'bob', 'bob@bravo.example', 'Bob', 'supplier_user', 1, 'x', 0),
  (3, 3, 'carol', 'carol@xray.example', 'Carol', 'client_manager', 1, 'x', 0),
  (4, 3, 'dave', 'dave@xray.example', 'Dave', 'client_manager', 3, 'x', 0),
  (5, 1, 'erin', 'erin@alpha.example', 'Erin', 'supplier_user', 1, 'x', 0),
  (6, 5, 'mike', 'mike@zulu.example', 'Mike', 'msp_admin', 3, 'x', 0),
  (7, 4, 'yuri', 'yuri@yankee.example', 'Yuri', 'client_manager', 3, 'x', 0);
INSERT INTO agreements (id, supplier_org_id, client_org_id, number, status, currency, effective_from, created_at, updated_at) VALUES
  (1, 1, 3, 'AG-AX', 'active', 'USD', 0, 0, 0),
  (2, 2, 3, 'AG-BX', 'active', 'USD', 0, 0, 0),
  (3, 1, 4, 'AG-AY', 'active', 'JPY', 0, 0, 0);
INSERT INTO workers (id, supplier_org_id, external_id, first_name, last_name, email, phone, job_title, location, status, created_at, updated_at) VALUES
  (1, 1, 'A-1', 'Ann', 'O"Neil, Jr', 'ann@alpha.example', '1', 'Alpha Staffing analyst', 'Line one
Line two', 'active', 0, 0),
  (2, 1, 'A-2', 'Al', 'Pha', 'al@alpha.example', '2', 'Alpha Staffing developer', 'Austin', 'active', 0, 0),
  (3, 2, 'B-1', 'Bea', 'Bravo', 'bea@bravo.example', '3', 'Bravo Staffing developer', 'Boston', 'active', 0, 0);
INSERT INTO engagements (id, supplier_org_id, client_org_id, agreement_id, worker_id, number, title, status, start_date, rate_unit, currency, st_rate, ot_rate, dt_rate, cost_center, created_at, updated_at) VALUES
  (1, 1, 3, 1, 1, 'E-A1', 'Alpha Staffing for Xray Corp', 'active', 1767571200, 'hour', 'USD', 5000, 7500, 10000, 'CC-1', 0, 0),
  (2, 1, 3, 1, 2, 'E-A2', 'Alpha Staffing for Xray Corp', 'active', 1767571200, 'hour', 'USD', 6000, 9000, NULL, 'CC-2', 0, 0),
  (3, 2, 3, 2, 3, 'E-B1', 'Bravo Staffing for Xray Corp', 'active', 1767571200, 'hour', 'USD', 7000, NULL, NULL, 'CC-1', 0, 0),
  (4, 1, 4, 3, 1, 'E-A3', 'Alpha Staffing for Yankee Corp', 'active', 1767571200, 'hour', 'JPY', 8000, 9000, NULL, 'CC-9', 0, 0);
INSERT INTO staffing_requests (id, client_org_id, number, title, description, location, remote_type, bill_rate_min, bill_rate_max, currency, rate_unit, start_date, positions, status, created_at, updated_at) VALUES
  (1, 3, 'SR-X1', 'Xray Corp request one', 'd', 'NYC', 'onsite', 4000, 6000, 'USD', 'hour', 1767571200, 1, 'open', 0, 0),
  (2, 4, 'SR-Y1', 'Yankee Corp request', 'd', 'LA', 'remote', 4000, 6000, 'USD', 'hour', 1767571200, 1, 'open', 0, 0),
  (3, 3, 'SR-X2', 'Xray Corp request two', 'd', 'NYC', 'hybrid', 4000, 6000, 'USD', 'hour', 1767571200, 2, 'open', 0, 0);
INSERT INTO staffing_request_releases (staffing_request_id, supplier_org_id, released_at) VALUES (1, 1, 0), (2, 2, 0);
INSERT INTO candidates (id, supplier_org_id, first_name, last_name, email, location, open_to_remote, willing_to_relocate, desired_rate, currency, rate_unit, available_from, resume_text, created_at, updated_at) VALUES
  (1, 1, 'Cand', 'Alpha Staffing', 'c1@alpha.example', 'NYC', 1, 0, 5000, 'USD', 'hour', NULL, '', 0, 0),
  (2, 2, 'Cand', 'Bravo Staffing', 'c2@bravo.example', 'LA', 1, 0, 5000, 'USD', 'hour', NULL, '', 0, 0);
INSERT INTO submittals (id, supplier_org_id, client_org_id, staffing_request_id, candidate_id, status, bill_rate, submitted_at, updated_at) VALUES
  (1, 1, 3, 1, 1, 'submitted', 5500, 0, 0),
  (2, 2, 4, 2, 2, 'submitted', 5500, 0, 0);
INSERT INTO invoices (id, supplier_org_id, client_org_id, number, status, invoice_date, due_date, period_start, period_end, currency, subtotal, tax, total, line_count, created_at, updated_at) VALUES
  (1, 1, 3, 'Alpha Staffing-INV-1', 'issued', 1767571200, 1770163200, 1767571200, 1768176000, 'USD', 10000, 800, 10800, 1, 0, 0),
  (2, 2, 3, 'Bravo Staffing-INV-1', 'issued', 1767571200, 1770163200, 1767571200, 1768176000, 'USD', 20000, 0, 20000, 1, 0, 0);
INSERT INTO billing_items (id, supplier_org_id, client_org_id, engagement_id, timecard_id, invoice_id, type, status, rate_type, description, service_date, quantity, unit, rate, amount, currency, created_at, updated_at) VALUES
  (1, 1, 3, 1, NULL, 1, 'time', 'invoiced', 'ST', 'Alpha Staffing/Xray Corp time', 1767571200, 200, 'hour', 5000, 10000, 'USD', 0, 0),
  (2, 2, 3, 3, NULL, 2, 'time', 'invoiced', 'ST', 'Bravo Staffing/Xray Corp time', 1767571200, 286, 'hour', 7000, 20000, 'USD', 0, 0),
  (3, 1, 3, 2, NULL, NULL, 'expense', 'pending', NULL, 'Alpha Staffing/Xray Corp expense', 1767657600, 100, 'each', 1234, 1234, 'USD', 0, 0);
INSERT INTO invoice_lines (invoice_id, line_number, billing_item_id, engagement_id, description, quantity, rate, amount) VALUES
  (1, 1, 1, 1, 'Alpha Staffing line', 200, 5000, 10000),
  (2, 1, 2, 3, 'Bravo Staffing line', 286, 7000, 20000);
INSERT INTO candidate_insights (id, supplier_org_id, staffing_request_id, candidate_id, overall, band, recommendation, model_version, result_json, created_at) VALUES
  (1, 1, 1, 1, 81, 'strong', 'proceed', 'Alpha Staffing model', '{}', 0),
  (2, 2, 2, 2, 40, 'weak', 'do not submit', 'Bravo Staffing model', '{}', 0);
)sql";

// Two weekly timecards per engagement with three entries each (ST 8.00, ST 7.25, OT 1.50):
// 18 timecard lines for Alpha Staffing, 6 for Bravo Staffing.
inline std::string timecardSql() {
  std::string sql;
  const core::Id engagements[][3] = {{1, 1, 3}, {2, 1, 3}, {3, 2, 3}, {4, 1, 4}};  // id, sup, cli
  for (const auto& e : engagements) {
    for (int week = 1; week <= 2; ++week) {
      const core::Id id = e[0] * 10 + week;
      const core::Seconds ending = kStart + (week * 7 - 1) * kDay;
      sql +=
          "INSERT INTO timecards (id, supplier_org_id, client_org_id, engagement_id, week_ending, "
          "status, rate_unit, currency, st_rate, ot_rate, dt_rate, total_hours, total_amount, "
          "created_at, updated_at) SELECT " +
          std::to_string(id) + ", " + std::to_string(e[1]) + ", " + std::to_string(e[2]) + ", " +
          std::to_string(e[0]) + ", " + std::to_string(ending) +
          ", 'approved', 'hour', currency, st_rate, ot_rate, dt_rate, 1675, 0, 0, 0 "
          "FROM engagements WHERE id = " +
          std::to_string(e[0]) + ";\n";
      const char* types[] = {"ST", "ST", "OT"};
      const int hours[] = {800, 725, 150};
      for (int p = 1; p <= 3; ++p)
        sql +=
            "INSERT INTO timecard_entries (timecard_id, position, work_date, rate_type, hours, "
            "time_in, time_out) VALUES (" +
            std::to_string(id) + ", " + std::to_string(p) + ", " +
            std::to_string(ending - (3 - p) * kDay) + ", '" + types[p - 1] + "', " +
            std::to_string(hours[p - 1]) + ", " + (p == 1 ? "540, 1020" : "NULL, NULL") + ");\n";
    }
  }
  return sql;
}

class RaasFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("keygate-raas-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    open();
    exec(kSeedSql);
    exec(timecardSql());
    assign(kCarol, {"CC-1"});
  }

  void TearDown() override {
    close();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  virtual raas::EngineOptions engineOptions() {
    raas::EngineOptions options;
    options.results_dir = dir_ / "raas";
    options.workers = 0;
    return options;
  }
  virtual raas::ServiceOptions serviceOptions() { return {}; }

  void open() {
    storage::sqlite::SqliteStore::Options options;
    options.migrate = true;
    auto store = storage::sqlite::SqliteStore::open((dir_ / "keygate.db").string(), options);
    ASSERT_TRUE(store) << store.error().detail;
    store_ = std::move(*store);
    engine_ = std::make_unique<raas::RunEngine>(*store_, clock_, engineOptions());
    ASSERT_TRUE(engine_->recover());
    service_ = std::make_unique<raas::RaasService>(*store_, clock_, *engine_, serviceOptions());
  }

  void close() {
    service_.reset();
    engine_.reset();
    store_.reset();
  }

  // A restart: everything in memory is gone; the database and the results directory stay.
  void reopen() {
    close();
    open();
  }

  // Runs SQL on a connection of its own, as an operator's sqlite3 shell would.
  void exec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "keygate.db").c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string text = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << text;
  }

  std::int64_t scalar(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir_ / "keygate.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    std::int64_t value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
  }

  void assign(core::Id user, const std::vector<std::string>& cost_centers) {
    ASSERT_TRUE(service_->setCostCenters(user, cost_centers));
  }

  raas::Requester requester(core::Id user_id) {
    std::optional<core::User> user;
    std::optional<core::Organization> org;
    EXPECT_TRUE(store_->read([&](storage::Repositories& repos) -> core::Status {
      KG_ASSIGN_OR_RETURN(user, repos.users.findById(user_id));
      KG_ASSIGN_OR_RETURN(org, repos.organizations.findById(user->org_id));
      return core::ok();
    }));
    return raas::Requester{*user, *org};
  }

  static raas::ReportDefinition definition(const std::string& source,
                                           std::vector<std::string> columns) {
    raas::ReportDefinition d;
    d.name = "Test report";
    d.source = source;
    const auto* info = raas::findSource(source);
    for (auto& column : columns) {
      const auto* c = info ? raas::findColumn(*info, column) : nullptr;
      d.columns.push_back({column, c ? std::string(c->display_name) : column});
    }
    return d;
  }

  core::Id createReport(core::Id owner, const raas::ReportDefinition& d) {
    auto view = service_->createReport(requester(owner), d);
    EXPECT_TRUE(view) << view.error().message;
    return view ? view->record.id : 0;
  }

  core::Id request(core::Id user, core::Id report, const raas::PromptValues& prompts = {}) {
    auto requested = service_->requestRun(requester(user), report, prompts);
    EXPECT_TRUE(requested) << requested.error().message;
    return requested ? requested->run_id : 0;
  }

  // Claims and executes queued runs on this thread until the queue is empty.
  int drain() {
    int executed = 0;
    for (;;) {
      auto claimed = engine_->claimNext();
      EXPECT_TRUE(claimed);
      if (!claimed || !*claimed) return executed;
      EXPECT_TRUE(engine_->execute(**claimed));
      ++executed;
    }
  }

  raas::RunView status(core::Id user, core::Id report, core::Id run) {
    auto view = service_->runStatus(requester(user), report, run);
    EXPECT_TRUE(view) << view.error().message;
    return view ? *view : raas::RunView{};
  }

  // Every row of a completed run as JSON objects (one page of the maximum size).
  std::vector<boost::json::object> rows(core::Id user, core::Id report, core::Id run) {
    auto page = service_->readPage(requester(user), report, run, 1, 20000, raas::PageFormat::kJson);
    EXPECT_TRUE(page) << page.error().message;
    std::vector<boost::json::object> out;
    if (!page) return out;
    const auto parsed = boost::json::parse(page->body);
    for (const auto& row : parsed.as_array()) out.push_back(row.as_object());
    return out;
  }

  // Creates a report, runs it as `user` and returns its rows.
  std::vector<boost::json::object> runReport(core::Id user, const raas::ReportDefinition& d,
                                             const raas::PromptValues& prompts = {}) {
    const auto report = createReport(user, d);
    const auto run = request(user, report, prompts);
    drain();
    EXPECT_EQ(status(user, report, run).status, raas::PublicStatus::kCompleted)
        << status(user, report, run).message;
    return rows(user, report, run);
  }

  std::filesystem::path dir_;
  core::FakeClock clock_{kStart + 30 * kDay};
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  std::unique_ptr<raas::RunEngine> engine_;
  std::unique_ptr<raas::RaasService> service_;
};

inline std::string text(const boost::json::object& row, const char* key) {
  const auto* value = row.if_contains(key);
  if (value == nullptr || value->is_null()) return {};
  if (value->is_string()) return std::string(value->as_string());
  // Decimals arrive as JSON numbers with two places ("8.00"); show them that way again.
  if (value->is_double()) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.2f", value->as_double());
    return buffer;
  }
  return boost::json::serialize(*value);
}

}  // namespace keygate::testing
