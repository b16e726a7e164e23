// Errc → HTTP mapping and problem+json rendering (RFC 9457).
#include "http/problem.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <string>

namespace keygate::http {
namespace {

struct ProblemKind {
  unsigned status;
  std::string_view title;
};

// Exhaustive switch without a default: adding an Errc without a row is a compiler warning
// (-Wswitch), which the -Werror build turns into an error.
ProblemKind kindFor(core::Errc code) {
  using core::Errc;
  switch (code) {
    case Errc::kMalformedJson:
      return {400, "Malformed JSON"};
    case Errc::kMalformedRequest:
      return {400, "Malformed request"};
    case Errc::kInvalidParameter:
      return {400, "Invalid parameter"};
    case Errc::kUnauthenticated:
      return {401, "Authentication required"};
    case Errc::kInvalidCredentials:
      return {401, "Invalid credentials"};
    case Errc::kTotpRequired:
      return {401, "Two-factor code required"};
    case Errc::kForbidden:
      return {403, "Forbidden"};
    case Errc::kInsufficientScope:
      return {403, "Insufficient scope"};
    case Errc::kCsrfFailed:
      return {403, "CSRF check failed"};
    case Errc::kPermissionDenied:
      return {403, "Permission denied"};
    case Errc::kTotpEnrollmentRequired:
      return {403, "Two-factor enrollment required"};
    case Errc::kSsoRequired:
      return {403, "Single sign-on required"};
    case Errc::kNotFound:
      return {404, "Not found"};
    case Errc::kMethodNotAllowed:
      return {405, "Method not allowed"};
    case Errc::kConflict:
      return {409, "Conflict"};
    case Errc::kExpiryImmutable:
      return {409, "Expiry date cannot be removed or extended"};
    case Errc::kInactivationIrreversible:
      return {409, "Inactivation is irreversible"};
    case Errc::kKeyNotActive:
      return {409, "Key is not active"};
    case Errc::kViewCodeNotRequired:
      return {409, "View code not required"};
    case Errc::kViewCodeExpired:
      return {410, "View code expired"};
    case Errc::kPayloadTooLarge:
      return {413, "Payload too large"};
    case Errc::kUnsupportedMediaType:
      return {415, "Unsupported media type"};
    case Errc::kValidationFailed:
      return {422, "Validation failed"};
    case Errc::kInvalidViewCode:
      return {422, "Invalid view code"};
    case Errc::kRateLimited:
      return {429, "Too many requests"};
    case Errc::kHeaderTooLarge:
      return {431, "Request header fields too large"};
    case Errc::kInternal:
      return {500, "Internal server error"};
    case Errc::kUnavailable:
      return {503, "Service unavailable"};
    case Errc::kMailUnavailable:
      return {503, "Mail delivery unavailable"};
  }
  return {500, "Internal server error"};
}

constexpr std::string_view kInternalDetail =
    "An unexpected error occurred. Quote the request id when reporting it.";

}  // namespace

unsigned statusFor(core::Errc code) {
  return kindFor(code).status;
}

std::string_view titleFor(core::Errc code) {
  return kindFor(code).title;
}

Response problem(const core::Error& error, const Request& request) {
  const ProblemKind kind = kindFor(error.code);
  const std::string_view code_name = core::errcName(error.code);

  boost::json::object body;
  std::string type(kProblemTypeBase);
  type += code_name;
  body["type"] = type;
  body["title"] = kind.title;
  body["status"] = kind.status;
  // Internal errors may carry messages built from exception text; never echo them.
  if (error.code == core::Errc::kInternal) {
    body["detail"] = kInternalDetail;
  } else {
    body["detail"] = error.message.empty() ? kind.title : std::string_view(error.message);
  }
  if (!request.path.empty()) body["instance"] = request.path;
  body["code"] = code_name;
  body["requestId"] = request.request_id;
  if (!error.field.empty()) body["field"] = error.field;
  if (error.tries_left) body["triesLeft"] = *error.tries_left;

  Response response;
  response.status = kind.status;
  response.body = boost::json::serialize(body);
  response.headers.emplace_back("Content-Type", std::string(kProblemContentType));
  response.headers.emplace_back("Cache-Control", "no-store");
  if (error.retry_after_seconds) {
    response.headers.emplace_back("Retry-After",
                                  std::to_string(std::max(0L, *error.retry_after_seconds)));
  }
  if (error.code == core::Errc::kUnauthenticated) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  return response;
}

}  // namespace keygate::http
