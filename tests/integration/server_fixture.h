// Runs the real application in-process: a SQLite file in a temporary directory, port 0,
// the test-controllable clock, demo organizations and users.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include "app/application.h"
#include "app/config.h"
#include "app/demo_seed.h"
#include "support/http_client.h"

namespace keygate::testing {

inline boost::json::object parseObject(const std::string& body) {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << body;
    return {};
  }
  return value.as_object();
}

inline std::string str(const boost::json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("keygate-it-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    config_.storage.data_dir = dir_.string();
    config_.server.port = 0;
    config_.security.password_cost = "minimum";
    config_.test.clock_control = true;
    config_.log.level = "warn";
    config_.limits.per_ip_rate = 0;  // tests of the limits turn them on in adjustConfig
    adjustConfig(config_);
    startApp();
  }

  void TearDown() override {
    client_.reset();
    if (app_) app_->stop();
    app_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  virtual void adjustConfig(app::Config&) {}

  void startApp() {
    auto created = app::Application::create(config_);
    ASSERT_TRUE(created) << created.error().message << " " << created.error().detail;
    app_ = std::move(*created);
    ASSERT_TRUE(app::seedDemo(app_->accounts()));
    app_->start();
    base_url_ = "http://127.0.0.1:" + std::to_string(app_->port());
    client_ = std::make_unique<HttpClient>(base_url_);
  }

  void restartApp() {
    client_.reset();
    app_->stop();
    app_.reset();
    startApp();
  }

  // Signs `client` in as a demo user and arms its CSRF token.
  boost::json::object login(HttpClient& client, const std::string& username) {
    auto r = client.postJson("/api/v1/session",
                             R"({"username":")" + username + R"(","password":"keygate-demo"})");
    EXPECT_EQ(r.status, 200) << r.body;
    auto body = parseObject(r.body);
    client.setCsrfToken(str(body, "csrfToken"));
    return body;
  }

  boost::json::object generate(HttpClient& client, const std::string& json) {
    auto r = client.postJson("/api/v1/me/keys", json);
    EXPECT_EQ(r.status, 201) << r.body;
    return parseObject(r.body);
  }

  std::string tokenBody(const boost::json::object& key) {
    return boost::json::serialize(boost::json::object{{"credentialKey", key.at("credentialKey")},
                                                      {"clientKey", key.at("clientKey")},
                                                      {"clientSecret", key.at("clientSecret")}});
  }

  std::string token(const boost::json::object& key) {
    HttpClient anonymous(base_url_);
    auto r = anonymous.postJson("/api/v1/get-api-token", tokenBody(key));
    EXPECT_EQ(r.status, 200) << r.body;
    return str(parseObject(r.body), "accessToken");
  }

  // The newest 8-digit code in the outbox.
  std::string latestOutboxCode() {
    std::filesystem::path newest;
    for (auto& entry : std::filesystem::directory_iterator(dir_ / "outbox"))
      if (newest.empty() || entry.path().filename() > newest.filename()) newest = entry.path();
    std::ifstream in(newest);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    const auto body = text.find("\r\n\r\n");  // skip the headers (Message-ID, Date)
    return firstEightDigits(body == std::string::npos ? text : text.substr(body));
  }

  static std::string firstEightDigits(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
      std::size_t j = i;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      if (j - i == 8) return text.substr(i, 8);
      i = j == i ? i + 1 : j;
    }
    return {};
  }

  // Reads the database file directly (a second connection), as an auditor would.
  std::int64_t countRows(const std::string& table) {
    sqlite3* db = nullptr;
    const auto path = (dir_ / "keygate.db").string();
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = "SELECT count(*) FROM " + table;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
    std::int64_t n = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return n;
  }

  std::filesystem::path dir_;
  app::Config config_;
  std::unique_ptr<app::Application> app_;
  std::string base_url_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace keygate::testing
