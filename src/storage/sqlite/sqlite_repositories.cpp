// SQLite repositories (see sqlite_repositories.h). Every statement is a named constant with
// bind parameters; rows are mapped field by field, enums through their text names.
#include "storage/sqlite/sqlite_repositories.h"

#include <array>
#include <utility>

namespace keygate::storage::sqlite {
namespace {

// ---- enum names without a core::toString ----

constexpr std::array<std::pair<core::CredentialStatus, std::string_view>, 2> kCredentialStatuses{{
    {core::CredentialStatus::kActive, "active"},
    {core::CredentialStatus::kInactive, "inactive"},
}};

constexpr std::array<std::pair<core::ViewCodeState, std::string_view>, 4> kViewCodeStates{{
    {core::ViewCodeState::kActive, "active"},
    {core::ViewCodeState::kUsed, "used"},
    {core::ViewCodeState::kBurned, "burned"},
    {core::ViewCodeState::kSuperseded, "superseded"},
}};

template <class E, std::size_t N>
std::string_view nameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return table.front().second;
}

template <class E, std::size_t N>
std::optional<E> parseName(const std::array<std::pair<E, std::string_view>, N>& table,
                           std::string_view text) {
  for (const auto& [v, name] : table)
    if (name == text) return v;
  return std::nullopt;
}

// A stored enum name this binary does not know means a damaged or foreign row: never guess.
template <class T>
Result<T> known(std::optional<T> value, std::string_view column) {
  if (!value) return storageError("unknown enum value in column " + std::string(column));
  return *value;
}

std::optional<std::int64_t> nullIfZero(Id id) {
  return id == 0 ? std::nullopt : std::optional<std::int64_t>(id);
}

core::Error notFound(std::string message) {
  return core::makeError(core::Errc::kNotFound, std::move(message));
}

// Column lists shared by the SELECTs of one table; the readers below depend on their order.
#define KG_ORG_COLUMNS "id, name, type, login_method, key_lifetime_days, api_tier, created_at"
#define KG_USER_COLUMNS                                                           \
  "id, org_id, username, email, display_name, role, permissions, password_hash, " \
  "totp_secret_encrypted, totp_pending_encrypted, link_group, disabled, created_at"
#define KG_CREDENTIAL_COLUMNS                                                                  \
  "id, user_id, org_id, name, client_key, secret_hash, secret_encrypted, scopes, created_at, " \
  "expires_at, status, inactivated_at, inactivated_by, last_used_at, shortened_at, "           \
  "expiry_recorded, reminders_sent"
#define KG_VIEW_CODE_COLUMNS \
  "id, credential_id, user_id, code_hash, created_at, expires_at, tries_left, state"
#define KG_SESSION_COLUMNS                                                  \
  "id_hash, user_id, login_user_id, csrf_token, created_at, last_seen_at, " \
  "absolute_expires_at, totp_verified, ip, user_agent"
#define KG_EVENT_COLUMNS                                                           \
  "seq, at, type, org_id, actor_user_id, credential_id, ip, user_agent, details, " \
  "prev_hash, hash"

// ---- organizations ----

constexpr Sql kInsertOrganization{
    "insert organization",
    "INSERT INTO organizations (name, type, login_method, key_lifetime_days, api_tier, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id"};
constexpr Sql kSelectOrganizationById{"select organization by id",
                                      "SELECT " KG_ORG_COLUMNS " FROM organizations WHERE id = ?1"};
constexpr Sql kSelectOrganizationByName{
    "select organization by name", "SELECT " KG_ORG_COLUMNS " FROM organizations WHERE name = ?1"};
constexpr Sql kSelectOrganizations{"select organizations",
                                   "SELECT " KG_ORG_COLUMNS " FROM organizations ORDER BY id"};
constexpr Sql kUpdateOrganization{
    "update organization",
    "UPDATE organizations SET name = ?2, login_method = ?3, key_lifetime_days = ?4, "
    "api_tier = ?5 WHERE id = ?1"};

constexpr std::string_view kOrganizationNameTaken =
    "An organization with this name already exists.";

Result<core::Organization> readOrganization(const Query& q) {
  core::Organization org;
  org.id = q.integer(0);
  org.name = q.text(1);
  KG_ASSIGN_OR_RETURN(org.type, known(core::parseOrgType(q.text(2)), "organizations.type"));
  KG_ASSIGN_OR_RETURN(org.login_method,
                      known(core::parseLoginMethod(q.text(3)), "organizations.login_method"));
  org.key_lifetime_days = static_cast<int>(q.integer(4));
  KG_ASSIGN_OR_RETURN(org.api_tier, known(core::parseApiTier(q.text(5)), "organizations.api_tier"));
  org.created_at = q.integer(6);
  return org;
}

// ---- users ----

constexpr Sql kInsertUser{
    "insert user",
    "INSERT INTO users (org_id, username, email, display_name, role, permissions, password_hash, "
    "totp_secret_encrypted, totp_pending_encrypted, link_group, disabled, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id"};
constexpr Sql kSelectUserById{"select user by id",
                              "SELECT " KG_USER_COLUMNS " FROM users WHERE id = ?1"};
constexpr Sql kSelectUserByUsername{"select user by username",
                                    "SELECT " KG_USER_COLUMNS " FROM users WHERE username = ?1"};
constexpr Sql kSelectUsersByOrg{
    "select users by org", "SELECT " KG_USER_COLUMNS " FROM users WHERE org_id = ?1 ORDER BY id"};
constexpr Sql kSelectUsersByLinkGroup{"select users by link group",
                                      "SELECT " KG_USER_COLUMNS
                                      " FROM users WHERE link_group = ?1 ORDER BY id"};
constexpr Sql kUpdateUser{
    "update user",
    "UPDATE users SET email = ?2, display_name = ?3, role = ?4, permissions = ?5, "
    "password_hash = ?6, totp_secret_encrypted = ?7, totp_pending_encrypted = ?8, "
    "link_group = ?9, disabled = ?10 WHERE id = ?1"};

constexpr Sql kClaimTotpStep{
    "claim totp step",
    "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2"};

Result<core::User> readUser(const Query& q) {
  core::User user;
  user.id = q.integer(0);
  user.org_id = q.integer(1);
  user.username = q.text(2);
  user.email = q.text(3);
  user.display_name = q.text(4);
  KG_ASSIGN_OR_RETURN(user.role, known(core::parseRole(q.text(5)), "users.role"));
  user.permissions = static_cast<std::uint32_t>(q.integer(6));
  user.password_hash = q.text(7);
  user.totp_secret_encrypted = q.text(8);
  user.totp_pending_encrypted = q.text(9);
  user.link_group = q.optionalInteger(10);
  user.disabled = q.boolean(11);
  user.created_at = q.integer(12);
  return user;
}

// ---- credentials ----

constexpr Sql kInsertCredential{
    "insert credential",
    "INSERT INTO credentials (user_id, org_id, name, client_key, secret_hash, secret_encrypted, "
    "scopes, created_at, expires_at, status, inactivated_at, inactivated_by, last_used_at, "
    "shortened_at, expiry_recorded, reminders_sent) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) RETURNING id"};
constexpr Sql kSelectCredentialById{
    "select credential by id", "SELECT " KG_CREDENTIAL_COLUMNS " FROM credentials WHERE id = ?1"};
constexpr Sql kSelectCredentialByClientKey{"select credential by client key",
                                           "SELECT " KG_CREDENTIAL_COLUMNS
                                           " FROM credentials WHERE client_key = ?1"};
constexpr Sql kSelectCredentialsByUser{"select credentials by user",
                                       "SELECT " KG_CREDENTIAL_COLUMNS
                                       " FROM credentials WHERE user_id = ?1 ORDER BY id"};
constexpr Sql kSelectCredentialsByOrg{"select credentials by org",
                                      "SELECT " KG_CREDENTIAL_COLUMNS
                                      " FROM credentials WHERE org_id = ?1 ORDER BY id"};
constexpr Sql kSelectAllCredentials{
    "select all credentials", "SELECT " KG_CREDENTIAL_COLUMNS " FROM credentials ORDER BY id"};
constexpr Sql kSelectExpiredUnrecorded{
    "select expired unrecorded credentials",
    "SELECT " KG_CREDENTIAL_COLUMNS
    " FROM credentials WHERE status = 'active' AND expires_at <= ?1 AND expiry_recorded = 0 "
    "ORDER BY id"};
constexpr Sql kSelectExpiringBetween{
    "select credentials expiring soon",
    "SELECT " KG_CREDENTIAL_COLUMNS
    " FROM credentials WHERE status = 'active' AND expires_at > ?1 AND expires_at <= ?2 "
    "ORDER BY id"};
constexpr Sql kUpdateCredential{
    "update credential",
    "UPDATE credentials SET name = ?2, expires_at = ?3, status = ?4, inactivated_at = ?5, "
    "inactivated_by = ?6, last_used_at = ?7, shortened_at = ?8, expiry_recorded = ?9, "
    "reminders_sent = ?10 WHERE id = ?1"};

Result<core::Credential> readCredential(const Query& q) {
  core::Credential c;
  c.id = q.integer(0);
  c.user_id = q.integer(1);
  c.org_id = q.integer(2);
  c.name = q.text(3);
  c.client_key = q.text(4);
  c.secret_hash = q.text(5);
  c.secret_encrypted = q.text(6);
  c.scopes = static_cast<std::uint32_t>(q.integer(7));
  c.created_at = q.integer(8);
  c.expires_at = q.integer(9);
  KG_ASSIGN_OR_RETURN(c.status,
                      known(parseName(kCredentialStatuses, q.text(10)), "credentials.status"));
  c.inactivated_at = q.optionalInteger(11);
  c.inactivated_by = q.optionalInteger(12);
  c.last_used_at = q.optionalInteger(13);
  c.shortened_at = q.optionalInteger(14);
  c.expiry_recorded = q.boolean(15);
  c.reminders_sent = static_cast<std::uint32_t>(q.integer(16));
  return c;
}

// ---- view codes ----

constexpr Sql kSupersedeViewCodes{
    "supersede view codes",
    "UPDATE view_codes SET state = 'superseded' WHERE credential_id = ?1 AND state = 'active'"};
constexpr Sql kInsertViewCode{
    "insert view code",
    "INSERT INTO view_codes (credential_id, user_id, code_hash, created_at, expires_at, "
    "tries_left, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id"};
// id breaks ties between codes created in the same second: the later insert is the newer code.
constexpr Sql kSelectLatestViewCode{
    "select latest view code",
    "SELECT " KG_VIEW_CODE_COLUMNS
    " FROM view_codes WHERE credential_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1"};
constexpr Sql kCountViewCodesSince{
    "count view codes since",
    "SELECT COUNT(*) FROM view_codes WHERE credential_id = ?1 AND created_at >= ?2"};
constexpr Sql kUpdateViewCode{"update view code",
                              "UPDATE view_codes SET tries_left = ?2, state = ?3 WHERE id = ?1"};

Result<core::ViewCode> readViewCode(const Query& q) {
  core::ViewCode code;
  code.id = q.integer(0);
  code.credential_id = q.integer(1);
  code.user_id = q.integer(2);
  code.code_hash = q.text(3);
  code.created_at = q.integer(4);
  code.expires_at = q.integer(5);
  code.tries_left = static_cast<int>(q.integer(6));
  KG_ASSIGN_OR_RETURN(code.state, known(parseName(kViewCodeStates, q.text(7)), "view_codes.state"));
  return code;
}

// ---- sessions ----

constexpr Sql kInsertSession{
    "insert session",
    "INSERT INTO sessions (id_hash, user_id, login_user_id, csrf_token, created_at, "
    "last_seen_at, absolute_expires_at, totp_verified, ip, user_agent) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"};
constexpr Sql kSelectSession{"select session",
                             "SELECT " KG_SESSION_COLUMNS " FROM sessions WHERE id_hash = ?1"};
constexpr Sql kUpdateSession{
    "update session",
    "UPDATE sessions SET user_id = ?2, last_seen_at = ?3, totp_verified = ?4, csrf_token = ?5 "
    "WHERE id_hash = ?1"};
constexpr Sql kDeleteSession{"delete session", "DELETE FROM sessions WHERE id_hash = ?1"};
constexpr Sql kPurgeSessions{
    "purge sessions", "DELETE FROM sessions WHERE last_seen_at < ?1 OR absolute_expires_at <= ?2"};

Result<core::Session> readSession(const Query& q) {
  core::Session s;
  s.id_hash = q.text(0);
  s.user_id = q.optionalInteger(1).value_or(0);
  s.login_user_id = q.optionalInteger(2).value_or(0);
  s.csrf_token = q.text(3);
  s.created_at = q.integer(4);
  s.last_seen_at = q.integer(5);
  s.absolute_expires_at = q.integer(6);
  s.totp_verified = q.boolean(7);
  s.ip = q.text(8);
  s.user_agent = q.text(9);
  return s;
}

// ---- events ----

constexpr Sql kInsertEvent{
    "insert event",
    "INSERT INTO events (at, type, org_id, actor_user_id, credential_id, ip, user_agent, "
    "details, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING seq"};
constexpr Sql kSelectLastEvent{"select last event",
                               "SELECT " KG_EVENT_COLUMNS " FROM events ORDER BY seq DESC LIMIT 1"};
constexpr Sql kSelectAllEvents{"select all events",
                               "SELECT " KG_EVENT_COLUMNS " FROM events ORDER BY seq"};
constexpr Sql kSelectEventsForOrg{"select events for org",
                                  "SELECT " KG_EVENT_COLUMNS
                                  " FROM events WHERE org_id = ?1 ORDER BY seq DESC LIMIT ?2"};
constexpr Sql kSelectEventsForCredential{
    "select events for org and credential",
    "SELECT " KG_EVENT_COLUMNS
    " FROM events WHERE credential_id = ?2 AND org_id = ?1 ORDER BY seq DESC LIMIT ?3"};

Result<core::Event> readEvent(const Query& q) {
  core::Event e;
  e.seq = q.integer(0);
  e.at = q.integer(1);
  e.type = q.text(2);
  e.org_id = q.optionalInteger(3);
  e.actor_user_id = q.optionalInteger(4);
  e.credential_id = q.optionalInteger(5);
  e.ip = q.text(6);
  e.user_agent = q.text(7);
  e.details = q.text(8);
  e.prev_hash = q.text(9);
  e.hash = q.text(10);
  return e;
}

#undef KG_ORG_COLUMNS
#undef KG_USER_COLUMNS
#undef KG_CREDENTIAL_COLUMNS
#undef KG_VIEW_CODE_COLUMNS
#undef KG_SESSION_COLUMNS
#undef KG_EVENT_COLUMNS

// INSERT … RETURNING: the id of the new row.
Result<Id> insertReturningId(Query& q) {
  KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
  if (!has_row) return storageError("insert returned no id");
  return q.integer(0);
}

}  // namespace

