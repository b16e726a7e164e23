// Keyring: master key file policy, keyed hashes, AEAD round trips and tamper detection.
#include "crypto/keyring.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "crypto/crypto.h"

namespace keygate::crypto {
namespace {

namespace fs = std::filesystem;

std::string masterKey(char fill) {
  return std::string(32, fill);
}

class KeyringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initialize();
    std::string tmpl = (fs::path(::testing::TempDir()) / "keyring-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  void writeFile(const fs::path& path, std::string_view content, fs::perms perms) {
    std::ofstream(path) << content;
    fs::permissions(path, perms);
  }

  fs::path dir_;
  SodiumRandom random_;
};

TEST_F(KeyringTest, EncryptDecryptRoundTrip) {
  auto keyring = Keyring::fromMasterKey(masterKey('k'));
  auto stored = keyring.encrypt("kgcs_the-client-secret", "credential:100001", random_);
  EXPECT_TRUE(stored.starts_with("xc20p1$" + keyring.keyId() + "$")) << stored;
  EXPECT_EQ(stored.find("the-client-secret"), std::string::npos);
  auto plain = keyring.decrypt(stored, "credential:100001");
  ASSERT_TRUE(plain) << plain.error().detail;
  EXPECT_EQ(*plain, "kgcs_the-client-secret");
  // A fresh nonce each time: the same plaintext never gives the same row.
  EXPECT_NE(keyring.encrypt("x", "ad", random_), keyring.encrypt("x", "ad", random_));
}

TEST_F(KeyringTest, KeyIdIsAHashPrefixOfTheMasterKey) {
  auto keyring = Keyring::fromMasterKey(masterKey('k'));
  EXPECT_EQ(keyring.keyId(), sha256Hex(masterKey('k')).substr(0, 8));
  EXPECT_NE(keyring.keyId(), Keyring::fromMasterKey(masterKey('j')).keyId());
}

TEST_F(KeyringTest, TamperedCiphertextFails) {
  auto keyring = Keyring::fromMasterKey(masterKey('k'));
  auto stored = keyring.encrypt("secret-value", "credential:1", random_);
  auto prefix_len = stored.rfind('$') + 1;
  auto sealed = *base64UrlDecode(std::string_view(stored).substr(prefix_len));
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    auto flipped = sealed;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x01);
    auto tampered = stored.substr(0, prefix_len) + base64UrlEncode(flipped);
    auto r = keyring.decrypt(tampered, "credential:1");
    ASSERT_FALSE(r) << "byte " << i;
    EXPECT_EQ(r.error().code, core::Errc::kInternal);
    EXPECT_EQ(r.error().detail.find("secret-value"), std::string::npos);
    EXPECT_EQ(r.error().message.find("secret-value"), std::string::npos);
  }
  auto truncated = keyring.decrypt(stored.substr(0, stored.size() - 4), "credential:1");
  EXPECT_FALSE(truncated);
}

TEST_F(KeyringTest, WrongAssociatedDataFails) {
  auto keyring = Keyring::fromMasterKey(masterKey('k'));
  auto stored = keyring.encrypt("secret-value", "credential:1", random_);
  auto r = keyring.decrypt(stored, "credential:2");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::kInternal);
  EXPECT_NE(r.error().detail.find("associated data"), std::string::npos);
}

TEST_F(KeyringTest, UnknownKeyIdAndMalformedRowsFail) {
  auto keyring = Keyring::fromMasterKey(masterKey('k'));
  auto other = Keyring::fromMasterKey(masterKey('o'));
  auto foreign = other.encrypt("secret-value", "ad", random_);
  auto r = keyring.decrypt(foreign, "ad");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find(other.keyId()), std::string::npos);
  for (auto bad : {"", "xc20p1", "xc20p1$", "xc20p1$$AAAA",
                   "aes$"
                   "00000000$AAAA",
                   "xc20p1$zzzzzzzz$AAAA"})
    EXPECT_FALSE(keyring.decrypt(bad, "ad")) << bad;
  auto stored = keyring.encrypt("v", "ad", random_);
  EXPECT_FALSE(keyring.decrypt(stored + "!", "ad"));
}

