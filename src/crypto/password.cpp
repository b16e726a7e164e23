// argon2id password hashing (libsodium crypto_pwhash_str_alg).
#include "crypto/password.h"

#include <sodium.h>

#include <new>

#include "crypto/crypto.h"

namespace keygate::crypto {

std::string hashPassword(std::string_view password, PasswordCost cost) {
  initialize();
  unsigned long long ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
  std::size_t mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
  if (cost == PasswordCost::kMinimum) {
    ops = crypto_pwhash_argon2id_OPSLIMIT_MIN;
    mem = crypto_pwhash_argon2id_MEMLIMIT_MIN;
  }
  char out[crypto_pwhash_STRBYTES];
  // The only failure with valid constant limits is an allocation failure of the memory cost.
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::bad_alloc();
  return std::string(out);
}

bool verifyPassword(std::string_view password, std::string_view hash) {
  initialize();
  // The verifier needs a NUL-terminated string; an embedded NUL or an overlong value cannot be
  // a hash this module wrote.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES ||
      hash.find('\0') != std::string_view::npos)
    return false;
  std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

}  // namespace keygate::crypto
