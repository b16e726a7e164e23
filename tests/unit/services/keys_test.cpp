#include "core/credential_format.h"
#include "core/key_rules.h"
#include "core/scopes.h"
#include "fixture.h"

namespace keygate::services::testing {
namespace {

class KeysTest : public ServicesTest {
 protected:
  KeysTest()
      : supplier(makeOrg("Acme", core::OrgType::kSupplier)),
        client(makeOrg("Globex", core::OrgType::kClient)),
        sam(makeUser(supplier, "sam")),
        sam_actor(actorFor(sam, supplier)) {}

  core::Organization supplier, client;
  core::User sam;
  Actor sam_actor;
};

TEST_F(KeysTest, GenerateReturnsThreePartsAndStoresOnlyHashAndCiphertext) {
  auto key = generate(sam_actor, {"engagements:read", "billing:read"});
  EXPECT_GE(key.credential.id, 100001);
  EXPECT_TRUE(core::isWellFormedClientKey(key.credential.client_key));
  EXPECT_TRUE(core::isWellFormedClientSecret(key.client_secret));
  EXPECT_EQ(key.credential.scopes,
            core::kScopeRaas | core::kScopeEngagementsRead | core::kScopeBillingRead);

  std::optional<core::Credential> stored;
  ASSERT_TRUE(store->read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(stored, repos.credentials.findById(key.credential.id));
    return core::ok();
  }));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->secret_hash.find(key.client_secret), std::string::npos);
  EXPECT_EQ(stored->secret_encrypted.find(key.client_secret), std::string::npos);
  EXPECT_TRUE(stored->secret_hash.starts_with("hmac-sha256$"));
  EXPECT_TRUE(keyring.verifySecret(key.client_secret, stored->secret_hash));
  EXPECT_EQ(countEvents("key.generated"), 1u);
  EXPECT_TRUE(status_view.isUsable(key.credential.id, clock.now()));
}

TEST_F(KeysTest, DefaultExpiryIsTheOrganizationsLifetimeAndLaterDatesAreRejected) {
  auto key = generate(sam_actor);
  EXPECT_EQ(key.credential.expires_at,
            core::latestExpiryDate(clock.now(), supplier.key_lifetime_days) + core::kSecondsPerDay);
  auto too_late = keys->generate(
      sam_actor,
      {"k",
       core::latestExpiryDate(clock.now(), supplier.key_lifetime_days) + core::kSecondsPerDay,
       {}},
      context);
  ASSERT_FALSE(too_late);
  EXPECT_EQ(too_late.error().code, core::Errc::kValidationFailed);
  EXPECT_EQ(too_late.error().field, "expiresOn");
}

TEST_F(KeysTest, ClientOrganizationsGetNoSupplierScopes) {
  auto carla = makeUser(client, "carla", core::Role::kClientManager);
  auto actor = actorFor(carla, client);
  auto refused = keys->generate(actor, {"k", std::nullopt, {"engagements:read"}}, context);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::kValidationFailed);
  EXPECT_EQ(refused.error().field, "scopes");
  auto unknown = keys->generate(sam_actor, {"k", std::nullopt, {"admin:all"}}, context);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "scopes");
  auto ok = generate(actor);
  EXPECT_EQ(ok.credential.scopes, static_cast<std::uint32_t>(core::kScopeRaas));
}

TEST_F(KeysTest, AccountsWithoutRaasPermissionCannotHoldKeys) {
  auto viewer = makeUser(supplier, "viewer", core::Role::kSupplierUser, 0);
  auto refused = keys->generate(actorFor(viewer, supplier), {"k", std::nullopt, {}}, context);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::kPermissionDenied);
}