// ---- SqliteOrganizationRepository ----

Result<Id> SqliteOrganizationRepository::create(const core::Organization& org) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertOrganization));
  q.bind(1, org.name)
      .bind(2, core::toString(org.type))
      .bind(3, core::toString(org.login_method))
      .bind(4, std::int64_t{org.key_lifetime_days})
      .bind(5, core::toString(org.api_tier))
      .bind(6, org.created_at);
  auto id = insertReturningId(q);
  if (!id) return withConflictMessage(std::move(id).error(), kOrganizationNameTaken);
  return id;
}

Result<std::optional<core::Organization>> SqliteOrganizationRepository::findById(Id id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectOrganizationById));
  q.bind(1, id);
  return fetchOne(q, readOrganization);
}

Result<std::optional<core::Organization>> SqliteOrganizationRepository::findByName(
    const std::string& name) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectOrganizationByName));
  q.bind(1, name);
  return fetchOne(q, readOrganization);
}

Result<std::vector<core::Organization>> SqliteOrganizationRepository::list() {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectOrganizations));
  return fetchAll(q, readOrganization);
}

Status SqliteOrganizationRepository::update(const core::Organization& org) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kUpdateOrganization));
  q.bind(1, org.id)
      .bind(2, org.name)
      .bind(3, core::toString(org.login_method))
      .bind(4, std::int64_t{org.key_lifetime_days})
      .bind(5, core::toString(org.api_tier));
  auto changed = q.run();
  if (!changed) return withConflictMessage(std::move(changed).error(), kOrganizationNameTaken);
  if (*changed == 0) return notFound("The organization does not exist.");
  return core::ok();
}

