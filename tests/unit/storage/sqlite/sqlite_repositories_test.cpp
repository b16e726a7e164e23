// Round trips of every SQLite repository and every field, against a real database: both a file
// in a temporary directory and ":memory:" (which shares one connection for reads and writes).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/scopes.h"
#include "storage/sqlite/sqlite_store.h"

namespace keygate::storage::sqlite {
namespace {

using core::Errc;

constexpr core::Seconds kT0 = 1764115200;  // 2025-11-26T00:00:00Z

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "keygate-sqlite-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs f (returning Result<T>) in a write transaction and hands back its value.
template <class F>
auto commit(Store& store, F f) {
  using R = std::invoke_result_t<F, Repositories&>;
  std::optional<typename R::value_type> out;
  auto status = store.write([&](Repositories& r) -> core::Status {
    auto value = f(r);
    if (!value) return value.error();
    out = std::move(*value);
    return core::ok();
  });
  EXPECT_TRUE(status) << (status ? "" : status.error().detail);
  return out;
}

// Runs f (returning Result<T>) on a read snapshot and hands back its value.
template <class F>
auto fetch(Store& store, F f) {
  using R = std::invoke_result_t<F, Repositories&>;
  std::optional<typename R::value_type> out;
  auto status = store.read([&](Repositories& r) -> core::Status {
    auto value = f(r);
    if (!value) return value.error();
    out = std::move(*value);
    return core::ok();
  });
  EXPECT_TRUE(status) << (status ? "" : status.error().detail);
  return out;
}

// The error a write transaction ends with.
template <class F>
core::Error writeError(Store& store, F f) {
  auto status = store.write([&](Repositories& r) -> core::Status { return f(r); });
  EXPECT_FALSE(status);
  return status ? core::Error{} : status.error();
}

core::Organization sampleOrg(std::string name) {
  core::Organization org;
  org.name = std::move(name);
  org.type = core::OrgType::kSupplier;
  org.login_method = core::LoginMethod::kTwoFactor;
  org.key_lifetime_days = 180;
  org.api_tier = core::ApiTier::kEnterprise;
  org.created_at = kT0 + 11;
  return org;
}

core::User sampleUser(core::Id org_id, std::string username) {
  core::User user;
  user.org_id = org_id;
  user.username = std::move(username);
  user.email = user.username + "@example.test";
  user.display_name = "Display " + user.username;
  user.role = core::Role::kOrgAdmin;
  user.permissions = core::kPermRaas | core::kPermReportAdmin;
  user.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  user.totp_secret_encrypted = "xc20p1$0badf00d$c2VjcmV0";
  user.totp_pending_encrypted = "xc20p1$0badf00d$cGVuZGluZw";
  user.link_group = 77;
  user.disabled = true;
  user.created_at = kT0 + 22;
  return user;
}

core::Credential sampleCredential(core::Id user_id, core::Id org_id, std::string client_key) {
  core::Credential c;
  c.user_id = user_id;
  c.org_id = org_id;
  c.name = "nightly export";
  c.client_key = std::move(client_key);
  c.secret_hash = "hmac-sha256$0badf00d$abcdef";
  c.secret_encrypted = "xc20p1$0badf00d$Y2lwaGVy";
  c.scopes = core::kScopeRaas | core::kScopeBillingRead | core::kScopeTimecardsWrite;
  c.created_at = kT0 + 100;
  c.expires_at = kT0 + 90 * core::kSecondsPerDay;
  c.status = core::CredentialStatus::kActive;
  c.inactivated_at = kT0 + 200;
  c.inactivated_by = user_id;
  c.last_used_at = kT0 + 150;
  c.shortened_at = kT0 + 160;
  c.expiry_recorded = true;
  return c;
}

void expectSame(const core::Organization& a, const core::Organization& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.login_method, b.login_method);
  EXPECT_EQ(a.key_lifetime_days, b.key_lifetime_days);
  EXPECT_EQ(a.api_tier, b.api_tier);
  EXPECT_EQ(a.created_at, b.created_at);
}

void expectSame(const core::User& a, const core::User& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.org_id, b.org_id);
  EXPECT_EQ(a.username, b.username);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.display_name, b.display_name);
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.permissions, b.permissions);
  EXPECT_EQ(a.password_hash, b.password_hash);
  EXPECT_EQ(a.totp_secret_encrypted, b.totp_secret_encrypted);
  EXPECT_EQ(a.totp_pending_encrypted, b.totp_pending_encrypted);
  EXPECT_EQ(a.link_group, b.link_group);
  EXPECT_EQ(a.disabled, b.disabled);
  EXPECT_EQ(a.created_at, b.created_at);
}

void expectSame(const core::Credential& a, const core::Credential& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.user_id, b.user_id);
  EXPECT_EQ(a.org_id, b.org_id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.client_key, b.client_key);
  EXPECT_EQ(a.secret_hash, b.secret_hash);
  EXPECT_EQ(a.secret_encrypted, b.secret_encrypted);
  EXPECT_EQ(a.scopes, b.scopes);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.expires_at, b.expires_at);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.inactivated_at, b.inactivated_at);
  EXPECT_EQ(a.inactivated_by, b.inactivated_by);
  EXPECT_EQ(a.last_used_at, b.last_used_at);
  EXPECT_EQ(a.shortened_at, b.shortened_at);
  EXPECT_EQ(a.expiry_recorded, b.expiry_recorded);
}

