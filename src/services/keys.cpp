#include "services/keys.h"

#include <algorithm>
#include <cstdio>

#include "core/credential_format.h"
#include "core/key_rules.h"
#include "core/scopes.h"
#include "crypto/crypto.h"

namespace keygate::services {
namespace {

core::Error keyNotFound() {
  return core::makeError(core::Errc::kNotFound, "No API key with that Credential Key.");
}

std::string trim(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

core::Result<std::string> validKeyName(std::string_view raw) {
  std::string name = trim(raw);
  const bool has_control = std::any_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (name.empty() || name.size() > 100 || has_control)
    return core::fieldError(core::Errc::kValidationFailed, "name",
                            "The name must be 1–100 characters without control characters.");
  return name;
}

bool isEightDigits(std::string_view code) {
  return code.size() == 8 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

core::Event eventFor(std::string type, const core::Credential& c,
                     std::optional<core::Id> actor_user_id, const core::RequestContext& context) {
  core::Event event;
  event.type = std::move(type);
  event.org_id = c.org_id;
  event.actor_user_id = actor_user_id;
  event.credential_id = c.id;
  event.ip = context.ip;
  event.user_agent = context.user_agent;
  return event;
}

}  // namespace

std::string_view toString(KeyStatus status) {
  switch (status) {
    case KeyStatus::kActive:
      return "active";
    case KeyStatus::kInactive:
      return "inactive";
    case KeyStatus::kExpired:
      return "expired";
  }
  return "active";
}

std::string maskEmail(std::string_view email) {
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0) return "•••";
  const auto local = email.substr(0, at);
  std::string out(1, local.front());
  out += "•••";
  if (local.size() > 2) out += local.back();
  out += email.substr(at);
  return out;
}

KeyService::KeyService(storage::Store& store, const core::Clock& clock, core::Random& random,
                       const crypto::Keyring& keyring, mail::Mailer& mailer, const EventLog& events,
                       CredentialStatusView& status_view, const Settings& settings)
    : store_(store),
      clock_(clock),
      random_(random),
      keyring_(keyring),
      mailer_(mailer),
      events_(events),
      status_view_(status_view),
      settings_(settings) {}

KeyStatus KeyService::statusOf(const core::Credential& c) const {
  if (c.status == core::CredentialStatus::kInactive) return KeyStatus::kInactive;
  return c.isExpired(clock_.now()) ? KeyStatus::kExpired : KeyStatus::kActive;
}

core::Status KeyService::requireKeyHolder(const Actor& actor) const {
  if (!actor.user.hasPermission(core::kPermRaas))
    return core::makeError(core::Errc::kPermissionDenied,
                           "Your account does not have the raas permission needed to hold API "
                           "keys. Ask your organization's administrator.");
  if (!actor.second_factor_ok)
    return core::makeError(core::Errc::kTotpEnrollmentRequired,
                           "Your organization requires two-factor sign-in: enroll an "
                           "authenticator app under Security first.");
  return core::ok();
}

std::string KeyService::viewCodeHash(core::Id credential_id, std::string_view code) const {
  return keyring_.codeHash("viewcode:v1:" + std::to_string(credential_id) + ":" +
                           std::string(code));
}

core::Result<GeneratedKey> KeyService::generate(const Actor& actor, const GenerateInput& input,
                                                const core::RequestContext& context) {
  KG_TRY(requireKeyHolder(actor));
  KG_ASSIGN_OR_RETURN(auto name, validKeyName(input.name));
  std::uint32_t scopes = core::kScopeRaas;
  for (const auto& scope_name : input.scopes) {
    auto scope = core::parseScope(scope_name);
    if (!scope)
      return core::fieldError(core::Errc::kValidationFailed, "scopes",
                              "Unknown scope '" + scope_name + "'.");
    if (!core::scopeAllowedFor(actor.org.type, *scope))
      return core::fieldError(
          core::Errc::kValidationFailed, "scopes",
          "The scope '" + scope_name + "' is only available to supplier organizations.");
    scopes |= *scope;
  }
  const core::Seconds now = clock_.now();
  KG_ASSIGN_OR_RETURN(auto expires_at,
                      core::resolveExpiry(input.expires_on, now, actor.org.key_lifetime_days));

  GeneratedKey result;
  core::Credential& c = result.credential;
  c.user_id = actor.user.id;
  c.org_id = actor.org.id;
  c.name = name;
  c.client_key = core::generateClientKey(random_);
  result.client_secret = core::generateClientSecret(random_);
  c.secret_hash = keyring_.hashSecret(result.client_secret);
  c.secret_encrypted =
      keyring_.encrypt(result.client_secret, "credential:" + c.client_key, random_);
  c.scopes = scopes;
  c.created_at = now;
  c.expires_at = expires_at;
  c.status = core::CredentialStatus::kActive;

  std::vector<core::Credential> shortened;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    shortened.clear();
    KG_ASSIGN_OR_RETURN(c.id, repos.credentials.create(c));
    KG_ASSIGN_OR_RETURN(auto existing, repos.credentials.listByUser(actor.user.id));
    for (auto& older : existing) {
      if (older.id == c.id || !older.isUsable(now)) continue;
      auto new_expiry = core::shortenedExpiry(older.expires_at, now);
      if (!new_expiry) continue;
      auto event = eventFor("key.shortened", older, actor.user.id, context);
      event.details = EventDetails()
                          .add("previousExpiresAt", core::formatDateTime(older.expires_at))
                          .add("expiresAt", core::formatDateTime(*new_expiry))
                          .add("byCredentialId", c.id)
                          .str();
      older.expires_at = *new_expiry;
      older.shortened_at = now;
      KG_TRY(repos.credentials.update(older));
      KG_TRY(events_.append(repos, std::move(event)));
      shortened.push_back(older);
    }
    auto event = eventFor("key.generated", c, actor.user.id, context);
    event.details = EventDetails()
                        .add("name", c.name)
                        .add("scopes", core::scopeString(c.scopes))
                        .add("expiresAt", core::formatDateTime(c.expires_at))
                        .str();
    return events_.append(repos, std::move(event));
  }));
  status_view_.put(c);
  for (const auto& older : shortened) {
    status_view_.put(older);
    result.shortened.push_back(older.id);
  }
  return result;
}

