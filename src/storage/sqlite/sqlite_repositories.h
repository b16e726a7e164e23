// The repository interfaces of storage/repositories.h implemented over one SQLite Connection.
// They run no transactions of their own: SqliteStore opens one around each write() / read()
// and hands out the RepositorySet bound to that transaction's connection. Internal to
// storage/sqlite.
#pragma once

#include <memory>

#include "storage/repositories.h"
#include "storage/sqlite/sqlite_handle.h"
#include "storage/sqlite/sqlite_raas_repositories.h"
#include "storage/sqlite/sqlite_supplier_repositories.h"

namespace keygate::storage::sqlite {

class SqliteOrganizationRepository final : public OrganizationRepository {
 public:
  explicit SqliteOrganizationRepository(Connection& db) : db_(db) {}
  Result<Id> create(const core::Organization& org) override;
  Result<std::optional<core::Organization>> findById(Id id) override;
  Result<std::optional<core::Organization>> findByName(const std::string& name) override;
  Result<std::vector<core::Organization>> list() override;
  Status update(const core::Organization& org) override;

 private:
  Connection& db_;
};

class SqliteUserRepository final : public UserRepository {
 public:
  explicit SqliteUserRepository(Connection& db) : db_(db) {}
  Result<Id> create(const core::User& user) override;
  Result<std::optional<core::User>> findById(Id id) override;
  Result<std::optional<core::User>> findByUsername(const std::string& username) override;
  Result<std::vector<core::User>> listByOrg(Id org_id) override;
  Result<std::vector<core::User>> listLinked(Id link_group) override;
  Status update(const core::User& user) override;
  Result<bool> claimTotpStep(Id user_id, std::int64_t step) override;

 private:
  Connection& db_;
};

class SqliteCredentialRepository final : public CredentialRepository {
 public:
  explicit SqliteCredentialRepository(Connection& db) : db_(db) {}
  Result<Id> create(const core::Credential& credential) override;
  Result<std::optional<core::Credential>> findById(Id id) override;
  Result<std::optional<core::Credential>> findByClientKey(const std::string& client_key) override;
  Result<std::vector<core::Credential>> listByUser(Id user_id) override;
  Result<std::vector<core::Credential>> listByOrg(Id org_id) override;
  Status forEach(const std::function<void(const core::Credential&)>& fn) override;
  Result<std::vector<core::Credential>> listExpiredUnrecorded(Seconds now) override;
  Result<std::vector<core::Credential>> listExpiringBetween(Seconds now, Seconds until) override;
  Status update(const core::Credential& credential) override;

 private:
  Connection& db_;
};

class SqliteViewCodeRepository final : public ViewCodeRepository {
 public:
  explicit SqliteViewCodeRepository(Connection& db) : db_(db) {}
  Result<Id> replace(const core::ViewCode& code) override;
  Result<std::optional<core::ViewCode>> latest(Id credential_id) override;
  Result<int> countSince(Id credential_id, Seconds since) override;
  Status update(const core::ViewCode& code) override;

 private:
  Connection& db_;
};

class SqliteSessionRepository final : public SessionRepository {
 public:
  explicit SqliteSessionRepository(Connection& db) : db_(db) {}
  Status create(const core::Session& session) override;
  Result<std::optional<core::Session>> find(const std::string& id_hash) override;
  Status update(const core::Session& session) override;
  Status remove(const std::string& id_hash) override;
  Status purgeExpired(Seconds idle_before, Seconds now) override;

 private:
  Connection& db_;
};

class SqliteEventRepository final : public EventRepository {
 public:
  explicit SqliteEventRepository(Connection& db) : db_(db) {}
  Result<Id> append(const core::Event& event) override;
  Result<std::optional<core::Event>> last() override;
  Status forEach(const std::function<bool(const core::Event&)>& fn) override;
  Result<std::vector<core::Event>> listForOrg(Id org_id, std::optional<Id> credential_id,
                                              int limit) override;

 private:
  Connection& db_;
};

// One connection together with the repositories bound to it, built once per connection so a
// transaction costs no allocation.
class RepositorySet {
 public:
  explicit RepositorySet(std::unique_ptr<Connection> connection);
  RepositorySet(const RepositorySet&) = delete;
  RepositorySet& operator=(const RepositorySet&) = delete;

  Connection& connection() { return *connection_; }
  Repositories& repositories() { return repositories_; }

 private:
  std::unique_ptr<Connection> connection_;
  SqliteOrganizationRepository organizations_;
  SqliteUserRepository users_;
  SqliteCredentialRepository credentials_;
  SqliteViewCodeRepository view_codes_;
  SqliteSessionRepository sessions_;
  SqliteEventRepository events_;
  SqliteSupplierRepositories supplier_;
  SqliteRaasRepositories raas_;
  Repositories repositories_;
};

}  // namespace keygate::storage::sqlite
