// API rate limits (DESIGN §3.5): a token bucket per client IP (default 1 request/s with a
// burst of 5; rate 0 disables it) and a daily quota per organization by API tier (core 500,
// professional 4,000, enterprise 10,000, unlimited none), reset at 00:00 UTC.
//
// It sits on every token-authenticated call, so it never touches the database on that path:
// counts live in memory, in sharded maps (one small mutex per shard, no global lock), and the
// organization → tier map is loaded at start-up and kept current by AccountService's
// organization observer. Counting is per node — the embedded, single-node design; a
// scale-out deployment divides the configured limits by its node count or moves the counters
// to shared storage (docs/rate-limits.md). Memory is bounded: idle IP buckets are evicted
// when a shard is full. Time comes from the injected clock, in whole seconds.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/error.h"
#include "core/model.h"
#include "storage/repositories.h"

namespace keygate::services {

struct RateLimitSettings {
  double per_ip_rate = 1.0;  // requests per second refilled into each IP's bucket; 0 disables
  int per_ip_burst = 5;      // bucket size: requests an idle IP may send at once
  // Calls per UTC day by tier; unlimited has no quota.
  std::int64_t daily_quota_core = 500;
  std::int64_t daily_quota_professional = 4000;
  std::int64_t daily_quota_enterprise = 10000;
  std::size_t max_tracked_ips = 100000;  // bound on IP buckets held in memory

  // The quota of a tier under these settings; nullopt for unlimited.
  std::optional<std::int64_t> quotaFor(core::ApiTier tier) const;
};

// The state of one limit after a call, in the terms of the RateLimit-* headers.
struct LimitState {
  std::int64_t limit = 0;      // the bucket size, or the daily quota
  std::int64_t remaining = 0;  // requests still allowed now
  core::Seconds reset = 0;     // seconds until the limit is fully available again
};

enum class RateLimitRefusal { kNone, kPerIp, kDailyQuota };

struct RateDecision {
  bool allowed = true;
  RateLimitRefusal refused_by = RateLimitRefusal::kNone;
  core::Seconds retry_after = 0;      // when refused: seconds until a retry can succeed
  std::optional<LimitState> per_ip;   // nullopt when the per-IP limit is disabled
  std::optional<LimitState> daily;    // nullopt for an unlimited organization
  core::Seconds quota_resets_at = 0;  // the next 00:00 UTC
};

class RateLimiter {
 public:
  // `store` (may be null) answers the tier of an organization the in-memory map does not
  // know yet — one read per organization, then cached; without a store such an
  // organization is treated as the core tier.
  RateLimiter(const core::Clock& clock, RateLimitSettings settings,
              storage::Store* store = nullptr);

  // Counts one call from `ip` for `org_id` and says whether it may proceed. A call refused
  // by the per-IP limit is not counted against the organization's quota.
  RateDecision check(std::string_view ip, core::Id org_id);

  // Loads every organization's tier (start-up).
  core::Status loadTiers();
  // Records an organization's (new) tier; takes effect on the next call.
  void setTier(core::Id org_id, core::ApiTier tier);

  const RateLimitSettings& settings() const { return settings_; }
  std::size_t trackedIps() const;

 private:
  static constexpr std::size_t kShards = 32;

  struct Bucket {
    double tokens = 0;
    core::Seconds updated_at = 0;
  };
  struct IpShard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Bucket> buckets;
  };
  struct OrgState {
    core::ApiTier tier = core::ApiTier::kCore;
    bool tier_known = false;
    std::int64_t day = 0;  // days since the epoch (UTC) the count belongs to
    std::int64_t used = 0;
  };
  struct OrgShard {
    std::mutex mutex;
    std::unordered_map<core::Id, OrgState> orgs;
  };

  // Takes a token from the IP's bucket; retry_after > 0 when there was none to take.
  LimitState takeFromBucket(std::string_view ip, core::Seconds now, core::Seconds& retry_after);
  core::ApiTier lookUpTier(core::Id org_id);
  void evictIdle(IpShard& shard, core::Seconds now);  // shard mutex held
  double refilled(const Bucket& bucket, core::Seconds now) const;

  const core::Clock& clock_;
  const RateLimitSettings settings_;
  storage::Store* store_;
  const std::size_t max_per_shard_;
  std::array<IpShard, kShards> ip_shards_;
  std::array<OrgShard, kShards> org_shards_;
};

}  // namespace keygate::services
