#include "services/accounts.h"

#include <algorithm>
#include <vector>

#include "crypto/crypto.h"
#include "crypto/password.h"
#include "crypto/totp.h"

namespace keygate::services {
namespace {

constexpr std::string_view kSessionPrefix = "kgs_";
// A session's last_seen_at is written at most this often, not on every request.
constexpr core::Seconds kTouchInterval = 60;

core::Error invalidLogin() {
  return core::makeError(core::Errc::kInvalidCredentials, "The username or password is wrong.");
}

// A TOTP code is good for one sign-in: a code seen over someone's shoulder or captured in
// transit cannot be used again while it is still inside its validity window.
core::Error totpReplayed() {
  return core::makeError(core::Errc::kTotpRequired,
                         "This authenticator code was already used. Wait for the next code "
                         "(a new one appears every 30 seconds) and enter that.");
}

core::Error sessionRequired() {
  return core::makeError(core::Errc::kUnauthenticated,
                         "Sign in first; the session is missing or has expired.");
}

bool validName(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

}  // namespace

std::string randomToken(core::Random& random, std::size_t bytes) {
  std::string raw(bytes, '\0');
  random.fill(std::as_writable_bytes(std::span(raw.data(), raw.size())));
  std::string out = crypto::base64UrlEncode(raw);
  crypto::secureZero(raw);
  return out;
}

AccountService::AccountService(storage::Store& store, const core::Clock& clock,
                               core::Random& random, const crypto::Keyring& keyring,
                               const EventLog& events, const Settings& settings)
    : store_(store),
      clock_(clock),
      random_(random),
      keyring_(keyring),
      events_(events),
      settings_(settings),
      by_account_(clock, settings.login_max_failures, settings.login_window),
      by_ip_(clock, settings.login_max_failures_per_ip, settings.login_window),
      dummy_password_hash_(crypto::hashPassword(randomToken(random, 16), settings.password_cost)) {}

core::Status AccountService::recordLoginEvent(const std::string& type,
                                              const std::optional<core::User>& user,
                                              const core::RequestContext& context,
                                              std::string_view reason) {
  return store_.write([&](storage::Repositories& repos) {
    core::Event event;
    event.type = type;
    if (user) {
      event.org_id = user->org_id;
      event.actor_user_id = user->id;
    }
    event.ip = context.ip;
    event.user_agent = context.user_agent;
    EventDetails details;
    if (!reason.empty()) details.add("reason", reason);
    event.details = details.str();
    return events_.append(repos, std::move(event));
  });
}

core::Result<SignedIn> AccountService::login(const LoginInput& input,
                                             const core::RequestContext& context) {
  const std::string account_key = "user:" + input.username;
  const std::string ip_key = "ip:" + context.ip;
  auto blocked = by_ip_.blockedFor(ip_key);
  if (!blocked) blocked = by_account_.blockedFor(account_key);
  if (blocked) {
    core::Error e = core::makeError(core::Errc::kRateLimited,
                                    "Too many failed sign-in attempts. Try again later.");
    e.retry_after_seconds = *blocked;
    return e;
  }

  std::optional<core::User> user;
  std::optional<core::Organization> org;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(user, repos.users.findByUsername(input.username));
    if (user) {
      KG_ASSIGN_OR_RETURN(org, repos.organizations.findById(user->org_id));
    }
    return core::ok();
  }));

  auto fail = [&](std::string_view reason, core::Error error) -> core::Error {
    by_account_.recordFailure(account_key);
    by_ip_.recordFailure(ip_key);
    (void)recordLoginEvent("login.failed", user, context, reason);
    return error;
  };

  // Unknown usernames cost the same argon2id verification as known ones.
  const bool password_ok =
      crypto::verifyPassword(input.password, user ? user->password_hash : dummy_password_hash_);
  if (!user || !org || user->disabled || !password_ok) return fail("password", invalidLogin());

  if (org->login_method == core::LoginMethod::kSso) {
    return core::makeError(core::Errc::kSsoRequired,
                           "This organization signs in with single sign-on, which this "
                           "installation does not offer yet. Ask your administrator.");
  }

  bool totp_verified = false;
  std::optional<std::int64_t> totp_step;  // claimed below, so that the code works only once
  if (org->login_method == core::LoginMethod::kTwoFactor && user->totpEnabled()) {
    if (!input.totp_code || input.totp_code->empty()) {
      return core::makeError(core::Errc::kTotpRequired,
                             "Enter the 6-digit code from your authenticator app.");
    }
    KG_ASSIGN_OR_RETURN(auto secret, keyring_.decrypt(user->totp_secret_encrypted,
                                                      "totp:" + std::to_string(user->id)));
    totp_step = crypto::matchTotpStep(secret, *input.totp_code, clock_.now());
    crypto::secureZero(secret);
    if (!totp_step) {
      return fail("totp", core::makeError(core::Errc::kTotpRequired,
                                          "The authenticator code is wrong or has expired."));
    }
    totp_verified = true;
  }

  by_account_.reset(account_key);
  const core::Seconds now = clock_.now();
  SignedIn result;
  result.cookie_token = std::string(kSessionPrefix) + randomToken(random_, 32);
  core::Session session;
  session.id_hash = keyring_.sessionHash(result.cookie_token);
  session.user_id = user->id;
  session.login_user_id = user->id;
  session.csrf_token = randomToken(random_, 24);
  session.created_at = now;
  session.last_seen_at = now;
  session.absolute_expires_at = now + settings_.session_absolute;
  session.totp_verified = totp_verified;
  session.ip = context.ip;
  session.user_agent = context.user_agent;

  bool replayed = false;
  auto written = store_.write([&](storage::Repositories& repos) -> core::Status {
    if (totp_step) {
      KG_ASSIGN_OR_RETURN(const bool fresh, repos.users.claimTotpStep(user->id, *totp_step));
      if (!fresh) {
        replayed = true;
        return totpReplayed();
      }
    }
    KG_TRY(repos.sessions.create(session));
    core::Event event;
    event.type = "login.succeeded";
    event.org_id = user->org_id;
    event.actor_user_id = user->id;
    event.ip = context.ip;
    event.user_agent = context.user_agent;
    event.details = EventDetails().add("method", core::toString(org->login_method)).str();
    return events_.append(repos, std::move(event));
  });
  if (!written) return replayed ? fail("totp_replayed", written.error()) : written.error();
  result.actor = Actor{*user, *org, session,
                       org->login_method != core::LoginMethod::kTwoFactor || totp_verified};
  return result;
}

