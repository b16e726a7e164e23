// Repository interfaces: what services need from persistence, and nothing about how it is
// stored. Implementations: storage/sqlite (embedded default); PostgreSQL later, chosen from the
// database URL in app/. Every method returns a Result; none throws on the request path.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/model.h"

namespace keygate::storage {

using core::Id;
using core::Result;
using core::Seconds;
using core::Status;

class OrganizationRepository {
 public:
  virtual ~OrganizationRepository() = default;
  // Inserts and returns the new id; kConflict when the name is taken.
  virtual Result<Id> create(const core::Organization& org) = 0;
  virtual Result<std::optional<core::Organization>> findById(Id id) = 0;
  virtual Result<std::optional<core::Organization>> findByName(const std::string& name) = 0;
  virtual Result<std::vector<core::Organization>> list() = 0;
  // Updates login_method, key_lifetime_days, api_tier and name.
  virtual Status update(const core::Organization& org) = 0;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // kConflict when the username is taken.
  virtual Result<Id> create(const core::User& user) = 0;
  virtual Result<std::optional<core::User>> findById(Id id) = 0;
  virtual Result<std::optional<core::User>> findByUsername(const std::string& username) = 0;
  virtual Result<std::vector<core::User>> listByOrg(Id org_id) = 0;
  // All accounts with the same link_group (including the given one), ordered by id.
  virtual Result<std::vector<core::User>> listLinked(Id link_group) = 0;
  // Updates every mutable field (password_hash, totp fields, link_group, role, permissions,
  // email, display_name, disabled).
  virtual Status update(const core::User& user) = 0;
  // Records that the TOTP code of `step` was used, if `step` is later than the last recorded
  // one; false when it is not (the code was used before). Atomic within the transaction.
  virtual Result<bool> claimTotpStep(Id user_id, std::int64_t step) = 0;
};

class CredentialRepository {
 public:
  virtual ~CredentialRepository() = default;
  // Inserts and returns the new id (the Credential Key). Ids start at 100001.
  virtual Result<Id> create(const core::Credential& credential) = 0;
  virtual Result<std::optional<core::Credential>> findById(Id id) = 0;
  // By the (unique) Client Key: OAuth clients present only Client Key and Client Secret.
  virtual Result<std::optional<core::Credential>> findByClientKey(
      const std::string& client_key) = 0;
  virtual Result<std::vector<core::Credential>> listByUser(Id user_id) = 0;
  virtual Result<std::vector<core::Credential>> listByOrg(Id org_id) = 0;
  // Every credential, ordered by id (to build the in-memory status view at start-up).
  virtual Status forEach(const std::function<void(const core::Credential&)>& fn) = 0;
  // Active credentials whose expiry passed (expires_at <= now) with no expiry event yet.
  virtual Result<std::vector<core::Credential>> listExpiredUnrecorded(Seconds now) = 0;
  // Active credentials still valid at `now` that expire at or before `until` (reminders).
  virtual Result<std::vector<core::Credential>> listExpiringBetween(Seconds now, Seconds until) = 0;
  // Updates name, expires_at, status, inactivated_at/by, last_used_at, shortened_at,
  // expiry_recorded, reminders_sent. Never changes the secret fields.
  virtual Status update(const core::Credential& credential) = 0;
};

class ViewCodeRepository {
 public:
  virtual ~ViewCodeRepository() = default;
  // Marks every active code of the credential kSuperseded, then inserts this one (so only the
  // newest code is ever valid). Returns the new id.
  virtual Result<Id> replace(const core::ViewCode& code) = 0;
  // The most recently created code of the credential, whatever its state.
  virtual Result<std::optional<core::ViewCode>> latest(Id credential_id) = 0;
  // Number of codes created for the credential at or after `since` (resend throttle).
  virtual Result<int> countSince(Id credential_id, Seconds since) = 0;
  // Updates tries_left and state.
  virtual Status update(const core::ViewCode& code) = 0;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual Status create(const core::Session& session) = 0;
  virtual Result<std::optional<core::Session>> find(const std::string& id_hash) = 0;
  // Updates user_id, last_seen_at, totp_verified, csrf_token.
  virtual Status update(const core::Session& session) = 0;
  virtual Status remove(const std::string& id_hash) = 0;
  // Removes sessions idle since before `idle_before` or past their absolute expiry.
  virtual Status purgeExpired(Seconds idle_before, Seconds now) = 0;
};

class EventRepository {
 public:
  virtual ~EventRepository() = default;
  // Appends the row as given (hash and prev_hash already computed) and returns its seq.
  virtual Result<Id> append(const core::Event& event) = 0;
  // The row with the highest seq, if any.
  virtual Result<std::optional<core::Event>> last() = 0;
  // Every row in seq order; stops early when fn returns false.
  virtual Status forEach(const std::function<bool(const core::Event&)>& fn) = 0;
  // Newest first, for one organization (and optionally one credential).
  virtual Result<std::vector<core::Event>> listForOrg(Id org_id, std::optional<Id> credential_id,
                                                      int limit) = 0;
};

struct SupplierRepositories;  // storage/supplier_repositories.h
struct RaasRepositories;      // storage/raas_repositories.h

// The repositories bound to one transaction (or one read snapshot).
struct Repositories {
  OrganizationRepository& organizations;
  UserRepository& users;
  CredentialRepository& credentials;
  ViewCodeRepository& view_codes;
  SessionRepository& sessions;
  EventRepository& events;
  SupplierRepositories& supplier;  // the Supplier API's data
  RaasRepositories& raas;          // reports, runs and report rows
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs fn in one transaction that takes the write lock up front. Commits when fn returns
  // success; rolls back when it returns an error or throws (and rethrows).
  virtual Status write(const std::function<Status(Repositories&)>& fn) = 0;
  // Runs fn on a consistent read snapshot. Writes inside fn are a programming error.
  virtual Status read(const std::function<Status(Repositories&)>& fn) = 0;
  // Cheap liveness probe for /readyz.
  virtual Status ping() = 0;
};

}  // namespace keygate::storage