TEST_F(KeysTest, KeyExpiresOnItsDateAndMovesToTheAuditLog) {
  auto key = generate(sam_actor, {}, core::startOfDay(clock.now()) + 3 * core::kSecondsPerDay);
  auto token =
      tokens->issue(key.credential.id, key.credential.client_key, key.client_secret, context);
  ASSERT_TRUE(token);
  ASSERT_TRUE(tokens->verify(token->access_token));

  clock.set(key.credential.expires_at);  // the first second after the chosen day
  auto lists = keys->listOwn(sam_actor);
  ASSERT_TRUE(lists);
  EXPECT_TRUE(lists->active.empty());
  ASSERT_EQ(lists->audit.size(), 1u);
  EXPECT_EQ(lists->audit[0].status, KeyStatus::kExpired);
  EXPECT_FALSE(tokens->verify(token->access_token));
  EXPECT_FALSE(
      tokens->issue(key.credential.id, key.credential.client_key, key.client_secret, context));

  auto recorded = keys->recordExpirations();
  ASSERT_TRUE(recorded);
  EXPECT_EQ(*recorded, 1);
  EXPECT_EQ(*keys->recordExpirations(), 0);  // recorded once
  EXPECT_EQ(countEvents("key.expired"), 1u);
}

TEST_F(KeysTest, ExpiryCanNeverBeRemovedOrExtended) {
  auto key = generate(sam_actor);
  KeyPatch patch;
  patch.touches_expiry = true;
  auto refused = keys->update(sam_actor, key.credential.id, patch, context);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::kExpiryImmutable);
  auto view = keys->get(sam_actor, key.credential.id);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->credential.expires_at, key.credential.expires_at);
}

TEST_F(KeysTest, RotationShortensTheOlderKeyToSevenDaysAndBothWork) {
  auto first = generate(sam_actor);
  clock.advance(3 * core::kSecondsPerDay);
  auto second = generate(sam_actor);
  ASSERT_EQ(second.shortened.size(), 1u);
  EXPECT_EQ(second.shortened[0], first.credential.id);
  auto older = keys->get(sam_actor, first.credential.id);
  ASSERT_TRUE(older);
  EXPECT_EQ(older->credential.expires_at, clock.now() + 7 * core::kSecondsPerDay);
  EXPECT_EQ(countEvents("key.shortened"), 1u);

  // Both work during the overlap…
  EXPECT_TRUE(tokens->issue(first.credential.id, first.credential.client_key, first.client_secret,
                            context));
  EXPECT_TRUE(tokens->issue(second.credential.id, second.credential.client_key,
                            second.client_secret, context));
  // …and the older stops after it.
  clock.advance(7 * core::kSecondsPerDay);
  EXPECT_FALSE(tokens->issue(first.credential.id, first.credential.client_key, first.client_secret,
                             context));
  EXPECT_TRUE(tokens->issue(second.credential.id, second.credential.client_key,
                            second.client_secret, context));
}

TEST_F(KeysTest, RotationNeverLengthensAKeyWithLessThanSevenDaysLeft) {
  auto short_key =
      generate(sam_actor, {}, core::startOfDay(clock.now()) + 2 * core::kSecondsPerDay);
  auto fresh = generate(sam_actor);
  EXPECT_TRUE(fresh.shortened.empty());
  auto view = keys->get(sam_actor, short_key.credential.id);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->credential.expires_at, short_key.credential.expires_at);
}

TEST_F(KeysTest, InactivationIsImmediateAndIrreversible) {
  auto key = generate(sam_actor);
  auto token =
      tokens->issue(key.credential.id, key.credential.client_key, key.client_secret, context);
  ASSERT_TRUE(token);
  auto done = keys->inactivate(sam_actor, key.credential.id, context);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, KeyStatus::kInactive);
  EXPECT_FALSE(tokens->verify(token->access_token));  // revoked at once

  auto again = keys->inactivate(sam_actor, key.credential.id, context);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::kKeyNotActive);
  KeyPatch reactivate;
  reactivate.status = "active";
  auto refused = keys->update(sam_actor, key.credential.id, reactivate, context);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::kInactivationIrreversible);

  auto lists = keys->listOwn(sam_actor);
  ASSERT_TRUE(lists);
  ASSERT_EQ(lists->audit.size(), 1u);
  EXPECT_EQ(lists->audit[0].status, KeyStatus::kInactive);
  EXPECT_EQ(lists->audit[0].inactivated_by_name, "sam");
  ASSERT_TRUE(lists->audit[0].credential.inactivated_at);
}