core::Status AccountService::logout(std::string_view cookie_token,
                                    const core::RequestContext& context) {
  const auto id_hash = keyring_.sessionHash(cookie_token);
  return store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto session, repos.sessions.find(id_hash));
    if (!session) return core::ok();
    KG_TRY(repos.sessions.remove(id_hash));
    KG_ASSIGN_OR_RETURN(auto user, repos.users.findById(session->user_id));
    core::Event event;
    event.type = "logout";
    event.actor_user_id = session->user_id;
    if (user) event.org_id = user->org_id;
    event.ip = context.ip;
    event.user_agent = context.user_agent;
    return events_.append(repos, std::move(event));
  });
}

core::Result<Actor> AccountService::actorFor(const core::Session& session) {
  std::optional<core::User> user;
  std::optional<core::Organization> org;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(user, repos.users.findById(session.user_id));
    if (user) {
      KG_ASSIGN_OR_RETURN(org, repos.organizations.findById(user->org_id));
    }
    return core::ok();
  }));
  if (!user || !org || user->disabled) return sessionRequired();
  const bool second_factor_ok =
      org->login_method != core::LoginMethod::kTwoFactor || session.totp_verified ||
      // A linked account reached by switching inherits the sign-in's verification.
      session.user_id != session.login_user_id;
  return Actor{*user, *org, session, second_factor_ok};
}