core::Result<KeyLists> KeyService::listOwn(const Actor& actor) {
  std::vector<core::Credential> all;
  std::vector<core::User> org_users;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(all, repos.credentials.listByUser(actor.user.id));
    KG_ASSIGN_OR_RETURN(org_users, repos.users.listByOrg(actor.org.id));
    return core::ok();
  }));
  auto name_of = [&](std::optional<core::Id> id) -> std::string {
    if (!id) return {};
    for (const auto& u : org_users)
      if (u.id == *id) return u.display_name;
    return "administrator";
  };
  KeyLists lists;
  for (auto& c : all) {
    KeyView view{c, statusOf(c), actor.user.username, name_of(c.inactivated_by)};
    (view.status == KeyStatus::kActive ? lists.active : lists.audit).push_back(std::move(view));
  }
  std::sort(lists.active.begin(), lists.active.end(), [](const auto& a, const auto& b) {
    return a.credential.created_at != b.credential.created_at
               ? a.credential.created_at > b.credential.created_at
               : a.credential.id > b.credential.id;
  });
  auto ended_at = [](const KeyView& v) {
    return v.credential.inactivated_at.value_or(v.credential.expires_at);
  };
  std::sort(lists.audit.begin(), lists.audit.end(),
            [&](const auto& a, const auto& b) { return ended_at(a) > ended_at(b); });
  return lists;
}

