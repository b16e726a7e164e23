#include "services/throttle.h"

namespace keygate::services {

FailureThrottle::FailureThrottle(const core::Clock& clock, int max_failures, core::Seconds window,
                                 std::size_t max_keys)
    : clock_(clock), max_failures_(max_failures), window_(window), max_keys_(max_keys) {}

void FailureThrottle::prune(std::deque<core::Seconds>& failures, core::Seconds now) const {
  while (!failures.empty() && failures.front() + window_ <= now) failures.pop_front();
}

std::optional<core::Seconds> FailureThrottle::blockedFor(const std::string& key) const {
  const core::Seconds now = clock_.now();
  std::lock_guard lock(mutex_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  prune(it->second, now);
  if (static_cast<int>(it->second.size()) < max_failures_) return std::nullopt;
  return it->second.front() + window_ - now;
}

void FailureThrottle::recordFailure(const std::string& key) {
  const core::Seconds now = clock_.now();
  std::lock_guard lock(mutex_);
  if (failures_.size() >= max_keys_ && !failures_.contains(key)) {
    // Drop keys whose failures all left the window; if still full, forget everything rather
    // than grow without bound (the per-IP throttle still applies to the next attempts).
    for (auto it = failures_.begin(); it != failures_.end();) {
      prune(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() >= max_keys_) failures_.clear();
  }
  auto& list = failures_[key];
  prune(list, now);
  list.push_back(now);
  while (static_cast<int>(list.size()) > max_failures_) list.pop_front();
}

void FailureThrottle::reset(const std::string& key) {
  std::lock_guard lock(mutex_);
  failures_.erase(key);
}

std::size_t FailureThrottle::trackedKeys() const {
  std::lock_guard lock(mutex_);
  return failures_.size();
}

}  // namespace keygate::services
