// Bearer tokens (DESIGN §3). A token is "kgat_" + base64url(payload ‖ MAC): the payload
// carries the credential, account, organization, scopes and validity; the MAC (HMAC-SHA256
// under the keyring's token key) makes it unforgeable, so verification needs no database read
// — only the in-memory credential status view, which makes inactivation and expiry
// effective at once.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "core/model.h"
#include "crypto/keyring.h"
#include "services/credential_status_view.h"
#include "services/event_log.h"
#include "services/settings.h"
#include "services/throttle.h"
#include "storage/repositories.h"

namespace keygate::services {

struct TokenClaims {
  core::Id credential_id = 0;
  core::Id user_id = 0;
  core::Id org_id = 0;
  std::uint32_t scopes = 0;
  core::Seconds issued_at = 0;
  core::Seconds expires_at = 0;
  // Not in the token: the key's expiry as the credential status view had it when verify()
  // accepted the token (the X-Key-Expires-At header); 0 on a token only decoded.
  core::Seconds key_expires_at = 0;
};

struct IssuedToken {
  std::string access_token;
  core::Seconds expires_in = 0;
  std::uint32_t scopes = 0;
  TokenClaims claims;
};

// The MAC-protected token codec, separated from issuance so it can be tested (and
// benchmarked) alone.
class TokenCodec {
 public:
  TokenCodec(const crypto::Keyring& keyring, core::Random& random)
      : keyring_(keyring), random_(random) {}
  std::string encode(const TokenClaims& claims) const;
  // Checks format and MAC only (constant-time); validity in time is the caller's business.
  core::Result<TokenClaims> decode(std::string_view token) const;

 private:
  const crypto::Keyring& keyring_;
  core::Random& random_;
};

class TokenService {
 public:
  TokenService(storage::Store& store, const core::Clock& clock, core::Random& random,
               const crypto::Keyring& keyring, const EventLog& events,
               CredentialStatusView& status_view, const Settings& settings);

  // Exchanges a credential for a token. Failures never say which part was wrong, and are
  // throttled per credential key and per client IP.
  core::Result<IssuedToken> issue(core::Id credential_key, std::string_view client_key,
                                  std::string_view client_secret,
                                  const core::RequestContext& context);

  // The OAuth 2.0 form: the Client Key identifies the credential (RFC 6749 client_id).
  core::Result<IssuedToken> issueForClientKey(std::string_view client_key,
                                              std::string_view client_secret,
                                              const core::RequestContext& context);

  // Verifies a bearer token: MAC, token expiry, and the credential's current status.
  core::Result<TokenClaims> verify(std::string_view token) const;

 private:
  core::Error rejected() const;
  // Shared by both entry points: `find` loads the credential the caller names.
  core::Result<IssuedToken> issueFor(
      const std::string& throttle_key, std::string_view client_key, std::string_view client_secret,
      const core::RequestContext& context,
      const std::function<core::Result<std::optional<core::Credential>>(storage::Repositories&)>&
          find);

  storage::Store& store_;
  const core::Clock& clock_;
  const crypto::Keyring& keyring_;
  const EventLog& events_;
  CredentialStatusView& status_view_;
  const Settings& settings_;
  TokenCodec codec_;
  FailureThrottle by_credential_;
  FailureThrottle by_ip_;
};

}  // namespace keygate::services