core::Result<std::vector<KeyView>> KeyService::listOrganization(const Actor& actor) {
  if (actor.user.role != core::Role::kOrgAdmin)
    return core::makeError(core::Errc::kPermissionDenied,
                           "Only organization administrators see every key of the organization.");
  std::vector<core::Credential> all;
  std::vector<core::User> users;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(all, repos.credentials.listByOrg(actor.org.id));
    KG_ASSIGN_OR_RETURN(users, repos.users.listByOrg(actor.org.id));
    return core::ok();
  }));
  auto user_name = [&](std::optional<core::Id> id) -> std::string {
    if (!id) return {};
    for (const auto& u : users)
      if (u.id == *id) return u.username;
    return {};
  };
  std::vector<KeyView> out;
  for (auto& c : all) {
    KeyView view{c, statusOf(c), user_name(c.user_id), user_name(c.inactivated_by)};
    out.push_back(std::move(view));
  }
  return out;
}

core::Result<core::Credential> KeyService::loadOwnOrAdmin(const Actor& actor,
                                                          core::Id credential_id,
                                                          bool allow_admin) {
  std::optional<core::Credential> c;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(c, repos.credentials.findById(credential_id));
    return core::ok();
  }));
  // Keys of other accounts (linked ones included) and other organizations do not exist for
  // this actor: 404, not 403, so ids cannot be probed.
  if (!c || c->org_id != actor.org.id) return keyNotFound();
  const bool owner = c->user_id == actor.user.id;
  const bool admin = allow_admin && actor.user.role == core::Role::kOrgAdmin;
  if (!owner && !admin) return keyNotFound();
  return *c;
}

core::Result<KeyView> KeyService::get(const Actor& actor, core::Id credential_id) {
  KG_ASSIGN_OR_RETURN(auto c, loadOwnOrAdmin(actor, credential_id, true));
  return KeyView{c, statusOf(c), {}, {}};
}

core::Status KeyService::inactivateIn(storage::Repositories& repos, core::Credential& c,
                                      std::optional<core::Id> actor_user_id,
                                      const core::RequestContext& context,
                                      std::string_view reason) {
  const core::Seconds now = clock_.now();
  if (c.status == core::CredentialStatus::kInactive)
    return core::makeError(core::Errc::kKeyNotActive, "This key is already inactive.");
  if (c.isExpired(now))
    return core::makeError(core::Errc::kKeyNotActive,
                           "This key has expired; it already cannot be used.");
  c.status = core::CredentialStatus::kInactive;
  c.inactivated_at = now;
  c.inactivated_by = actor_user_id;
  KG_TRY(repos.credentials.update(c));
  auto event = eventFor("key.inactivated", c, actor_user_id, context);
  EventDetails details;
  if (!reason.empty()) details.add("reason", reason);
  event.details = details.str();
  return events_.append(repos, std::move(event));
}

core::Result<KeyView> KeyService::inactivate(const Actor& actor, core::Id credential_id,
                                             const core::RequestContext& context) {
  KG_ASSIGN_OR_RETURN(auto found, loadOwnOrAdmin(actor, credential_id, true));
  core::Credential c = found;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto current, repos.credentials.findById(credential_id));
    if (!current) return keyNotFound();
    c = *current;
    return inactivateIn(repos, c, actor.user.id, context,
                        c.user_id == actor.user.id ? "owner" : "org_admin");
  }));
  status_view_.put(c);
  return KeyView{c, statusOf(c), {}, actor.user.display_name};
}

