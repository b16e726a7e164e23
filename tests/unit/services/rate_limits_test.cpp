// The API rate limiter: per-IP token bucket and per-organization daily quota, driven by a
// FakeClock (no sleeping), plus the tier map kept current by AccountService.
#include "services/rate_limits.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "fixture.h"

namespace keygate::services {
namespace {

constexpr core::Seconds kMidnight = 1790035200;  // 2026-09-22T00:00:00Z
constexpr core::Id kOrg = 7;

RateLimitSettings ipOnly(double rate = 1.0, int burst = 5) {
  RateLimitSettings s;
  s.per_ip_rate = rate;
  s.per_ip_burst = burst;
  return s;
}

RateLimitSettings quotaOnly(std::int64_t core_quota, std::int64_t professional = 4000) {
  RateLimitSettings s;
  s.per_ip_rate = 0;
  s.daily_quota_core = core_quota;
  s.daily_quota_professional = professional;
  return s;
}

TEST(RateLimiter, BurstThenRefusedWithRetryAfter) {
  core::FakeClock clock(kMidnight + 100);
  RateLimiter limiter(clock, ipOnly());
  limiter.setTier(kOrg, core::ApiTier::kUnlimited);
  for (int i = 0; i < 5; ++i) {
    auto d = limiter.check("198.51.100.1", kOrg);
    ASSERT_TRUE(d.allowed) << i;
    ASSERT_TRUE(d.per_ip);
    EXPECT_EQ(d.per_ip->limit, 5);
    EXPECT_EQ(d.per_ip->remaining, 4 - i);
    EXPECT_EQ(d.per_ip->reset, i + 1);  // seconds until the bucket is full again at 1/s
  }
  auto refused = limiter.check("198.51.100.1", kOrg);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.refused_by, RateLimitRefusal::kPerIp);
  EXPECT_EQ(refused.retry_after, 1);
  EXPECT_EQ(refused.per_ip->remaining, 0);
  EXPECT_EQ(refused.per_ip->reset, 5);
  // Another address has its own bucket.
  EXPECT_TRUE(limiter.check("198.51.100.2", kOrg).allowed);
}

TEST(RateLimiter, RefillsAtTheConfiguredRateUpToTheBurst) {
  core::FakeClock clock(kMidnight);
  RateLimiter limiter(clock, ipOnly(1.0, 5));
  limiter.setTier(kOrg, core::ApiTier::kUnlimited);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter.check("ip", kOrg).allowed);
  ASSERT_FALSE(limiter.check("ip", kOrg).allowed);

  clock.advance(1);
  EXPECT_TRUE(limiter.check("ip", kOrg).allowed);
  EXPECT_FALSE(limiter.check("ip", kOrg).allowed);

  clock.advance(3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.check("ip", kOrg).allowed) << i;
  EXPECT_FALSE(limiter.check("ip", kOrg).allowed);

  clock.advance(3600);  // a long pause earns the burst, not an hour of requests
  int allowed = 0;
  while (limiter.check("ip", kOrg).allowed) ++allowed;
  EXPECT_EQ(allowed, 5);
}

TEST(RateLimiter, FractionalRate) {
  core::FakeClock clock(kMidnight);
  RateLimiter limiter(clock, ipOnly(0.5, 1));
  limiter.setTier(kOrg, core::ApiTier::kUnlimited);
  EXPECT_TRUE(limiter.check("ip", kOrg).allowed);
  auto refused = limiter.check("ip", kOrg);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 2);
  clock.advance(1);
  EXPECT_FALSE(limiter.check("ip", kOrg).allowed);
  clock.advance(1);
  EXPECT_TRUE(limiter.check("ip", kOrg).allowed);
}

TEST(RateLimiter, ZeroRateDisablesThePerIpLimit) {
  core::FakeClock clock(kMidnight);
  RateLimiter limiter(clock, ipOnly(0, 5));
  limiter.setTier(kOrg, core::ApiTier::kUnlimited);
  for (int i = 0; i < 10000; ++i) {
    auto d = limiter.check("ip", kOrg);
    ASSERT_TRUE(d.allowed) << i;
    ASSERT_FALSE(d.per_ip);
    ASSERT_FALSE(d.daily);
  }
  EXPECT_EQ(limiter.trackedIps(), 0u);
}

