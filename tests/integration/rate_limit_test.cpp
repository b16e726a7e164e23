// API rate limits over HTTP (DESIGN §3.5): the per-IP bucket and the per-organization daily
// quota answer 429 problem+json with Retry-After and RateLimit-* headers; successful calls
// carry the limit state, the remaining daily quota and the key's expiry; the quota resets at
// 00:00 UTC (reached by moving the server's test clock, never by sleeping).
#include <string>

#include "core/key_rules.h"
#include "server_fixture.h"

namespace keygate::testing {
namespace {

std::string header(const HttpResponse& r, const std::string& name) {
  return std::string(r.header(name));
}

class RateLimitTest : public ServerTest {
 protected:
  // A fresh token for a new key of `username`'s account.
  std::string freshToken(const std::string& username) {
    HttpClient browser(base_url_);
    login(browser, username);
    key_ = generate(browser, R"({"name":"rate limit test"})");
    return token(key_);
  }

  HttpResponse whoami(const std::string& access_token) {
    return client_->get("/api/v1/whoami", {{"Authorization", "Bearer " + access_token}});
  }

  // Moves the server clock; returns the server's new time.
  std::int64_t advanceClock(std::int64_t seconds) {
    auto r = client_->postJson("/api/v1/test/clock",
                               "{\"advanceSeconds\":" + std::to_string(seconds) + "}");
    EXPECT_EQ(r.status, 200) << r.body;
    return parseObject(r.body).at("now").as_int64();
  }