core::Result<KeyView> KeyService::update(const Actor& actor, core::Id credential_id,
                                         const KeyPatch& patch,
                                         const core::RequestContext& context) {
  KG_ASSIGN_OR_RETURN(auto c, loadOwnOrAdmin(actor, credential_id, true));
  if (patch.touches_expiry)
    return core::fieldError(core::Errc::kExpiryImmutable, "expiresOn",
                            "A key's expiration date can never be removed, extended or "
                            "changed. Generate a new key instead.");
  if (patch.status) {
    if (*patch.status != "inactive")
      return core::fieldError(core::Errc::kInactivationIrreversible, "status",
                              "Inactivation is irreversible; a key can only be set to "
                              "\"inactive\".");
    if (patch.name)
      return core::makeError(core::Errc::kValidationFailed,
                             "Change the name and the status in separate requests.");
    return inactivate(actor, credential_id, context);
  }
  if (!patch.name) return KeyView{c, statusOf(c), {}, {}};
  KG_ASSIGN_OR_RETURN(auto name, validKeyName(*patch.name));
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto current, repos.credentials.findById(credential_id));
    if (!current) return keyNotFound();
    c = *current;
    auto event = eventFor("key.renamed", c, actor.user.id, context);
    event.details = EventDetails().add("from", c.name).add("to", name).str();
    c.name = name;
    KG_TRY(repos.credentials.update(c));
    return events_.append(repos, std::move(event));
  }));
  return KeyView{c, statusOf(c), {}, {}};
}

core::Result<ViewCodeSent> KeyService::requestViewCode(const Actor& actor, core::Id credential_id,
                                                       const core::RequestContext& context) {
  KG_TRY(requireKeyHolder(actor));
  KG_ASSIGN_OR_RETURN(auto c, loadOwnOrAdmin(actor, credential_id, false));
  if (actor.org.login_method != core::LoginMethod::kBasic)
    return core::makeError(core::Errc::kViewCodeNotRequired,
                           "Your organization's sign-in method shows key values without an "
                           "emailed code.");
  if (!c.isUsable(clock_.now()))
    return core::makeError(core::Errc::kKeyNotActive,
                           "This key is inactive or expired; its values can no longer be viewed.");

  const core::Seconds now = clock_.now();
  auto throttled = [&](core::Seconds retry_after) {
    core::Error e = core::makeError(core::Errc::kRateLimited,
                                    "A code was sent recently. Wait before requesting another.");
    e.retry_after_seconds = std::max<core::Seconds>(retry_after, 1);
    return e;
  };
  std::optional<core::ViewCode> latest;
  int recent = 0;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(latest, repos.view_codes.latest(credential_id));
    KG_ASSIGN_OR_RETURN(recent, repos.view_codes.countSince(credential_id, now - 3600));
    return core::ok();
  }));
  if (latest && now < latest->created_at + settings_.view_code_resend)
    return throttled(latest->created_at + settings_.view_code_resend - now);
  if (recent >= settings_.view_code_max_per_hour && latest)
    return throttled(latest->created_at + 3600 - now);

  char digits[16];
  std::snprintf(digits, sizeof digits, "%08u", static_cast<unsigned>(random_.uniform(100000000)));
  std::string code(digits, 8);
  std::fill(std::begin(digits), std::end(digits), '\0');

  core::ViewCode row;
  row.credential_id = c.id;
  row.user_id = actor.user.id;
  row.code_hash = viewCodeHash(c.id, code);
  row.created_at = now;
  row.expires_at = now + settings_.view_code_ttl;
  row.tries_left = settings_.view_code_max_tries;
  row.state = core::ViewCodeState::kActive;

  // Mail first: when the transport is down nothing is written and the caller gets 503 with
  // Retry-After; the previous code (if any) stays the valid one.
  mail::Message message;
  message.from = settings_.mail_from;
  message.to = actor.user.email;
  message.subject = "Your Keygate verification code";
  message.text_body = "Hello " + actor.user.display_name + ",\n\n" +
                      "Your verification code to view the API key \"" + c.name +
                      "\" (Credential Key " + std::to_string(c.id) + ") is:\n\n    " + code +
                      "\n\nIt expires in " + std::to_string(settings_.view_code_ttl / 60) +
                      " minutes and works once. Requesting a new code makes this one invalid.\n" +
                      "If you did not ask for it, someone may be using your account: change "
                      "your password and tell your administrator.\n\n— Keygate\n";
  auto sent = mailer_.send(message);
  crypto::secureZero(code);
  crypto::secureZero(message.text_body);
  if (!sent) return sent.error();

  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_TRY(repos.view_codes.replace(row));
    auto event = eventFor("view_code.sent", c, actor.user.id, context);
    event.details = EventDetails().add("to", maskEmail(actor.user.email)).str();
    return events_.append(repos, std::move(event));
  }));
  return ViewCodeSent{row.expires_at, row.tries_left, now + settings_.view_code_resend,
                      maskEmail(actor.user.email)};
}

