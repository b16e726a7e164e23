#include "core/credential_format.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "core/scopes.h"

namespace keygate::core {
namespace {

class SeededRandom final : public Random {
 public:
  explicit SeededRandom(unsigned seed) : engine_(seed) {}
  void fill(std::span<std::byte> out) override {
    for (auto& b : out) b = static_cast<std::byte>(engine_() & 0xff);
  }
  std::uint32_t uniform(std::uint32_t upper) override {
    return std::uniform_int_distribution<std::uint32_t>(0, upper - 1)(engine_);
  }

 private:
  std::mt19937 engine_;
};

TEST(CredentialFormat, GeneratedValuesHavePrefixLengthAndValidChecksum) {
  SeededRandom random(7);
  const auto key = generateClientKey(random);
  const auto secret = generateClientSecret(random);
  EXPECT_TRUE(key.starts_with("kgck_"));
  EXPECT_TRUE(secret.starts_with("kgcs_"));
  EXPECT_EQ(key.size(), 5 + kClientKeyBodyLength + kChecksumLength);
  EXPECT_EQ(secret.size(), 5 + kClientSecretBodyLength + kChecksumLength);
  EXPECT_TRUE(isWellFormedClientKey(key));
  EXPECT_TRUE(isWellFormedClientSecret(secret));
  EXPECT_FALSE(isWellFormedClientKey(secret));
  EXPECT_FALSE(isWellFormedClientSecret(key));
}

TEST(CredentialFormat, ChecksumCatchesEverySingleCharacterTypo) {
  SeededRandom random(11);
  const auto secret = generateClientSecret(random);
  for (std::size_t i = 5; i < secret.size(); ++i) {
    std::string typo = secret;
    typo[i] = typo[i] == 'a' ? 'b' : 'a';
    EXPECT_FALSE(isWellFormedClientSecret(typo)) << "position " << i;
  }
  std::string swapped = secret;
  std::swap(swapped[10], swapped[11]);
  if (swapped != secret) {
    EXPECT_FALSE(isWellFormedClientSecret(swapped));
  }
  EXPECT_FALSE(isWellFormedClientSecret(secret.substr(0, secret.size() - 1)));
  EXPECT_FALSE(isWellFormedClientSecret(secret + "0"));
  EXPECT_FALSE(isWellFormedClientSecret("kgcs_" + std::string(46, '!')));
}

TEST(CredentialFormat, ValuesAreDistinct) {
  SeededRandom random(3);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(generateClientSecret(random));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(CredentialFormat, MaskKeepsPrefixAndTail) {
  const std::string key = "kgck_ABCDEFGHIJKLMNOPQRSTUVWX123456";
  const auto masked = maskClientKey(key);
  EXPECT_TRUE(masked.starts_with("kgck_ABCD"));
  EXPECT_TRUE(masked.ends_with("3456"));
  EXPECT_EQ(masked.find("EFGHIJ"), std::string::npos);
}

TEST(Scopes, SupplierScopesOnlyForSuppliers) {
  EXPECT_TRUE(scopeAllowedFor(OrgType::kClient, kScopeRaas));
  EXPECT_FALSE(scopeAllowedFor(OrgType::kClient, kScopeEngagementsRead));
  EXPECT_FALSE(scopeAllowedFor(OrgType::kMsp, kScopeTimecardsWrite));
  EXPECT_TRUE(scopeAllowedFor(OrgType::kSupplier, kScopeTimecardsWrite));
  EXPECT_EQ(parseScope("billing:read"), kScopeBillingRead);
  EXPECT_FALSE(parseScope("billing:write"));
  EXPECT_EQ(scopeString(kScopeRaas | kScopeWorkersWrite), "raas workers:write");
}

}  // namespace
}  // namespace keygate::core