TEST_F(KeysTest, OnlyTheOwnerOrAnAdminOfTheSameOrganizationMayInactivate) {
  auto key = generate(sam_actor);
  auto colleague = makeUser(supplier, "colleague");
  auto denied = keys->inactivate(actorFor(colleague, supplier), key.credential.id, context);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, core::Errc::kNotFound);

  auto other_admin = makeUser(client, "other-admin", core::Role::kOrgAdmin);
  auto foreign = keys->inactivate(actorFor(other_admin, client), key.credential.id, context);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, core::Errc::kNotFound);

  auto admin = makeUser(supplier, "admin", core::Role::kOrgAdmin);
  auto admin_actor = actorFor(admin, supplier);
  auto org_keys = keys->listOrganization(admin_actor);
  ASSERT_TRUE(org_keys);
  ASSERT_EQ(org_keys->size(), 1u);
  EXPECT_EQ((*org_keys)[0].owner_username, "sam");
  ASSERT_TRUE(keys->inactivate(admin_actor, key.credential.id, context));
  EXPECT_FALSE(keys->listOrganization(actorFor(colleague, supplier)));
}

TEST_F(KeysTest, BasicOrganizationsRevealOnlyWithTheEmailedCode) {
  auto key = generate(sam_actor);
  auto without = keys->reveal(sam_actor, key.credential.id, std::nullopt, context);
  ASSERT_FALSE(without);
  EXPECT_EQ(without.error().field, "code");

  auto sent = keys->requestViewCode(sam_actor, key.credential.id, context);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->tries_left, 5);
  EXPECT_EQ(sent->expires_at, clock.now() + 600);
  ASSERT_EQ(mailer.sent.size(), 1u);
  EXPECT_EQ(mailer.sent[0].to, "sam@example.com");
  const std::string code = mailer.lastCode();
  ASSERT_EQ(code.size(), 8u);

  auto revealed = keys->reveal(sam_actor, key.credential.id, code, context);
  ASSERT_TRUE(revealed) << revealed.error().message;
  EXPECT_EQ(revealed->client_secret, key.client_secret);
  EXPECT_EQ(revealed->credential.client_key, key.credential.client_key);

  auto reused = keys->reveal(sam_actor, key.credential.id, code, context);  // single use
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().code, core::Errc::kInvalidViewCode);

  const auto revealed_events = countEvents("key.revealed");
  EXPECT_EQ(revealed_events, 1u);
  for (const auto& e : allEvents()) {
    if (e.type != "key.revealed") continue;
    EXPECT_EQ(e.ip, "203.0.113.7");
    EXPECT_EQ(e.user_agent, "unit-test/1.0");
  }
}

TEST_F(KeysTest, FiveWrongCodesBurnTheCodeAndANewCodeWorks) {
  auto key = generate(sam_actor);
  ASSERT_TRUE(keys->requestViewCode(sam_actor, key.credential.id, context));
  const std::string code = mailer.lastCode();
  const std::string wrong = code == "00000000" ? "11111111" : "00000000";
  for (int expected_left = 4; expected_left >= 0; --expected_left) {
    auto r = keys->reveal(sam_actor, key.credential.id, wrong, context);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kInvalidViewCode);
    ASSERT_TRUE(r.error().tries_left);
    EXPECT_EQ(*r.error().tries_left, expected_left);
  }
  EXPECT_EQ(countEvents("view_code.failed"), 4u);
  EXPECT_EQ(countEvents("view_code.burned"), 1u);
  auto burned = keys->reveal(sam_actor, key.credential.id, code, context);
  ASSERT_FALSE(burned);
  EXPECT_EQ(burned.error().code, core::Errc::kInvalidViewCode);

  clock.advance(settings.view_code_resend);
  ASSERT_TRUE(keys->requestViewCode(sam_actor, key.credential.id, context));
  EXPECT_TRUE(keys->reveal(sam_actor, key.credential.id, mailer.lastCode(), context));
}

TEST_F(KeysTest, CodesExpireAfterTenMinutes) {
  auto key = generate(sam_actor);
  ASSERT_TRUE(keys->requestViewCode(sam_actor, key.credential.id, context));
  const auto code = mailer.lastCode();
  clock.advance(600);
  auto late = keys->reveal(sam_actor, key.credential.id, code, context);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, core::Errc::kViewCodeExpired);
}

