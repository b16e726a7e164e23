// In-memory view of every credential's status, so bearer tokens are verified without a
// database read (DESIGN §3.3). Loaded at start-up; every lifecycle change that affects
// validity (generate, inactivate, rotation shortening) updates it right after its
// transaction commits, so inactivation revokes tokens at once on this node.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <optional>
#include <shared_mutex>

#include "core/model.h"
#include "storage/repositories.h"

namespace keygate::services {

// Only what verifying a token needs: the token itself carries the user, organization and
// scopes under its MAC. 16 bytes, so 1,000,000 credentials stay small (docs/performance.md).
struct CredentialState {
  core::Seconds expires_at = 0;
  bool active = false;

  // Active and not expired at `now`.
  bool usableAt(core::Seconds now) const { return active && now < expires_at; }
};

class CredentialStatusView {
 public:
  core::Status load(storage::Store& store);
  void put(const core::Credential& credential);
  std::optional<CredentialState> find(core::Id credential_id) const;
  // True when the credential exists, is active and not expired at `now`.
  bool isUsable(core::Id credential_id, core::Seconds now) const;
  std::size_t size() const;

 private:
  mutable std::shared_mutex mutex_;
  // Open addressing: a lookup touches one group of slots instead of a bucket and a node, and
  // a credential costs its 40 bytes plus slack rather than a heap node (docs/performance.md).
  boost::unordered_flat_map<core::Id, CredentialState> states_;
};

}  // namespace keygate::services