// ---- SqliteUserRepository ----

Result<Id> SqliteUserRepository::create(const core::User& user) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertUser));
  q.bind(1, user.org_id)
      .bind(2, user.username)
      .bind(3, user.email)
      .bind(4, user.display_name)
      .bind(5, core::toString(user.role))
      .bind(6, std::int64_t{user.permissions})
      .bind(7, user.password_hash)
      .bind(8, user.totp_secret_encrypted)
      .bind(9, user.totp_pending_encrypted)
      .bind(10, user.link_group)
      .bindBool(11, user.disabled)
      .bind(12, user.created_at);
  auto id = insertReturningId(q);
  if (!id) return withConflictMessage(std::move(id).error(), "This username is already taken.");
  return id;
}

Result<std::optional<core::User>> SqliteUserRepository::findById(Id id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectUserById));
  q.bind(1, id);
  return fetchOne(q, readUser);
}

Result<std::optional<core::User>> SqliteUserRepository::findByUsername(
    const std::string& username) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectUserByUsername));
  q.bind(1, username);
  return fetchOne(q, readUser);
}

Result<std::vector<core::User>> SqliteUserRepository::listByOrg(Id org_id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectUsersByOrg));
  q.bind(1, org_id);
  return fetchAll(q, readUser);
}

