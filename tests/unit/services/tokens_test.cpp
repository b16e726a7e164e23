#include "core/credential_format.h"
#include "core/scopes.h"
#include "fixture.h"

namespace keygate::services::testing {
namespace {

class TokensTest : public ServicesTest {
 protected:
  TokensTest()
      : supplier(makeOrg("Acme", core::OrgType::kSupplier)),
        sam(makeUser(supplier, "sam")),
        key(generate(actorFor(sam, supplier), {"workers:write"})) {}

  core::Organization supplier;
  core::User sam;
  GeneratedKey key;
};

TEST_F(TokensTest, IssuedTokenVerifiesWithItsClaims) {
  auto token =
      tokens->issue(key.credential.id, key.credential.client_key, key.client_secret, context);
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_TRUE(token->access_token.starts_with("kgat_"));
  EXPECT_EQ(token->expires_in, settings.token_ttl);
  auto claims = tokens->verify(token->access_token);
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->credential_id, key.credential.id);
  EXPECT_EQ(claims->user_id, sam.id);
  EXPECT_EQ(claims->org_id, supplier.id);
  EXPECT_EQ(claims->scopes, core::kScopeRaas | core::kScopeWorkersWrite);
  EXPECT_EQ(claims->key_expires_at, key.credential.expires_at);  // from the status view
  EXPECT_EQ(countEvents("token.issued"), 1u);
  auto view = keys->get(actorFor(sam, supplier), key.credential.id);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->credential.last_used_at, clock.now());
}

TEST_F(TokensTest, OAuthFormFindsTheCredentialByClientKey) {
  auto token = tokens->issueForClientKey(key.credential.client_key, key.client_secret, context);
  ASSERT_TRUE(token);
  EXPECT_EQ(tokens->verify(token->access_token)->credential_id, key.credential.id);
  EXPECT_FALSE(
      tokens->issueForClientKey(key.credential.client_key, key.client_secret + "x", context));
}

TEST_F(TokensTest, TokensExpireAfterTheirLifetime) {
  auto token =
      tokens->issue(key.credential.id, key.credential.client_key, key.client_secret, context);
  ASSERT_TRUE(token);
  clock.advance(settings.token_ttl - 1);
  EXPECT_TRUE(tokens->verify(token->access_token));
  clock.advance(1);
  auto expired = tokens->verify(token->access_token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, core::Errc::kUnauthenticated);
}

TEST_F(TokensTest, TamperedOrForeignTokensFail) {
  auto token =
      tokens->issue(key.credential.id, key.credential.client_key, key.client_secret, context);
  ASSERT_TRUE(token);
  std::string tampered = token->access_token;
  for (std::size_t i = 5; i < tampered.size(); i += 7) {
    std::string t = tampered;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(tokens->verify(t)) << "position " << i;
  }
  EXPECT_FALSE(tokens->verify(""));
  EXPECT_FALSE(tokens->verify("kgat_"));
  EXPECT_FALSE(tokens->verify(token->access_token.substr(0, token->access_token.size() - 2)));

  auto other_keyring = crypto::Keyring::fromMasterKey(std::string(32, '\x07'));
  TokenCodec foreign(other_keyring, random);
  auto claims = tokens->verify(token->access_token);
  ASSERT_TRUE(claims);
  EXPECT_FALSE(tokens->verify(foreign.encode(*claims)));
}

TEST_F(TokensTest, WrongPartsAreRejectedAlikeAndThrottled) {
  auto wrong_secret = tokens->issue(key.credential.id, key.credential.client_key,
                                    core::generateClientSecret(random), context);
  auto wrong_key =
      tokens->issue(key.credential.id, core::generateClientKey(random), key.client_secret, context);
  auto wrong_id =
      tokens->issue(key.credential.id + 1, key.credential.client_key, key.client_secret, context);
  auto typo =
      tokens->issue(key.credential.id, key.credential.client_key,
                    key.client_secret.substr(0, key.client_secret.size() - 1) + "0", context);
  for (auto* r : {&wrong_secret, &wrong_key, &wrong_id, &typo}) {
    ASSERT_FALSE(*r);
    EXPECT_EQ(r->error().code, core::Errc::kUnauthenticated);
    EXPECT_EQ(r->error().message, wrong_secret.error().message);  // never says which part
  }
  // Three failures so far against this credential (the wrong-id one counts for another).
  for (int i = 3; i < settings.token_max_failures; ++i)
    EXPECT_FALSE(tokens->issue(key.credential.id, key.credential.client_key, "nope", context));
  auto blocked =
      tokens->issue(key.credential.id, key.credential.client_key, key.client_secret, context);
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, core::Errc::kRateLimited);
  ASSERT_TRUE(blocked.error().retry_after_seconds);
  EXPECT_GT(*blocked.error().retry_after_seconds, 0);

  clock.advance(settings.token_window);
  EXPECT_TRUE(
      tokens->issue(key.credential.id, key.credential.client_key, key.client_secret, context));
}

TEST_F(TokensTest, FailuresFromOneAddressAreThrottledAcrossCredentials) {
  core::RequestContext attacker{"198.51.100.9", "x", ""};
  for (int i = 0; i < settings.token_max_failures_per_ip; ++i)
    EXPECT_FALSE(tokens->issue(200000 + i, key.credential.client_key, key.client_secret, attacker));
  auto blocked =
      tokens->issue(key.credential.id, key.credential.client_key, key.client_secret, attacker);
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, core::Errc::kRateLimited);
  // Another address is unaffected.
  EXPECT_TRUE(
      tokens->issue(key.credential.id, key.credential.client_key, key.client_secret, context));
}

TEST_F(TokensTest, StatusViewReloadsFromTheDatabase) {
  CredentialStatusView fresh;
  ASSERT_TRUE(fresh.load(*store));
  EXPECT_EQ(fresh.size(), 1u);
  EXPECT_TRUE(fresh.isUsable(key.credential.id, clock.now()));
  EXPECT_FALSE(fresh.isUsable(key.credential.id, key.credential.expires_at));
  EXPECT_FALSE(fresh.isUsable(key.credential.id + 1, clock.now()));
}

}  // namespace
}  // namespace keygate::services::testing
