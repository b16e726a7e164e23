// Password hashing with argon2id (libsodium crypto_pwhash_str).
#pragma once

#include <string>
#include <string_view>

namespace keygate::crypto {

enum class PasswordCost {
  kInteractive,  // libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE: production default
  kMinimum,      // the smallest allowed cost: test configuration only, keeps suites fast
};

std::string hashPassword(std::string_view password, PasswordCost cost);
// Constant-time; false for a malformed hash.
bool verifyPassword(std::string_view password, std::string_view hash);

}  // namespace keygate::crypto
