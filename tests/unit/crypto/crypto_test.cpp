// Hashes, MACs and encodings against published vectors, and strict rejection of bad input.
#include "crypto/crypto.h"

#include <gtest/gtest.h>

#include <array>
#include <set>

namespace keygate::crypto {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { initialize(); }
};

TEST_F(CryptoTest, Sha256MatchesKnownDigest) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256("abc").size(), 32u);
}

TEST_F(CryptoTest, HmacSha256Rfc4231TestCase2) {
  EXPECT_EQ(toHex(hmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_F(CryptoTest, HmacSha256AcceptsKeysLongerThanABlock) {
  // RFC 4231 test case 6: a 131-byte key is hashed first.
  std::string key(131, '\xaa');
  EXPECT_EQ(toHex(hmacSha256(key, "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_F(CryptoTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(constantTimeEquals("secret", "secret"));
  EXPECT_FALSE(constantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(constantTimeEquals("secret", "secret2"));
  EXPECT_FALSE(constantTimeEquals("", "a"));
  EXPECT_TRUE(constantTimeEquals("", ""));
}

TEST_F(CryptoTest, SecureZeroOverwritesTheBytes) {
  std::string s = "a secret value longer than the small-string buffer";
  const auto length = s.size();
  const char* buffer = s.data();
  secureZero(s);
  EXPECT_TRUE(s.empty());
  // Same allocation, and the bytes that held the secret are now zeros (not just a length of 0).
  ASSERT_EQ(s.data(), buffer);
  for (std::size_t i = 0; i < length; ++i) EXPECT_EQ(buffer[i], '\0') << i;
}

TEST_F(CryptoTest, HexRoundTripAndRejection) {
  std::string raw("\x00\x01\xab\xff", 4);
  EXPECT_EQ(toHex(raw), "0001abff");
  ASSERT_TRUE(fromHex("0001abff"));
  EXPECT_EQ(*fromHex("0001abff"), raw);
  EXPECT_EQ(*fromHex("0001ABFF"), raw);
  EXPECT_EQ(*fromHex(""), "");
  for (auto bad : {"0", "0g", "00 1", "zz", "0001abf", " 00", "00\n"})
    EXPECT_FALSE(fromHex(bad)) << bad;
}

TEST_F(CryptoTest, Base64UrlRoundTripWithoutPadding) {
  std::string raw("\xfb\xff\xfe\x00", 4);
  auto text = base64UrlEncode(raw);
  EXPECT_EQ(text, "-__-AA");
  EXPECT_EQ(base64UrlDecode(text), raw);
  EXPECT_EQ(base64UrlEncode("f"), "Zg");
  EXPECT_EQ(base64UrlEncode("foobar"), "Zm9vYmFy");
  for (std::size_t n = 0; n < 40; ++n) {
    std::string data(n, '\0');
    for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<char>(i * 37 + 11);
    EXPECT_EQ(base64UrlDecode(base64UrlEncode(data)), data) << n;
  }
  for (auto bad : {"Zg==", "+/8", "Z", "Zg!", "Zh", "Zm9v YmFy", "Zm9v\n"})
    EXPECT_FALSE(base64UrlDecode(bad)) << bad;
}

TEST_F(CryptoTest, Base64StandardRoundTripWithPadding) {
  EXPECT_EQ(base64Encode("f"), "Zg==");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_EQ(base64Encode("foo"), "Zm9v");
  EXPECT_EQ(base64Encode(std::string("\xfb\xff", 2)), "+/8=");
  EXPECT_EQ(base64Decode("Zm8="), "fo");
  EXPECT_EQ(base64Decode("+/8="), std::string("\xfb\xff", 2));
  for (auto bad : {"Zg", "Zm8", "-_8=", "Zg===", "Zm9v!", "Zh==", "Z==="})
    EXPECT_FALSE(base64Decode(bad)) << bad;
}

TEST_F(CryptoTest, Base32MatchesRfc4648Vectors) {
  EXPECT_EQ(base32Encode(""), "");
  EXPECT_EQ(base32Encode("f"), "MY");
  EXPECT_EQ(base32Encode("fo"), "MZXQ");
  EXPECT_EQ(base32Encode("foo"), "MZXW6");
  EXPECT_EQ(base32Encode("foob"), "MZXW6YQ");
  EXPECT_EQ(base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(base32Encode("12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST_F(CryptoTest, SodiumRandomFillsAndStaysInBounds) {
  SodiumRandom random;
  std::array<std::byte, 32> a{}, b{};
  random.fill(a);
  random.fill(b);
  EXPECT_NE(a, b);  // 2^-256 chance of a false failure
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 1000; ++i) {
    auto v = random.uniform(10);
    ASSERT_LT(v, 10u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 10u);  // all ten values appear in 1000 draws (fails with p < 1e-40)
}

}  // namespace
}  // namespace keygate::crypto
