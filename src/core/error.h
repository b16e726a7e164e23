// Errors as values. Every failure on the request path is an Error with a stable code; the
// HTTP edge (http/problem.cpp) maps codes to status and problem+json in one table.
// Depends on nothing but the standard library and Boost.System's result.
#pragma once

#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace keygate::core {

enum class Errc {
  // 400
  kMalformedJson,
  kMalformedRequest,
  kInvalidParameter,
  // 401
  kUnauthenticated,     // no or bad session / token / credentials (never says which part)
  kInvalidCredentials,  // login failed
  kTotpRequired,        // password ok, second factor missing or wrong
  // 403
  kForbidden,
  kInsufficientScope,
  kCsrfFailed,
  kPermissionDenied,
  kTotpEnrollmentRequired,
  kSsoRequired,
  // 404
  kNotFound,
  // 405
  kMethodNotAllowed,
  // 409
  kConflict,
  kExpiryImmutable,
  kInactivationIrreversible,
  kKeyNotActive,
  kViewCodeNotRequired,
  // 410
  kViewCodeExpired,
  // 413
  kPayloadTooLarge,
  // 415
  kUnsupportedMediaType,
  // 422
  kValidationFailed,
  kInvalidViewCode,
  // 429
  kRateLimited,
  // 431
  kHeaderTooLarge,
  // 500
  kInternal,
  // 503
  kUnavailable,
  kMailUnavailable,
};

// Stable snake_case wire name of a code (e.g. "expiry_immutable").
std::string_view errcName(Errc code);

struct Error {
  Errc code = Errc::kInternal;
  std::string message;                      // public: safe to show to the caller
  std::string detail;                       // log-only: never rendered to the caller
  std::string field;                        // the offending field or parameter, when there is one
  std::optional<long> retry_after_seconds;  // 429 / 503
  std::optional<int> tries_left;            // invalid view code
};

inline Error makeError(Errc code, std::string message, std::string detail = {}) {
  return Error{code, std::move(message), std::move(detail), {}, {}, {}};
}
inline Error fieldError(Errc code, std::string field, std::string message) {
  Error e{code, std::move(message), {}, std::move(field), {}, {}};
  return e;
}

// Thrown only by Result<T>::value() on an error; the request boundary catches it as a 500.
struct ErrorException : std::exception {
  explicit ErrorException(Error e) : error(std::move(e)) {}
  const char* what() const noexcept override { return error.message.c_str(); }
  Error error;
};

[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;
using Status = boost::system::result<void, Error>;

inline Status ok() {
  return {};
}

}  // namespace keygate::core

// Propagate an error from an expression returning Result<T>/Status. Both macros name their
// temporary with __COUNTER__ so nested uses (a KG_TRY inside a lambda inside a KG_TRY) do not
// shadow each other. They expand to several statements: brace them after an `if`.
#define KG_CONCAT_INNER_(a, b) a##b
#define KG_CONCAT_(a, b) KG_CONCAT_INNER_(a, b)
#define KG_TRY(expr) KG_TRY_IMPL_(KG_CONCAT_(kg_try_, __COUNTER__), expr)
#define KG_TRY_IMPL_(tmp, expr)              \
  do {                                       \
    auto&& tmp = (expr);                     \
    if (!tmp) return std::move(tmp).error(); \
  } while (0)

// Assign the value of a Result<T> to `lhs`, or propagate its error.
#define KG_ASSIGN_OR_RETURN(lhs, expr) \
  KG_ASSIGN_OR_RETURN_IMPL_(KG_CONCAT_(kg_assign_, __COUNTER__), lhs, expr)
#define KG_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp) return std::move(tmp).error();        \
  lhs = std::move(*tmp)
