// TOTP (RFC 6238): HMAC-SHA1, 30-second steps, 6 digits, as authenticator apps expect.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace keygate::crypto {

inline constexpr int kTotpDigits = 6;
inline constexpr core::Seconds kTotpStep = 30;

std::string generateTotpSecret(core::Random& random);  // 20 raw bytes
std::string totpCode(std::string_view secret, core::Seconds t);
// Accepts the code of the current step and of `window` steps either side. Constant-time.
bool verifyTotp(std::string_view secret, std::string_view code, core::Seconds now, int window = 1);
// The step number (Unix time / 30) whose code `code` is, among the current step and `window`
// steps either side; nullopt when none matches. Callers that remember the last step used
// reject a replayed code. Constant-time like verifyTotp.
std::optional<std::int64_t> matchTotpStep(std::string_view secret, std::string_view code,
                                          core::Seconds now, int window = 1);
// otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>&digits=6&period=30
std::string otpauthUri(std::string_view issuer, std::string_view account, std::string_view secret);

}  // namespace keygate::crypto