Result<std::vector<core::User>> SqliteUserRepository::listLinked(Id link_group) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectUsersByLinkGroup));
  q.bind(1, link_group);
  return fetchAll(q, readUser);
}

Status SqliteUserRepository::update(const core::User& user) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kUpdateUser));
  q.bind(1, user.id)
      .bind(2, user.email)
      .bind(3, user.display_name)
      .bind(4, core::toString(user.role))
      .bind(5, std::int64_t{user.permissions})
      .bind(6, user.password_hash)
      .bind(7, user.totp_secret_encrypted)
      .bind(8, user.totp_pending_encrypted)
      .bind(9, user.link_group)
      .bindBool(10, user.disabled);
  KG_ASSIGN_OR_RETURN(const auto changed, q.run());
  if (changed == 0) return notFound("The user account does not exist.");
  return core::ok();
}

Result<bool> SqliteUserRepository::claimTotpStep(Id user_id, std::int64_t step) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kClaimTotpStep));
  q.bind(1, user_id).bind(2, step);
  KG_ASSIGN_OR_RETURN(const auto changed, q.run());
  return changed > 0;
}

// ---- SqliteCredentialRepository ----

Result<Id> SqliteCredentialRepository::create(const core::Credential& c) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertCredential));
  q.bind(1, c.user_id)
      .bind(2, c.org_id)
      .bind(3, c.name)
      .bind(4, c.client_key)
      .bind(5, c.secret_hash)
      .bind(6, c.secret_encrypted)
      .bind(7, std::int64_t{c.scopes})
      .bind(8, c.created_at)
      .bind(9, c.expires_at)
      .bind(10, nameOf(kCredentialStatuses, c.status))
      .bind(11, c.inactivated_at)
      .bind(12, c.inactivated_by)
      .bind(13, c.last_used_at)
      .bind(14, c.shortened_at)
      .bindBool(15, c.expiry_recorded)
      .bind(16, std::int64_t{c.reminders_sent});
  auto id = insertReturningId(q);
  // Client Keys are random; a clash means the generator is broken, but say so plainly.
  if (!id) return withConflictMessage(std::move(id).error(), "This Client Key already exists.");
  return id;
}