  boost::json::object key_;
};

class PerIpLimitTest : public RateLimitTest {
 protected:
  void adjustConfig(app::Config& config) override {
    // One token per 1,000 s: the bucket cannot refill while the test runs.
    config.limits.per_ip_rate = 0.001;
    config.limits.per_ip_burst = 3;
  }
};

TEST_F(PerIpLimitTest, BurstThenTooManyRequestsWithHeaders) {
  const auto access_token = freshToken("sam.supplier");  // Acme Staffing: professional tier
  for (int i = 0; i < 3; ++i) {
    auto r = whoami(access_token);
    ASSERT_EQ(r.status, 200) << r.body;
    // The per-IP bucket is closer to exhaustion than the 4,000-call quota, so it is shown.
    EXPECT_EQ(header(r, "RateLimit-Limit"), "3");
    EXPECT_EQ(header(r, "RateLimit-Remaining"), std::to_string(2 - i));
    EXPECT_FALSE(header(r, "RateLimit-Reset").empty());
    EXPECT_EQ(header(r, "X-Daily-Quota-Limit"), "4000");
    EXPECT_EQ(header(r, "X-Daily-Quota-Remaining"), std::to_string(3999 - i));
    EXPECT_EQ(header(r, "X-Key-Expires-At"), str(key_, "expiresAt"));
  }

  auto refused = whoami(access_token);
  ASSERT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(header(refused, "Content-Type"), "application/problem+json");
  auto problem = parseObject(refused.body);
  EXPECT_EQ(str(problem, "code"), "rate_limited");
  EXPECT_EQ(problem.at("status").as_int64(), 429);
  const long retry_after = std::stol(header(refused, "Retry-After"));
  EXPECT_GT(retry_after, 900);  // (1 token − what trickled in) / 0.001 per second
  EXPECT_LE(retry_after, 1000);
  EXPECT_EQ(header(refused, "RateLimit-Limit"), "3");
  EXPECT_EQ(header(refused, "RateLimit-Remaining"), "0");
  EXPECT_GE(std::stol(header(refused, "RateLimit-Reset")), retry_after);
  EXPECT_EQ(header(refused, "X-Daily-Quota-Remaining"), "3997");  // refused calls not counted
  EXPECT_EQ(header(refused, "X-Key-Expires-At"), str(key_, "expiresAt"));

  // Token issuance, health checks and unauthenticated calls are not rate-limited.
  HttpClient other(base_url_);
  EXPECT_EQ(other.postJson("/api/v1/get-api-token", tokenBody(key_)).status, 200);
  EXPECT_EQ(other.get("/healthz").status, 200);
  auto anonymous = other.get("/api/v1/whoami");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_TRUE(header(anonymous, "RateLimit-Limit").empty());
}

class DailyQuotaTest : public RateLimitTest {
 protected:
  void adjustConfig(app::Config& config) override {
    config.limits.per_ip_rate = 0;  // as in benchmarks: only the quota applies
    config.limits.daily_quota_professional = 3;
  }
};

TEST_F(DailyQuotaTest, ExhaustedThenResetAtMidnightUtc) {
  // Keep clear of midnight so the real clock cannot cross it during the test.
  std::int64_t now = advanceClock(0);
  if (now % core::kSecondsPerDay > core::kSecondsPerDay - 600) now = advanceClock(1200);
  const std::int64_t next_midnight = (now / core::kSecondsPerDay + 1) * core::kSecondsPerDay;

  auto access_token = freshToken("sam.supplier");  // professional, quota 3 here
  for (int i = 0; i < 3; ++i) {
    auto r = whoami(access_token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(header(r, "RateLimit-Limit"), "3");
    EXPECT_EQ(header(r, "RateLimit-Remaining"), std::to_string(2 - i));
    EXPECT_EQ(header(r, "X-Daily-Quota-Remaining"), std::to_string(2 - i));
    EXPECT_EQ(header(r, "X-Daily-Quota-Reset"), core::formatDateTime(next_midnight));
  }
  auto refused = whoami(access_token);
  ASSERT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(str(parseObject(refused.body), "code"), "rate_limited");
  EXPECT_EQ(header(refused, "RateLimit-Remaining"), "0");
  EXPECT_EQ(header(refused, "Retry-After"), header(refused, "RateLimit-Reset"));
  const long retry_after = std::stol(header(refused, "Retry-After"));
  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, next_midnight - now);

  // Another organization's quota is its own.
  auto bench = freshToken("bench.unlimited");
  auto unlimited = whoami(bench);
  EXPECT_EQ(unlimited.status, 200);
  EXPECT_EQ(header(unlimited, "X-Daily-Quota-Remaining"), "unlimited");
  EXPECT_TRUE(header(unlimited, "RateLimit-Limit").empty());  // nothing to exhaust

  // 00:00 UTC: a new day, a new quota (and a new token: the old one expired on the way).
  advanceClock(next_midnight - advanceClock(0));
  access_token = freshToken("sam.supplier");
  auto next_day = whoami(access_token);
  ASSERT_EQ(next_day.status, 200) << next_day.body;
  EXPECT_EQ(header(next_day, "X-Daily-Quota-Remaining"), "2");
  EXPECT_EQ(header(next_day, "X-Daily-Quota-Reset"),
            core::formatDateTime(next_midnight + core::kSecondsPerDay));
}

TEST_F(DailyQuotaTest, TierChangeTakesEffectWithoutRestart) {
  auto access_token = freshToken("sam.supplier");
  for (int i = 0; i < 3; ++i) ASSERT_EQ(whoami(access_token).status, 200);
  ASSERT_EQ(whoami(access_token).status, 429);

  auto acme = app_->accounts().findOrganization("Acme Staffing");
  ASSERT_TRUE(acme && *acme);
  services::OrganizationChanges changes;
  changes.api_tier = core::ApiTier::kEnterprise;
  ASSERT_TRUE(app_->accounts().updateOrganization((*acme)->id, changes, std::nullopt, {}));
  auto upgraded = whoami(access_token);
  ASSERT_EQ(upgraded.status, 200) << upgraded.body;
  EXPECT_EQ(header(upgraded, "X-Daily-Quota-Limit"), "10000");
  EXPECT_EQ(header(upgraded, "X-Daily-Quota-Remaining"), "9996");
}

}  // namespace
}  // namespace keygate::testing