void expectSame(const core::ViewCode& a, const core::ViewCode& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.credential_id, b.credential_id);
  EXPECT_EQ(a.user_id, b.user_id);
  EXPECT_EQ(a.code_hash, b.code_hash);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.expires_at, b.expires_at);
  EXPECT_EQ(a.tries_left, b.tries_left);
  EXPECT_EQ(a.state, b.state);
}

void expectSame(const core::Session& a, const core::Session& b) {
  EXPECT_EQ(a.id_hash, b.id_hash);
  EXPECT_EQ(a.user_id, b.user_id);
  EXPECT_EQ(a.login_user_id, b.login_user_id);
  EXPECT_EQ(a.csrf_token, b.csrf_token);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.last_seen_at, b.last_seen_at);
  EXPECT_EQ(a.absolute_expires_at, b.absolute_expires_at);
  EXPECT_EQ(a.totp_verified, b.totp_verified);
  EXPECT_EQ(a.ip, b.ip);
  EXPECT_EQ(a.user_agent, b.user_agent);
}

void expectSame(const core::Event& a, const core::Event& b) {
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.at, b.at);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.org_id, b.org_id);
  EXPECT_EQ(a.actor_user_id, b.actor_user_id);
  EXPECT_EQ(a.credential_id, b.credential_id);
  EXPECT_EQ(a.ip, b.ip);
  EXPECT_EQ(a.user_agent, b.user_agent);
  EXPECT_EQ(a.details, b.details);
  EXPECT_EQ(a.prev_hash, b.prev_hash);
  EXPECT_EQ(a.hash, b.hash);
}

enum class Backing { kMemory, kFile };

class SqliteRepositoriesTest : public ::testing::TestWithParam<Backing> {
 protected:
  void SetUp() override {
    const std::string path =
        GetParam() == Backing::kMemory ? ":memory:" : (dir_.path() / "keygate.db").string();
    auto opened = SqliteStore::open(path, SqliteOptions{.migrate = true});
    ASSERT_TRUE(opened) << opened.error().detail;
    store_ = std::move(*opened);
  }

  // An organization and one user in it, for tests about what hangs off them.
  void seedOwner() {
    org_id_ =
        *commit(*store_, [](Repositories& r) { return r.organizations.create(sampleOrg("Acme")); });
    user_id_ = *commit(
        *store_, [&](Repositories& r) { return r.users.create(sampleUser(org_id_, "alice")); });
  }

  core::Id createCredential(const std::string& client_key) {
    auto id = commit(*store_, [&](Repositories& r) {
      return r.credentials.create(sampleCredential(user_id_, org_id_, client_key));
    });
    return id.value_or(0);
  }

  TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
  core::Id org_id_ = 0;
  core::Id user_id_ = 0;
};

std::string backingName(const ::testing::TestParamInfo<Backing>& param) {
  return param.param == Backing::kMemory ? "Memory" : "File";
}

INSTANTIATE_TEST_SUITE_P(Backings, SqliteRepositoriesTest,
                         ::testing::Values(Backing::kMemory, Backing::kFile), backingName);

// ---- organizations ----

TEST_P(SqliteRepositoriesTest, OrganizationRoundTripsEveryField) {
  auto org = sampleOrg("Acme Staffing");
  auto id = commit(*store_, [&](Repositories& r) { return r.organizations.create(org); });
  ASSERT_TRUE(id);
  org.id = *id;

  auto by_id = fetch(*store_, [&](Repositories& r) { return r.organizations.findById(*id); });
  ASSERT_TRUE(by_id && *by_id);
  expectSame(**by_id, org);

  auto by_name =
      fetch(*store_, [](Repositories& r) { return r.organizations.findByName("Acme Staffing"); });
  ASSERT_TRUE(by_name && *by_name);
  expectSame(**by_name, org);

  auto missing = fetch(*store_, [](Repositories& r) { return r.organizations.findById(999); });
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);
}

