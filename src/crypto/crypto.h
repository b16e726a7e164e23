// libsodium wrappers. This header (and the others in crypto/) exposes no libsodium types, so
// services may use them without including sodium.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace keygate::crypto {

// Initializes libsodium; throws std::runtime_error if it cannot (fatal at start-up).
void initialize();

class SodiumRandom final : public core::Random {
 public:
  void fill(std::span<std::byte> out) override;
  std::uint32_t uniform(std::uint32_t upper_bound) override;
};

std::string sha256(std::string_view data);  // raw 32 bytes
std::string sha256Hex(std::string_view data);
std::string hmacSha256(std::string_view key, std::string_view message);  // raw 32 bytes

// An HMAC-SHA256 key whose key schedule (the hashed inner and outer pads) is computed once, so
// each MAC costs two SHA-256 blocks instead of four for a short message; for MACs computed
// with the same key many times (keyring subkeys). Gives the same MACs as hmacSha256(key, m).
// The precomputed state is key material: it is zeroed when the object is destroyed or
// assigned over. A moved-from key throws std::logic_error when used.
class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::string_view key);
  ~HmacSha256Key();
  HmacSha256Key(const HmacSha256Key& other);
  HmacSha256Key& operator=(const HmacSha256Key& other);
  HmacSha256Key(HmacSha256Key&& other) noexcept;
  HmacSha256Key& operator=(HmacSha256Key&& other) noexcept;

  std::string mac(std::string_view message) const;  // raw 32 bytes
  // Constant-time comparison of mac(message) with `expected`, without a heap allocation;
  // false when `expected` is not 32 bytes long.
  bool verify(std::string_view message, std::string_view expected) const;

 private:
  struct State;  // libsodium's crypto_auth_hmacsha256_state, kept out of this header
  std::unique_ptr<State> state_;
};

// Constant-time for equal lengths; different lengths compare unequal (length is not secret).
bool constantTimeEquals(std::string_view a, std::string_view b);
// Overwrites the string's bytes with zeros (not optimized away), then clears it.
void secureZero(std::string& s);

std::string toHex(std::string_view raw);
std::optional<std::string> fromHex(std::string_view hex);
std::string base64UrlEncode(std::string_view raw);  // no padding
std::optional<std::string> base64UrlDecode(std::string_view text);
std::string base64Encode(std::string_view raw);  // standard alphabet, padded
std::optional<std::string> base64Decode(std::string_view text);
std::string base32Encode(std::string_view raw);  // RFC 4648, no padding (TOTP secrets)

}  // namespace keygate::crypto
