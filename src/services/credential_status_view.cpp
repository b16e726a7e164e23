#include "services/credential_status_view.h"

#include <mutex>

namespace keygate::services {

core::Status CredentialStatusView::load(storage::Store& store) {
  boost::unordered_flat_map<core::Id, CredentialState> fresh;
  KG_TRY(store.read([&](storage::Repositories& repos) {
    return repos.credentials.forEach([&](const core::Credential& c) {
      fresh[c.id] = {c.expires_at, c.status == core::CredentialStatus::kActive};
    });
  }));
  std::unique_lock lock(mutex_);
  states_ = std::move(fresh);
  return core::ok();
}

void CredentialStatusView::put(const core::Credential& c) {
  std::unique_lock lock(mutex_);
  states_[c.id] = {c.expires_at, c.status == core::CredentialStatus::kActive};
}

std::optional<CredentialState> CredentialStatusView::find(core::Id credential_id) const {
  std::shared_lock lock(mutex_);
  auto it = states_.find(credential_id);
  if (it == states_.end()) return std::nullopt;
  return it->second;
}

bool CredentialStatusView::isUsable(core::Id credential_id, core::Seconds now) const {
  const auto state = find(credential_id);
  return state && state->usableAt(now);
}

std::size_t CredentialStatusView::size() const {
  std::shared_lock lock(mutex_);
  return states_.size();
}

}  // namespace keygate::services
