// The in-process server with the Supplier API demo data seeded, the per-IP rate limit off (the
// tests make many calls from one address), and helpers for Supplier API calls: keys generated
// for demo accounts with chosen scopes, bearer calls, paging through lists, and reading the
// database file directly as the ground truth of what exists and what was written.
#pragma once

#include <sqlite3.h>

#include <set>

#include "server_fixture.h"

namespace keygate::testing {

inline const std::vector<std::string> kAllSupplierScopes = {"engagements:read", "billing:read",
                                                            "workers:write", "timecards:write",
                                                            "candidate-insights:read"};

class SupplierServerTest : public ServerTest {
 protected:
  void adjustConfig(app::Config& config) override { config.limits.per_ip_rate = 0; }

  void SetUp() override {
    ServerTest::SetUp();
    auto seeded = app::seedSupplierDemo(app_->store(), app_->clock());
    ASSERT_TRUE(seeded) << seeded.error().message << " " << seeded.error().detail;
    ASSERT_TRUE(seeded->created);
  }

  // A token of a new key of `username` with the given scopes (generated in-process, so any
  // demo account works whatever its login method).
  std::string keyToken(const std::string& username, const std::vector<std::string>& scopes) {
    auto user = app_->accounts().findUser(username);
    EXPECT_TRUE(user && *user);
    auto org = app_->accounts().findOrganization(organizationOf(**user));
    EXPECT_TRUE(org && *org);
    services::Actor actor{**user, **org, {}, true};
    services::GenerateInput input;
    input.name = "supplier test";
    input.scopes = scopes;
    auto key = app_->keys().generate(actor, input, {"127.0.0.1", "test", "t"});
    EXPECT_TRUE(key) << (key ? "" : key.error().message);
    boost::json::object k{{"credentialKey", key->credential.id},
                          {"clientKey", key->credential.client_key},
                          {"clientSecret", key->client_secret}};
    return token(k);
  }

  std::string organizationOf(const core::User& user) {
    std::string name;
    EXPECT_TRUE(app_->store().read([&](storage::Repositories& r) -> core::Status {
      KG_ASSIGN_OR_RETURN(auto org, r.organizations.findById(user.org_id));
      if (org) name = org->name;
      return core::ok();
    }));
    return name;
  }

  HttpResponse call(const std::string& token, const std::string& method, const std::string& path,
                    const std::string& body = {},
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
    headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) {
      bool has_type = false;
      for (auto& [k, v] : headers) has_type = has_type || k == "Content-Type";
      if (!has_type) headers.emplace_back("Content-Type", "application/json");
    }
    return client_->request(method, path, body, headers);
  }

  boost::json::object getJson(const std::string& token, const std::string& path,
                              long expected = 200) {
    auto r = call(token, "GET", path);
    EXPECT_EQ(r.status, expected) << path << " " << r.body;
    return parseObject(r.body);
  }

  // Every record of a list, following `next` links (which must be absolute URLs of this
  // server).
  std::vector<boost::json::object> all(const std::string& token, std::string path) {
    std::vector<boost::json::object> out;
    for (int guard = 0; guard < 1000 && !path.empty(); ++guard) {
      auto page = getJson(token, path);
      for (auto& item : page.at("data").as_array()) out.push_back(item.as_object());
      const auto& next = page.at("next");
      if (next.is_null()) break;
      const std::string url(next.as_string());
      EXPECT_EQ(url.rfind(base_url_, 0), 0u) << url;
      path = url.substr(base_url_.size());
    }
    return out;
  }

  // The ground truth, read from the database file.
  std::vector<std::int64_t> idsWhere(const std::string& sql) {
    sqlite3* db = nullptr;
    const auto path = (dir_ / "keygate.db").string();
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    std::vector<std::int64_t> ids;
    while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW)
      ids.push_back(sqlite3_column_int64(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return ids;
  }

  std::int64_t orgId(const std::string& name) {
    auto ids = idsWhere("SELECT id FROM organizations WHERE name = '" + name + "'");
    return ids.empty() ? 0 : ids.front();
  }

  // Rows of every table the Supplier API writes: a failed call must leave it unchanged.
  std::string supplierWrites() {
    std::string out;
    for (const char* table : {"workers", "timecards", "timecard_entries", "billing_items",
                              "candidate_insights", "invoices"})
      out += std::string(table) + "=" + std::to_string(countRows(table)) + " ";
    for (auto id : idsWhere("SELECT sum(updated_at) + count(*) FROM workers"))
      out += std::to_string(id);
    for (auto id : idsWhere("SELECT sum(updated_at) FROM timecards"))
      out += "/" + std::to_string(id);
    return out;
  }

  static std::string id(const boost::json::object& o) {
    return std::to_string(o.at("id").as_int64());
  }
};

}  // namespace keygate::testing
