#include "core/error.h"

namespace keygate::core {

std::string_view errcName(Errc code) {
  switch (code) {
    case Errc::kMalformedJson:
      return "malformed_json";
    case Errc::kMalformedRequest:
      return "malformed_request";
    case Errc::kInvalidParameter:
      return "invalid_parameter";
    case Errc::kUnauthenticated:
      return "unauthenticated";
    case Errc::kInvalidCredentials:
      return "invalid_credentials";
    case Errc::kTotpRequired:
      return "totp_required";
    case Errc::kForbidden:
      return "forbidden";
    case Errc::kInsufficientScope:
      return "insufficient_scope";
    case Errc::kCsrfFailed:
      return "csrf_failed";
    case Errc::kPermissionDenied:
      return "permission_denied";
    case Errc::kTotpEnrollmentRequired:
      return "totp_enrollment_required";
    case Errc::kSsoRequired:
      return "sso_required";
    case Errc::kNotFound:
      return "not_found";
    case Errc::kMethodNotAllowed:
      return "method_not_allowed";
    case Errc::kConflict:
      return "conflict";
    case Errc::kExpiryImmutable:
      return "expiry_immutable";
    case Errc::kInactivationIrreversible:
      return "inactivation_irreversible";
    case Errc::kKeyNotActive:
      return "key_not_active";
    case Errc::kViewCodeNotRequired:
      return "view_code_not_required";
    case Errc::kViewCodeExpired:
      return "view_code_expired";
    case Errc::kPayloadTooLarge:
      return "payload_too_large";
    case Errc::kUnsupportedMediaType:
      return "unsupported_media_type";
    case Errc::kValidationFailed:
      return "validation_failed";
    case Errc::kInvalidViewCode:
      return "invalid_view_code";
    case Errc::kRateLimited:
      return "rate_limited";
    case Errc::kHeaderTooLarge:
      return "header_too_large";
    case Errc::kInternal:
      return "internal_error";
    case Errc::kUnavailable:
      return "unavailable";
    case Errc::kMailUnavailable:
      return "mail_unavailable";
  }
  return "internal_error";
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw ErrorException(e);
}

}  // namespace keygate::core