TEST_F(KeysTest, OnlyTheNewestCodeIsValidAndResendIsThrottled) {
  auto key = generate(sam_actor);
  ASSERT_TRUE(keys->requestViewCode(sam_actor, key.credential.id, context));
  const auto first = mailer.lastCode();
  auto too_soon = keys->requestViewCode(sam_actor, key.credential.id, context);
  ASSERT_FALSE(too_soon);
  EXPECT_EQ(too_soon.error().code, core::Errc::kRateLimited);
  ASSERT_TRUE(too_soon.error().retry_after_seconds);
  EXPECT_EQ(*too_soon.error().retry_after_seconds, settings.view_code_resend);
  EXPECT_EQ(mailer.sent.size(), 1u);

  clock.advance(settings.view_code_resend);
  ASSERT_TRUE(keys->requestViewCode(sam_actor, key.credential.id, context));
  const auto second = mailer.lastCode();
  if (first != second) {
    auto stale = keys->reveal(sam_actor, key.credential.id, first, context);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, core::Errc::kInvalidViewCode);
  }
  EXPECT_TRUE(keys->reveal(sam_actor, key.credential.id, second, context));

  // At most view_code_max_per_hour codes per hour.
  for (int i = 2; i < settings.view_code_max_per_hour; ++i) {
    clock.advance(settings.view_code_resend);
    ASSERT_TRUE(keys->requestViewCode(sam_actor, key.credential.id, context));
  }
  clock.advance(settings.view_code_resend);
  auto hourly = keys->requestViewCode(sam_actor, key.credential.id, context);
  ASSERT_FALSE(hourly);
  EXPECT_EQ(hourly.error().code, core::Errc::kRateLimited);
}

TEST_F(KeysTest, MailOutageWritesNothingAndAsksToRetry) {
  auto key = generate(sam_actor);
  const auto events_before = allEvents().size();
  mailer.down = true;
  auto refused = keys->requestViewCode(sam_actor, key.credential.id, context);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::kMailUnavailable);
  ASSERT_TRUE(refused.error().retry_after_seconds);
  EXPECT_EQ(allEvents().size(), events_before);
  std::optional<core::ViewCode> latest;
  ASSERT_TRUE(store->read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(latest, repos.view_codes.latest(key.credential.id));
    return core::ok();
  }));
  EXPECT_FALSE(latest);
  // Not throttled by the failed attempt: it works as soon as mail is back.
  mailer.down = false;
  EXPECT_TRUE(keys->requestViewCode(sam_actor, key.credential.id, context));
}

TEST_F(KeysTest, CodeIsStoredOnlyAsAKeyedHash) {
  auto key = generate(sam_actor);
  ASSERT_TRUE(keys->requestViewCode(sam_actor, key.credential.id, context));
  std::optional<core::ViewCode> latest;
  ASSERT_TRUE(store->read([&](storage::Repositories& repos) -> core::Status {
    KG_ASSIGN_OR_RETURN(latest, repos.view_codes.latest(key.credential.id));
    return core::ok();
  }));
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->code_hash.find(mailer.lastCode()), std::string::npos);
  EXPECT_NE(latest->code_hash, crypto::sha256Hex(mailer.lastCode()));
}

TEST_F(KeysTest, TwoFactorOrganizationsRevealWithoutACode) {
  auto northwind = makeOrg("Northwind", core::OrgType::kSupplier, core::LoginMethod::kTwoFactor);
  auto tara = makeUser(northwind, "tara");
  auto actor = actorFor(tara, northwind);
  auto key = generate(actor);
  auto code = keys->requestViewCode(actor, key.credential.id, context);
  ASSERT_FALSE(code);
  EXPECT_EQ(code.error().code, core::Errc::kViewCodeNotRequired);
  auto revealed = keys->reveal(actor, key.credential.id, std::nullopt, context);
  ASSERT_TRUE(revealed);
  EXPECT_EQ(revealed->client_secret, key.client_secret);
  EXPECT_EQ(countEvents("key.revealed"), 1u);

  actor.second_factor_ok = false;  // not enrolled yet
  auto refused = keys->generate(actor, {"k", std::nullopt, {}}, context);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::kTotpEnrollmentRequired);
}