TEST_P(SqliteRepositoriesTest, OrganizationListAndUpdate) {
  auto first =
      *commit(*store_, [](Repositories& r) { return r.organizations.create(sampleOrg("B")); });
  auto second =
      *commit(*store_, [](Repositories& r) { return r.organizations.create(sampleOrg("A")); });

  auto changed = sampleOrg("B renamed");
  changed.id = first;
  changed.type = core::OrgType::kMsp;  // not updatable
  changed.login_method = core::LoginMethod::kSso;
  changed.key_lifetime_days = 30;
  changed.api_tier = core::ApiTier::kUnlimited;
  changed.created_at = 1;  // not updatable
  ASSERT_TRUE(store_->write([&](Repositories& r) { return r.organizations.update(changed); }));

  auto all = fetch(*store_, [](Repositories& r) { return r.organizations.list(); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, first);  // ordered by id
  EXPECT_EQ((*all)[1].id, second);
  const auto& updated = (*all)[0];
  EXPECT_EQ(updated.name, "B renamed");
  EXPECT_EQ(updated.login_method, core::LoginMethod::kSso);
  EXPECT_EQ(updated.key_lifetime_days, 30);
  EXPECT_EQ(updated.api_tier, core::ApiTier::kUnlimited);
  EXPECT_EQ(updated.type, core::OrgType::kSupplier);
  EXPECT_EQ(updated.created_at, kT0 + 11);

  changed.id = 12345;
  auto error =
      writeError(*store_, [&](Repositories& r) { return r.organizations.update(changed); });
  EXPECT_EQ(error.code, Errc::kNotFound);
}

TEST_P(SqliteRepositoriesTest, DuplicateOrganizationNameIsConflict) {
  ASSERT_TRUE(
      commit(*store_, [](Repositories& r) { return r.organizations.create(sampleOrg("Acme")); }));
  auto other =
      *commit(*store_, [](Repositories& r) { return r.organizations.create(sampleOrg("Beta")); });

  // Names are compared case-insensitively.
  auto error = writeError(*store_, [](Repositories& r) -> core::Status {
    KG_TRY(r.organizations.create(sampleOrg("ACME")));
    return core::ok();
  });
  EXPECT_EQ(error.code, Errc::kConflict);
  EXPECT_EQ(error.message, "An organization with this name already exists.");

  auto rename = sampleOrg("acme");
  rename.id = other;
  error = writeError(*store_, [&](Repositories& r) { return r.organizations.update(rename); });
  EXPECT_EQ(error.code, Errc::kConflict);
  EXPECT_EQ(error.message, "An organization with this name already exists.");
}

TEST_P(SqliteRepositoriesTest, SchemaRejectsKeyLifetimesOutsideThePolicy) {
  auto org = sampleOrg("Odd");
  org.key_lifetime_days = 45;
  auto error = writeError(*store_, [&](Repositories& r) -> core::Status {
    KG_TRY(r.organizations.create(org));
    return core::ok();
  });
  EXPECT_EQ(error.code, Errc::kInternal);
  EXPECT_NE(error.detail.find("CHECK constraint failed"), std::string::npos) << error.detail;
}

// ---- users ----

TEST_P(SqliteRepositoriesTest, UserRoundTripsEveryField) {
  seedOwner();
  auto user = sampleUser(org_id_, "bob");
  user.link_group = std::nullopt;
  user.disabled = false;
  user.totp_secret_encrypted.clear();
  auto id = commit(*store_, [&](Repositories& r) { return r.users.create(user); });
  ASSERT_TRUE(id);
  user.id = *id;

  auto by_id = fetch(*store_, [&](Repositories& r) { return r.users.findById(*id); });
  ASSERT_TRUE(by_id && *by_id);
  expectSame(**by_id, user);
  EXPECT_FALSE((*by_id)->totpEnabled());

  // Usernames are case-insensitive for sign-in.
  auto by_name = fetch(*store_, [](Repositories& r) { return r.users.findByUsername("BoB"); });
  ASSERT_TRUE(by_name && *by_name);
  expectSame(**by_name, user);

  auto alice = fetch(*store_, [](Repositories& r) { return r.users.findByUsername("alice"); });
  ASSERT_TRUE(alice && *alice);
  expectSame(**alice, [&] {
    auto expected = sampleUser(org_id_, "alice");
    expected.id = user_id_;
    return expected;
  }());
}

TEST_P(SqliteRepositoriesTest, UserListsAndUpdate) {
  seedOwner();
  auto other_org =
      *commit(*store_, [](Repositories& r) { return r.organizations.create(sampleOrg("Other")); });
  auto carol = sampleUser(other_org, "carol");  // link group 77, like alice
  auto carol_id = *commit(*store_, [&](Repositories& r) { return r.users.create(carol); });
  auto dave = sampleUser(org_id_, "dave");
  dave.link_group = std::nullopt;
  auto dave_id = *commit(*store_, [&](Repositories& r) { return r.users.create(dave); });

  auto in_org = fetch(*store_, [&](Repositories& r) { return r.users.listByOrg(org_id_); });
  ASSERT_TRUE(in_org);
  ASSERT_EQ(in_org->size(), 2u);
  EXPECT_EQ((*in_org)[0].id, user_id_);
  EXPECT_EQ((*in_org)[1].id, dave_id);

  auto linked = fetch(*store_, [](Repositories& r) { return r.users.listLinked(77); });
  ASSERT_TRUE(linked);
  ASSERT_EQ(linked->size(), 2u);
  EXPECT_EQ((*linked)[0].id, user_id_);
  EXPECT_EQ((*linked)[1].id, carol_id);

  core::User changed = sampleUser(org_id_, "dave");
  changed.id = dave_id;
  changed.org_id = other_org;  // not updatable
  changed.username = "david";  // not updatable
  changed.created_at = 5;      // not updatable
  changed.email = "new@example.test";
  changed.display_name = "David";
  changed.role = core::Role::kClientManager;
  changed.permissions = core::kPermReportAdmin;
  changed.password_hash = "$argon2id$new";
  changed.totp_secret_encrypted = "xc20p1$k$new";
  changed.totp_pending_encrypted = "";
  changed.link_group = 78;
  changed.disabled = false;
  ASSERT_TRUE(store_->write([&](Repositories& r) { return r.users.update(changed); }));

  auto reread = fetch(*store_, [&](Repositories& r) { return r.users.findById(dave_id); });
  ASSERT_TRUE(reread && *reread);
  auto expected = changed;
  expected.org_id = org_id_;
  expected.username = "dave";
  expected.created_at = kT0 + 22;
  expectSame(**reread, expected);

  changed.id = 4242;
  EXPECT_EQ(writeError(*store_, [&](Repositories& r) { return r.users.update(changed); }).code,
            Errc::kNotFound);
}

TEST_P(SqliteRepositoriesTest, DuplicateUsernameIsConflictAndUnknownOrgIsRejected) {
  seedOwner();
  auto error = writeError(*store_, [&](Repositories& r) -> core::Status {
    KG_TRY(r.users.create(sampleUser(org_id_, "ALICE")));
    return core::ok();
  });
  EXPECT_EQ(error.code, Errc::kConflict);
  EXPECT_EQ(error.message, "This username is already taken.");

  error = writeError(*store_, [](Repositories& r) -> core::Status {
    KG_TRY(r.users.create(sampleUser(9999, "orphan")));
    return core::ok();
  });
  EXPECT_EQ(error.code, Errc::kInternal);
  EXPECT_NE(error.detail.find("FOREIGN KEY"), std::string::npos) << error.detail;
}

// ---- credentials ----

TEST_P(SqliteRepositoriesTest, CredentialIdsStartAt100001) {
  seedOwner();
  EXPECT_EQ(createCredential("kgck_first"), 100001);
  EXPECT_EQ(createCredential("kgck_second"), 100002);
}

TEST_P(SqliteRepositoriesTest, CredentialRoundTripsEveryField) {
  seedOwner();
  auto full = sampleCredential(user_id_, org_id_, "kgck_full");  // every optional set
  full.id = createCredential("kgck_full");

  auto plain = sampleCredential(user_id_, org_id_, "kgck_plain");
  plain.inactivated_at.reset();
  plain.inactivated_by.reset();
  plain.last_used_at.reset();
  plain.shortened_at.reset();
  plain.expiry_recorded = false;
  plain.status = core::CredentialStatus::kInactive;
  plain.id = *commit(*store_, [&](Repositories& r) { return r.credentials.create(plain); });

  for (const auto& expected : {full, plain}) {
    auto by_id =
        fetch(*store_, [&](Repositories& r) { return r.credentials.findById(expected.id); });
    ASSERT_TRUE(by_id && *by_id);
    expectSame(**by_id, expected);
    auto by_key = fetch(*store_, [&](Repositories& r) {
      return r.credentials.findByClientKey(expected.client_key);
    });
    ASSERT_TRUE(by_key && *by_key);
    expectSame(**by_key, expected);
  }
  auto missing =
      fetch(*store_, [](Repositories& r) { return r.credentials.findByClientKey("kgck_nope"); });
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);
}