core::Result<Actor> AccountService::authenticate(std::string_view cookie_token) {
  if (!cookie_token.starts_with(kSessionPrefix)) return sessionRequired();
  const auto id_hash = keyring_.sessionHash(cookie_token);
  std::optional<core::Session> session;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(session, repos.sessions.find(id_hash));
    return core::ok();
  }));
  const core::Seconds now = clock_.now();
  if (!session) return sessionRequired();
  if (now - session->last_seen_at >= settings_.session_idle ||
      now >= session->absolute_expires_at) {
    KG_TRY(
        store_.write([&](storage::Repositories& repos) { return repos.sessions.remove(id_hash); }));
    return sessionRequired();
  }
  if (now - session->last_seen_at >= kTouchInterval) {
    session->last_seen_at = now;
    KG_TRY(store_.write(
        [&](storage::Repositories& repos) { return repos.sessions.update(*session); }));
  }
  return actorFor(*session);
}

bool AccountService::csrfMatches(const core::Session& session, std::string_view presented) {
  return !presented.empty() && crypto::constantTimeEquals(session.csrf_token, presented);
}

core::Result<std::vector<LinkedAccount>> AccountService::linkedAccounts(const core::User& user) {
  std::vector<LinkedAccount> out;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    std::vector<core::User> users;
    if (user.link_group) {
      KG_ASSIGN_OR_RETURN(users, repos.users.listLinked(*user.link_group));
    } else {
      users.push_back(user);
    }
    for (auto& u : users) {
      if (u.disabled) continue;
      KG_ASSIGN_OR_RETURN(auto org, repos.organizations.findById(u.org_id));
      if (org) out.push_back({std::move(u), std::move(*org)});
    }
    return core::ok();
  }));
  return out;
}

core::Result<Actor> AccountService::switchAccount(const Actor& actor, core::Id target_user_id,
                                                  const core::RequestContext& context) {
  // Linked accounts are looked up from the account that signed in, so switching twice
  // cannot wander outside that person's accounts.
  std::optional<core::User> login_user;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(login_user, repos.users.findById(actor.session.login_user_id));
    return core::ok();
  }));
  if (!login_user) return sessionRequired();
  KG_ASSIGN_OR_RETURN(auto linked, linkedAccounts(*login_user));
  auto it = std::find_if(linked.begin(), linked.end(),
                         [&](const LinkedAccount& a) { return a.user.id == target_user_id; });
  if (it == linked.end())
    return core::makeError(core::Errc::kNotFound, "No linked account with that id.");
  core::Session session = actor.session;
  session.user_id = target_user_id;
  session.last_seen_at = clock_.now();
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_TRY(repos.sessions.update(session));
    core::Event event;
    event.type = "account.switched";
    event.org_id = it->user.org_id;
    event.actor_user_id = session.login_user_id;
    event.ip = context.ip;
    event.user_agent = context.user_agent;
    event.details =
        EventDetails().add("fromUserId", actor.user.id).add("toUserId", target_user_id).str();
    return events_.append(repos, std::move(event));
  }));
  return actorFor(session);
}

core::Result<TotpEnrollment> AccountService::beginTotpEnrollment(const Actor& actor) {
  std::string secret = crypto::generateTotpSecret(random_);
  core::User user = actor.user;
  user.totp_pending_encrypted =
      keyring_.encrypt(secret, "totp-pending:" + std::to_string(user.id), random_);
  KG_TRY(store_.write([&](storage::Repositories& repos) { return repos.users.update(user); }));
  TotpEnrollment enrollment{crypto::base32Encode(secret),
                            crypto::otpauthUri("Keygate", user.username, secret)};
  crypto::secureZero(secret);
  return enrollment;
}

