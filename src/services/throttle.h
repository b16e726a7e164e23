// Failure throttles (login, token calls): at most `max_failures` failures per key within a
// sliding `window`; past that the key is blocked until the oldest failure leaves the window.
// In memory, per node; bounded in size so an attacker cycling keys cannot exhaust memory.
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace keygate::services {

class FailureThrottle {
 public:
  FailureThrottle(const core::Clock& clock, int max_failures, core::Seconds window,
                  std::size_t max_keys = 100000);

  // Seconds until the key may try again, or nullopt when it is not blocked.
  std::optional<core::Seconds> blockedFor(const std::string& key) const;
  void recordFailure(const std::string& key);
  void reset(const std::string& key);
  std::size_t trackedKeys() const;

 private:
  void prune(std::deque<core::Seconds>& failures, core::Seconds now) const;  // mutex held

  const core::Clock& clock_;
  const int max_failures_;
  const core::Seconds window_;
  const std::size_t max_keys_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::deque<core::Seconds>> failures_;
};

}  // namespace keygate::services
