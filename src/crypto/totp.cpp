// TOTP (RFC 6238) codes via liboath, and the otpauth:// URI authenticator apps scan.
#include "crypto/totp.h"

#include <liboath/oath.h>

#include <array>
#include <mutex>
#include <stdexcept>

#include "crypto/crypto.h"

namespace keygate::crypto {
namespace {

constexpr std::size_t kTotpSecretBytes = 20;  // the HMAC-SHA1 block-friendly size RFC 4226 uses

void initializeOath() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (oath_init() != OATH_OK) throw std::runtime_error("liboath could not be initialized");
  });
}

bool isSixDigits(std::string_view code) {
  if (code.size() != static_cast<std::size_t>(kTotpDigits)) return false;
  for (char c : code)
    if (c < '0' || c > '9') return false;
  return true;
}

// Unreserved characters (RFC 3986) stay; everything else, including ':' '@' and spaces, is
// percent-encoded so the label and parameters parse unambiguously.
std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
    }
  }
  return out;
}

}  // namespace

std::string generateTotpSecret(core::Random& random) {
  std::string secret(kTotpSecretBytes, '\0');
  random.fill(std::as_writable_bytes(std::span(secret.data(), secret.size())));
  return secret;
}

std::string totpCode(std::string_view secret, core::Seconds t) {
  initializeOath();
  std::array<char, kTotpDigits + 1> out{};
  if (oath_totp_generate(secret.data(), secret.size(), static_cast<time_t>(t),
                         static_cast<unsigned>(kTotpStep), OATH_TOTP_DEFAULT_START_TIME,
                         static_cast<unsigned>(kTotpDigits), out.data()) != OATH_OK)
    return {};  // never equal to a six-digit code, so verification fails closed
  return std::string(out.data(), static_cast<std::size_t>(kTotpDigits));
}

std::optional<std::int64_t> matchTotpStep(std::string_view secret, std::string_view code,
                                          core::Seconds now, int window) {
  if (!isSixDigits(code)) return std::nullopt;
  if (window < 0) window = 0;
  // Every candidate is computed and compared, so timing does not reveal which step matched.
  // Two steps may share a code; the latest one is taken.
  std::int64_t matched = -1;
  for (int offset = -window; offset <= window; ++offset) {
    const core::Seconds t = now + static_cast<core::Seconds>(offset) * kTotpStep;
    std::string candidate = totpCode(secret, t);
    const bool equal = constantTimeEquals(candidate, code);
    secureZero(candidate);
    const std::int64_t step = t / kTotpStep;
    matched = equal ? step : matched;
  }
  if (matched < 0) return std::nullopt;
  return matched;
}

bool verifyTotp(std::string_view secret, std::string_view code, core::Seconds now, int window) {
  return matchTotpStep(secret, code, now, window).has_value();
}

std::string otpauthUri(std::string_view issuer, std::string_view account, std::string_view secret) {
  auto encoded_issuer = percentEncode(issuer);
  return "otpauth://totp/" + encoded_issuer + ":" + percentEncode(account) +
         "?secret=" + base32Encode(secret) + "&issuer=" + encoded_issuer +
         "&digits=" + std::to_string(kTotpDigits) + "&period=" + std::to_string(kTotpStep);
}

}  // namespace keygate::crypto