core::Status AccountService::confirmTotpEnrollment(const Actor& actor, std::string_view code,
                                                   const core::RequestContext& context) {
  if (actor.user.totp_pending_encrypted.empty())
    return core::makeError(core::Errc::kConflict, "Start the enrollment first.");
  const auto pending_ad = "totp-pending:" + std::to_string(actor.user.id);
  KG_ASSIGN_OR_RETURN(auto secret, keyring_.decrypt(actor.user.totp_pending_encrypted, pending_ad));
  const auto step = crypto::matchTotpStep(secret, code, clock_.now());
  if (!step) {
    crypto::secureZero(secret);
    return core::fieldError(core::Errc::kValidationFailed, "code",
                            "The authenticator code is wrong or has expired.");
  }
  core::User user = actor.user;
  user.totp_secret_encrypted = keyring_.encrypt(secret, "totp:" + std::to_string(user.id), random_);
  user.totp_pending_encrypted.clear();
  crypto::secureZero(secret);
  core::Session session = actor.session;
  if (session.user_id == session.login_user_id) session.totp_verified = true;
  return store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(const bool fresh, repos.users.claimTotpStep(user.id, *step));
    if (!fresh) return totpReplayed();
    KG_TRY(repos.users.update(user));
    KG_TRY(repos.sessions.update(session));
    core::Event event;
    event.type = "totp.enrolled";
    event.org_id = user.org_id;
    event.actor_user_id = user.id;
    event.ip = context.ip;
    event.user_agent = context.user_agent;
    return events_.append(repos, std::move(event));
  });
}

core::Result<core::Organization> AccountService::createOrganization(const NewOrganization& input) {
  if (!validName(input.name, 200))
    return core::fieldError(core::Errc::kValidationFailed, "name",
                            "The organization name must be 1–200 printable characters.");
  core::Organization org;
  org.name = input.name;
  org.type = input.type;
  org.login_method = input.login_method;
  org.key_lifetime_days = input.key_lifetime_days.value_or(core::defaultKeyLifetime(input.type));
  if (!core::isAllowedKeyLifetime(org.key_lifetime_days))
    return core::fieldError(core::Errc::kValidationFailed, "keyLifetimeDays",
                            "The key lifetime must be 30, 60, 90 or 180 days.");
  org.api_tier = input.api_tier;
  org.created_at = clock_.now();
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(org.id, repos.organizations.create(org));
    core::Event event;
    event.type = "organization.created";
    event.org_id = org.id;
    event.details = EventDetails()
                        .add("type", core::toString(org.type))
                        .add("loginMethod", core::toString(org.login_method))
                        .str();
    return events_.append(repos, std::move(event));
  }));
  for (const auto& observer : organization_observers_) observer(org);
  return org;
}

core::Result<core::User> AccountService::createUser(const NewUser& input) {
  if (!validName(input.username, 100))
    return core::fieldError(core::Errc::kValidationFailed, "username",
                            "The username must be 1–100 printable characters.");
  if (input.email.find('@') == std::string::npos || !validName(input.email, 254))
    return core::fieldError(core::Errc::kValidationFailed, "email",
                            "The email address is invalid.");
  if (input.password.size() < 10)
    return core::fieldError(core::Errc::kValidationFailed, "password",
                            "The password must have at least 10 characters.");
  core::User user;
  user.org_id = input.org_id;
  user.username = input.username;
  user.email = input.email;
  user.display_name = input.display_name.empty() ? input.username : input.display_name;
  user.role = input.role;
  user.permissions = input.permissions;
  user.password_hash = crypto::hashPassword(input.password, settings_.password_cost);
  user.created_at = clock_.now();
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto org, repos.organizations.findById(input.org_id));
    if (!org) return core::makeError(core::Errc::kNotFound, "No such organization.");
    KG_ASSIGN_OR_RETURN(user.id, repos.users.create(user));
    core::Event event;
    event.type = "user.created";
    event.org_id = user.org_id;
    event.details =
        EventDetails().add("userId", user.id).add("role", core::toString(user.role)).str();
    return events_.append(repos, std::move(event));
  }));
  return user;
}