Result<std::optional<core::Credential>> SqliteCredentialRepository::findById(Id id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectCredentialById));
  q.bind(1, id);
  return fetchOne(q, readCredential);
}

Result<std::optional<core::Credential>> SqliteCredentialRepository::findByClientKey(
    const std::string& client_key) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectCredentialByClientKey));
  q.bind(1, client_key);
  return fetchOne(q, readCredential);
}

Result<std::vector<core::Credential>> SqliteCredentialRepository::listByUser(Id user_id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectCredentialsByUser));
  q.bind(1, user_id);
  return fetchAll(q, readCredential);
}

Result<std::vector<core::Credential>> SqliteCredentialRepository::listByOrg(Id org_id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectCredentialsByOrg));
  q.bind(1, org_id);
  return fetchAll(q, readCredential);
}

Status SqliteCredentialRepository::forEach(const std::function<void(const core::Credential&)>& fn) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectAllCredentials));
  for (;;) {
    KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
    if (!has_row) return core::ok();
    KG_ASSIGN_OR_RETURN(const auto credential, readCredential(q));
    fn(credential);
  }
}

Result<std::vector<core::Credential>> SqliteCredentialRepository::listExpiredUnrecorded(
    Seconds now) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectExpiredUnrecorded));
  q.bind(1, now);
  return fetchAll(q, readCredential);
}