TEST_F(KeyringTest, HashAndVerifySecret) {
  auto keyring = Keyring::fromMasterKey(masterKey('k'));
  auto stored = keyring.hashSecret("kgcs_abc");
  const std::string prefix = "hmac-sha256$" + keyring.keyId() + "$";
  ASSERT_TRUE(stored.starts_with(prefix)) << stored;
  auto mac_hex = stored.substr(prefix.size());
  EXPECT_EQ(mac_hex.size(), 64u);
  EXPECT_TRUE(fromHex(mac_hex));
  EXPECT_EQ(stored, keyring.hashSecret("kgcs_abc"));  // deterministic, so it can be looked up
  EXPECT_TRUE(keyring.verifySecret("kgcs_abc", stored));
  EXPECT_FALSE(keyring.verifySecret("kgcs_abd", stored));
  EXPECT_FALSE(keyring.verifySecret("", stored));
  // Keyed: another master key gives a different hash and cannot verify this one.
  auto other = Keyring::fromMasterKey(masterKey('o'));
  EXPECT_NE(other.hashSecret("kgcs_abc").substr(21), stored.substr(21));
  EXPECT_FALSE(other.verifySecret("kgcs_abc", stored));
  // Unknown algorithm tags, key ids and broken hex are refused, not crashed on.
  auto mac = stored.substr(stored.rfind('$') + 1);
  EXPECT_FALSE(keyring.verifySecret("kgcs_abc", "sha256$" + keyring.keyId() + "$" + mac));
  EXPECT_FALSE(keyring.verifySecret("kgcs_abc", "hmac-sha256$ffffffff$" + mac));
  EXPECT_FALSE(keyring.verifySecret("kgcs_abc", stored.substr(0, stored.size() - 1)));
  EXPECT_FALSE(keyring.verifySecret("kgcs_abc", "hmac-sha256"));
}

TEST_F(KeyringTest, PurposeKeysAreDistinct) {
  auto keyring = Keyring::fromMasterKey(masterKey('k'));
  auto code = keyring.codeHash("12345678");
  auto session = keyring.sessionHash("12345678");
  auto token = toHex(keyring.tokenMac("12345678"));
  auto secret = keyring.hashSecret("12345678");
  EXPECT_EQ(code.size(), 64u);
  EXPECT_EQ(keyring.tokenMac("12345678").size(), 32u);
  EXPECT_NE(code, session);
  EXPECT_NE(code, token);
  EXPECT_NE(session, token);
  EXPECT_FALSE(secret.ends_with(code) || secret.ends_with(session) || secret.ends_with(token));
  EXPECT_EQ(code, keyring.codeHash("12345678"));  // deterministic
  EXPECT_NE(code, keyring.codeHash("12345679"));
  EXPECT_NE(code, Keyring::fromMasterKey(masterKey('o')).codeHash("12345678"));
}

TEST_F(KeyringTest, CreatesAPrivateKeyFileAndReusesIt) {
  auto path = dir_ / "keys" / "master.key";
  auto first = Keyring::openOrCreate(path, random_);
  ASSERT_TRUE(first) << first.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(path.parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  std::ifstream in(path);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(content.size(), 65u);
  EXPECT_EQ(content.back(), '\n');
  auto raw = fromHex(std::string_view(content).substr(0, 64));
  ASSERT_TRUE(raw);
  EXPECT_EQ(first->keyId(), sha256Hex(*raw).substr(0, 8));

  auto second = Keyring::openOrCreate(path, random_);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->keyId(), first->keyId());
  auto stored = first->encrypt("v", "ad", random_);
  EXPECT_EQ(second->decrypt(stored, "ad").value(), "v");
}