core::Status AccountService::linkAccounts(core::Id first_user_id, core::Id second_user_id) {
  return store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto first, repos.users.findById(first_user_id));
    KG_ASSIGN_OR_RETURN(auto second, repos.users.findById(second_user_id));
    if (!first || !second) return core::makeError(core::Errc::kNotFound, "No such user.");
    if (first->id == second->id)
      return core::makeError(core::Errc::kValidationFailed,
                             "An account cannot be linked to itself.");
    if (first->org_id == second->org_id)
      return core::makeError(core::Errc::kValidationFailed,
                             "Linked accounts belong to different organizations.");
    // Merge the two groups into the first one's (or start one named after the first user).
    const core::Id group = first->link_group.value_or(first->id);
    std::vector<core::User> members;
    if (second->link_group) {
      KG_ASSIGN_OR_RETURN(members, repos.users.listLinked(*second->link_group));
    } else {
      members.push_back(*second);
    }
    first->link_group = group;
    KG_TRY(repos.users.update(*first));
    for (auto& member : members) {
      member.link_group = group;
      KG_TRY(repos.users.update(member));
    }
    core::Event event;
    event.type = "accounts.linked";
    event.org_id = first->org_id;
    event.details =
        EventDetails().add("firstUserId", first->id).add("secondUserId", second->id).str();
    return events_.append(repos, std::move(event));
  });
}

core::Result<core::Organization> AccountService::updateOrganization(
    core::Id org_id, const OrganizationChanges& changes, std::optional<core::Id> actor_user_id,
    const core::RequestContext& context) {
  if (changes.key_lifetime_days && !core::isAllowedKeyLifetime(*changes.key_lifetime_days))
    return core::fieldError(core::Errc::kValidationFailed, "keyLifetimeDays",
                            "The key lifetime must be 30, 60, 90 or 180 days.");
  core::Organization result;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto org, repos.organizations.findById(org_id));
    if (!org) return core::makeError(core::Errc::kNotFound, "No such organization.");
    EventDetails details;
    if (changes.login_method) {
      org->login_method = *changes.login_method;
      details.add("loginMethod", core::toString(org->login_method));
    }
    if (changes.key_lifetime_days) {
      org->key_lifetime_days = *changes.key_lifetime_days;
      details.add("keyLifetimeDays", org->key_lifetime_days);
    }
    if (changes.api_tier) {
      org->api_tier = *changes.api_tier;
      details.add("apiTier", core::toString(org->api_tier));
    }
    KG_TRY(repos.organizations.update(*org));
    core::Event event;
    event.type = "organization.updated";
    event.org_id = org->id;
    event.actor_user_id = actor_user_id;
    event.ip = context.ip;
    event.user_agent = context.user_agent;
    event.details = details.str();
    KG_TRY(events_.append(repos, std::move(event)));
    result = *org;
    return core::ok();
  }));
  for (const auto& observer : organization_observers_) observer(result);
  return result;
}

void AccountService::addOrganizationObserver(OrganizationObserver observer) {
  organization_observers_.push_back(std::move(observer));
}

core::Result<std::optional<core::User>> AccountService::findUser(const std::string& username) {
  std::optional<core::User> user;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(user, repos.users.findByUsername(username));
    return core::ok();
  }));
  return user;
}

core::Result<LinkedAccount> AccountService::accountWithOrganization(core::Id user_id) {
  std::optional<core::User> user;
  std::optional<core::Organization> org;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(user, repos.users.findById(user_id));
    if (user) {
      KG_ASSIGN_OR_RETURN(org, repos.organizations.findById(user->org_id));
    }
    return core::ok();
  }));
  if (!user || !org) return core::makeError(core::Errc::kNotFound, "No such account.");
  return LinkedAccount{std::move(*user), std::move(*org)};
}

core::Result<std::optional<core::Organization>> AccountService::findOrganization(
    const std::string& name) {
  std::optional<core::Organization> org;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(org, repos.organizations.findByName(name));
    return core::ok();
  }));
  return org;
}

core::Status AccountService::purgeSessions() {
  const core::Seconds now = clock_.now();
  return store_.write([&](storage::Repositories& repos) {
    return repos.sessions.purgeExpired(now - settings_.session_idle, now);
  });
}

}  // namespace keygate::services