TEST_P(SqliteRepositoriesTest, CredentialListsAndForEach) {
  seedOwner();
  auto bob_id =
      *commit(*store_, [&](Repositories& r) { return r.users.create(sampleUser(org_id_, "bob")); });
  auto other_org =
      *commit(*store_, [](Repositories& r) { return r.organizations.create(sampleOrg("Other")); });
  auto erin_id = *commit(
      *store_, [&](Repositories& r) { return r.users.create(sampleUser(other_org, "erin")); });

  const auto a = createCredential("kgck_a");
  const auto b = *commit(*store_, [&](Repositories& r) {
    return r.credentials.create(sampleCredential(bob_id, org_id_, "kgck_b"));
  });
  const auto c = *commit(*store_, [&](Repositories& r) {
    return r.credentials.create(sampleCredential(erin_id, other_org, "kgck_c"));
  });
  const auto d = createCredential("kgck_d");

  auto ids = [](const std::vector<core::Credential>& list) {
    std::vector<core::Id> out;
    for (const auto& credential : list) out.push_back(credential.id);
    return out;
  };
  auto by_user =
      fetch(*store_, [&](Repositories& r) { return r.credentials.listByUser(user_id_); });
  ASSERT_TRUE(by_user);
  EXPECT_EQ(ids(*by_user), (std::vector<core::Id>{a, d}));
  auto by_org = fetch(*store_, [&](Repositories& r) { return r.credentials.listByOrg(org_id_); });
  ASSERT_TRUE(by_org);
  EXPECT_EQ(ids(*by_org), (std::vector<core::Id>{a, b, d}));

  // forEach visits every credential in id order; the callback may use the repository itself.
  std::vector<core::Id> seen;
  std::vector<std::string> keys_found_inside;
  ASSERT_TRUE(store_->read([&](Repositories& r) {
    return r.credentials.forEach([&](const core::Credential& credential) {
      seen.push_back(credential.id);
      auto again = r.credentials.findById(credential.id);
      if (again && *again) keys_found_inside.push_back((*again)->client_key);
      auto all = r.credentials.listByOrg(credential.org_id);  // same query shape as forEach's
      EXPECT_TRUE(all);
    });
  }));
  EXPECT_EQ(seen, (std::vector<core::Id>{a, b, c, d}));
  EXPECT_EQ(keys_found_inside, (std::vector<std::string>{"kgck_a", "kgck_b", "kgck_c", "kgck_d"}));
}

