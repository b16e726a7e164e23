// The master key and everything derived from it (DESIGN §2.5).
//
// The master key file holds 32 random bytes (hex). Purpose-specific subkeys are derived with
// libsodium's KDF, so a leak of one subkey does not expose the others:
//   - secret pepper: HMAC-SHA256 keyed hash of Client Secrets ("hmac-sha256$<kid>$<hex>")
//   - AEAD key: XChaCha20-Poly1305 copies of Client Secrets and TOTP secrets
//     ("xc20p1$<kid>$<base64url(nonce|ciphertext)>")
//   - code key: keyed hash of emailed view codes
//   - session key: keyed hash of session cookie values
//   - token key: MAC of bearer tokens
// <kid> is the key id, the first 8 hex digits of a hash of the master key, so a database row
// says which master key wrote it; retired keys can be loaded for decryption during rotation.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "crypto/crypto.h"

namespace keygate::crypto {

class Keyring {
 public:
  // Loads the master key file, creating it (mode 0600, random key) when absent. Fails with a
  // message an operator can act on when the file is group- or world-readable, malformed, or
  // cannot be created.
  static core::Result<Keyring> openOrCreate(const std::filesystem::path& path,
                                            core::Random& random);
  // For tests: a keyring from a raw 32-byte master key.
  static Keyring fromMasterKey(std::string_view master_key);

  // Adds a retired master key, usable only to decrypt rows written under it.
  core::Status addRetiredKeyFile(const std::filesystem::path& path);

  const std::string& keyId() const { return key_id_; }

  std::string hashSecret(std::string_view secret) const;
  // Constant-time; false for unknown algorithm tags or key ids.
  bool verifySecret(std::string_view secret, std::string_view stored) const;

  // `associated_data` binds the ciphertext to its row (e.g. "credential:100001"), so a copied
  // ciphertext does not decrypt elsewhere.
  std::string encrypt(std::string_view plaintext, std::string_view associated_data,
                      core::Random& random) const;
  core::Result<std::string> decrypt(std::string_view stored,
                                    std::string_view associated_data) const;

  std::string codeHash(std::string_view message) const;   // hex
  std::string sessionHash(std::string_view token) const;  // hex
  std::string tokenMac(std::string_view payload) const;   // raw 32 bytes
  // Constant-time check that `mac` is tokenMac(payload), without allocating: bearer tokens
  // are verified on every API call.
  bool verifyTokenMac(std::string_view payload, std::string_view mac) const;

  ~Keyring();
  Keyring(Keyring&&) noexcept;
  Keyring& operator=(Keyring&&) noexcept;
  Keyring(const Keyring&) = delete;
  Keyring& operator=(const Keyring&) = delete;

 private:
  // The HMAC subkeys are kept with their key schedule precomputed (HmacSha256Key), which
  // halves the SHA-256 work of each short MAC.
  struct Keys {
    std::string aead;
    HmacSha256Key pepper, code, session, token;
  };
  Keyring(std::string key_id, Keys keys);
  static Keys derive(std::string_view master_key);
  std::string key_id_;
  Keys keys_;
  std::map<std::string, std::string, std::less<>> aead_by_kid_;  // includes the current key
  std::map<std::string, HmacSha256Key, std::less<>> pepper_by_kid_;
};

}  // namespace keygate::crypto