TEST_F(KeyringTest, RefusesAGroupReadableKeyFile) {
  auto path = dir_ / "master.key";
  writeFile(path, toHex(masterKey('k')) + "\n",
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);  // 0644
  auto r = Keyring::openOrCreate(path, random_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::kInternal);
  EXPECT_NE(r.error().message.find(path.string()), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("must not be readable by group or others"), std::string::npos);
  EXPECT_NE(r.error().message.find("chmod 600 " + path.string()), std::string::npos);
  // The refused file was left as it was, not replaced by a new key.
  std::ifstream in(path);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, toHex(masterKey('k')) + "\n");
}

TEST_F(KeyringTest, LoadsAnExistingKeyFile) {
  auto path = dir_ / "master.key";
  writeFile(path, toHex(masterKey('k')) + "\n", fs::perms::owner_read);
  auto r = Keyring::openOrCreate(path, random_);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->keyId(), Keyring::fromMasterKey(masterKey('k')).keyId());
}

TEST_F(KeyringTest, RefusesMalformedKeyFiles) {
  auto good = toHex(masterKey('k'));
  for (const std::string& bad : {std::string(), good.substr(0, 62) + "\n", good + "00\n",
                                 good.substr(0, 63) + "g\n", good + "\n\n", "\n" + good}) {
    auto path = dir_ / "bad.key";
    fs::remove(path);
    writeFile(path, bad, fs::perms::owner_read | fs::perms::owner_write);
    auto r = Keyring::openOrCreate(path, random_);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("malformed"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(path.string()), std::string::npos);
  }
}

TEST_F(KeyringTest, RetiredKeyDecryptsAndVerifiesOldRows) {
  auto old_path = dir_ / "old.key";
  auto new_path = dir_ / "new.key";
  auto old_keyring = Keyring::openOrCreate(old_path, random_).value();
  auto old_cipher = old_keyring.encrypt("old secret", "credential:7", random_);
  auto old_hash = old_keyring.hashSecret("old secret");

  auto keyring = Keyring::openOrCreate(new_path, random_).value();
  ASSERT_NE(keyring.keyId(), old_keyring.keyId());
  EXPECT_FALSE(keyring.decrypt(old_cipher, "credential:7"));
  EXPECT_FALSE(keyring.verifySecret("old secret", old_hash));

  ASSERT_TRUE(keyring.addRetiredKeyFile(old_path));
  EXPECT_EQ(keyring.decrypt(old_cipher, "credential:7").value(), "old secret");
  EXPECT_FALSE(keyring.decrypt(old_cipher, "credential:8"));
  EXPECT_TRUE(keyring.verifySecret("old secret", old_hash));
  // New rows are still written under the current key only.
  EXPECT_TRUE(keyring.encrypt("n", "ad", random_).starts_with("xc20p1$" + keyring.keyId() + "$"));
  EXPECT_TRUE(keyring.hashSecret("n").starts_with("hmac-sha256$" + keyring.keyId() + "$"));
}

TEST_F(KeyringTest, RetiredKeyFileGetsTheSameChecks) {
  auto keyring = Keyring::fromMasterKey(masterKey('k'));
  auto path = dir_ / "retired.key";
  writeFile(path, toHex(masterKey('r')) + "\n",
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  auto s = keyring.addRetiredKeyFile(path);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find(path.string()), std::string::npos);
  auto missing = keyring.addRetiredKeyFile(dir_ / "absent.key");
  EXPECT_FALSE(missing);
  EXPECT_FALSE(fs::exists(dir_ / "absent.key"));  // retired keys are never created
}

TEST_F(KeyringTest, MovedKeyringKeepsWorking) {
  auto keyring = Keyring::fromMasterKey(masterKey('k'));
  auto stored = keyring.encrypt("v", "ad", random_);
  Keyring moved = std::move(keyring);
  EXPECT_EQ(moved.decrypt(stored, "ad").value(), "v");
  Keyring assigned = Keyring::fromMasterKey(masterKey('j'));
  assigned = std::move(moved);
  EXPECT_EQ(assigned.decrypt(stored, "ad").value(), "v");
}

}  // namespace
}  // namespace keygate::crypto