core::Result<RevealedKey> KeyService::reveal(const Actor& actor, core::Id credential_id,
                                             std::optional<std::string> code,
                                             const core::RequestContext& context) {
  KG_TRY(requireKeyHolder(actor));
  KG_ASSIGN_OR_RETURN(auto c, loadOwnOrAdmin(actor, credential_id, false));
  const core::Seconds now = clock_.now();
  if (!c.isUsable(now))
    return core::makeError(core::Errc::kKeyNotActive,
                           "This key is inactive or expired; its values can no longer be viewed.");
  const bool needs_code = actor.org.login_method == core::LoginMethod::kBasic;
  if (needs_code && (!code || !isEightDigits(*code)))
    return core::fieldError(core::Errc::kValidationFailed, "code",
                            "Enter the 8-digit code sent to your email address.");

  std::optional<core::Error> refused;  // an outcome to report after the transaction commits
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    refused.reset();
    if (needs_code) {
      KG_ASSIGN_OR_RETURN(auto latest, repos.view_codes.latest(c.id));
      if (!latest || latest->state != core::ViewCodeState::kActive) {
        core::Error e = core::makeError(core::Errc::kInvalidViewCode,
                                        "There is no valid code for this key. Request a new one.");
        e.field = "code";
        e.tries_left = 0;
        refused = e;
        return core::ok();
      }
      if (now >= latest->expires_at) {
        refused = core::makeError(core::Errc::kViewCodeExpired,
                                  "The code has expired. Request a new one.");
        return core::ok();
      }
      if (!crypto::constantTimeEquals(viewCodeHash(c.id, *code), latest->code_hash)) {
        latest->tries_left = std::max(0, latest->tries_left - 1);
        const bool burned = latest->tries_left == 0;
        if (burned) latest->state = core::ViewCodeState::kBurned;
        KG_TRY(repos.view_codes.update(*latest));
        auto event =
            eventFor(burned ? "view_code.burned" : "view_code.failed", c, actor.user.id, context);
        event.details = EventDetails().add("triesLeft", latest->tries_left).str();
        KG_TRY(events_.append(repos, std::move(event)));
        core::Error e = core::makeError(
            core::Errc::kInvalidViewCode,
            burned ? "The code was wrong too many times and no longer works. Request a new one."
                   : "The code is wrong.");
        e.field = "code";
        e.tries_left = latest->tries_left;
        refused = e;
        return core::ok();
      }
      latest->state = core::ViewCodeState::kUsed;
      KG_TRY(repos.view_codes.update(*latest));
    }
    auto event = eventFor("key.revealed", c, actor.user.id, context);
    event.details =
        EventDetails()
            .add("method", needs_code ? "email_code" : core::toString(actor.org.login_method))
            .str();
    return events_.append(repos, std::move(event));
  }));
  if (code) crypto::secureZero(*code);
  if (refused) return *refused;
  KG_ASSIGN_OR_RETURN(auto secret,
                      keyring_.decrypt(c.secret_encrypted, "credential:" + c.client_key));
  return RevealedKey{c, std::move(secret)};
}