TEST_F(KeysTest, LinkedAccountsDoNotShareKeys) {
  auto pat_supplier = makeUser(supplier, "pat.acme");
  auto pat_client = makeUser(client, "pat.globex", core::Role::kClientManager);
  ASSERT_TRUE(accounts->linkAccounts(pat_supplier.id, pat_client.id));
  auto key = generate(actorFor(pat_supplier, supplier));
  auto other = actorFor(pat_client, client);
  auto lists = keys->listOwn(other);
  ASSERT_TRUE(lists);
  EXPECT_TRUE(lists->active.empty());
  EXPECT_EQ(keys->get(other, key.credential.id).error().code, core::Errc::kNotFound);
  EXPECT_FALSE(keys->reveal(other, key.credential.id, std::nullopt, context));
  auto token =
      tokens->issue(key.credential.id, key.credential.client_key, key.client_secret, context);
  ASSERT_TRUE(token);
  EXPECT_EQ(token->claims.user_id, pat_supplier.id);
}

}  // namespace
}  // namespace keygate::services::testing

namespace keygate::services::testing {
namespace {

class RemindersTest : public ServicesTest {
 protected:
  RemindersTest()
      : supplier(makeOrg("Acme", core::OrgType::kSupplier)), sam(makeUser(supplier, "sam")) {}
  core::Organization supplier;
  core::User sam;
};

TEST_F(RemindersTest, EachThresholdIsMailedOnceAsTheClockCrossesIt) {
  // Valid through the 20th day from today.
  auto key = generate(actorFor(sam, supplier), {},
                      core::startOfDay(clock.now()) + 20 * core::kSecondsPerDay);
  auto run = [&] {
    auto r = keys->sendExpiryReminders();
    EXPECT_TRUE(r);
    return r ? r->sent : -1;
  };
  EXPECT_EQ(run(), 0);  // more than 14 days left
  clock.set(key.credential.expires_at - 14 * core::kSecondsPerDay);
  EXPECT_EQ(run(), 1);
  ASSERT_EQ(mailer.sent.size(), 1u);
  EXPECT_EQ(mailer.sent[0].to, "sam@example.com");
  EXPECT_NE(mailer.sent[0].subject.find("expires in 14 days"), std::string::npos);
  EXPECT_EQ(run(), 0);  // once per threshold
  clock.set(key.credential.expires_at - 7 * core::kSecondsPerDay + 1);
  EXPECT_EQ(run(), 1);
  clock.set(key.credential.expires_at - 3600);
  EXPECT_EQ(run(), 1);
  EXPECT_NE(mailer.sent.back().subject.find("expires in 1 day"), std::string::npos);
  EXPECT_EQ(run(), 0);
  clock.set(key.credential.expires_at);
  EXPECT_EQ(run(), 0);  // expired keys get no reminder
  EXPECT_EQ(countEvents("key.expiry_reminder_sent"), 3u);
}

TEST_F(RemindersTest, InactiveKeysGetNoReminderAndMailFailuresRetry) {
  auto actor = actorFor(sam, supplier);
  auto gone = generate(actor, {}, core::startOfDay(clock.now()) + 5 * core::kSecondsPerDay);
  ASSERT_TRUE(keys->inactivate(actor, gone.credential.id, context));
  auto kept = generate(actor, {}, core::startOfDay(clock.now()) + 5 * core::kSecondsPerDay);
  mailer.down = true;
  auto failed = keys->sendExpiryReminders();
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->sent, 0);
  EXPECT_EQ(failed->failed, 1);
  mailer.down = false;
  auto retried = keys->sendExpiryReminders();
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->sent, 1);
  ASSERT_EQ(mailer.sent.size(), 1u);
  EXPECT_NE(mailer.sent[0].text_body.find(std::to_string(kept.credential.id)), std::string::npos);
}

}  // namespace
}  // namespace keygate::services::testing