TEST(RateLimiter, DailyQuotaByTierResetsAtMidnightUtc) {
  core::FakeClock clock(kMidnight - 10);  // 23:59:50 UTC
  RateLimiter limiter(clock, quotaOnly(3));
  limiter.setTier(kOrg, core::ApiTier::kCore);
  for (int i = 0; i < 3; ++i) {
    auto d = limiter.check("ip", kOrg);
    ASSERT_TRUE(d.allowed);
    ASSERT_TRUE(d.daily);
    EXPECT_EQ(d.daily->limit, 3);
    EXPECT_EQ(d.daily->remaining, 2 - i);
    EXPECT_EQ(d.daily->reset, 10);
    EXPECT_EQ(d.quota_resets_at, kMidnight);
  }
  auto refused = limiter.check("ip", kOrg);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.refused_by, RateLimitRefusal::kDailyQuota);
  EXPECT_EQ(refused.retry_after, 10);
  EXPECT_EQ(refused.daily->remaining, 0);

  clock.advance(9);  // 23:59:59: still the same day
  EXPECT_FALSE(limiter.check("ip", kOrg).allowed);
  clock.advance(1);  // 00:00:00: a new day
  auto next_day = limiter.check("ip", kOrg);
  EXPECT_TRUE(next_day.allowed);
  EXPECT_EQ(next_day.daily->remaining, 2);
  EXPECT_EQ(next_day.quota_resets_at, kMidnight + core::kSecondsPerDay);
  EXPECT_EQ(next_day.daily->reset, core::kSecondsPerDay);
}

TEST(RateLimiter, DefaultQuotasFollowTheApiTiers) {
  const RateLimitSettings defaults;
  EXPECT_EQ(defaults.quotaFor(core::ApiTier::kCore), core::dailyQuota(core::ApiTier::kCore));
  EXPECT_EQ(defaults.quotaFor(core::ApiTier::kProfessional),
            core::dailyQuota(core::ApiTier::kProfessional));
  EXPECT_EQ(defaults.quotaFor(core::ApiTier::kEnterprise),
            core::dailyQuota(core::ApiTier::kEnterprise));
  EXPECT_EQ(defaults.quotaFor(core::ApiTier::kCore), 500);
  EXPECT_EQ(defaults.quotaFor(core::ApiTier::kEnterprise), 10000);
  EXPECT_FALSE(defaults.quotaFor(core::ApiTier::kUnlimited));
  EXPECT_EQ(defaults.per_ip_rate, 1.0);
  EXPECT_EQ(defaults.per_ip_burst, 5);
}

TEST(RateLimiter, UnlimitedTierHasNoQuota) {
  core::FakeClock clock(kMidnight);
  RateLimiter limiter(clock, quotaOnly(1));
  limiter.setTier(kOrg, core::ApiTier::kUnlimited);
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(limiter.check("ip", kOrg).allowed) << i;
  EXPECT_FALSE(limiter.check("ip", kOrg).daily);
}

TEST(RateLimiter, OrganizationsCountSeparately) {
  core::FakeClock clock(kMidnight);
  RateLimiter limiter(clock, quotaOnly(1));
  limiter.setTier(1, core::ApiTier::kCore);
  limiter.setTier(2, core::ApiTier::kCore);
  EXPECT_TRUE(limiter.check("ip", 1).allowed);
  EXPECT_FALSE(limiter.check("ip", 1).allowed);
  EXPECT_TRUE(limiter.check("ip", 2).allowed);
}

TEST(RateLimiter, TierChangeTakesEffectOnTheNextCall) {
  core::FakeClock clock(kMidnight);
  RateLimiter limiter(clock, quotaOnly(2, 4));
  limiter.setTier(kOrg, core::ApiTier::kCore);
  EXPECT_TRUE(limiter.check("ip", kOrg).allowed);
  EXPECT_TRUE(limiter.check("ip", kOrg).allowed);
  EXPECT_FALSE(limiter.check("ip", kOrg).allowed);

  limiter.setTier(kOrg, core::ApiTier::kProfessional);  // today's count is kept
  auto upgraded = limiter.check("ip", kOrg);
  EXPECT_TRUE(upgraded.allowed);
  EXPECT_EQ(upgraded.daily->limit, 4);
  EXPECT_EQ(upgraded.daily->remaining, 1);
  EXPECT_TRUE(limiter.check("ip", kOrg).allowed);
  EXPECT_FALSE(limiter.check("ip", kOrg).allowed);

  limiter.setTier(kOrg, core::ApiTier::kUnlimited);
  EXPECT_TRUE(limiter.check("ip", kOrg).allowed);
  limiter.setTier(kOrg, core::ApiTier::kCore);  // downgrade: already over the core quota
  EXPECT_FALSE(limiter.check("ip", kOrg).allowed);
}

