// libsodium primitives behind crypto.h: hashing, MACs, constant-time comparison, encodings.
#include "crypto/crypto.h"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace keygate::crypto {
namespace {

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string base64With(std::string_view raw, int variant) {
  std::string out(sodium_base64_ENCODED_LEN(raw.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes(raw), raw.size(), variant);
  out.resize(out.size() - 1);  // the encoder writes a terminating NUL
  return out;
}

std::optional<std::string> base64DecodeWith(std::string_view text, int variant) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t out_len = 0;
  const char* end = nullptr;
  // No ignore set and an end pointer check: any character outside the alphabet, missing or
  // extra padding, or non-canonical trailing bits makes the whole input invalid.
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &out_len, &end, variant) != 0)
    return std::nullopt;
  if (end != text.data() + text.size()) return std::nullopt;
  out.resize(out_len);
  return out;
}

}  // namespace

void initialize() {
  // sodium_init is idempotent; the static makes repeated calls from other modules free.
  static const int rc = sodium_init();
  if (rc < 0) throw std::runtime_error("libsodium could not be initialized (sodium_init failed)");
}

void SodiumRandom::fill(std::span<std::byte> out) {
  initialize();
  if (!out.empty()) randombytes_buf(out.data(), out.size());
}

std::uint32_t SodiumRandom::uniform(std::uint32_t upper_bound) {
  initialize();
  return randombytes_uniform(upper_bound);
}

std::string sha256(std::string_view data) {
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()), bytes(data), data.size());
  return out;
}

std::string sha256Hex(std::string_view data) {
  auto raw = sha256(data);
  return toHex(raw);
}

std::string hmacSha256(std::string_view key, std::string_view message) {
  // The _init API accepts keys of any length (hashing long ones), unlike the one-shot call,
  // which requires exactly 32 bytes.
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, bytes(key), key.size());
  crypto_auth_hmacsha256_update(&state, bytes(message), message.size());
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(out.data()));
  sodium_memzero(&state, sizeof state);
  return out;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

void secureZero(std::string& s) {
  // Growing to the capacity (no reallocation) also wipes bytes left behind by longer contents.
  s.resize(s.capacity());
  if (!s.empty()) sodium_memzero(s.data(), s.size());
  s.clear();
}

std::string toHex(std::string_view raw) {
  std::string out(raw.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes(raw), raw.size());
  out.resize(raw.size() * 2);
  return out;
}

std::optional<std::string> fromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out(hex.size() / 2, '\0');
  std::size_t out_len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                     hex.size(), nullptr, &out_len, &end) != 0)
    return std::nullopt;
  if (end != hex.data() + hex.size() || out_len != out.size()) return std::nullopt;
  return out;
}

std::string base64UrlEncode(std::string_view raw) {
  return base64With(raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
  return base64DecodeWith(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string base64Encode(std::string_view raw) {
  return base64With(raw, sodium_base64_VARIANT_ORIGINAL);
}

std::optional<std::string> base64Decode(std::string_view text) {
  return base64DecodeWith(text, sodium_base64_VARIANT_ORIGINAL);
}

std::string base32Encode(std::string_view raw) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  out.reserve((raw.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : raw) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kAlphabet[(buffer >> bits) & 0x1f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1f]);
  return out;
}

}  // namespace keygate::crypto