Result<std::vector<core::Credential>> SqliteCredentialRepository::listExpiringBetween(
    Seconds now, Seconds until) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectExpiringBetween));
  q.bind(1, now).bind(2, until);
  return fetchAll(q, readCredential);
}

Status SqliteCredentialRepository::update(const core::Credential& c) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kUpdateCredential));
  q.bind(1, c.id)
      .bind(2, c.name)
      .bind(3, c.expires_at)
      .bind(4, nameOf(kCredentialStatuses, c.status))
      .bind(5, c.inactivated_at)
      .bind(6, c.inactivated_by)
      .bind(7, c.last_used_at)
      .bind(8, c.shortened_at)
      .bindBool(9, c.expiry_recorded)
      .bind(10, std::int64_t{c.reminders_sent});
  KG_ASSIGN_OR_RETURN(const auto changed, q.run());
  if (changed == 0) return notFound("The key does not exist.");
  return core::ok();
}

// ---- SqliteViewCodeRepository ----

Result<Id> SqliteViewCodeRepository::replace(const core::ViewCode& code) {
  {
    KG_ASSIGN_OR_RETURN(auto supersede, db_.query(kSupersedeViewCodes));
    supersede.bind(1, code.credential_id);
    KG_TRY(supersede.run());
  }
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertViewCode));
  q.bind(1, code.credential_id)
      .bind(2, code.user_id)
      .bind(3, code.code_hash)
      .bind(4, code.created_at)
      .bind(5, code.expires_at)
      .bind(6, std::int64_t{code.tries_left})
      .bind(7, nameOf(kViewCodeStates, code.state));
  return insertReturningId(q);
}

Result<std::optional<core::ViewCode>> SqliteViewCodeRepository::latest(Id credential_id) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectLatestViewCode));
  q.bind(1, credential_id);
  return fetchOne(q, readViewCode);
}

Result<int> SqliteViewCodeRepository::countSince(Id credential_id, Seconds since) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kCountViewCodesSince));
  q.bind(1, credential_id).bind(2, since);
  KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
  if (!has_row) return storageError("count view codes since: no row");
  return static_cast<int>(q.integer(0));
}

Status SqliteViewCodeRepository::update(const core::ViewCode& code) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kUpdateViewCode));
  q.bind(1, code.id)
      .bind(2, std::int64_t{code.tries_left})
      .bind(3, nameOf(kViewCodeStates, code.state));
  KG_ASSIGN_OR_RETURN(const auto changed, q.run());
  if (changed == 0) return notFound("The code does not exist.");
  return core::ok();
}

// ---- SqliteSessionRepository ----

