// argon2id password hashes: verify, reject, and refuse malformed stored values.
#include "crypto/password.h"

#include <gtest/gtest.h>

#include "crypto/crypto.h"

namespace keygate::crypto {
namespace {

TEST(Password, HashVerifiesOnlyTheRightPassword) {
  initialize();
  auto hash = hashPassword("correct horse battery staple", PasswordCost::kMinimum);
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$")) << hash;
  EXPECT_EQ(hash.find("correct horse"), std::string::npos);
  EXPECT_TRUE(verifyPassword("correct horse battery staple", hash));
  EXPECT_FALSE(verifyPassword("correct horse battery stapl", hash));
  EXPECT_FALSE(verifyPassword("", hash));
  // Salted: the same password hashes differently each time, and both verify.
  auto again = hashPassword("correct horse battery staple", PasswordCost::kMinimum);
  EXPECT_NE(hash, again);
  EXPECT_TRUE(verifyPassword("correct horse battery staple", again));
}

TEST(Password, MinimumCostIsEncodedInTheHash) {
  auto hash = hashPassword("pw", PasswordCost::kMinimum);
  EXPECT_NE(hash.find("$m=8,t=1,"), std::string::npos) << hash;
}

TEST(Password, MalformedHashesAreRejected) {
  auto hash = hashPassword("pw", PasswordCost::kMinimum);
  EXPECT_FALSE(verifyPassword("pw", ""));
  EXPECT_FALSE(verifyPassword("pw", "not a hash"));
  EXPECT_FALSE(verifyPassword("pw", hash.substr(0, hash.size() - 3)));
  EXPECT_FALSE(verifyPassword("pw", hash + std::string(1, '\0') + "x"));
  EXPECT_FALSE(verifyPassword("pw", hash + std::string(200, 'A')));
}

}  // namespace
}  // namespace keygate::crypto