core::Result<int> KeyService::recordExpirations() {
  const core::Seconds now = clock_.now();
  int count = 0;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    count = 0;
    KG_ASSIGN_OR_RETURN(auto expired, repos.credentials.listExpiredUnrecorded(now));
    for (auto& c : expired) {
      c.expiry_recorded = true;
      KG_TRY(repos.credentials.update(c));
      auto event = eventFor("key.expired", c, std::nullopt, {});
      event.details = EventDetails().add("expiresAt", core::formatDateTime(c.expires_at)).str();
      KG_TRY(events_.append(repos, std::move(event)));
      ++count;
    }
    return core::ok();
  }));
  return count;
}

core::Result<KeyService::ReminderRun> KeyService::sendExpiryReminders() {
  ReminderRun run;
  if (settings_.reminder_days.empty()) return run;
  const core::Seconds now = clock_.now();
  const core::Seconds horizon =
      static_cast<core::Seconds>(settings_.reminder_days.front()) * core::kSecondsPerDay;
  std::vector<core::Credential> due;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(due, repos.credentials.listExpiringBetween(now, now + horizon));
    return core::ok();
  }));
  for (auto& c : due) {
    const core::Seconds remaining = c.expires_at - now;
    std::uint32_t crossed = 0;
    for (std::size_t i = 0; i < settings_.reminder_days.size(); ++i)
      if (remaining <= settings_.reminder_days[i] * core::kSecondsPerDay) crossed |= 1u << i;
    if ((crossed & ~c.reminders_sent) == 0) continue;  // every crossed threshold was mailed

    std::optional<core::User> owner;
    KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
      KG_ASSIGN_OR_RETURN(owner, repos.users.findById(c.user_id));
      return core::ok();
    }));
    if (!owner || owner->disabled) continue;
    const auto days_left = (remaining + core::kSecondsPerDay - 1) / core::kSecondsPerDay;
    mail::Message message;
    message.from = settings_.mail_from;
    message.to = owner->email;
    message.subject = "Your Keygate API key \"" + c.name + "\" expires in " +
                      std::to_string(days_left) + (days_left == 1 ? " day" : " days");
    message.text_body =
        "Hello " + owner->display_name + ",\n\nYour API key \"" + c.name + "\" (Credential Key " +
        std::to_string(c.id) + ") expires on " + core::formatDateTime(c.expires_at) +
        ".\n\nAn expiration date can never be extended. Before it passes, generate a new key "
        "under User Profile > RaaS API Keys and switch your integrations to it.\n\n— Keygate\n";
    if (!mailer_.send(message)) {
      ++run.failed;
      continue;
    }
    KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
      KG_ASSIGN_OR_RETURN(auto current, repos.credentials.findById(c.id));
      if (!current) return core::ok();
      current->reminders_sent |= crossed;
      KG_TRY(repos.credentials.update(*current));
      auto event = eventFor("key.expiry_reminder_sent", *current, std::nullopt, {});
      event.details =
          EventDetails().add("daysLeft", days_left).add("to", maskEmail(owner->email)).str();
      return events_.append(repos, std::move(event));
    }));
    ++run.sent;
  }
  return run;
}

core::Result<std::vector<KeyView>> KeyService::listForUser(core::Id user_id) {
  std::vector<core::Credential> all;
  KG_TRY(store_.read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(all, repos.credentials.listByUser(user_id));
    return core::ok();
  }));
  std::vector<KeyView> out;
  for (auto& c : all) out.push_back(KeyView{c, statusOf(c), {}, {}});
  return out;
}

core::Result<KeyView> KeyService::adminInactivate(core::Id credential_id,
                                                  const std::string& reason) {
  core::Credential c;
  KG_TRY(store_.write([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(auto current, repos.credentials.findById(credential_id));
    if (!current) return keyNotFound();
    c = *current;
    core::RequestContext cli{"cli", "keygate admin", ""};
    return inactivateIn(repos, c, std::nullopt, cli, reason.empty() ? "admin" : reason);
  }));
  status_view_.put(c);
  return KeyView{c, statusOf(c), {}, {}};
}

}  // namespace keygate::services
