// libsodium primitives behind crypto.h: hashing, MACs, constant-time comparison, encodings.
#include "crypto/crypto.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>
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

// Sixteen bytes as one vector (GCC/Clang vector extensions: SSE2 on x86-64, NEON on ARM,
// plain code elsewhere). Comparisons give all-ones or all-zero lanes, so code built from them
// has no data-dependent branches or table lookups.
using ByteVector = unsigned char __attribute__((vector_size(16)));

// The 6-bit values of 16 base64url characters; lanes of other characters are 0xFF. Takes the
// same time whatever the characters are, like libsodium's decoder.
ByteVector base64UrlValues(ByteVector c) {
  const auto upper = (ByteVector)((c >= 'A') & (c <= 'Z'));
  const auto lower = (ByteVector)((c >= 'a') & (c <= 'z'));
  const auto digit = (ByteVector)((c >= '0') & (c <= '9'));
  const auto dash = (ByteVector)(c == '-');
  const auto underscore = (ByteVector)(c == '_');
  const ByteVector valid = upper | lower | digit | dash | underscore;
  return (upper & (c - 'A')) | (lower & (c - ('a' - 26))) | (digit & (c + (52 - '0'))) |
         (dash & 62) | (underscore & 63) | ~valid;
}

}  // namespace

struct HmacSha256Key::State {
  crypto_auth_hmacsha256_state keyed;  // after init with the key, before any message

  static void mac(const std::unique_ptr<State>& key, std::string_view message, unsigned char* out) {
    if (!key) throw std::logic_error("HmacSha256Key used after it was moved from");
    crypto_auth_hmacsha256_state state = key->keyed;
    crypto_auth_hmacsha256_update(&state, bytes(message), message.size());
    crypto_auth_hmacsha256_final(&state, out);
    sodium_memzero(&state, sizeof state);
  }

  static void wipe(std::unique_ptr<State>& key) {
    if (key) sodium_memzero(key.get(), sizeof *key);
    key.reset();
  }
};

HmacSha256Key::HmacSha256Key(std::string_view key) : state_(std::make_unique<State>()) {
  // The _init API accepts keys of any length, as hmacSha256 does.
  crypto_auth_hmacsha256_init(&state_->keyed, bytes(key), key.size());
}

HmacSha256Key::~HmacSha256Key() {
  State::wipe(state_);
}

HmacSha256Key::HmacSha256Key(const HmacSha256Key& other)
    : state_(other.state_ ? std::make_unique<State>(*other.state_) : nullptr) {}

HmacSha256Key& HmacSha256Key::operator=(const HmacSha256Key& other) {
  if (this != &other) *this = HmacSha256Key(other);
  return *this;
}

HmacSha256Key::HmacSha256Key(HmacSha256Key&& other) noexcept : state_(std::move(other.state_)) {}

HmacSha256Key& HmacSha256Key::operator=(HmacSha256Key&& other) noexcept {
  if (this != &other) {
    State::wipe(state_);
    state_ = std::move(other.state_);
  }
  return *this;
}

std::string HmacSha256Key::mac(std::string_view message) const {
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  State::mac(state_, message, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

bool HmacSha256Key::verify(std::string_view message, std::string_view expected) const {
  if (expected.size() != crypto_auth_hmacsha256_BYTES) return false;
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> actual{};
  State::mac(state_, message, actual.data());
  // crypto_verify_32 is sodium_memcmp for exactly 32 bytes, vectorized: about 10x faster.
  static_assert(crypto_auth_hmacsha256_BYTES == crypto_verify_32_BYTES);
  const bool equal = crypto_verify_32(actual.data(), bytes(expected)) == 0;
  sodium_memzero(actual.data(), actual.size());
  return equal;
}

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

// Accepts what sodium_base642bin accepts for the URL-safe, unpadded variant with no ignore
// set (only alphabet characters, no length of 1 mod 4, zero unused trailing bits) and, like
// it, takes a time that depends on the length only; but it classifies 16 characters per step:
// bearer tokens are decoded on every API call, and libsodium's one-character loop was a third
// of the cost of verifying one. One difference, on purpose: libsodium 1.0.18 reads the input
// as signed char and decodes every byte >= 0x80 as '_' (63); here such bytes are invalid.
std::optional<std::string> base64UrlDecode(std::string_view text) {
  const std::size_t size = text.size();
  if (size % 4 == 1) return std::nullopt;
  std::string out(size / 4 * 3 + (size % 4 == 0 ? 0 : size % 4 - 1), '\0');
  ByteVector seen{};          // OR of every value: a lane above 63 saw an invalid character
  unsigned noncanonical = 0;  // unused trailing bits of a partial last group
  char* const dst = out.data();
  std::size_t at = 0;
  for (std::size_t in = 0; in < size; in += 16) {
    const std::size_t n = std::min<std::size_t>(16, size - in);
    ByteVector chars;
    if (n == 16) {
      std::memcpy(&chars, text.data() + in, 16);  // one load (no store-forwarding stall)
    } else {
      std::array<unsigned char, 16> chunk;
      chunk.fill('A');  // pads the last chunk with a character whose value is 0
      std::memcpy(chunk.data(), text.data() + in, n);
      std::memcpy(&chars, chunk.data(), chunk.size());
    }
    const ByteVector values = base64UrlValues(chars);
    seen |= values;
    std::array<unsigned char, 16> v;
    std::memcpy(v.data(), &values, v.size());
    std::size_t k = 0;
    for (; k + 4 <= n; k += 4, at += 3) {
      const std::uint32_t bits = (std::uint32_t{v[k]} << 18) | (std::uint32_t{v[k + 1]} << 12) |
                                 (std::uint32_t{v[k + 2]} << 6) | v[k + 3];
      dst[at] = static_cast<char>((bits >> 16) & 0xFF);
      dst[at + 1] = static_cast<char>((bits >> 8) & 0xFF);
      dst[at + 2] = static_cast<char>(bits & 0xFF);
    }
    if (n - k >= 2) {  // the last 2 or 3 characters: 1 or 2 bytes
      dst[at] = static_cast<char>(((v[k] << 2) | (v[k + 1] >> 4)) & 0xFF);
      if (n - k == 2) {
        noncanonical |= v[k + 1] & 0x0Fu;
      } else {
        dst[at + 1] = static_cast<char>((((v[k + 1] & 0x0F) << 4) | (v[k + 2] >> 2)) & 0xFF);
        noncanonical |= v[k + 2] & 0x03u;
      }
    }
  }
  std::array<unsigned char, 16> lanes;
  std::memcpy(lanes.data(), &seen, lanes.size());
  unsigned high = noncanonical;
  for (unsigned char lane : lanes) high |= lane & 0xC0u;
  if (high != 0) return std::nullopt;
  return out;
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