TEST(RateLimiter, CallRefusedPerIpDoesNotSpendTheQuota) {
  core::FakeClock clock(kMidnight);
  RateLimitSettings s = quotaOnly(3);
  s.per_ip_rate = 1;
  s.per_ip_burst = 1;
  RateLimiter limiter(clock, s);
  limiter.setTier(kOrg, core::ApiTier::kCore);
  EXPECT_TRUE(limiter.check("ip", kOrg).allowed);
  auto refused = limiter.check("ip", kOrg);
  EXPECT_EQ(refused.refused_by, RateLimitRefusal::kPerIp);
  EXPECT_EQ(refused.daily->remaining, 2);
  clock.advance(1);
  EXPECT_EQ(limiter.check("ip", kOrg).daily->remaining, 1);
}

TEST(RateLimiter, UnknownOrganizationWithoutStoreCountsAsCore) {
  core::FakeClock clock(kMidnight);
  RateLimiter limiter(clock, quotaOnly(2));
  auto d = limiter.check("ip", 999);
  ASSERT_TRUE(d.daily);
  EXPECT_EQ(d.daily->limit, 2);
}

TEST(RateLimiter, MemoryForIpBucketsIsBounded) {
  core::FakeClock clock(kMidnight);
  RateLimitSettings s = ipOnly(1, 5);
  s.max_tracked_ips = 64;
  RateLimiter limiter(clock, s);
  limiter.setTier(kOrg, core::ApiTier::kUnlimited);
  for (int i = 0; i < 20000; ++i) {
    limiter.check("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), kOrg);
    if (i % 1000 == 0) clock.advance(1);
  }
  EXPECT_LE(limiter.trackedIps(), 64u);
  EXPECT_GT(limiter.trackedIps(), 0u);
}

TEST(RateLimiter, CountsExactlyUnderConcurrentCalls) {
  core::FakeClock clock(kMidnight);
  RateLimiter limiter(clock, quotaOnly(1000));
  limiter.setTier(kOrg, core::ApiTier::kCore);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i)
        if (limiter.check("10.0.0." + std::to_string(t), kOrg).allowed) ++allowed;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 1000);
}

class RateLimiterWithStore : public testing::ServicesTest {};

TEST_F(RateLimiterWithStore, LoadsTiersAndFollowsOrganizationChanges) {
  auto acme = makeOrg("Acme", core::OrgType::kSupplier);  // core tier
  RateLimiter limiter(clock, quotaOnly(1, 3), store.get());
  ASSERT_TRUE(limiter.loadTiers());
  accounts->addOrganizationObserver(
      [&](const core::Organization& org) { limiter.setTier(org.id, org.api_tier); });

  EXPECT_EQ(limiter.check("ip", acme.id).daily->limit, 1);
  OrganizationChanges changes;
  changes.api_tier = core::ApiTier::kProfessional;
  ASSERT_TRUE(accounts->updateOrganization(acme.id, changes, std::nullopt, context));
  EXPECT_EQ(limiter.check("ip", acme.id).daily->limit, 3);

  // An organization created after start-up is known through the observer as well.
  auto later =
      accounts->createOrganization({"Later", core::OrgType::kSupplier, core::LoginMethod::kBasic,
                                    std::nullopt, core::ApiTier::kUnlimited});
  ASSERT_TRUE(later);
  EXPECT_FALSE(limiter.check("ip", later->id).daily);
}

TEST_F(RateLimiterWithStore, UnknownOrganizationIsReadOnceFromTheStore) {
  auto big =
      accounts->createOrganization({"Big", core::OrgType::kSupplier, core::LoginMethod::kBasic,
                                    std::nullopt, core::ApiTier::kEnterprise});
  ASSERT_TRUE(big);
  RateLimiter limiter(clock, RateLimitSettings{}, store.get());  // no loadTiers, no observer
  auto d = limiter.check("ip", big->id);
  ASSERT_TRUE(d.daily);
  EXPECT_EQ(d.daily->limit, 10000);
}

}  // namespace
}  // namespace keygate::services