TEST_P(SqliteRepositoriesTest, ListExpiredUnrecorded) {
  seedOwner();
  auto make = [&](std::string key, core::Seconds expires_at, core::CredentialStatus status,
                  bool recorded) {
    auto c = sampleCredential(user_id_, org_id_, std::move(key));
    c.expires_at = expires_at;
    c.status = status;
    c.expiry_recorded = recorded;
    return *commit(*store_, [&](Repositories& r) { return r.credentials.create(c); });
  };
  const core::Seconds now = kT0 + 1000;
  const auto expired = make("kgck_expired", now - 1, core::CredentialStatus::kActive, false);
  const auto at_now = make("kgck_at_now", now, core::CredentialStatus::kActive, false);
  make("kgck_future", now + 1, core::CredentialStatus::kActive, false);
  make("kgck_recorded", now - 5, core::CredentialStatus::kActive, true);
  make("kgck_inactive", now - 5, core::CredentialStatus::kInactive, false);

  auto due =
      fetch(*store_, [&](Repositories& r) { return r.credentials.listExpiredUnrecorded(now); });
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].id, expired);
  EXPECT_EQ((*due)[1].id, at_now);

  // Recording the expiry takes it off the list.
  auto first = (*due)[0];
  first.expiry_recorded = true;
  ASSERT_TRUE(store_->write([&](Repositories& r) { return r.credentials.update(first); }));
  due = fetch(*store_, [&](Repositories& r) { return r.credentials.listExpiredUnrecorded(now); });
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, at_now);
}

TEST_P(SqliteRepositoriesTest, CredentialUpdateChangesOnlyMutableFields) {
  seedOwner();
  auto stored = sampleCredential(user_id_, org_id_, "kgck_u");
  stored.inactivated_at.reset();
  stored.inactivated_by.reset();
  stored.last_used_at.reset();
  stored.shortened_at.reset();
  stored.expiry_recorded = false;
  stored.id = *commit(*store_, [&](Repositories& r) { return r.credentials.create(stored); });

  auto changed = stored;
  changed.name = "renamed";
  changed.expires_at = stored.expires_at - 10;  // shortening is allowed
  changed.status = core::CredentialStatus::kInactive;
  changed.inactivated_at = kT0 + 500;
  changed.inactivated_by = user_id_;
  changed.last_used_at = kT0 + 400;
  changed.shortened_at = kT0 + 300;
  changed.expiry_recorded = true;
  // Never written by update():
  changed.client_key = "kgck_other";
  changed.secret_hash = "hmac-sha256$x$other";
  changed.secret_encrypted = "xc20p1$x$other";
  changed.scopes = core::kScopeRaas;
  changed.user_id = 0;
  changed.org_id = 0;
  changed.created_at = 1;
  ASSERT_TRUE(store_->write([&](Repositories& r) { return r.credentials.update(changed); }));

  auto reread = fetch(*store_, [&](Repositories& r) { return r.credentials.findById(stored.id); });
  ASSERT_TRUE(reread && *reread);
  auto expected = changed;
  expected.client_key = stored.client_key;
  expected.secret_hash = stored.secret_hash;
  expected.secret_encrypted = stored.secret_encrypted;
  expected.scopes = stored.scopes;
  expected.user_id = stored.user_id;
  expected.org_id = stored.org_id;
  expected.created_at = stored.created_at;
  expectSame(**reread, expected);

  changed.id = 1;
  EXPECT_EQ(
      writeError(*store_, [&](Repositories& r) { return r.credentials.update(changed); }).code,
      Errc::kNotFound);
}

TEST_P(SqliteRepositoriesTest, DatabaseRefusesToExtendExpiryOrReactivate) {
  seedOwner();
  auto stored = sampleCredential(user_id_, org_id_, "kgck_rules");
  stored.status = core::CredentialStatus::kActive;
  stored.id = *commit(*store_, [&](Repositories& r) { return r.credentials.create(stored); });

  auto extended = stored;
  extended.expires_at += 1;
  auto error = writeError(*store_, [&](Repositories& r) { return r.credentials.update(extended); });
  EXPECT_EQ(error.code, Errc::kExpiryImmutable);

  auto inactive = stored;
  inactive.status = core::CredentialStatus::kInactive;
  ASSERT_TRUE(store_->write([&](Repositories& r) { return r.credentials.update(inactive); }));
  error = writeError(*store_, [&](Repositories& r) { return r.credentials.update(stored); });
  EXPECT_EQ(error.code, Errc::kInactivationIrreversible);

  auto reread = fetch(*store_, [&](Repositories& r) { return r.credentials.findById(stored.id); });
  ASSERT_TRUE(reread && *reread);
  EXPECT_EQ((*reread)->status, core::CredentialStatus::kInactive);
  EXPECT_EQ((*reread)->expires_at, stored.expires_at);
}