Status SqliteSessionRepository::create(const core::Session& s) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertSession));
  q.bind(1, s.id_hash)
      .bind(2, nullIfZero(s.user_id))
      .bind(3, nullIfZero(s.login_user_id))
      .bind(4, s.csrf_token)
      .bind(5, s.created_at)
      .bind(6, s.last_seen_at)
      .bind(7, s.absolute_expires_at)
      .bindBool(8, s.totp_verified)
      .bind(9, s.ip)
      .bind(10, s.user_agent);
  auto done = q.run();
  if (!done) return withConflictMessage(std::move(done).error(), "This session already exists.");
  return core::ok();
}

Result<std::optional<core::Session>> SqliteSessionRepository::find(const std::string& id_hash) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectSession));
  q.bind(1, id_hash);
  return fetchOne(q, readSession);
}

Status SqliteSessionRepository::update(const core::Session& s) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kUpdateSession));
  q.bind(1, s.id_hash)
      .bind(2, nullIfZero(s.user_id))
      .bind(3, s.last_seen_at)
      .bindBool(4, s.totp_verified)
      .bind(5, s.csrf_token);
  KG_ASSIGN_OR_RETURN(const auto changed, q.run());
  if (changed == 0) return notFound("The session does not exist.");
  return core::ok();
}

Status SqliteSessionRepository::remove(const std::string& id_hash) {
  // Removing a session that is already gone is fine: sign-out is idempotent.
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kDeleteSession));
  q.bind(1, id_hash);
  KG_TRY(q.run());
  return core::ok();
}

Status SqliteSessionRepository::purgeExpired(Seconds idle_before, Seconds now) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kPurgeSessions));
  q.bind(1, idle_before).bind(2, now);
  KG_TRY(q.run());
  return core::ok();
}

// ---- SqliteEventRepository ----

Result<Id> SqliteEventRepository::append(const core::Event& e) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kInsertEvent));
  q.bind(1, e.at)
      .bind(2, e.type)
      .bind(3, e.org_id)
      .bind(4, e.actor_user_id)
      .bind(5, e.credential_id)
      .bind(6, e.ip)
      .bind(7, e.user_agent)
      .bind(8, e.details)
      .bind(9, e.prev_hash)
      .bind(10, e.hash);
  return insertReturningId(q);
}

Result<std::optional<core::Event>> SqliteEventRepository::last() {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectLastEvent));
  return fetchOne(q, readEvent);
}

Status SqliteEventRepository::forEach(const std::function<bool(const core::Event&)>& fn) {
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectAllEvents));
  for (;;) {
    KG_ASSIGN_OR_RETURN(const bool has_row, q.step());
    if (!has_row) return core::ok();
    KG_ASSIGN_OR_RETURN(const auto event, readEvent(q));
    if (!fn(event)) return core::ok();
  }
}

Result<std::vector<core::Event>> SqliteEventRepository::listForOrg(Id org_id,
                                                                   std::optional<Id> credential_id,
                                                                   int limit) {
  // SQLite reads a negative LIMIT as "no limit"; a caller asking for nothing gets nothing.
  if (limit <= 0) return std::vector<core::Event>{};
  if (credential_id) {
    KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectEventsForCredential));
    q.bind(1, org_id).bind(2, *credential_id).bind(3, std::int64_t{limit});
    return fetchAll(q, readEvent);
  }
  KG_ASSIGN_OR_RETURN(auto q, db_.query(kSelectEventsForOrg));
  q.bind(1, org_id).bind(2, std::int64_t{limit});
  return fetchAll(q, readEvent);
}

// ---- RepositorySet ----

RepositorySet::RepositorySet(std::unique_ptr<Connection> connection)
    : connection_(std::move(connection)),
      organizations_(*connection_),
      users_(*connection_),
      credentials_(*connection_),
      view_codes_(*connection_),
      sessions_(*connection_),
      events_(*connection_),
      supplier_(*connection_),
      raas_(*connection_),
      repositories_{organizations_,
                    users_,
                    credentials_,
                    view_codes_,
                    sessions_,
                    events_,
                    supplier_.repositories(),
                    raas_.repositories()} {}

}  // namespace keygate::storage::sqlite
