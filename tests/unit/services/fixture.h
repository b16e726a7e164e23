// A services fixture: a real SQLite database in memory, a fake clock, a real keyring and a
// recording mailer (the one fake: unit tests do not need a mail server).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "crypto/crypto.h"
#include "crypto/keyring.h"
#include "mail/mailer.h"
#include "services/accounts.h"
#include "services/credential_status_view.h"
#include "services/event_log.h"
#include "services/keys.h"
#include "services/settings.h"
#include "services/tokens.h"
#include "storage/sqlite/sqlite_store.h"

namespace keygate::services::testing {

class RecordingMailer final : public mail::Mailer {
 public:
  core::Status send(const mail::Message& message) override {
    if (down) {
      core::Error e = core::makeError(core::Errc::kMailUnavailable, "mail is down");
      e.retry_after_seconds = 30;
      return e;
    }
    sent.push_back(message);
    return core::ok();
  }
  // The 8-digit code of the newest message.
  std::string lastCode() const {
    if (sent.empty()) return {};
    // The first run of exactly eight digits in the body.
    const std::string& body = sent.back().text_body;
    for (std::size_t i = 0; i < body.size();) {
      std::size_t j = i;
      while (j < body.size() && body[j] >= '0' && body[j] <= '9') ++j;
      if (j - i == 8) return body.substr(i, 8);
      i = j == i ? i + 1 : j;
    }
    return {};
  }
  std::vector<mail::Message> sent;
  bool down = false;
};

inline constexpr core::Seconds kStart = 1790000000;  // 2026-09-21T14:13:20Z

class ServicesTest : public ::testing::Test {
 protected:
  ServicesTest() : clock(kStart), keyring(crypto::Keyring::fromMasterKey(std::string(32, '\x42'))) {
    crypto::initialize();
    settings.password_cost = crypto::PasswordCost::kMinimum;
    storage::sqlite::SqliteStore::Options options;
    options.migrate = true;
    auto opened = storage::sqlite::SqliteStore::open(":memory:", options);
    EXPECT_TRUE(opened) << (opened ? "" : opened.error().detail);
    store = std::move(*opened);
    events = std::make_unique<EventLog>(clock);
    accounts = std::make_unique<AccountService>(*store, clock, random, keyring, *events, settings);
    keys = std::make_unique<KeyService>(*store, clock, random, keyring, mailer, *events,
                                        status_view, settings);
    tokens = std::make_unique<TokenService>(*store, clock, random, keyring, *events, status_view,
                                            settings);
  }

  core::Organization makeOrg(const std::string& name, core::OrgType type,
                             core::LoginMethod login = core::LoginMethod::kBasic,
                             std::optional<int> lifetime = std::nullopt) {
    auto org = accounts->createOrganization({name, type, login, lifetime, core::ApiTier::kCore});
    EXPECT_TRUE(org);
    return *org;
  }

  core::User makeUser(const core::Organization& org, const std::string& username,
                      core::Role role = core::Role::kSupplierUser,
                      std::uint32_t permissions = core::kPermRaas) {
    auto user = accounts->createUser({org.id, username, username + "@example.com", username, role,
                                      permissions, "correct horse battery"});
    EXPECT_TRUE(user);
    return *user;
  }

  Actor actorFor(const core::User& user, const core::Organization& org) {
    core::Session session;
    session.user_id = user.id;
    session.login_user_id = user.id;
    session.totp_verified = true;
    return Actor{user, org, session, true};
  }

  GeneratedKey generate(const Actor& actor, std::vector<std::string> scopes = {},
                        std::optional<core::Seconds> expires_on = std::nullopt) {
    auto key = keys->generate(actor, {"integration", expires_on, std::move(scopes)}, context);
    EXPECT_TRUE(key) << (key ? "" : key.error().message);
    return *key;
  }

  std::vector<core::Event> allEvents() {
    std::vector<core::Event> out;
    EXPECT_TRUE(store->read([&](storage::Repositories& repos) {
      return repos.events.forEach([&](const core::Event& e) {
        out.push_back(e);
        return true;
      });
    }));
    return out;
  }

  std::size_t countEvents(const std::string& type) {
    std::size_t n = 0;
    for (const auto& e : allEvents())
      if (e.type == type) ++n;
    return n;
  }

  core::FakeClock clock;
  crypto::SodiumRandom random;
  crypto::Keyring keyring;
  Settings settings;
  RecordingMailer mailer;
  std::unique_ptr<storage::sqlite::SqliteStore> store;
  std::unique_ptr<EventLog> events;
  CredentialStatusView status_view;
  std::unique_ptr<AccountService> accounts;
  std::unique_ptr<KeyService> keys;
  std::unique_ptr<TokenService> tokens;
  core::RequestContext context{"203.0.113.7", "unit-test/1.0", "req-1"};
};

}  // namespace keygate::services::testing
