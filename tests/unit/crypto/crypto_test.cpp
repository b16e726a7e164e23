// Hashes, MACs and encodings against published vectors, and strict rejection of bad input.
#include "crypto/crypto.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

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

// base64UrlDecode has its own vectorized decoder (bearer tokens are decoded on every call);
// libsodium's decoder is the reference it must agree with on every ASCII input.
std::optional<std::string> sodiumBase64UrlDecode(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

TEST_F(CryptoTest, Base64UrlDecodeAgreesWithLibsodiumOnRandomAsciiInput) {
  std::mt19937 random(20261126);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::size_t length = random() % 120;
    std::string text(length, 'A');
    for (char& c : text) {
      // Mostly alphabet characters, so that many inputs are valid; now and then any ASCII byte.
      c = random() % 16 == 0 ? static_cast<char>(random() % 128) : alphabet[random() % 64];
    }
    const auto expected = sodiumBase64UrlDecode(text);
    EXPECT_EQ(base64UrlDecode(text), expected) << '"' << text << '"';
    if (expected) ++accepted;
  }
  EXPECT_GT(accepted, 1000);  // the comparison covered valid input, not only rejections
}

TEST_F(CryptoTest, Base64UrlDecodeAgreesWithLibsodiumOnEveryTwoAndThreeCharacterTail) {
  // Every ASCII pair after a full group exercises the partial-group and canonical-bits rules.
  for (int a = 0; a < 128; ++a) {
    for (int b = 0; b < 128; ++b) {
      const std::string text = std::string("Zm9v") + static_cast<char>(a) + static_cast<char>(b);
      ASSERT_EQ(base64UrlDecode(text), sodiumBase64UrlDecode(text)) << a << ' ' << b;
      ASSERT_EQ(base64UrlDecode(text + "A"), sodiumBase64UrlDecode(text + "A")) << a << ' ' << b;
    }
  }
}

TEST_F(CryptoTest, Base64UrlDecodeRejectsBytesOutsideAscii) {
  // libsodium 1.0.18 reads such bytes as '_'; a token carrying one is not a token we issued.
  for (int byte = 0x80; byte <= 0xFF; ++byte) {
    std::string text = base64UrlEncode("sixteen bytes!!!");
    text[5] = static_cast<char>(byte);
    EXPECT_FALSE(base64UrlDecode(text)) << byte;
  }
}

TEST_F(CryptoTest, HmacSha256KeyGivesTheSameMacsAsHmacSha256) {
  std::mt19937 random(7);
  for (std::size_t key_length : {0u, 1u, 32u, 63u, 64u, 65u, 131u}) {
    std::string key(key_length, '\0');
    for (char& c : key) c = static_cast<char>(random());
    const HmacSha256Key prepared(key);
    for (std::size_t message_length : {0u, 1u, 55u, 56u, 64u, 200u}) {
      std::string message(message_length, '\0');
      for (char& c : message) c = static_cast<char>(random());
      const std::string expected = hmacSha256(key, message);
      EXPECT_EQ(prepared.mac(message), expected) << key_length << '/' << message_length;
      EXPECT_TRUE(prepared.verify(message, expected));
      std::string wrong = expected;
      wrong[31] = static_cast<char>(wrong[31] ^ 1);
      EXPECT_FALSE(prepared.verify(message, wrong));
      EXPECT_FALSE(prepared.verify(message, expected.substr(0, 31)));
      // Copies compute the same MACs; the original is not consumed by a MAC.
      const HmacSha256Key copy = prepared;
      EXPECT_EQ(copy.mac(message), expected);
    }
  }
}

TEST_F(CryptoTest, MovedFromHmacSha256KeyRefusesToMac) {
  HmacSha256Key key("k");
  HmacSha256Key moved = std::move(key);
  EXPECT_EQ(moved.mac("m"), hmacSha256("k", "m"));
  EXPECT_THROW((void)key.mac("m"), std::logic_error);  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace keygate::crypto
