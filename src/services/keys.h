// The user API key lifecycle (DESIGN §2): generate, list, rename, inactivate, expiry
// bookkeeping, rotation overlap, and seeing the secret again with View — by an emailed
// 8-digit code in basic-auth organizations, directly otherwise. Every step is recorded in the
// event log; every mutation is one transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/model.h"
#include "crypto/keyring.h"
#include "mail/mailer.h"
#include "services/accounts.h"
#include "services/credential_status_view.h"
#include "services/event_log.h"
#include "services/settings.h"
#include "storage/repositories.h"

namespace keygate::services {

enum class KeyStatus { kActive, kInactive, kExpired };
std::string_view toString(KeyStatus status);

struct KeyView {
  core::Credential credential;
  KeyStatus status = KeyStatus::kActive;
  std::string owner_username;       // filled for organization listings
  std::string inactivated_by_name;  // who inactivated it, when known
};

struct KeyLists {
  std::vector<KeyView> active;  // "Your Credentials"
  std::vector<KeyView> audit;   // "Audit Log": inactive and expired, newest first
};

struct GenerateInput {
  std::string name;
  std::optional<core::Seconds> expires_on;  // a day (00:00 UTC); nullopt = the latest allowed
  std::vector<std::string> scopes;          // names; "raas" is always added
};

struct GeneratedKey {
  core::Credential credential;
  std::string client_secret;        // shown once at generation
  std::vector<core::Id> shortened;  // older keys whose expiry rotation moved earlier
};

struct RevealedKey {
  core::Credential credential;
  std::string client_secret;
};

struct ViewCodeSent {
  core::Seconds expires_at = 0;
  int tries_left = 0;
  core::Seconds resend_after = 0;  // the earliest time another code may be requested
  std::string sent_to;             // the masked address
};

struct KeyPatch {
  std::optional<std::string> name;
  bool touches_expiry = false;        // any attempt to set, remove or extend the expiry
  std::optional<std::string> status;  // "inactive" inactivates; anything else is rejected
};

class KeyService {
 public:
  KeyService(storage::Store& store, const core::Clock& clock, core::Random& random,
             const crypto::Keyring& keyring, mail::Mailer& mailer, const EventLog& events,
             CredentialStatusView& status_view, const Settings& settings);

  core::Result<GeneratedKey> generate(const Actor& actor, const GenerateInput& input,
                                      const core::RequestContext& context);
  core::Result<KeyLists> listOwn(const Actor& actor);
  // Every key of the actor's organization (org admins only).
  core::Result<std::vector<KeyView>> listOrganization(const Actor& actor);
  core::Result<KeyView> get(const Actor& actor, core::Id credential_id);
  core::Result<KeyView> update(const Actor& actor, core::Id credential_id, const KeyPatch& patch,
                               const core::RequestContext& context);
  // Owner or org admin of the key's organization. Irreversible.
  core::Result<KeyView> inactivate(const Actor& actor, core::Id credential_id,
                                   const core::RequestContext& context);

  // Basic-auth organizations: emails a fresh 8-digit code (the previous one stops working).
  core::Result<ViewCodeSent> requestViewCode(const Actor& actor, core::Id credential_id,
                                             const core::RequestContext& context);
  // Returns the three parts. Basic-auth organizations must present the newest code.
  core::Result<RevealedKey> reveal(const Actor& actor, core::Id credential_id,
                                   std::optional<std::string> code,
                                   const core::RequestContext& context);

  // Writes a key.expired event for every key whose expiry passed (idempotent).
  core::Result<int> recordExpirations();

  struct ReminderRun {
    int sent = 0;
    int failed = 0;  // mail could not be sent; retried on the next run
  };
  // Emails the owner of every active key that crossed a reminder threshold (14, 7 and 1 days
  // before expiry by default) since the last run; each threshold is mailed once per key.
  core::Result<ReminderRun> sendExpiryReminders();

  core::Result<std::vector<KeyView>> listForUser(core::Id user_id);                          // CLI
  core::Result<KeyView> adminInactivate(core::Id credential_id, const std::string& reason);  // CLI

 private:
  KeyStatus statusOf(const core::Credential& c) const;
  core::Result<core::Credential> loadOwnOrAdmin(const Actor& actor, core::Id credential_id,
                                                bool allow_admin);
  core::Status requireKeyHolder(const Actor& actor) const;
  core::Status inactivateIn(storage::Repositories& repos, core::Credential& credential,
                            std::optional<core::Id> actor_user_id,
                            const core::RequestContext& context, std::string_view reason);
  std::string viewCodeHash(core::Id credential_id, std::string_view code) const;

  storage::Store& store_;
  const core::Clock& clock_;
  core::Random& random_;
  const crypto::Keyring& keyring_;
  mail::Mailer& mailer_;
  const EventLog& events_;
  CredentialStatusView& status_view_;
  const Settings& settings_;
};

// "jane.doe@example.com" → "j•••e@example.com".
std::string maskEmail(std::string_view email);

}  // namespace keygate::services
