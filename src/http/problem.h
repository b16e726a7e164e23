// The one table that maps core::Errc to an HTTP status and an RFC 9457 problem+json body.
// Handlers return core::Error values; only this file decides what the caller sees.
#pragma once

#include <string_view>

#include "core/error.h"
#include "http/request.h"
#include "http/response.h"

namespace keygate::http {

inline constexpr std::string_view kProblemTypeBase = "https://keygate.dev/problems/";
inline constexpr std::string_view kProblemContentType = "application/problem+json";

unsigned statusFor(core::Errc code);
// Short human title, fixed per code.
std::string_view titleFor(core::Errc code);

// Renders the error as application/problem+json with type, title, status, detail, instance,
// code, requestId (and field / triesLeft when set), plus Retry-After, WWW-Authenticate and
// Cache-Control: no-store as appropriate. error.detail is never rendered; for internal errors
// the public message is replaced by a generic one as well.
Response problem(const core::Error& error, const Request& request);

}  // namespace keygate::http
