#include "services/rate_limits.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

namespace keygate::services {
namespace {

// Whole seconds, rounded up, bounded so a tiny configured rate cannot overflow the cast.
core::Seconds ceilSeconds(double seconds) {
  constexpr double kMax = 1e12;
  if (!(seconds > 0)) return 0;
  return static_cast<core::Seconds>(std::ceil(std::min(seconds, kMax)));
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

std::optional<std::int64_t> RateLimitSettings::quotaFor(core::ApiTier tier) const {
  switch (tier) {
    case core::ApiTier::kCore:
      return daily_quota_core;
    case core::ApiTier::kProfessional:
      return daily_quota_professional;
    case core::ApiTier::kEnterprise:
      return daily_quota_enterprise;
    case core::ApiTier::kUnlimited:
      break;
  }
  return std::nullopt;
}

RateLimiter::RateLimiter(const core::Clock& clock, RateLimitSettings settings,
                         storage::Store* store)
    : clock_(clock),
      settings_(settings),
      store_(store),
      max_per_shard_(std::max<std::size_t>(1, settings.max_tracked_ips / kShards)) {}

double RateLimiter::refilled(const Bucket& bucket, core::Seconds now) const {
  // A clock stepping backwards refills nothing rather than draining the bucket.
  const double elapsed = static_cast<double>(std::max<core::Seconds>(0, now - bucket.updated_at));
  return std::min(static_cast<double>(settings_.per_ip_burst),
                  bucket.tokens + elapsed * settings_.per_ip_rate);
}

void RateLimiter::evictIdle(IpShard& shard, core::Seconds now) {
  // A full bucket behaves exactly like no bucket, so dropping those loses nothing.
  const double burst = static_cast<double>(settings_.per_ip_burst);
  std::erase_if(shard.buckets,
                [&](const auto& entry) { return refilled(entry.second, now) >= burst; });
  if (shard.buckets.size() < max_per_shard_) return;
  // Still full (many addresses active at once): drop the least recently seen eighth. Those
  // addresses start again with a full bucket, which errs towards serving them.
  std::vector<core::Seconds> seen;
  seen.reserve(shard.buckets.size());
  for (const auto& entry : shard.buckets) seen.push_back(entry.second.updated_at);
  const auto cut = seen.begin() + static_cast<std::ptrdiff_t>(seen.size() / 8);
  std::nth_element(seen.begin(), cut, seen.end());
  const core::Seconds oldest_kept = *cut;
  std::erase_if(shard.buckets,
                [&](const auto& entry) { return entry.second.updated_at <= oldest_kept; });
}

LimitState RateLimiter::takeFromBucket(std::string_view ip, core::Seconds now,
                                       core::Seconds& retry_after) {
  const std::size_t hash = std::hash<std::string_view>{}(ip);
  IpShard& shard = ip_shards_[hash % kShards];
  const double burst = static_cast<double>(settings_.per_ip_burst);
  const double rate = settings_.per_ip_rate;

  std::lock_guard lock(shard.mutex);
  std::string key(ip);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= max_per_shard_) evictIdle(shard, now);
    it = shard.buckets.emplace(std::move(key), Bucket{burst, now}).first;
  }
  Bucket& bucket = it->second;
  bucket.tokens = refilled(bucket, now);
  bucket.updated_at = now;

  LimitState state;
  state.limit = settings_.per_ip_burst;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    retry_after = 0;
  } else {
    retry_after = std::max<core::Seconds>(1, ceilSeconds((1.0 - bucket.tokens) / rate));
  }
  state.remaining = static_cast<std::int64_t>(std::floor(bucket.tokens));
  state.reset = ceilSeconds((burst - bucket.tokens) / rate);
  return state;
}

core::ApiTier RateLimiter::lookUpTier(core::Id org_id) {
  if (store_ == nullptr) return core::ApiTier::kCore;
  std::optional<core::Organization> org;
  auto read = store_->read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(org, repos.organizations.findById(org_id));
    return core::ok();
  });
  // Unknown or unreadable: the strictest paid tier, not cached, so the next call asks again.
  if (!read || !org) return core::ApiTier::kCore;
  setTier(org_id, org->api_tier);
  return org->api_tier;
}

RateDecision RateLimiter::check(std::string_view ip, core::Id org_id) {
  const core::Seconds now = clock_.now();
  const std::int64_t day = floorDiv(now, core::kSecondsPerDay);
  RateDecision decision;
  decision.quota_resets_at = (day + 1) * core::kSecondsPerDay;

  if (settings_.per_ip_rate > 0) {
    core::Seconds retry_after = 0;
    decision.per_ip = takeFromBucket(ip, now, retry_after);
    if (retry_after > 0) {
      decision.allowed = false;
      decision.refused_by = RateLimitRefusal::kPerIp;
      decision.retry_after = retry_after;
    }
  }

  OrgShard& shard = org_shards_[std::hash<core::Id>{}(org_id) % kShards];
  std::unique_lock lock(shard.mutex);
  OrgState* state = &shard.orgs[org_id];  // entries are never erased: the pointer stays valid
  if (!state->tier_known) {
    lock.unlock();  // no lock held across the (one-time) database read
    const core::ApiTier tier = lookUpTier(org_id);
    lock.lock();
    state = &shard.orgs[org_id];
    if (!state->tier_known) state->tier = tier;
  }
  const auto quota = settings_.quotaFor(state->tier);
  if (!quota) return decision;

  if (state->day != day) {
    state->day = day;
    state->used = 0;
  }
  if (decision.allowed) {
    if (state->used >= *quota) {
      decision.allowed = false;
      decision.refused_by = RateLimitRefusal::kDailyQuota;
      decision.retry_after = decision.quota_resets_at - now;
    } else {
      ++state->used;
    }
  }
  decision.daily = LimitState{*quota, std::max<std::int64_t>(0, *quota - state->used),
                              decision.quota_resets_at - now};
  return decision;
}

core::Status RateLimiter::loadTiers() {
  if (store_ == nullptr) return core::ok();
  std::vector<core::Organization> orgs;
  KG_TRY(store_->read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(orgs, repos.organizations.list());
    return core::ok();
  }));
  for (const auto& org : orgs) setTier(org.id, org.api_tier);
  return core::ok();
}

void RateLimiter::setTier(core::Id org_id, core::ApiTier tier) {
  OrgShard& shard = org_shards_[std::hash<core::Id>{}(org_id) % kShards];
  std::lock_guard lock(shard.mutex);
  OrgState& state = shard.orgs[org_id];
  state.tier = tier;
  state.tier_known = true;
}

std::size_t RateLimiter::trackedIps() const {
  std::size_t total = 0;
  for (const auto& shard : ip_shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.buckets.size();
  }
  return total;
}

}  // namespace keygate::services
