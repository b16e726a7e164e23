// Accounts and web sessions (DESIGN §1): sign-in with argon2id passwords and TOTP, session
// cookies with idle and absolute timeouts and a CSRF token, linked accounts and switching,
// TOTP enrollment, and the administrative operations used by the CLI.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/model.h"
#include "crypto/keyring.h"
#include "services/event_log.h"
#include "services/settings.h"
#include "services/throttle.h"
#include "storage/repositories.h"

namespace keygate::services {

// The signed-in person acting as one account.
struct Actor {
  core::User user;
  core::Organization org;
  core::Session session;
  // False only for a two-factor organization's account that has not enrolled TOTP yet.
  bool second_factor_ok = true;
};

struct LoginInput {
  std::string username;
  std::string password;
  std::optional<std::string> totp_code;
};

struct SignedIn {
  Actor actor;
  std::string cookie_token;  // the raw session cookie value; only its keyed hash is stored
};

struct TotpEnrollment {
  std::string secret_base32;
  std::string otpauth_uri;
};

struct LinkedAccount {
  core::User user;
  core::Organization org;
};

struct NewOrganization {
  std::string name;
  core::OrgType type = core::OrgType::kClient;
  core::LoginMethod login_method = core::LoginMethod::kBasic;
  std::optional<int> key_lifetime_days;
  core::ApiTier api_tier = core::ApiTier::kCore;
};

struct NewUser {
  core::Id org_id = 0;
  std::string username;
  std::string email;
  std::string display_name;
  core::Role role = core::Role::kSupplierUser;
  std::uint32_t permissions = core::kPermRaas;
  std::string password;
};

struct OrganizationChanges {
  std::optional<core::LoginMethod> login_method;
  std::optional<int> key_lifetime_days;
  std::optional<core::ApiTier> api_tier;
};

class AccountService {
 public:
  AccountService(storage::Store& store, const core::Clock& clock, core::Random& random,
                 const crypto::Keyring& keyring, const EventLog& events, const Settings& settings);

  core::Result<SignedIn> login(const LoginInput& input, const core::RequestContext& context);
  core::Status logout(std::string_view cookie_token, const core::RequestContext& context);
  // Resolves a session cookie, enforcing idle and absolute timeouts.
  core::Result<Actor> authenticate(std::string_view cookie_token);
  // True when `presented` equals the session's CSRF token (constant-time).
  static bool csrfMatches(const core::Session& session, std::string_view presented);
  core::Result<Actor> switchAccount(const Actor& actor, core::Id target_user_id,
                                    const core::RequestContext& context);
  core::Result<std::vector<LinkedAccount>> linkedAccounts(const core::User& user);

  core::Result<TotpEnrollment> beginTotpEnrollment(const Actor& actor);
  core::Status confirmTotpEnrollment(const Actor& actor, std::string_view code,
                                     const core::RequestContext& context);

  // Administrative operations (CLI, org admin).
  core::Result<core::Organization> createOrganization(const NewOrganization& input);
  core::Result<core::User> createUser(const NewUser& input);
  core::Status linkAccounts(core::Id first_user_id, core::Id second_user_id);
  core::Result<core::Organization> updateOrganization(core::Id org_id,
                                                      const OrganizationChanges& changes,
                                                      std::optional<core::Id> actor_user_id,
                                                      const core::RequestContext& context);
  core::Result<std::optional<core::User>> findUser(const std::string& username);
  // An account with its organization (whoami); kNotFound when either is gone.
  core::Result<LinkedAccount> accountWithOrganization(core::Id user_id);
  core::Result<std::optional<core::Organization>> findOrganization(const std::string& name);

  // Removes idle and expired sessions (called periodically).
  core::Status purgeSessions();

  // Called with an organization after a change to it commits (created, updated), so
  // in-memory views such as the rate limiter's tier map stay current without a database read
  // per API call. Register observers before serving; they run on the changing thread.
  using OrganizationObserver = std::function<void(const core::Organization&)>;
  void addOrganizationObserver(OrganizationObserver observer);

 private:
  core::Result<Actor> actorFor(const core::Session& session);
  core::Status recordLoginEvent(const std::string& type, const std::optional<core::User>& user,
                                const core::RequestContext& context, std::string_view reason);

  storage::Store& store_;
  const core::Clock& clock_;
  core::Random& random_;
  const crypto::Keyring& keyring_;
  const EventLog& events_;
  const Settings& settings_;
  FailureThrottle by_account_;
  FailureThrottle by_ip_;
  std::string dummy_password_hash_;  // verified against when the username is unknown
  std::vector<OrganizationObserver> organization_observers_;
};

// Random URL-safe text with `bytes` bytes of entropy.
std::string randomToken(core::Random& random, std::size_t bytes);

}  // namespace keygate::services
