// libsodium wrappers. This header (and the others in crypto/) exposes no libsodium types, so
// services may use them without including sodium.h.
#pragma once

#include <cstdint>
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
