#include "crypto/totp.h"
#include "fixture.h"

namespace keygate::services::testing {
namespace {

class AccountsTest : public ServicesTest {
 protected:
  AccountsTest()
      : supplier(makeOrg("Acme", core::OrgType::kSupplier)), sam(makeUser(supplier, "sam")) {}
  core::Organization supplier;
  core::User sam;
};

TEST_F(AccountsTest, LoginCreatesASessionThatAuthenticates) {
  auto signed_in = accounts->login({"sam", "correct horse battery", std::nullopt}, context);
  ASSERT_TRUE(signed_in) << signed_in.error().message;
  EXPECT_TRUE(signed_in->cookie_token.starts_with("kgs_"));
  // Only the keyed hash of the cookie is stored.
  EXPECT_EQ(signed_in->actor.session.id_hash.find(signed_in->cookie_token), std::string::npos);
  auto actor = accounts->authenticate(signed_in->cookie_token);
  ASSERT_TRUE(actor);
  EXPECT_EQ(actor->user.id, sam.id);
  EXPECT_TRUE(AccountService::csrfMatches(actor->session, signed_in->actor.session.csrf_token));
  EXPECT_FALSE(AccountService::csrfMatches(actor->session, ""));
  EXPECT_FALSE(AccountService::csrfMatches(actor->session, "forged"));
  EXPECT_EQ(countEvents("login.succeeded"), 1u);

  ASSERT_TRUE(accounts->logout(signed_in->cookie_token, context));
  EXPECT_FALSE(accounts->authenticate(signed_in->cookie_token));
}

TEST_F(AccountsTest, WrongPasswordAndUnknownUserAnswerAlike) {
  auto wrong = accounts->login({"sam", "wrong password!", std::nullopt}, context);
  auto unknown = accounts->login({"nobody", "wrong password!", std::nullopt}, context);
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, core::Errc::kInvalidCredentials);
  EXPECT_EQ(unknown.error().code, core::Errc::kInvalidCredentials);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AccountsTest, SessionsExpireWhenIdle) {
  auto signed_in = accounts->login({"sam", "correct horse battery", std::nullopt}, context);
  ASSERT_TRUE(signed_in);
  clock.advance(settings.session_idle - 1);
  ASSERT_TRUE(accounts->authenticate(signed_in->cookie_token));  // activity resets idleness
  clock.advance(settings.session_idle - 1);
  ASSERT_TRUE(accounts->authenticate(signed_in->cookie_token));
  clock.advance(settings.session_idle);
  auto expired = accounts->authenticate(signed_in->cookie_token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, core::Errc::kUnauthenticated);
}

TEST_F(AccountsTest, LoginFailuresAreThrottledPerAccount) {
  for (int i = 0; i < settings.login_max_failures; ++i)
    EXPECT_FALSE(accounts->login({"sam", "wrong password!", std::nullopt}, context));
  auto blocked = accounts->login({"sam", "correct horse battery", std::nullopt}, context);
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, core::Errc::kRateLimited);
  ASSERT_TRUE(blocked.error().retry_after_seconds);
  EXPECT_EQ(*blocked.error().retry_after_seconds, settings.login_window);
  clock.advance(settings.login_window);
  EXPECT_TRUE(accounts->login({"sam", "correct horse battery", std::nullopt}, context));
}

TEST_F(AccountsTest, LoginFailuresAreThrottledPerAddress) {
  core::RequestContext attacker{"198.51.100.1", "x", ""};
  for (int i = 0; i < settings.login_max_failures_per_ip; ++i)
    EXPECT_FALSE(
        accounts->login({"user" + std::to_string(i), "wrong password!", std::nullopt}, attacker));
  auto blocked = accounts->login({"sam", "correct horse battery", std::nullopt}, attacker);
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, core::Errc::kRateLimited);
  EXPECT_TRUE(accounts->login({"sam", "correct horse battery", std::nullopt}, context));
}

