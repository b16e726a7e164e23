// Client Key / Client Secret wire format (DESIGN §2.1): a recognizable prefix, a base62 body
// of high-entropy random characters, and a 6-character base62 CRC32 tail over prefix+body,
// so typos are caught offline and leaked values can be found by secret scanners.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"

namespace keygate::core {

inline constexpr std::string_view kClientKeyPrefix = "kgck_";
inline constexpr std::string_view kClientSecretPrefix = "kgcs_";
inline constexpr std::size_t kClientKeyBodyLength = 24;     // ~143 bits
inline constexpr std::size_t kClientSecretBodyLength = 40;  // ~238 bits
inline constexpr std::size_t kChecksumLength = 6;

std::string generateClientKey(Random& random);
std::string generateClientSecret(Random& random);

// True when `value` has the prefix, the exact length, only base62 characters and a matching
// checksum. Does not say whether such a credential exists.
bool hasValidChecksum(std::string_view value, std::string_view prefix, std::size_t body_length);
inline bool isWellFormedClientKey(std::string_view v) {
  return hasValidChecksum(v, kClientKeyPrefix, kClientKeyBodyLength);
}
inline bool isWellFormedClientSecret(std::string_view v) {
  return hasValidChecksum(v, kClientSecretPrefix, kClientSecretBodyLength);
}

// "kgck_AbCd…wxyz" → "kgck_AbCd••••••••wxyz": enough to recognize a key, not to use it.
std::string maskClientKey(std::string_view client_key);

// Base62 text of `length` uniformly random characters (rejection sampling, no modulo bias).
std::string randomBase62(Random& random, std::size_t length);

}  // namespace keygate::core
