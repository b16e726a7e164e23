// TOTP against the RFC 6238 SHA-1 vectors, the acceptance window, and the otpauth URI.
#include "crypto/totp.h"

#include <gtest/gtest.h>

#include <cstring>

#include "crypto/crypto.h"

namespace keygate::crypto {
namespace {

constexpr std::string_view kRfcSecret = "12345678901234567890";

TEST(Totp, Rfc6238Sha1Vectors) {
  // RFC 6238 Appendix B lists 8-digit codes; 6-digit codes are their last six digits.
  EXPECT_EQ(totpCode(kRfcSecret, 59), "287082");          // 94287082
  EXPECT_EQ(totpCode(kRfcSecret, 1111111109), "081804");  // 07081804
  EXPECT_EQ(totpCode(kRfcSecret, 1111111111), "050471");  // 14050471
  EXPECT_EQ(totpCode(kRfcSecret, 1234567890), "005924");  // 89005924
  EXPECT_EQ(totpCode(kRfcSecret, 2000000000), "279037");  // 69279037
}

TEST(Totp, CodesChangeEveryThirtySeconds) {
  EXPECT_EQ(totpCode(kRfcSecret, 1111111110), totpCode(kRfcSecret, 1111111139));
  EXPECT_NE(totpCode(kRfcSecret, 1111111139), totpCode(kRfcSecret, 1111111140));
}

TEST(Totp, AcceptsTheCurrentStepAndTheWindow) {
  constexpr core::Seconds now = 1111111109;  // step 37037036 (1111111080..1111111109)
  auto code = totpCode(kRfcSecret, now);
  EXPECT_TRUE(verifyTotp(kRfcSecret, code, now));
  // One step late or early is accepted with the default window of 1...
  EXPECT_TRUE(verifyTotp(kRfcSecret, code, now + kTotpStep));
  EXPECT_TRUE(verifyTotp(kRfcSecret, code, now - kTotpStep));
  // ...two steps are not.
  EXPECT_FALSE(verifyTotp(kRfcSecret, code, now + 2 * kTotpStep));
  EXPECT_FALSE(verifyTotp(kRfcSecret, code, now - 2 * kTotpStep));
  // A wider window accepts them; a zero window only the exact step.
  EXPECT_TRUE(verifyTotp(kRfcSecret, code, now + 2 * kTotpStep, 2));
  EXPECT_FALSE(verifyTotp(kRfcSecret, code, now + kTotpStep, 0));
  EXPECT_TRUE(verifyTotp(kRfcSecret, code, now, 0));
}

TEST(Totp, RejectsWrongAndMalformedCodes) {
  constexpr core::Seconds now = 59;
  EXPECT_TRUE(verifyTotp(kRfcSecret, "287082", now));
  EXPECT_FALSE(verifyTotp(kRfcSecret, "287083", now));
  EXPECT_FALSE(verifyTotp("another secret value", "287082", now));
  for (auto bad : {"", "28708", "2870820", "94287082", "28708a", " 87082", "287082 ", "+87082"})
    EXPECT_FALSE(verifyTotp(kRfcSecret, bad, now)) << bad;
}

TEST(Totp, GeneratedSecretsAreTwentyRandomBytes) {
  SodiumRandom random;
  auto a = generateTotpSecret(random);
  auto b = generateTotpSecret(random);
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, b);
  EXPECT_TRUE(verifyTotp(a, totpCode(a, 1700000000), 1700000000));
}

TEST(Totp, MatchTotpStepNamesTheStepOfTheCode) {
  const core::Seconds now = 59 * kTotpStep + 7;  // inside step 59
  EXPECT_EQ(matchTotpStep(kRfcSecret, totpCode(kRfcSecret, now), now), 59);
  EXPECT_EQ(matchTotpStep(kRfcSecret, totpCode(kRfcSecret, now - kTotpStep), now), 58);
  EXPECT_EQ(matchTotpStep(kRfcSecret, totpCode(kRfcSecret, now + kTotpStep), now), 60);
  EXPECT_FALSE(matchTotpStep(kRfcSecret, totpCode(kRfcSecret, now - 2 * kTotpStep), now));
  EXPECT_FALSE(matchTotpStep(kRfcSecret, "12345", now));
  EXPECT_FALSE(matchTotpStep(kRfcSecret, "12345a", now));
}

TEST(Totp, OtpauthUriEncodesLabelAndParameters) {
  EXPECT_EQ(otpauthUri("Keygate", "ann@example.com", kRfcSecret),
            "otpauth://totp/Keygate:ann%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=Keygate&digits=6&period=30");
  EXPECT_EQ(otpauthUri("Acme & Co: VMS", "a b/c?d", "f"),
            "otpauth://totp/Acme%20%26%20Co%3A%20VMS:a%20b%2Fc%3Fd?secret=MY"
            "&issuer=Acme%20%26%20Co%3A%20VMS&digits=6&period=30");
}

}  // namespace
}  // namespace keygate::crypto