TEST_F(AccountsTest, TwoFactorEnrollmentThenLoginNeedsTheCode) {
  auto northwind = makeOrg("Northwind", core::OrgType::kSupplier, core::LoginMethod::kTwoFactor);
  makeUser(northwind, "tara");
  auto first = accounts->login({"tara", "correct horse battery", std::nullopt}, context);
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->actor.second_factor_ok);  // must enroll before holding keys

  auto enrollment = accounts->beginTotpEnrollment(first->actor);
  ASSERT_TRUE(enrollment);
  EXPECT_TRUE(enrollment->otpauth_uri.starts_with("otpauth://totp/"));
  // Decode the base32 secret the way an authenticator app would.
  std::string secret;
  {
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    unsigned buffer = 0;
    int bits = 0;
    for (char c : enrollment->secret_base32) {
      buffer = (buffer << 5) | static_cast<unsigned>(alphabet.find(c));
      bits += 5;
      if (bits >= 8) {
        secret.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xff));
        bits -= 8;
      }
    }
  }
  auto actor = accounts->authenticate(first->cookie_token);
  ASSERT_TRUE(actor);
  EXPECT_FALSE(accounts->confirmTotpEnrollment(*actor, "000000x", context));
  ASSERT_TRUE(
      accounts->confirmTotpEnrollment(*actor, crypto::totpCode(secret, clock.now()), context));
  auto enrolled = accounts->authenticate(first->cookie_token);
  ASSERT_TRUE(enrolled);
  EXPECT_TRUE(enrolled->second_factor_ok);

  // The enrollment used this step's code: it does not sign in (no replay within its window).
  const std::string enrollment_code = crypto::totpCode(secret, clock.now());
  auto replayed = accounts->login({"tara", "correct horse battery", enrollment_code}, context);
  ASSERT_FALSE(replayed);
  EXPECT_EQ(replayed.error().code, core::Errc::kTotpRequired);
  EXPECT_NE(replayed.error().message.find("already used"), std::string::npos);
  clock.advance(crypto::kTotpStep);

  auto missing = accounts->login({"tara", "correct horse battery", std::nullopt}, context);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::Errc::kTotpRequired);
  const std::string current = crypto::totpCode(secret, clock.now());
  const std::string wrong = current == "000000" ? "111111" : "000000";
  auto bad = accounts->login({"tara", "correct horse battery", wrong}, context);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, core::Errc::kTotpRequired);
  auto good = accounts->login({"tara", "correct horse battery", current}, context);
  ASSERT_TRUE(good);
  EXPECT_TRUE(good->actor.second_factor_ok);

  // The same code again, still inside its window: refused. An earlier step's code, though
  // inside the ±1 window, is refused too: only a later step than the last one used counts.
  auto again = accounts->login({"tara", "correct horse battery", current}, context);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::kTotpRequired);
  auto earlier = accounts->login(
      {"tara", "correct horse battery", crypto::totpCode(secret, clock.now() - crypto::kTotpStep)},
      context);
  EXPECT_FALSE(earlier);
  // The next step's code works once it is current.
  clock.advance(crypto::kTotpStep);
  auto next = accounts->login(
      {"tara", "correct horse battery", crypto::totpCode(secret, clock.now())}, context);
  ASSERT_TRUE(next) << next.error().message;
}

TEST_F(AccountsTest, SsoOrganizationsCannotUsePasswords) {
  auto initech = makeOrg("Initech", core::OrgType::kClient, core::LoginMethod::kSso);
  makeUser(initech, "ivan", core::Role::kClientManager);
  auto refused = accounts->login({"ivan", "correct horse battery", std::nullopt}, context);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::kSsoRequired);
}

TEST_F(AccountsTest, SwitchingStaysWithinLinkedAccounts) {
  auto client = makeOrg("Globex", core::OrgType::kClient);
  auto pat_client = makeUser(client, "pat.globex", core::Role::kClientManager);
  auto stranger = makeUser(client, "stranger", core::Role::kClientManager);
  ASSERT_TRUE(accounts->linkAccounts(sam.id, pat_client.id));
  auto signed_in = accounts->login({"sam", "correct horse battery", std::nullopt}, context);
  ASSERT_TRUE(signed_in);
  auto linked = accounts->linkedAccounts(signed_in->actor.user);
  ASSERT_TRUE(linked);
  EXPECT_EQ(linked->size(), 2u);

  auto switched = accounts->switchAccount(signed_in->actor, pat_client.id, context);
  ASSERT_TRUE(switched);
  EXPECT_EQ(switched->user.id, pat_client.id);
  EXPECT_EQ(switched->org.id, client.id);
  auto after = accounts->authenticate(signed_in->cookie_token);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->user.id, pat_client.id);  // the session acts as the linked account now

  auto refused = accounts->switchAccount(*after, stranger.id, context);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::kNotFound);
  ASSERT_TRUE(accounts->switchAccount(*after, sam.id, context));
}

TEST_F(AccountsTest, OrganizationSettingsAreValidated) {
  auto bad = accounts->updateOrganization(supplier.id, {std::nullopt, 45, std::nullopt},
                                          std::nullopt, context);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "keyLifetimeDays");
  auto good = accounts->updateOrganization(
      supplier.id, {core::LoginMethod::kTwoFactor, 30, core::ApiTier::kEnterprise}, std::nullopt,
      context);
  ASSERT_TRUE(good);
  EXPECT_EQ(good->key_lifetime_days, 30);
  EXPECT_EQ(good->login_method, core::LoginMethod::kTwoFactor);
  EXPECT_EQ(good->api_tier, core::ApiTier::kEnterprise);
  EXPECT_EQ(countEvents("organization.updated"), 1u);
}

}  // namespace
}  // namespace keygate::services::testing