TEST_P(SqliteRepositoriesTest, DuplicateClientKeyIsConflict) {
  seedOwner();
  createCredential("kgck_same");
  auto error = writeError(*store_, [&](Repositories& r) -> core::Status {
    KG_TRY(r.credentials.create(sampleCredential(user_id_, org_id_, "kgck_same")));
    return core::ok();
  });
  EXPECT_EQ(error.code, Errc::kConflict);
  EXPECT_EQ(error.message, "This Client Key already exists.");
}

// ---- view codes ----

core::ViewCode sampleCode(core::Id credential_id, core::Id user_id, core::Seconds created_at,
                          std::string hash) {
  core::ViewCode code;
  code.credential_id = credential_id;
  code.user_id = user_id;
  code.code_hash = std::move(hash);
  code.created_at = created_at;
  code.expires_at = created_at + 600;
  code.tries_left = 5;
  code.state = core::ViewCodeState::kActive;
  return code;
}

TEST_P(SqliteRepositoriesTest, ViewCodeReplaceSupersedesThePreviousActiveCode) {
  seedOwner();
  const auto credential = createCredential("kgck_v");
  const auto other_credential = createCredential("kgck_w");

  auto first = sampleCode(credential, user_id_, kT0, "hash-1");
  first.id = *commit(*store_, [&](Repositories& r) { return r.view_codes.replace(first); });
  auto other = sampleCode(other_credential, user_id_, kT0, "hash-other");
  other.id = *commit(*store_, [&](Repositories& r) { return r.view_codes.replace(other); });

  auto latest = fetch(*store_, [&](Repositories& r) { return r.view_codes.latest(credential); });
  ASSERT_TRUE(latest && *latest);
  expectSame(**latest, first);

  // Same second as the first code: the later insert still counts as the newest.
  auto second = sampleCode(credential, user_id_, kT0, "hash-2");
  second.tries_left = 4;
  second.id = *commit(*store_, [&](Repositories& r) { return r.view_codes.replace(second); });
  EXPECT_NE(second.id, first.id);

  latest = fetch(*store_, [&](Repositories& r) { return r.view_codes.latest(credential); });
  ASSERT_TRUE(latest && *latest);
  expectSame(**latest, second);

  // replace() only supersedes codes of its own credential.
  auto other_latest =
      fetch(*store_, [&](Repositories& r) { return r.view_codes.latest(other_credential); });
  ASSERT_TRUE(other_latest && *other_latest);
  expectSame(**other_latest, other);

  auto none = fetch(*store_, [](Repositories& r) { return r.view_codes.latest(424242); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST_P(SqliteRepositoriesTest, ViewCodeUpdateAndSupersededState) {
  seedOwner();
  const auto credential = createCredential("kgck_v");
  auto first = sampleCode(credential, user_id_, kT0 + 100, "hash-1");
  first.id = *commit(*store_, [&](Repositories& r) { return r.view_codes.replace(first); });

  first.tries_left = 2;
  ASSERT_TRUE(store_->write([&](Repositories& r) { return r.view_codes.update(first); }));
  auto latest = fetch(*store_, [&](Repositories& r) { return r.view_codes.latest(credential); });
  ASSERT_TRUE(latest && *latest);
  expectSame(**latest, first);

  // An older-dated code inserted by replace(): the previous one must now be superseded, and
  // `latest` (by created_at) shows it with that state.
  auto older = sampleCode(credential, user_id_, kT0, "hash-0");
  ASSERT_TRUE(commit(*store_, [&](Repositories& r) { return r.view_codes.replace(older); }));
  latest = fetch(*store_, [&](Repositories& r) { return r.view_codes.latest(credential); });
  ASSERT_TRUE(latest && *latest);
  EXPECT_EQ((*latest)->id, first.id);
  EXPECT_EQ((*latest)->state, core::ViewCodeState::kSuperseded);
  EXPECT_EQ((*latest)->tries_left, 2);

  for (auto state : {core::ViewCodeState::kUsed, core::ViewCodeState::kBurned}) {
    auto code = **latest;
    code.state = state;
    code.tries_left = 0;
    ASSERT_TRUE(store_->write([&](Repositories& r) { return r.view_codes.update(code); }));
    auto reread = fetch(*store_, [&](Repositories& r) { return r.view_codes.latest(credential); });
    ASSERT_TRUE(reread && *reread);
    expectSame(**reread, code);
  }

  auto bad = **latest;
  bad.tries_left = 6;
  EXPECT_EQ(writeError(*store_, [&](Repositories& r) { return r.view_codes.update(bad); }).code,
            Errc::kInternal);
  bad.tries_left = 1;
  bad.id = 987654;
  EXPECT_EQ(writeError(*store_, [&](Repositories& r) { return r.view_codes.update(bad); }).code,
            Errc::kNotFound);
}

TEST_P(SqliteRepositoriesTest, ViewCodeCountSince) {
  seedOwner();
  const auto credential = createCredential("kgck_v");
  const auto other = createCredential("kgck_w");
  for (core::Seconds at : {kT0, kT0 + 60, kT0 + 120, kT0 + 180}) {
    ASSERT_TRUE(commit(*store_, [&](Repositories& r) {
      return r.view_codes.replace(sampleCode(credential, user_id_, at, "h"));
    }));
  }
  ASSERT_TRUE(commit(*store_, [&](Repositories& r) {
    return r.view_codes.replace(sampleCode(other, user_id_, kT0 + 180, "h"));
  }));
  auto count = [&](core::Id id, core::Seconds since) {
    return fetch(*store_, [&](Repositories& r) { return r.view_codes.countSince(id, since); })
        .value_or(-1);
  };
  EXPECT_EQ(count(credential, kT0), 4);
  EXPECT_EQ(count(credential, kT0 + 60), 3);  // at or after
  EXPECT_EQ(count(credential, kT0 + 61), 2);
  EXPECT_EQ(count(credential, kT0 + 181), 0);
  EXPECT_EQ(count(other, kT0), 1);
}

// ---- sessions ----

core::Session sampleSession(std::string id_hash, core::Id user_id) {
  core::Session s;
  s.id_hash = std::move(id_hash);
  s.user_id = user_id;
  s.login_user_id = user_id;
  s.csrf_token = "csrf-" + s.id_hash;
  s.created_at = kT0;
  s.last_seen_at = kT0 + 60;
  s.absolute_expires_at = kT0 + 12 * 3600;
  s.totp_verified = true;
  s.ip = "203.0.113.7";
  s.user_agent = "Mozilla/5.0 (test)";
  return s;
}

TEST_P(SqliteRepositoriesTest, SessionRoundTripUpdateAndRemove) {
  seedOwner();
  auto carol = *commit(
      *store_, [&](Repositories& r) { return r.users.create(sampleUser(org_id_, "carol")); });
  auto session = sampleSession("h1", user_id_);
  ASSERT_TRUE(store_->write([&](Repositories& r) { return r.sessions.create(session); }));
  auto found = fetch(*store_, [](Repositories& r) { return r.sessions.find("h1"); });
  ASSERT_TRUE(found && *found);
  expectSame(**found, session);

  // A session that has not signed in yet carries user id 0.
  auto anonymous = sampleSession("h0", 0);
  anonymous.totp_verified = false;
  ASSERT_TRUE(store_->write([&](Repositories& r) { return r.sessions.create(anonymous); }));
  found = fetch(*store_, [](Repositories& r) { return r.sessions.find("h0"); });
  ASSERT_TRUE(found && *found);
  expectSame(**found, anonymous);

  auto changed = session;
  changed.user_id = carol;  // switched to a linked account
  changed.last_seen_at = kT0 + 900;
  changed.totp_verified = false;
  changed.csrf_token = "rotated";
  changed.login_user_id = carol;  // not updatable
  changed.ip = "198.51.100.1";    // not updatable
  ASSERT_TRUE(store_->write([&](Repositories& r) { return r.sessions.update(changed); }));
  found = fetch(*store_, [](Repositories& r) { return r.sessions.find("h1"); });
  ASSERT_TRUE(found && *found);
  auto expected = changed;
  expected.login_user_id = user_id_;
  expected.ip = session.ip;
  expectSame(**found, expected);

  auto error = writeError(*store_, [&](Repositories& r) { return r.sessions.create(session); });
  EXPECT_EQ(error.code, Errc::kConflict);

  ASSERT_TRUE(store_->write([](Repositories& r) { return r.sessions.remove("h1"); }));
  ASSERT_TRUE(store_->write([](Repositories& r) { return r.sessions.remove("h1"); }));
  found = fetch(*store_, [](Repositories& r) { return r.sessions.find("h1"); });
  ASSERT_TRUE(found);
  EXPECT_FALSE(*found);
  EXPECT_EQ(writeError(*store_, [&](Repositories& r) { return r.sessions.update(changed); }).code,
            Errc::kNotFound);
}

TEST_P(SqliteRepositoriesTest, SessionPurgeRemovesIdleAndExpiredOnly) {
  seedOwner();
  auto make = [&](std::string id, core::Seconds last_seen, core::Seconds absolute) {
    auto s = sampleSession(std::move(id), user_id_);
    s.last_seen_at = last_seen;
    s.absolute_expires_at = absolute;
    ASSERT_TRUE(store_->write([&](Repositories& r) { return r.sessions.create(s); }));
  };
  const core::Seconds now = kT0 + 10000;
  const core::Seconds idle_before = now - 1800;
  make("idle", idle_before - 1, now + 100);
  make("just-active", idle_before, now + 100);
  make("expired", now, now);
  make("alive", now, now + 1);

  ASSERT_TRUE(
      store_->write([&](Repositories& r) { return r.sessions.purgeExpired(idle_before, now); }));
  for (const auto& [id, kept] : std::vector<std::pair<std::string, bool>>{
           {"idle", false}, {"just-active", true}, {"expired", false}, {"alive", true}}) {
    auto found = fetch(*store_, [&](Repositories& r) { return r.sessions.find(id); });
    ASSERT_TRUE(found);
    EXPECT_EQ(found->has_value(), kept) << id;
  }
}

// ---- events ----

core::Event sampleEvent(int n, std::optional<core::Id> org_id,
                        std::optional<core::Id> credential_id) {
  core::Event e;
  e.at = kT0 + n;
  e.type = "key.revealed";
  e.org_id = org_id;
  e.actor_user_id = 1000 + n;
  e.credential_id = credential_id;
  e.ip = "192.0.2." + std::to_string(n);
  e.user_agent = "agent/" + std::to_string(n);
  e.details = "{\"n\":" + std::to_string(n) + "}";
  e.prev_hash = n == 0 ? "" : "hash-" + std::to_string(n - 1);
  e.hash = "hash-" + std::to_string(n);
  return e;
}

TEST_P(SqliteRepositoriesTest, EventsAppendLastAndForEachInOrder) {
  auto empty = fetch(*store_, [](Repositories& r) { return r.events.last(); });
  ASSERT_TRUE(empty);
  EXPECT_FALSE(*empty);

  std::vector<core::Event> appended;
  for (int n = 0; n < 5; ++n) {
    auto e = sampleEvent(n, n % 2 == 0 ? std::optional<core::Id>(7) : std::nullopt,
                         n == 3 ? std::optional<core::Id>(100001) : std::nullopt);
    if (n == 4) e.actor_user_id.reset();
    e.seq = *commit(*store_, [&](Repositories& r) { return r.events.append(e); });
    if (!appended.empty()) {
      EXPECT_GT(e.seq, appended.back().seq);
    }
    appended.push_back(e);
  }

  auto last = fetch(*store_, [](Repositories& r) { return r.events.last(); });
  ASSERT_TRUE(last && *last);
  expectSame(**last, appended.back());

  std::vector<core::Event> seen;
  ASSERT_TRUE(store_->read([&](Repositories& r) {
    return r.events.forEach([&](const core::Event& e) {
      seen.push_back(e);
      return true;
    });
  }));
  ASSERT_EQ(seen.size(), appended.size());
  for (std::size_t i = 0; i < seen.size(); ++i) expectSame(seen[i], appended[i]);

  int visited = 0;
  ASSERT_TRUE(store_->read([&](Repositories& r) {
    return r.events.forEach([&](const core::Event&) { return ++visited < 2; });
  }));
  EXPECT_EQ(visited, 2);
}

TEST_P(SqliteRepositoriesTest, EventsListForOrgNewestFirst) {
  std::vector<core::Id> seqs;
  for (int n = 0; n < 6; ++n) {
    const core::Id org = n < 5 ? 7 : 8;
    const std::optional<core::Id> credential =
        n % 2 == 0 ? std::optional<core::Id>(100001) : std::optional<core::Id>(100002);
    seqs.push_back(*commit(*store_, [&](Repositories& r) {
      return r.events.append(sampleEvent(n, org, credential));
    }));
  }
  auto seq_of = [](const std::vector<core::Event>& events) {
    std::vector<core::Id> out;
    for (const auto& e : events) out.push_back(e.seq);
    return out;
  };
  auto all =
      fetch(*store_, [](Repositories& r) { return r.events.listForOrg(7, std::nullopt, 100); });
  ASSERT_TRUE(all);
  EXPECT_EQ(seq_of(*all), (std::vector<core::Id>{seqs[4], seqs[3], seqs[2], seqs[1], seqs[0]}));

  auto limited =
      fetch(*store_, [](Repositories& r) { return r.events.listForOrg(7, std::nullopt, 2); });
  ASSERT_TRUE(limited);
  EXPECT_EQ(seq_of(*limited), (std::vector<core::Id>{seqs[4], seqs[3]}));

  auto one_key =
      fetch(*store_, [](Repositories& r) { return r.events.listForOrg(7, 100001, 100); });
  ASSERT_TRUE(one_key);
  EXPECT_EQ(seq_of(*one_key), (std::vector<core::Id>{seqs[4], seqs[2], seqs[0]}));

  // Another organization's event for the same credential id never leaks in.
  auto org8 = fetch(*store_, [](Repositories& r) { return r.events.listForOrg(8, 100001, 100); });
  ASSERT_TRUE(org8);
  EXPECT_TRUE(org8->empty());

  auto none =
      fetch(*store_, [](Repositories& r) { return r.events.listForOrg(7, std::nullopt, 0); });
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace keygate::storage::sqlite
